package io.eventplane.server.iam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Caller;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.common.secret.TemporaryCredentials;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.sts.StsAnswers;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * AssumeRole by a verified caller ({@link RequestContext#caller()} set, as the gateway sets it once
 * it verifies signatures): the gateway's STS answers, asking the cluster's real IAM service over
 * the bus to judge the role's trust policy. The signature step itself is not on this branch, so
 * the call is made to STS's answers directly with the caller the verifier would give.
 */
class AssumeRoleTrustTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String ACCOUNT = "000000000000";
  private static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
  private static final String BOB = "arn:aws:iam::" + ACCOUNT + ":user/bob";
  private static final String PARTNER = "arn:aws:iam::111111111111:user/partner";



  private static String trust(String principal, String actions, String condition) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + principal
        + "\"},\"Action\":" + actions + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
  }

  private static String role(String name, String trust) {
    return server.iam().createRole(b -> b.roleName(name).assumeRolePolicyDocument(trust)).role().arn();
  }

  private final StsAnswers sts = new StsAnswers(new TemporaryCredentials(AuthSettings.defaults().credentialsKey()),
      server.clock());

  /** AssumeRole as {@code caller} (verified), with the call's parameters; the answer as the gateway writes it. */
  private WireResponse assume(Caller caller, String account, Map<String, String> params) throws Exception {
    RequestContext context = new RequestContext(account, "us-east-1", "req-1", server.endpoint().toString()).withCaller(caller);
    Map<String, String> all = new HashMap<>(params);
    all.put("Action", "AssumeRole");
    return sts.answer("AssumeRole", all, context, (address, request) -> bus(address, request))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Future<ApiReply> bus(String address, ApiRequest request) {
    return server.vertx(0).eventBus().<ApiReply>request(address, request, new DeliveryOptions().setSendTimeout(10_000))
        .map(m -> m.body());
  }

  private static Caller user(String arn) {
    return new Caller(arn, "AIDA" + arn.hashCode(), "AKIAEXAMPLEKEY000001");
  }

  record Case(String why, Caller caller, String account, Map<String, String> params, int status, String answer) {}

  @Test
  void theRolesTrustPolicyDecidesWhoMayAssumeIt() throws Exception {
    String forAlice = role("for-alice", trust(ALICE, "\"sts:AssumeRole\"", null));
    String forAccount = role("for-account", trust(ACCOUNT, "\"sts:AssumeRole\"", null));
    String forPartner = role("for-partner", trust("111111111111", "\"sts:AssumeRole\"",
        "{\"StringEquals\":{\"sts:ExternalId\":\"Unique-1\"}}"));
    String forLambda = role("for-lambda", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
    String tagsToo = role("tags-too", trust(ALICE, "[\"sts:AssumeRole\",\"sts:TagSession\",\"sts:SetSourceIdentity\"]", null));
    String chained = role("chained", trust("arn:aws:iam::" + ACCOUNT + ":role/for-alice", "\"sts:AssumeRole\"", null));
    Caller aliceSession = new Caller("arn:aws:sts::" + ACCOUNT + ":assumed-role/for-alice/s1", "AROAEXAMPLE:s1",
        "ASIAEXAMPLEKEY000001");
    List<Case> table = List.of(
        new Case("the trust policy names the user", user(ALICE), ACCOUNT, Map.of("RoleArn", forAlice, "RoleSessionName", "s1"),
            200, "arn:aws:sts::" + ACCOUNT + ":assumed-role/for-alice/s1"),
        new Case("it names another user", user(BOB), ACCOUNT, Map.of("RoleArn", forAlice, "RoleSessionName", "s1"), 403,
            "User: " + BOB + " is not authorized to perform: sts:AssumeRole on resource: " + forAlice),
        new Case("it names the account (identity policies not evaluated yet: they allow)", user(BOB), ACCOUNT,
            Map.of("RoleArn", forAccount, "RoleSessionName", "s1"), 200, "assumed-role/for-account/s1"),
        new Case("the account's root", Caller.root(ACCOUNT, "ADMINKEY0000000001"), ACCOUNT,
            Map.of("RoleArn", forAccount, "RoleSessionName", "s1"), 200, "assumed-role/for-account/s1"),
        new Case("another account with the external id", user(PARTNER), "111111111111",
            Map.of("RoleArn", forPartner, "RoleSessionName", "s1", "ExternalId", "Unique-1"), 200, "assumed-role/for-partner/s1"),
        new Case("another account with a wrong external id", user(PARTNER), "111111111111",
            Map.of("RoleArn", forPartner, "RoleSessionName", "s1", "ExternalId", "Unique-2"), 403,
            "User: " + PARTNER + " is not authorized to perform: sts:AssumeRole on resource: " + forPartner),
        new Case("another account without the external id", user(PARTNER), "111111111111",
            Map.of("RoleArn", forPartner, "RoleSessionName", "s1"), 403, "not authorized to perform: sts:AssumeRole"),
        new Case("a role only Lambda may assume", user(ALICE), ACCOUNT, Map.of("RoleArn", forLambda, "RoleSessionName", "s1"),
            403, "not authorized to perform: sts:AssumeRole on resource: " + forLambda),
        new Case("session tags need sts:TagSession", user(ALICE), ACCOUNT, Map.of("RoleArn", forAlice, "RoleSessionName", "s1",
            "Tags.member.1.Key", "team", "Tags.member.1.Value", "blue"), 403,
            "User: " + ALICE + " is not authorized to perform: sts:TagSession on resource: " + forAlice),
        new Case("a source identity needs sts:SetSourceIdentity", user(ALICE), ACCOUNT, Map.of("RoleArn", forAlice,
            "RoleSessionName", "s1", "SourceIdentity", "alice"), 403,
            "not authorized to perform: sts:SetSourceIdentity on resource: " + forAlice),
        new Case("both allowed", user(ALICE), ACCOUNT, Map.of("RoleArn", tagsToo, "RoleSessionName", "s1",
            "Tags.member.1.Key", "team", "Tags.member.1.Value", "blue", "SourceIdentity", "alice"), 200,
            "<SourceIdentity>alice</SourceIdentity>"),
        new Case("a role's session when the trust names its role", aliceSession, ACCOUNT, Map.of("RoleArn", chained,
            "RoleSessionName", "s2"), 200, "assumed-role/chained/s2"),
        new Case("role chaining is held to an hour", aliceSession, ACCOUNT, Map.of("RoleArn", chained,
            "RoleSessionName", "s2", "DurationSeconds", "3601"), 400,
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."),
        new Case("a role that does not exist", user(ALICE), ACCOUNT, Map.of("RoleArn", "arn:aws:iam::" + ACCOUNT
            + ":role/nobody", "RoleSessionName", "s1"), 403, "User: " + ALICE + " is not authorized to perform: "
            + "sts:AssumeRole on resource: arn:aws:iam::" + ACCOUNT + ":role/nobody"));
    for (Case c : table) {
      WireResponse answer = assume(c.caller(), c.account(), c.params());
      assertThat(answer.status()).as(c.why()).isEqualTo(c.status());
      assertThat(answer.body().toString()).as(c.why()).contains(c.answer());
      if (c.status() == 403) assertThat(answer.body().toString()).as(c.why()).contains("<Code>AccessDenied</Code>");
    }
  }

  @Test
  void verifiedCallersAreWhoGetCallerIdentityAndGetSessionTokenAnswer() throws Exception {
    RequestContext asAlice = new RequestContext(ACCOUNT, "us-east-1", "req-2", server.endpoint().toString())
        .withCaller(new Caller(ALICE, "AIDAALICE0000000001", "AKIAEXAMPLEKEY000001"));
    String me = sts.answer("GetCallerIdentity", Map.of(), asAlice, AssumeRoleTrustTest::bus).result().body().toString();
    assertThat(me).contains("<Arn>" + ALICE + "</Arn><UserId>AIDAALICE0000000001</UserId><Account>" + ACCOUNT + "</Account>");
    String token = sts.answer("GetSessionToken", Map.of(), asAlice, AssumeRoleTrustTest::bus).result().body().toString();
    assertThat(token).as("a user's session token lasts 12 hours by default")
        .contains("<Expiration>" + server.clock().instant().plusSeconds(43200).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            + "</Expiration>");
    String key = between(token, "<AccessKeyId>", "</AccessKeyId>");
    String sessionToken = between(token, "<SessionToken>", "</SessionToken>");
    var session = new TemporaryCredentials(AuthSettings.defaults().credentialsKey()).open(key, sessionToken).orElseThrow().session();
    assertThat(session.principalArn()).isEqualTo(ALICE);
    assertThat(session.userId()).isEqualTo("AIDAALICE0000000001");
  }

  private static String between(String s, String from, String to) {
    int start = s.indexOf(from) + from.length();
    return s.substring(start, s.indexOf(to, start));
  }
}
