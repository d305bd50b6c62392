package io.eventplane.gateway.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.bus.Caller;
import io.eventplane.identity.policy.Decision.Outcome;
import io.eventplane.identity.policy.PolicyDocument;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The resource step: IAM's evaluation logic completed with a resource's own policy (same account:
 * either side's allow; another account: both; an explicit deny anywhere wins), the root's way out of a
 * bucket policy, which resource holds the policy of an ARN, the per-node cache and service deliveries.
 */
class ResourceAuthorizerTest {
  static final String A = "123456789012";
  static final String B = "210987654321";
  static final Caller ALICE = IdentityAuthorizerTest.ALICE;
  static final Caller ROOT = IdentityAuthorizerTest.ROOT;
  static final Caller BOB_OF_B = new Caller("arn:aws:iam::" + B + ":user/bob", "AIDABOB", "AKIABOB");
  static final String QUEUE = IdentityAuthorizerTest.QUEUE;
  static final Map<String, List<String>> KEYS = IdentityAuthorizerTest.FACTS.conditionKeys(ALICE);

  static IdentityVerdict verdict(Target target, Outcome outcome) {
    return new IdentityVerdict(List.of(target), List.of(new IdentityDecision(outcome, outcome == Outcome.IMPLICIT_DENY ? null : "P", null)));
  }

  static ResourcePolicy policy(String account, String principal, String effect, String action, String resource) {
    return new ResourcePolicy(account, PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect
        + "\",\"Principal\":" + principal + ",\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\"}]}"));
  }

  static ResourceAuthorizer.Denied judge(Caller caller, Outcome identity, ResourcePolicy resource, Target target) {
    return ResourceAuthorizer.judge(caller, verdict(target, identity), 0, resource, KEYS);
  }

  @Test
  void withinTheAccountEitherSidesAllowSuffices() {
    Target send = Target.of("sqs:SendMessage", QUEUE);
    assertThat(judge(ALICE, Outcome.ALLOW, ResourcePolicy.none(A), send)).isNull();
    assertThat(judge(ALICE, Outcome.IMPLICIT_DENY, ResourcePolicy.none(A), send))
        .isEqualTo(new ResourceAuthorizer.Denied(0, false, AccessDenied.PolicyType.IDENTITY));
    // The queue's policy names alice: she needs no identity policy.
    assertThat(judge(ALICE, Outcome.IMPLICIT_DENY, policy(A, "{\"AWS\":\"" + ALICE.arn() + "\"}", "Allow", "sqs:SendMessage", QUEUE), send))
        .isNull();
    // A policy naming only the account defers to the identity policies.
    assertThat(judge(ALICE, Outcome.IMPLICIT_DENY, policy(A, "{\"AWS\":\"" + A + "\"}", "Allow", "sqs:*", QUEUE), send))
        .isEqualTo(new ResourceAuthorizer.Denied(0, false, AccessDenied.PolicyType.IDENTITY));
  }

  @Test
  void anExplicitDenyInTheResourcePolicyWinsOverTheIdentityAllowAndBindsTheRoot() {
    Target send = Target.of("sqs:SendMessage", QUEUE);
    ResourcePolicy denyAll = policy(A, "\"*\"", "Deny", "sqs:SendMessage", QUEUE);
    assertThat(judge(ALICE, Outcome.ALLOW, denyAll, send)).isEqualTo(new ResourceAuthorizer.Denied(0, true, AccessDenied.PolicyType.RESOURCE));
    assertThat(ResourceAuthorizer.judge(ROOT, new IdentityVerdict(List.of(send), List.of(IdentityDecision.ROOT_ALLOW)), 0, denyAll, KEYS))
        .isEqualTo(new ResourceAuthorizer.Denied(0, true, AccessDenied.PolicyType.RESOURCE));
    assertThat(judge(ALICE, Outcome.ALLOW, denyAll, Target.of("sqs:ReceiveMessage", QUEUE))).isNull();
  }

  @Test
  void theRootMayAlwaysReadPutAndDeleteItsOwnBucketsPolicy() {
    String bucket = "arn:aws:s3:::photos";
    ResourcePolicy lockedOut = policy(A, "\"*\"", "Deny", "s3:*", bucket + "*");
    IdentityVerdict put = new IdentityVerdict(List.of(Target.of("s3:PutBucketPolicy", bucket)), List.of(IdentityDecision.ROOT_ALLOW));
    IdentityVerdict get = new IdentityVerdict(List.of(Target.of("s3:GetObject", bucket + "/a")), List.of(IdentityDecision.ROOT_ALLOW));
    assertThat(ResourceAuthorizer.judge(ROOT, put, 0, lockedOut, KEYS)).isNull();
    assertThat(ResourceAuthorizer.judge(ROOT, get, 0, lockedOut, KEYS)).isNotNull();
    assertThat(judge(ALICE, Outcome.ALLOW, lockedOut, Target.of("s3:PutBucketPolicy", bucket))).isNotNull();
    // Another account's root has no such way into this bucket.
    assertThat(ResourceAuthorizer.judge(Caller.root(B, "K"), put, 0, lockedOut, KEYS)).isNotNull();
  }

  @Test
  void fromAnotherAccountBothSidesMustAllow() {
    Target send = Target.of("sqs:SendMessage", QUEUE);
    // No resource policy: another account's allow is not enough.
    assertThat(judge(BOB_OF_B, Outcome.ALLOW, ResourcePolicy.none(A), send))
        .isEqualTo(new ResourceAuthorizer.Denied(0, false, AccessDenied.PolicyType.RESOURCE));
    // The queue's policy trusts account B: B's identity policies decide.
    ResourcePolicy trustsB = policy(A, "{\"AWS\":\"arn:aws:iam::" + B + ":root\"}", "Allow", "sqs:SendMessage", QUEUE);
    assertThat(judge(BOB_OF_B, Outcome.ALLOW, trustsB, send)).isNull();
    assertThat(judge(BOB_OF_B, Outcome.IMPLICIT_DENY, trustsB, send))
        .isEqualTo(new ResourceAuthorizer.Denied(0, false, AccessDenied.PolicyType.RESOURCE));
    // Naming bob himself is not enough either without his own account's allow.
    ResourcePolicy namesBob = policy(A, "{\"AWS\":\"" + BOB_OF_B.arn() + "\"}", "Allow", "sqs:SendMessage", QUEUE);
    assertThat(judge(BOB_OF_B, Outcome.IMPLICIT_DENY, namesBob, send)).isNotNull();
    // The root of B is no different: its own account's allow, and the queue's.
    IdentityVerdict rootOfB = new IdentityVerdict(List.of(send), List.of(IdentityDecision.ROOT_ALLOW));
    assertThat(ResourceAuthorizer.judge(Caller.root(B, "K"), rootOfB, 0, trustsB, KEYS)).isNull();
    assertThat(ResourceAuthorizer.judge(Caller.root(B, "K"), rootOfB, 0, ResourcePolicy.none(A), KEYS)).isNotNull();
  }

  @Test
  void aPolicyThatDoesNotParseFailsClosedButForTheRoot() {
    ResourcePolicy broken = ResourcePolicySource.compile(A, "{\"Statement\":[{\"Effect\":\"Maybe\"}]}", QUEUE);
    assertThat(broken.unreadable()).isTrue();
    Target send = Target.of("sqs:SendMessage", QUEUE);
    assertThat(judge(ALICE, Outcome.ALLOW, broken, send)).isEqualTo(new ResourceAuthorizer.Denied(0, true, AccessDenied.PolicyType.RESOURCE));
    assertThat(ResourceAuthorizer.judge(ROOT, new IdentityVerdict(List.of(send), List.of(IdentityDecision.ROOT_ALLOW)), 0, broken, KEYS))
        .isNull();
    assertThat(ResourcePolicySource.compile(A, "", QUEUE)).isEqualTo(ResourcePolicy.none(A));
    assertThat(ServiceDeliveryAuthorizer.judge(new DeliveryAuthorization.Delivery("sns.amazonaws.com", "sqs:SendMessage", QUEUE,
        "arn:aws:sns:us-east-1:" + A + ":t", A), broken).allowed()).isFalse();
  }

  @Test
  void aBucketThatDoesNotExistLeavesItToTheIdentityPolicies() {
    Target get = Target.of("s3:GetObject", "arn:aws:s3:::nowhere/k");
    assertThat(judge(ALICE, Outcome.ALLOW, ResourcePolicy.none(null), get)).isNull();
    assertThat(judge(ALICE, Outcome.IMPLICIT_DENY, ResourcePolicy.none(null), get)).isNotNull();
  }

  @Test
  void theResourceHoldingThePolicyOfAnArn() {
    assertThat(ResourcePolicySource.holderOf("arn:aws:s3:::photos/2026/a.jpg")).isEqualTo("arn:aws:s3:::photos");
    assertThat(ResourcePolicySource.holderOf("arn:aws:s3:::photos")).isEqualTo("arn:aws:s3:::photos");
    assertThat(ResourcePolicySource.holderOf("arn:aws:s3:::*")).isNull();
    assertThat(ResourcePolicySource.holderOf(QUEUE)).isEqualTo(QUEUE);
    assertThat(ResourcePolicySource.holderOf("arn:aws:sqs:us-east-1:" + A + ":*")).isNull();
    assertThat(ResourcePolicySource.holderOf("arn:aws:sns:us-east-1:" + A + ":alerts")).isEqualTo("arn:aws:sns:us-east-1:" + A + ":alerts");
    assertThat(ResourcePolicySource.holderOf("arn:aws:sns:us-east-1:" + A + ":alerts:6f1c")).isNull();
    assertThat(ResourcePolicySource.holderOf("arn:aws:lambda:us-east-1:" + A + ":function:thumb:live"))
        .isEqualTo("arn:aws:lambda:us-east-1:" + A + ":function:thumb:live");
    assertThat(ResourcePolicySource.holderOf("arn:aws:events:us-east-1:" + A + ":event-bus/orders"))
        .isEqualTo("arn:aws:events:us-east-1:" + A + ":event-bus/orders");
    assertThat(ResourcePolicySource.holderOf("arn:aws:events:us-east-1:" + A + ":rule/orders/r1")).isNull();
    assertThat(ResourcePolicySource.holderOf("arn:aws:kinesis:us-east-1:" + A + ":stream/s")).isNull();
    assertThat(ResourcePolicySource.holderOf("*")).isNull();
  }

  @Test
  void theCacheReadsOncePerResourceUntilAChangeOrItsTimeIsUp() {
    AtomicInteger reads = new AtomicInteger();
    AtomicLong now = new AtomicLong();
    ResourcePolicies cache = new ResourcePolicies(holder -> {
      reads.incrementAndGet();
      return Future.succeededFuture(ResourcePolicy.none(A));
    }, 100, now::get);
    cache.of(QUEUE);
    cache.of(QUEUE);
    cache.of("arn:aws:s3:::photos/a");
    cache.of("arn:aws:s3:::photos/b");
    assertThat(reads).hasValue(2);
    // Services without resource policies need no read: the ARN's account.
    assertThat(cache.of("arn:aws:kinesis:us-east-1:" + A + ":stream/s").result()).isEqualTo(ResourcePolicy.none(A));
    assertThat(reads).hasValue(2);
    cache.invalidate(QUEUE);
    cache.of(QUEUE);
    assertThat(reads).hasValue(3);
    now.addAndGet(ResourcePolicies.TTL_NANOS);
    cache.of(QUEUE);
    assertThat(reads).hasValue(4);
    String fn = "arn:aws:lambda:us-east-1:" + A + ":function:thumb";
    cache.of(fn);
    cache.of(fn + ":live");
    cache.invalidate(fn);
    cache.of(fn + ":live");
    assertThat(reads).hasValue(7);
  }

  @Test
  void aFailedReadIsNotKept() {
    AtomicInteger reads = new AtomicInteger();
    Map<Integer, Promise<ResourcePolicy>> pending = new HashMap<>();
    ResourcePolicies cache = new ResourcePolicies(holder -> {
      Promise<ResourcePolicy> p = Promise.promise();
      pending.put(reads.incrementAndGet(), p);
      return p.future();
    }, 100, System::nanoTime);
    Future<ResourcePolicy> first = cache.of(QUEUE);
    Future<ResourcePolicy> second = cache.of(QUEUE);
    assertThat(reads).as("one read for both").hasValue(1);
    pending.get(1).fail("no owner");
    assertThat(first.failed() && second.failed()).isTrue();
    cache.of(QUEUE);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aServiceDeliversOnlyWhereTheDestinationsPolicyLetsItsPrincipalIn() {
    String topic = "arn:aws:sns:us-east-1:" + A + ":orders";
    DeliveryAuthorization.Delivery fromTopic = new DeliveryAuthorization.Delivery("sns.amazonaws.com", "sqs:SendMessage", QUEUE, topic, A);
    assertThat(ServiceDeliveryAuthorizer.judge(fromTopic, ResourcePolicy.none(A)).allowed()).isFalse();
    ResourcePolicy forTheTopic = new ResourcePolicy(A, PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUE + "\","
        + "\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"" + topic + "\"}}}]}"));
    assertThat(ServiceDeliveryAuthorizer.judge(fromTopic, forTheTopic)).isEqualTo(DeliveryAuthorization.Verdict.ALLOWED);
    DeliveryAuthorization.Delivery otherTopic = new DeliveryAuthorization.Delivery("sns.amazonaws.com", "sqs:SendMessage", QUEUE, topic + "2", A);
    assertThat(ServiceDeliveryAuthorizer.judge(otherTopic, forTheTopic).allowed()).isFalse();
    DeliveryAuthorization.Delivery fromS3 = new DeliveryAuthorization.Delivery("s3.amazonaws.com", "sqs:SendMessage", QUEUE, topic, A);
    assertThat(ServiceDeliveryAuthorizer.judge(fromS3, forTheTopic).reason()).contains("s3.amazonaws.com may not perform sqs:SendMessage");
  }

  @Test
  void policiesAtHandDecideAtOnceAndOthersSayNotYet() {
    Map<Integer, Promise<ResourcePolicy>> pending = new HashMap<>();
    AtomicInteger reads = new AtomicInteger();
    ResourcePolicies cache = new ResourcePolicies(holder -> {
      Promise<ResourcePolicy> p = Promise.promise();
      pending.put(reads.incrementAndGet(), p);
      return p.future();
    }, 100, System::nanoTime);
    ResourceAuthorizer authorizer = new ResourceAuthorizer(cache);
    IdentityVerdict allowed = verdict(Target.of("sqs:SendMessage", QUEUE), Outcome.ALLOW);
    assertThat(cache.now(QUEUE)).isNull();
    assertThat(authorizer.completeNow(ALICE, allowed, () -> KEYS)).isSameAs(ResourceAuthorizer.NOT_YET);
    Future<ResourceAuthorizer.Denied> later = authorizer.complete(ALICE, allowed, () -> KEYS);
    pending.get(1).complete(policy(A, "\"*\"", "Deny", "sqs:SendMessage", QUEUE));
    assertThat(later.result()).isEqualTo(new ResourceAuthorizer.Denied(0, true, AccessDenied.PolicyType.RESOURCE));
    assertThat(cache.now(QUEUE).policy()).isNotNull();
    assertThat(authorizer.completeNow(ALICE, allowed, () -> KEYS)).isEqualTo(new ResourceAuthorizer.Denied(0, true, AccessDenied.PolicyType.RESOURCE));
    assertThat(authorizer.completeNow(ALICE, verdict(Target.of("kinesis:PutRecord", "arn:aws:kinesis:us-east-1:" + A + ":stream/s"),
        Outcome.ALLOW), () -> KEYS)).isNull();
  }

  @Test
  void anIdentityStepWithPoliciesAtHandDecidesAtOnce() {
    IdentityAuthorizer identity = new IdentityAuthorizer(c -> Future.succeededFuture(
        IdentityAuthorizerTest.policies("P", IdentityAuthorizerTest.stmt(null, "Allow", "Action", "\"sqs:*\"", "*", null))), 10);
    List<Target> send = List.of(Target.of("sqs:SendMessage", QUEUE));
    assertThat(identity.decideNow(ALICE, send, () -> KEYS)).isNull();
    identity.authorize(ALICE, send, KEYS);
    assertThat(identity.decideNow(ALICE, send, () -> KEYS).allAllowed()).isTrue();
    assertThat(identity.decideNow(ROOT, send, () -> KEYS).allAllowed()).isTrue();
  }

  @Test
  void aResourcePolicyReadsThePrincipalsTags() {
    ResourcePolicy teamOnly = new ResourcePolicy(A, PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{"
        + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + A + "\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUE + "\"},"
        + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUE + "\","
        + "\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalTag/team\":\"orders\"}}}]}"));
    Target send = Target.of("sqs:SendMessage", QUEUE);
    IdentityDecision allow = new IdentityDecision(Outcome.ALLOW, "P", null);
    IdentityVerdict ordersTeam = new IdentityVerdict(List.of(send), List.of(allow), Map.of("team", "orders"));
    IdentityVerdict otherTeam = new IdentityVerdict(List.of(send), List.of(allow), Map.of("team", "billing"));
    assertThat(ResourceAuthorizer.judge(ALICE, ordersTeam, 0, teamOnly, KEYS)).isNull();
    assertThat(ResourceAuthorizer.judge(ALICE, otherTeam, 0, teamOnly, KEYS))
        .isEqualTo(new ResourceAuthorizer.Denied(0, true, AccessDenied.PolicyType.RESOURCE));
  }
}
