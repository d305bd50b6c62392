package io.eventplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.id.AccessKeyIds;
import io.eventplane.common.secret.SecretBox;
import io.eventplane.common.time.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway's cache of stored keys against a scripted identity service: what it answers for
 * each state of a key, what it keeps and for how long, and what a change notice drops. (The
 * cluster's real service answering it is StoredAccessKeysClusterTest's part, in the server module.)
 */
class StoredAccessKeysTest {
  private static final byte[] KEY = new byte[32];
  private final MutableClock clock = new MutableClock(1_000_000);
  private final List<ApiRequest> asked = new ArrayList<>();
  private final List<Promise<ApiReply>> pending = new ArrayList<>();
  private final StoredAccessKeys keys = new StoredAccessKeys((address, request) -> {
    assertThat(address).isEqualTo(Contracts.IAM);
    asked.add(request);
    Promise<ApiReply> reply = Promise.promise();
    pending.add(reply);
    return reply.future();
  }, KEY, clock);

  private static JsonObject stored(String keyId, String secret, String status, int generation) {
    byte[] sealed = new SecretBox(KEY).seal(secret.getBytes(StandardCharsets.UTF_8), keyId.getBytes(StandardCharsets.UTF_8));
    return new JsonObject().put("AccountId", "123456789012").put("UserName", "alice")
        .put("UserArn", "arn:aws:iam::123456789012:user/alice").put("UserId", "AIDAAAAAAAAAAAAAAAAAA")
        .put("Status", status).put("SealedSecret", Base64.getEncoder().encodeToString(sealed)).put("Generation", generation);
  }

  @Test
  void anActiveKeyIsFoundWithItsSecretOpened() {
    String id = AccessKeyIds.create(7);
    Future<KeyLookup.Answer> answer = keys.find(id, null, 0);
    assertThat(asked).singleElement().satisfies(r -> {
      assertThat(r.operation()).isEqualTo("eventplane:ResolveAccessKey");
      assertThat(r.input().getString("AccessKeyId")).isEqualTo(id);
    });
    pending.get(0).complete(ApiReply.ok(stored(id, "s3cr3t/abc", "Active", 3)));
    assertThat(answer.result()).isEqualTo(new KeyLookup.Found(id + "#3", "s3cr3t/abc", "123456789012",
        "arn:aws:iam::123456789012:user/alice", "AIDAAAAAAAAAAAAAAAAAA"));
  }

  @Test
  void concurrentLookupsShareOneCallAndAnswersAreKeptUntilTheTtl() {
    String id = AccessKeyIds.create(0);
    Future<KeyLookup.Answer> first = keys.find(id, null, 0);
    Future<KeyLookup.Answer> second = keys.find(id, null, 0);
    assertThat(asked).hasSize(1);
    pending.get(0).complete(ApiReply.ok(stored(id, "x", "Active", 0)));
    assertThat(first.result()).isEqualTo(second.result()).isInstanceOf(KeyLookup.Found.class);
    keys.find(id, null, 0);
    clock.advance(StoredAccessKeys.TTL.minusMillis(1));
    keys.find(id, null, 0);
    assertThat(asked).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    keys.find(id, null, 0);
    assertThat(asked).hasSize(2);
  }

  @Test
  void inactiveUnknownAndForeignKeysAreUnknown() {
    String inactive = AccessKeyIds.create(1);
    Future<KeyLookup.Answer> a = keys.find(inactive, null, 0);
    pending.get(0).complete(ApiReply.ok(stored(inactive, "x", "Inactive", 1)));
    assertThat(a.result()).isSameAs(KeyLookup.UNKNOWN);

    String missing = AccessKeyIds.create(2);
    Future<KeyLookup.Answer> b = keys.find(missing, null, 0);
    pending.get(1).complete(ApiReply.failed(ServiceError.sender("NoSuchEntity", "The Access Key with id x cannot be found.")));
    assertThat(b.result()).isSameAs(KeyLookup.UNKNOWN);
    keys.find(missing, null, 0);
    assertThat(asked).as("not-found is kept too").hasSize(2);

    // Sealed for another key id (a record moved elsewhere): does not open.
    String moved = AccessKeyIds.create(3);
    Future<KeyLookup.Answer> c = keys.find(moved, null, 0);
    pending.get(2).complete(ApiReply.ok(stored(AccessKeyIds.create(3), "x", "Active", 0)));
    assertThat(c.result()).isSameAs(KeyLookup.UNKNOWN);
  }

  @Test
  void idsThatNameNoPartitionCostNoCall() {
    for (String id : new String[] {"AKIAIOSFODNN7EXAMPLE", "ASIAAAAAAAAAAAAAAAAA", "AKIA", "", "test", null}) {
      assertThat(keys.find(id, null, 0).result()).isSameAs(KeyLookup.UNKNOWN);
    }
    assertThat(asked).isEmpty();
  }

  @Test
  void failuresOfTheBusFailTheLookupAndAreNotKept() {
    String id = AccessKeyIds.create(9);
    Future<KeyLookup.Answer> a = keys.find(id, null, 0);
    pending.get(0).fail("timeout");
    assertThat(a.failed()).isTrue();
    keys.find(id, null, 0);
    assertThat(asked).hasSize(2);
  }

  @Test
  void aChangeNoticeDropsTheKeyAtOnce() {
    String id = AccessKeyIds.create(5);
    String other = AccessKeyIds.create(6);
    keys.find(id, null, 0);
    keys.find(other, null, 0);
    pending.get(0).complete(ApiReply.ok(stored(id, "x", "Active", 0)));
    pending.get(1).complete(ApiReply.ok(stored(other, "y", "Active", 0)));
    keys.changed(new JsonObject().put("AccessKeyIds", new JsonArray().add(id)));
    assertThat(keys.size()).isEqualTo(1);
    Future<KeyLookup.Answer> again = keys.find(id, null, 0);
    assertThat(asked).hasSize(3);
    pending.get(2).complete(ApiReply.ok(stored(id, "x", "Inactive", 1)));
    assertThat(again.result()).isSameAs(KeyLookup.UNKNOWN);
    keys.changed(new JsonObject().put("All", true));
    assertThat(keys.size()).isZero();
  }
}
