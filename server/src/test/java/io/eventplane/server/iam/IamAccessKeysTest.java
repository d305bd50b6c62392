package io.eventplane.server.iam;

import static io.eventplane.server.iam.IamClients.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.id.AccessKeyIds;
import io.eventplane.gateway.auth.KeyLookup;
import io.eventplane.gateway.auth.StoredAccessKeys;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * IAM users' access keys through the SDK's IAM client, and their lookup by id as the gateway makes
 * it ({@link StoredAccessKeys}) on every node of the cluster (the clustered run): a key made through
 * one node's endpoint is found on all, and its deactivation and deletion are seen on all at once.
 */
class IamAccessKeysTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final byte[] CREDENTIALS_KEY = EventplaneConfig.defaults().auth().credentialsKey();
  private static final List<IamClient> clients = new ArrayList<>();

  private static synchronized IamClient iam(int node) {
    while (clients.size() <= node) clients.add(IamClients.at(server.endpoint(clients.size())));
    return clients.get(node);
  }

  private static IamClient iam() {
    return iam(0);
  }

  @AfterAll
  static void close() {
    clients.forEach(IamClient::close);
  }

  @Test
  void twoKeysPerUserWithTheirSecretShownOnce() {
    iam().createUser(b -> b.userName("keyed"));
    AccessKey first = iam().createAccessKey(b -> b.userName("keyed")).accessKey();
    assertThat(first.accessKeyId()).hasSize(20).matches("AKIA[A-Z2-7]{16}");
    assertThat(AccessKeyIds.partitionOf(first.accessKeyId())).isNotNegative();
    assertThat(first.secretAccessKey()).hasSize(40).matches("[A-Za-z0-9+/]{40}");
    assertThat(first.status()).isEqualTo(StatusType.ACTIVE);
    assertThat(first.userName()).isEqualTo("keyed");
    assertThat(first.createDate()).isNotNull();
    AccessKey second = iam().createAccessKey(b -> b.userName("KEYED")).accessKey();
    assertThatThrownBy(() -> iam().createAccessKey(b -> b.userName("keyed"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("LimitExceeded 409 Cannot exceed quota for AccessKeysPerUser: 2"));

    List<AccessKeyMetadata> listed = iam().listAccessKeys(b -> b.userName("keyed")).accessKeyMetadata();
    assertThat(listed).extracting(AccessKeyMetadata::accessKeyId).containsExactly(first.accessKeyId(), second.accessKeyId());
    assertThat(listed).extracting(AccessKeyMetadata::status).containsOnly(StatusType.ACTIVE);

    iam().updateAccessKey(b -> b.userName("keyed").accessKeyId(first.accessKeyId()).status(StatusType.INACTIVE));
    assertThat(iam().listAccessKeys(b -> b.userName("keyed")).accessKeyMetadata().get(0).status()).isEqualTo(StatusType.INACTIVE);
    assertThatThrownBy(() -> iam().updateAccessKey(b -> b.userName("keyed").accessKeyId(first.accessKeyId()).status("Off")))
        .satisfies(e -> assertThat(error(e)).isEqualTo("ValidationError 400 1 validation error detected: Value 'Off' at "
            + "'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]"));

    var lastUsed = iam().getAccessKeyLastUsed(b -> b.accessKeyId(second.accessKeyId()));
    assertThat(lastUsed.userName()).isEqualTo("keyed");
    assertThat(lastUsed.accessKeyLastUsed().serviceName()).isEqualTo("N/A");
    assertThat(lastUsed.accessKeyLastUsed().region()).isEqualTo("N/A");
    assertThat(lastUsed.accessKeyLastUsed().lastUsedDate()).isNull();

    assertThatThrownBy(() -> iam().deleteUser(b -> b.userName("keyed"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("DeleteConflict 409 Cannot delete entity, must delete access keys first."));
    iam().deleteAccessKey(b -> b.userName("keyed").accessKeyId(first.accessKeyId()));
    assertThatThrownBy(() -> iam().deleteAccessKey(b -> b.userName("keyed").accessKeyId(first.accessKeyId())))
        .satisfies(e -> assertThat(error(e))
            .isEqualTo("NoSuchEntity 404 The Access Key with id " + first.accessKeyId() + " cannot be found."));
    assertThatThrownBy(() -> iam().getAccessKeyLastUsed(b -> b.accessKeyId(first.accessKeyId())))
        .satisfies(e -> assertThat(error(e)).startsWith("NoSuchEntity 404 "));
    iam().deleteAccessKey(b -> b.userName("keyed").accessKeyId(second.accessKeyId()));
    iam().deleteUser(b -> b.userName("keyed"));
  }

  @Test
  void badKeyCallsGetIamErrors() {
    iam().createUser(b -> b.userName("k2"));
    iam().createUser(b -> b.userName("other"));
    String otherKey = iam().createAccessKey(b -> b.userName("other")).accessKey().accessKeyId();
    // A key of another user is no key of this one.
    assertThatThrownBy(() -> iam().updateAccessKey(b -> b.userName("k2").accessKeyId(otherKey).status(StatusType.INACTIVE)))
        .satisfies(e -> assertThat(error(e)).isEqualTo("NoSuchEntity 404 The Access Key with id " + otherKey + " cannot be found."));
    assertThatThrownBy(() -> iam().createAccessKey(b -> b.userName("nobody"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 The user with name nobody cannot be found."));
    assertThatThrownBy(() -> iam().deleteAccessKey(b -> b.userName("k2").accessKeyId("short"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("ValidationError 400 1 validation error detected: Value 'short' at 'accessKeyId' failed to satisfy "
            + "constraint: Member must have length between 16 and 128"));
    assertThatThrownBy(() -> iam().getAccessKeyLastUsed(b -> b.accessKeyId("AKIAIOSFODNN7EXAMPLE"))).satisfies(e -> assertThat(error(e))
        .isEqualTo("NoSuchEntity 404 The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found."));
    // The root (auth off: no verified caller) has no stored keys.
    assertThatThrownBy(() -> iam().createAccessKey(b -> { })).satisfies(e -> assertThat(error(e))
        .isEqualTo("ValidationError 400 Must specify userName when calling with non-User credentials"));
  }

  @Test
  void everyNodeFindsAKeyMadeThroughAnotherAndSeesItsChangesAtOnce() throws Exception {
    int nodes = EmbeddedServer.nodes();
    IamClient maker = iam(nodes - 1);
    maker.createUser(b -> b.userName("signer").path("/apps/"));
    AccessKey key = maker.createAccessKey(b -> b.userName("signer")).accessKey();
    String userId = maker.getUser(b -> b.userName("signer")).user().userId();
    List<StoredAccessKeys> lookups = new ArrayList<>();
    for (int n = 0; n < nodes; n++) lookups.add(lookupOf(server.vertx(n)));

    for (StoredAccessKeys lookup : lookups) {
      KeyLookup.Answer answer = find(lookup, key.accessKeyId());
      assertThat(answer).isInstanceOf(KeyLookup.Found.class);
      KeyLookup.Found found = (KeyLookup.Found) answer;
      assertThat(found.secretAccessKey()).isEqualTo(key.secretAccessKey());
      assertThat(found.account()).isEqualTo("000000000000");
      assertThat(found.principalArn()).isEqualTo("arn:aws:iam::000000000000:user/apps/signer");
      assertThat(found.userId()).isEqualTo(userId);
      assertThat(found.secretId()).isEqualTo(key.accessKeyId() + "#0");
    }
    assertThat(find(lookups.get(0), AccessKeyIds.create(AccessKeyIds.partitionOf(key.accessKeyId()))))
        .isSameAs(KeyLookup.UNKNOWN);

    // Deactivated through node 0: every node's cached answer is dropped by the change notice.
    iam(0).updateAccessKey(b -> b.userName("signer").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));
    for (StoredAccessKeys lookup : lookups) {
      await().atMost(Duration.ofSeconds(5)).until(() -> find(lookup, key.accessKeyId()) == KeyLookup.UNKNOWN);
    }
    iam(0).updateAccessKey(b -> b.userName("signer").accessKeyId(key.accessKeyId()).status(StatusType.ACTIVE));
    for (StoredAccessKeys lookup : lookups) {
      await().atMost(Duration.ofSeconds(5)).until(() -> find(lookup, key.accessKeyId()) instanceof KeyLookup.Found f
          && f.secretId().equals(key.accessKeyId() + "#2"));
    }

    // A rename changes the ARN the key signs as.
    iam(0).updateUser(b -> b.userName("signer").newUserName("signer2"));
    for (StoredAccessKeys lookup : lookups) {
      await().atMost(Duration.ofSeconds(5)).until(() -> find(lookup, key.accessKeyId()) instanceof KeyLookup.Found f
          && f.principalArn().equals("arn:aws:iam::000000000000:user/apps/signer2"));
    }
    assertThat(iam(0).getAccessKeyLastUsed(b -> b.accessKeyId(key.accessKeyId())).userName()).isEqualTo("signer2");

    iam(0).deleteAccessKey(b -> b.userName("signer2").accessKeyId(key.accessKeyId()));
    for (StoredAccessKeys lookup : lookups) {
      await().atMost(Duration.ofSeconds(5)).until(() -> find(lookup, key.accessKeyId()) == KeyLookup.UNKNOWN);
    }
  }

  @Test
  void theSecretIsNotStoredInTheClear() throws Exception {
    iam().createUser(b -> b.userName("sealed"));
    AccessKey key = iam().createAccessKey(b -> b.userName("sealed")).accessKey();
    byte[] secret = key.secretAccessKey().getBytes(StandardCharsets.UTF_8);
    byte[] id = key.accessKeyId().getBytes(StandardCharsets.UTF_8);
    boolean idSeen = false;
    for (Path dir : server.dataDirs()) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          byte[] bytes = read(f);
          assertThat(contains(bytes, secret)).as("the secret in the clear in " + f).isFalse();
          idSeen |= contains(bytes, id);
        }
      }
    }
    // The search finds what is there: the key id is stored as it is (the WAL has it).
    assertThat(idSeen).isTrue();
  }

  private static byte[] read(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      if (!Files.exists(f)) return new byte[0];
      throw new UncheckedIOException(e);
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return true;
    }
    return false;
  }

  /** The node's StoredAccessKeys, asking its IAM service over its event bus as the gateway would. */
  private static StoredAccessKeys lookupOf(Vertx vertx) {
    return StoredAccessKeys.of(vertx, (address, request) -> vertx.eventBus().<ApiReply>request(address, request)
        .map(m -> m.body()).otherwise(t -> ApiReply.failed(ServiceError.internal(t.toString()))),
        CREDENTIALS_KEY, server.clock());
  }

  private static KeyLookup.Answer find(StoredAccessKeys lookup, String keyId) throws Exception {
    return lookup.find(keyId, null, 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void resolveIsNotReachableFromThePublicApi() {
    iam().createUser(b -> b.userName("hidden"));
    String keyId = iam().createAccessKey(b -> b.userName("hidden")).accessKey().accessKeyId();
    // The operation exists on the bus only: the Query protocol does not know it.
    var http = java.net.http.HttpClient.newHttpClient();
    var request = java.net.http.HttpRequest.newBuilder(server.endpoint())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, "
            + "SignedHeaders=host, Signature=00")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "Action=eventplane%3AResolveAccessKey&Version=2010-05-08&AccessKeyId=" + keyId))
        .build();
    String body;
    try {
      body = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    assertThat(body).doesNotContain("SealedSecret").contains("<Code>");
  }
}
