package io.eventplane.gateway.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.Caller;
import io.eventplane.identity.policy.Decision.Outcome;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The identity step with the User Guide's documented examples, the root's allow, and the policy cache. */
class IdentityAuthorizerTest {
  static final Caller ALICE = new Caller("arn:aws:iam::123456789012:user/alice", "AIDAALICE", "AKIAALICE");
  static final Caller ROOT = Caller.root("123456789012", "ADMINKEY");
  static final Caller SESSION = new Caller("arn:aws:sts::123456789012:assumed-role/deployer/s1", "AROAX:s1", "ASIAX");
  static final String QUEUE = "arn:aws:sqs:us-east-1:123456789012:orders";
  static final Target SEND = Target.of("sqs:SendMessage", QUEUE);
  static final RequestFacts FACTS = new RequestFacts("203.0.113.7", false, Instant.parse("2026-12-05T10:00:00Z"),
      "us-east-1", "aws-sdk-java/2.x");

  static PrincipalPolicies policies(String... namesAndJson) {
    PrincipalPolicies.Named[] named = new PrincipalPolicies.Named[namesAndJson.length / 2];
    for (int i = 0; i < named.length; i++) named[i] = PrincipalPolicies.Named.parse(namesAndJson[2 * i], namesAndJson[2 * i + 1]);
    return PrincipalPolicies.of(named);
  }

  static String stmt(String sid, String effect, String actionElement, String actions, String resource, String condition) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{" + (sid == null ? "" : "\"Sid\":\"" + sid + "\",") + "\"Effect\":\"" + effect
        + "\",\"" + actionElement + "\":" + actions + ",\"Resource\":\"" + resource + "\"" + (condition == null ? "" : ",\"Condition\":" + condition)
        + "}]}";
  }

  static IdentityDecision decide(Caller caller, PrincipalPolicies p, Target target) {
    IdentityVerdict v = IdentityAuthorizer.decide(caller, p, List.of(target), FACTS.conditionKeys(caller));
    return v.decisions().get(0);
  }

  @Test
  void anAllowNamesItsPolicyAndSid() {
    PrincipalPolicies p = policies("SendOrders", stmt("Send", "Allow", "Action", "\"sqs:SendMessage\"", QUEUE, null));
    assertThat(decide(ALICE, p, SEND)).isEqualTo(new IdentityDecision(Outcome.ALLOW, "SendOrders", "Send"));
    assertThat(decide(ALICE, p, Target.of("sqs:DeleteQueue", QUEUE))).isEqualTo(IdentityDecision.IMPLICIT_DENY);
  }

  @Test
  void anExplicitDenyWinsOverAnyAllow() {
    PrincipalPolicies p = policies("All", stmt("Everything", "Allow", "Action", "\"*\"", "*", null),
        "NoSqs", stmt("NoSend", "Deny", "Action", "\"sqs:Send*\"", "*", null));
    assertThat(decide(ALICE, p, SEND)).isEqualTo(new IdentityDecision(Outcome.EXPLICIT_DENY, "NoSqs", "NoSend"));
    assertThat(decide(ALICE, p, Target.of("sqs:ReceiveMessage", QUEUE)).allowed()).isTrue();
  }

  @Test
  void notActionAllowsEverythingButTheListed() {
    // The User Guide's "NotAction with Allow": everything but IAM.
    PrincipalPolicies p = policies("NotIam", stmt(null, "Allow", "NotAction", "\"iam:*\"", "*", null));
    assertThat(decide(ALICE, p, SEND).allowed()).isTrue();
    assertThat(decide(ALICE, p, Target.of("iam:CreateRole", "arn:aws:iam::123456789012:role/r")).allowed()).isFalse();
  }

  @Test
  void conditionsOnSourceIpAndRequestedRegion() {
    // The User Guide's "Denies access to AWS based on the source IP" and "... based on the requested Region".
    PrincipalPolicies p = policies("All", stmt(null, "Allow", "Action", "\"*\"", "*", null),
        "Office", stmt("OutsideOffice", "Deny", "Action", "\"*\"", "*",
            "{\"NotIpAddress\":{\"aws:SourceIp\":[\"192.0.2.0/24\",\"203.0.113.0/24\"]}}"),
        "Regions", stmt("OtherRegions", "Deny", "Action", "\"*\"", "*",
            "{\"StringNotEquals\":{\"aws:RequestedRegion\":[\"us-east-1\",\"eu-west-1\"]}}"));
    assertThat(decide(ALICE, p, SEND).allowed()).isTrue();
    RequestFacts elsewhere = new RequestFacts("198.51.100.9", true, FACTS.now(), "us-east-1", null);
    IdentityVerdict away = IdentityAuthorizer.decide(ALICE, p, List.of(SEND), elsewhere.conditionKeys(ALICE));
    assertThat(away.decisions().get(0)).isEqualTo(new IdentityDecision(Outcome.EXPLICIT_DENY, "Office", "OutsideOffice"));
    RequestFacts tokyo = new RequestFacts("203.0.113.7", true, FACTS.now(), "ap-northeast-1", null);
    IdentityVerdict far = IdentityAuthorizer.decide(ALICE, p, List.of(SEND), tokyo.conditionKeys(ALICE));
    assertThat(far.decisions().get(0)).isEqualTo(new IdentityDecision(Outcome.EXPLICIT_DENY, "Regions", "OtherRegions"));
  }

  @Test
  void aPolicyVariableNamesTheUsersOwnPrefix() {
    // The User Guide's "allows IAM users to access their own home directory in Amazon S3".
    PrincipalPolicies p = policies("Home", "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Sid\":\"List\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::home\","
        + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"${aws:username}/*\"]}}},"
        + "{\"Sid\":\"Objects\",\"Effect\":\"Allow\",\"Action\":\"s3:*Object\",\"Resource\":\"arn:aws:s3:::home/${aws:username}/*\"}]}");
    assertThat(decide(ALICE, p, Target.of("s3:GetObject", "arn:aws:s3:::home/alice/notes.txt")))
        .isEqualTo(new IdentityDecision(Outcome.ALLOW, "Home", "Objects"));
    assertThat(decide(ALICE, p, Target.of("s3:GetObject", "arn:aws:s3:::home/bob/notes.txt")).allowed()).isFalse();
    assertThat(decide(ALICE, p, Target.of("s3:ListBucket", "arn:aws:s3:::home").with("s3:prefix", "alice/2026/")).allowed()).isTrue();
    assertThat(decide(ALICE, p, Target.of("s3:ListBucket", "arn:aws:s3:::home").with("s3:prefix", "bob/")).allowed()).isFalse();
    // A role session has no aws:username: the variable matches nothing.
    assertThat(decide(SESSION, p, Target.of("s3:GetObject", "arn:aws:s3:::home/alice/notes.txt")).allowed()).isFalse();
  }

  @Test
  void serviceKeysOfATargetApply() {
    PrincipalPolicies p = policies("Orders", stmt("OnlyOrders", "Allow", "Action", "\"events:PutEvents\"", "*",
        "{\"StringEquals\":{\"events:source\":\"app.orders\"}}"));
    Target orders = Target.of("events:PutEvents", "arn:aws:events:us-east-1:123456789012:event-bus/default").with("events:source", "app.orders");
    Target bills = Target.of("events:PutEvents", "arn:aws:events:us-east-1:123456789012:event-bus/default").with("events:source", "app.bills");
    IdentityVerdict v = IdentityAuthorizer.decide(ALICE, p, List.of(orders, bills), FACTS.conditionKeys(ALICE));
    assertThat(v.decisions()).extracting(IdentityDecision::outcome).containsExactly(Outcome.ALLOW, Outcome.IMPLICIT_DENY);
    assertThat(v.notAllowed()).isEqualTo(1);
    assertThat(v.denied()).isEqualTo(-1);
    assertThat(v.finalDenial()).isEqualTo(-1);
  }

  @Test
  void passRoleIsCheckedWithPassedToServiceAndItsImplicitDenyIsFinal() {
    PrincipalPolicies p = policies("Deploy", "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Action\":\"lambda:CreateFunction\",\"Resource\":\"*\"},"
        + "{\"Sid\":\"Pass\",\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"arn:aws:iam::123456789012:role/exec-*\","
        + "\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"lambda.amazonaws.com\"}}}]}");
    Target create = Target.of("lambda:CreateFunction", "arn:aws:lambda:us-east-1:123456789012:function:f");
    Target passOk = Target.of("iam:PassRole", "arn:aws:iam::123456789012:role/exec-orders").with("iam:PassedToService", "lambda.amazonaws.com");
    Target passOther = Target.of("iam:PassRole", "arn:aws:iam::123456789012:role/admin").with("iam:PassedToService", "lambda.amazonaws.com");
    Map<String, List<String>> keys = FACTS.conditionKeys(ALICE);
    assertThat(IdentityAuthorizer.decide(ALICE, p, List.of(create, passOk), keys).allAllowed()).isTrue();
    IdentityVerdict bad = IdentityAuthorizer.decide(ALICE, p, List.of(create, passOther), keys);
    assertThat(bad.finalDenial()).isEqualTo(1);
    assertThat(bad.denied()).isEqualTo(-1);
  }

  @Test
  void theRootIsAllowedEverythingWithoutAskingForPolicies() {
    AtomicInteger asked = new AtomicInteger();
    IdentityAuthorizer authorizer = new IdentityAuthorizer(c -> {
      asked.incrementAndGet();
      return Future.succeededFuture(PrincipalPolicies.NONE);
    }, 100);
    IdentityVerdict v = authorizer.authorize(ROOT, List.of(SEND, Target.of("iam:CreateRole", "*")), FACTS.conditionKeys(ROOT))
        .result();
    assertThat(v.decisions()).containsOnly(IdentityDecision.ROOT_ALLOW);
    assertThat(asked).hasValue(0);
    // Without policies a user may do nothing.
    assertThat(authorizer.authorize(ALICE, List.of(SEND), Map.of()).result().decisions()).containsExactly(IdentityDecision.IMPLICIT_DENY);
  }

  @Test
  void policiesAreCachedPerPrincipalUntilInvalidated() {
    AtomicInteger asked = new AtomicInteger();
    PrincipalPolicies allow = policies("P", stmt(null, "Allow", "Action", "\"sqs:*\"", "*", null));
    IdentityAuthorizer authorizer = new IdentityAuthorizer(c -> {
      asked.incrementAndGet();
      return Future.succeededFuture(allow);
    }, 100);
    for (int i = 0; i < 3; i++) assertThat(authorizer.authorize(ALICE, List.of(SEND), Map.of()).result().allAllowed()).isTrue();
    authorizer.authorize(SESSION, List.of(SEND), Map.of());
    assertThat(asked).hasValue(2);
    authorizer.invalidate(ALICE.arn());
    authorizer.authorize(ALICE, List.of(SEND), Map.of());
    assertThat(asked).hasValue(3);
    // A change to the role forgets its sessions too.
    authorizer.invalidate("arn:aws:iam::123456789012:role/service/deployer");
    authorizer.authorize(SESSION, List.of(SEND), Map.of());
    assertThat(asked).hasValue(4);
    authorizer.invalidateAll();
    authorizer.authorize(ALICE, List.of(SEND), Map.of());
    assertThat(asked).hasValue(5);
  }

  @Test
  void aFailedLookupIsNotKept() {
    AtomicInteger asked = new AtomicInteger();
    IdentityAuthorizer authorizer = new IdentityAuthorizer(c -> asked.incrementAndGet() == 1
        ? Future.failedFuture(new IllegalStateException("identity lane unavailable"))
        : Future.succeededFuture(PrincipalPolicies.NONE), 100);
    assertThat(authorizer.authorize(ALICE, List.of(SEND), Map.of()).failed()).isTrue();
    assertThat(authorizer.authorize(ALICE, List.of(SEND), Map.of()).succeeded()).isTrue();
    assertThat(asked).hasValue(2);
  }

  @Test
  void aParsedCallIsAuthorizedForTheContextsCaller() {
    PrincipalPolicies p = policies("SendOrders", stmt("Send", "Allow", "Action", "\"sqs:SendMessage\"", QUEUE, null));
    IdentityAuthorizer authorizer = new IdentityAuthorizer(c -> Future.succeededFuture(p), 10);
    io.eventplane.common.bus.RequestContext context =
        new io.eventplane.common.bus.RequestContext("123456789012", "us-east-1", "r", "http://localhost:4566", ALICE);
    ApiCall batch = ApiCall.of("SendMessageBatch",
        new io.vertx.core.json.JsonObject().put("QueueUrl", "http://localhost:4566/123456789012/orders"));
    IdentityVerdict v = authorizer.authorize(Actions.of("sqs"), batch, context, FACTS).result();
    assertThat(v.targets()).containsExactly(SEND);
    assertThat(v.decisions()).containsExactly(new IdentityDecision(Outcome.ALLOW, "SendOrders", "Send"));
    ApiCall purge = ApiCall.of("PurgeQueue",
        new io.vertx.core.json.JsonObject().put("QueueUrl", "http://localhost:4566/123456789012/orders"));
    assertThat(authorizer.authorize(Actions.of("sqs"), purge, context, FACTS).result().notAllowed()).isZero();
    io.eventplane.common.bus.RequestContext unsigned =
        new io.eventplane.common.bus.RequestContext("123456789012", "us-east-1", "r", "http://localhost:4566");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> authorizer.authorize(Actions.of("sqs"), batch, unsigned, FACTS))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void policiesWithoutConditionsOrVariablesDecideByActionAndResourceAloneAndAreRemembered() {
    PrincipalPolicies plain = policies("SendOrders", stmt("Send", "Allow", "Action", "\"sqs:SendMessage\"", QUEUE, null));
    assertThat(plain.contextFree()).isTrue();
    java.util.concurrent.atomic.AtomicInteger built = new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Supplier<Map<String, List<String>>> keys = () -> {
      built.incrementAndGet();
      return FACTS.conditionKeys(ALICE);
    };
    for (int i = 0; i < 3; i++) {
      assertThat(IdentityAuthorizer.decide(ALICE, plain, List.of(SEND), keys).decisions().get(0))
          .isEqualTo(new IdentityDecision(Outcome.ALLOW, "SendOrders", "Send"));
    }
    assertThat(plain.remembered("sqs:SendMessage", QUEUE)).isEqualTo(new IdentityDecision(Outcome.ALLOW, "SendOrders", "Send"));
    assertThat(built).hasValue(0);
    // A condition or a policy variable makes every call evaluate with the request's keys.
    PrincipalPolicies fromOffice = policies("Office", stmt("Send", "Allow", "Action", "\"sqs:SendMessage\"", QUEUE,
        "{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}"));
    PrincipalPolicies ownQueue = policies("Own", stmt("Send", "Allow", "Action", "\"sqs:SendMessage\"",
        "arn:aws:sqs:us-east-1:123456789012:${aws:username}-*", null));
    assertThat(fromOffice.contextFree()).isFalse();
    assertThat(ownQueue.contextFree()).isFalse();
    assertThat(IdentityAuthorizer.decide(ALICE, fromOffice, List.of(SEND), keys).decisions().get(0).allowed()).isTrue();
    assertThat(IdentityAuthorizer.decide(ALICE, ownQueue, List.of(Target.of("sqs:SendMessage",
        "arn:aws:sqs:us-east-1:123456789012:alice-jobs")), keys).decisions().get(0).allowed()).isTrue();
    assertThat(built).hasValue(2);
    assertThat(fromOffice.remembered("sqs:SendMessage", QUEUE)).isNull();
  }
}
