package io.eventplane.identity.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.identity.policy.Decision.Outcome;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The IAM User Guide's "Policy evaluation logic", "Cross-account policy evaluation logic", "The
 * difference between explicit and implicit denies" and "NotAction" examples, as cases.
 */
class PolicyEvaluationTest {
  private static final String A = "111111111111";
  private static final String B = "222222222222";
  private static final Principal ALICE = Principal.aws("arn:aws:iam::" + A + ":user/alice");
  private static final Principal ROLE_SESSION = Principal.aws("arn:aws:sts::" + A + ":assumed-role/Worker/i-0abc");
  private static final Principal BOB = Principal.aws("arn:aws:iam::" + B + ":user/bob");
  private static final String QUEUE = "arn:aws:sqs:us-east-1:" + A + ":orders";

  private static final String GET_LIST_DENY_REPORTS = """
      {"Version":"2012-10-17","Statement":[
        {"Sid":"AllowGetList","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},
        {"Sid":"DenyReports","Effect":"Deny","Action":"iam:*Report","Resource":"*"}]}""";
  private static final String S3_BUT_DELETE_BUCKET = """
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3:DeleteBucket","Resource":"arn:aws:s3:::*"}}""";
  private static final String DENY_ALL_BUT_IAM_WITHOUT_MFA = """
      {"Version":"2012-10-17","Statement":[{"Sid":"DenyAllUsersNotUsingMFA","Effect":"Deny","NotAction":"iam:*",
        "Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}""";
  private static final String ALLOW_ALL = """
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}""";
  private static final String SQS_SEND = """
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"%s"}}""".formatted(QUEUE);
  private static final String DENY_OUTSIDE_REGIONS = """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
        {"Effect":"Deny","NotResource":"arn:aws:sqs:us-east-1:*:*","Action":"sqs:*"}]}""";

  static Stream<Arguments> identityOnly() {
    return Stream.of(
        // The explicit/implicit deny page's AllowGetList / DenyReports policy.
        Arguments.of(GET_LIST_DENY_REPORTS, "iam:GetUser", "*", Outcome.ALLOW, "AllowGetList"),
        Arguments.of(GET_LIST_DENY_REPORTS, "IAM:listroles", "*", Outcome.ALLOW, "AllowGetList"),
        Arguments.of(GET_LIST_DENY_REPORTS, "iam:CreatePolicy", "*", Outcome.IMPLICIT_DENY, null),
        Arguments.of(GET_LIST_DENY_REPORTS, "iam:GetOrganizationsAccessReport", "*", Outcome.EXPLICIT_DENY, "DenyReports"),
        Arguments.of(GET_LIST_DENY_REPORTS, "iam:GenerateCredentialReport", "*", Outcome.EXPLICIT_DENY, "DenyReports"),
        // NotAction with Allow: every S3 action but DeleteBucket, on S3 resources only.
        Arguments.of(S3_BUT_DELETE_BUCKET, "s3:GetObject", "arn:aws:s3:::bucket/key", Outcome.ALLOW, null),
        Arguments.of(S3_BUT_DELETE_BUCKET, "s3:DeleteBucket", "arn:aws:s3:::bucket", Outcome.IMPLICIT_DENY, null),
        Arguments.of(S3_BUT_DELETE_BUCKET, "s3:ListAllMyBuckets", "*", Outcome.IMPLICIT_DENY, null),
        Arguments.of(S3_BUT_DELETE_BUCKET, "sqs:SendMessage", QUEUE, Outcome.IMPLICIT_DENY, null),
        // Resources are case-sensitive, actions are not.
        Arguments.of(SQS_SEND, "SQS:SENDMESSAGE", QUEUE, Outcome.ALLOW, null),
        Arguments.of(SQS_SEND, "sqs:SendMessage", QUEUE.toUpperCase(), Outcome.IMPLICIT_DENY, null),
        Arguments.of(SQS_SEND, "sqs:SendMessageBatch", QUEUE, Outcome.IMPLICIT_DENY, null),
        // NotResource with Deny.
        Arguments.of(DENY_OUTSIDE_REGIONS, "sqs:SendMessage", QUEUE, Outcome.ALLOW, null),
        Arguments.of(DENY_OUTSIDE_REGIONS, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:" + A + ":q", Outcome.EXPLICIT_DENY, null));
  }

  @ParameterizedTest(name = "{1} on {2}: {3}")
  @MethodSource("identityOnly")
  void identityPolicies(String policy, String action, String resource, Outcome outcome, String sid) {
    Decision d = PolicyEvaluation.identity(AccessRequest.of(ALICE, action, resource, Map.of()),
        List.of(PolicyDocument.parse(policy, PolicyDocument.Kind.IDENTITY)));
    assertThat(d.outcome()).isEqualTo(outcome);
    if (sid != null) assertThat(d.statement().sid()).isEqualTo(sid);
  }

  @Test
  void notActionDenyWithoutMfaLeavesIamAlone() {
    List<PolicyDocument> policies = List.of(PolicyDocument.parse(ALLOW_ALL), PolicyDocument.parse(DENY_ALL_BUT_IAM_WITHOUT_MFA));
    assertThat(PolicyEvaluation.identity(AccessRequest.of(ALICE, "iam:ListUsers", "*", Map.of()), policies).outcome())
        .isEqualTo(Outcome.ALLOW);
    assertThat(PolicyEvaluation.identity(AccessRequest.of(ALICE, "s3:ListAllMyBuckets", "*", Map.of()), policies).outcome())
        .isEqualTo(Outcome.EXPLICIT_DENY);
    assertThat(PolicyEvaluation.identity(AccessRequest.of(ALICE, "s3:ListAllMyBuckets", "*",
        Map.of("aws:MultiFactorAuthPresent", List.of("true"))), policies).outcome()).isEqualTo(Outcome.ALLOW);
  }

  @Test
  void denyInALaterPolicyWinsOverAnEarlierAllow() {
    Decision d = PolicyEvaluation.identity(AccessRequest.of(ALICE, "iam:GetAccountSummaryReport", "*", Map.of()),
        List.of(PolicyDocument.parse(ALLOW_ALL), PolicyDocument.parse(GET_LIST_DENY_REPORTS)));
    assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
    assertThat(d.statement().index()).isEqualTo(1);
  }

  private static final String QUEUE_POLICY_NAMING_ALICE = """
      {"Version":"2012-10-17","Statement":{"Sid":"AliceSends","Effect":"Allow",
        "Principal":{"AWS":"arn:aws:iam::%s:user/alice"},"Action":"sqs:SendMessage","Resource":"%s"}}""".formatted(A, QUEUE);
  private static final String QUEUE_POLICY_NAMING_ACCOUNT_A = """
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"%s"},"Action":"sqs:*","Resource":"%s"}}"""
      .formatted(A, QUEUE);
  private static final String QUEUE_POLICY_NAMING_ROOT_B = """
      {"Version":"2012-10-17","Statement":{"Sid":"AccountB","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},
        "Action":"sqs:SendMessage","Resource":"%s"}}""".formatted(B, QUEUE);
  private static final String QUEUE_POLICY_NAMING_BOB = """
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::%s:user/bob"]},
        "Action":"sqs:SendMessage","Resource":"%s"}}""".formatted(B, QUEUE);
  private static final String QUEUE_POLICY_DENY_BOB = """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:*","Resource":"%s"},
        {"Sid":"NoBob","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::%s:user/bob"},"Action":"sqs:*","Resource":"%s"}]}"""
      .formatted(QUEUE, B, QUEUE);
  private static final String QUEUE_POLICY_FOR_SNS = """
      {"Version":"2012-10-17","Statement":{"Sid":"TopicToQueue","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},
        "Action":"sqs:SendMessage","Resource":"%s",
        "Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:%s:alerts"}}}}""".formatted(QUEUE, A);
  private static final String ROLE_POLICY_NAMING_ROLE = """
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:role/Worker"},
        "Action":"sqs:ReceiveMessage","Resource":"%s"}}""".formatted(A, QUEUE);

  static Stream<Arguments> withResourcePolicy() {
    String bobSends = SQS_SEND;
    return Stream.of(
        // Same account: either side's allow suffices.
        Arguments.of(ALICE, List.of(SQS_SEND), null, Outcome.ALLOW, "identity allow, no resource policy"),
        Arguments.of(ALICE, List.of(), QUEUE_POLICY_NAMING_ALICE, Outcome.ALLOW, "resource policy names the user"),
        Arguments.of(ALICE, List.of(), null, Outcome.IMPLICIT_DENY, "nothing allows"),
        Arguments.of(ALICE, List.of(), QUEUE_POLICY_NAMING_ACCOUNT_A, Outcome.IMPLICIT_DENY,
            "naming the account defers to identity policies"),
        Arguments.of(ALICE, List.of(SQS_SEND), QUEUE_POLICY_NAMING_ACCOUNT_A, Outcome.ALLOW,
            "naming the account, identity allows"),
        Arguments.of(ROLE_SESSION, List.of(), ROLE_POLICY_NAMING_ROLE.replace("ReceiveMessage", "SendMessage"), Outcome.ALLOW,
            "a role session is named by its role's ARN"),
        // Cross-account: both sides.
        Arguments.of(BOB, List.of(bobSends), null, Outcome.IMPLICIT_DENY, "cross-account, no resource policy"),
        Arguments.of(BOB, List.of(), QUEUE_POLICY_NAMING_BOB, Outcome.IMPLICIT_DENY, "cross-account, no identity allow"),
        Arguments.of(BOB, List.of(bobSends), QUEUE_POLICY_NAMING_BOB, Outcome.ALLOW, "cross-account, both allow"),
        Arguments.of(BOB, List.of(bobSends), QUEUE_POLICY_NAMING_ROOT_B, Outcome.ALLOW, "resource policy trusts account B"),
        Arguments.of(BOB, List.of(bobSends), QUEUE_POLICY_NAMING_ALICE, Outcome.IMPLICIT_DENY, "resource names someone else"),
        Arguments.of(BOB, List.of(ALLOW_ALL), QUEUE_POLICY_DENY_BOB, Outcome.EXPLICIT_DENY, "resource policy deny wins"),
        Arguments.of(ALICE, List.of(), QUEUE_POLICY_DENY_BOB, Outcome.ALLOW, "Principal * lets the same account in"),
        Arguments.of(ALICE, List.of(GET_LIST_DENY_REPORTS.replace("iam:*Report", "sqs:*")), QUEUE_POLICY_NAMING_ALICE,
            Outcome.EXPLICIT_DENY, "identity deny wins over a resource allow"));
  }

  @ParameterizedTest(name = "{4}")
  @MethodSource("withResourcePolicy")
  void resourcePolicies(Principal who, List<String> identity, String resource, Outcome outcome, String about) {
    AccessRequest request = AccessRequest.of(who, "sqs:SendMessage", QUEUE, Map.of());
    List<PolicyDocument> ids = identity.stream().map(PolicyDocument::parse).toList();
    Decision d = PolicyEvaluation.evaluate(request, ids,
        resource == null ? null : PolicyDocument.parse(resource, PolicyDocument.Kind.RESOURCE), A);
    assertThat(d.outcome()).isEqualTo(outcome);
  }

  @Test
  void servicePrincipalsOnlyThroughResourcePoliciesWithTheirSource() {
    PolicyDocument queuePolicy = PolicyDocument.parse(QUEUE_POLICY_FOR_SNS, PolicyDocument.Kind.RESOURCE);
    Principal sns = Principal.service("sns.amazonaws.com");
    AccessRequest fromAlerts = AccessRequest.of(sns, "sqs:SendMessage", QUEUE,
        Map.of("aws:SourceArn", List.of("arn:aws:sns:us-east-1:" + A + ":alerts"), "aws:SourceAccount", List.of(A)));
    AccessRequest fromOther = AccessRequest.of(sns, "sqs:SendMessage", QUEUE,
        Map.of("aws:SourceArn", List.of("arn:aws:sns:us-east-1:" + A + ":other")));
    Decision allowed = PolicyEvaluation.evaluate(fromAlerts, List.of(PolicyDocument.parse(ALLOW_ALL)), queuePolicy, A);
    assertThat(allowed.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(allowed.statement().sid()).isEqualTo("TopicToQueue");
    assertThat(PolicyEvaluation.evaluate(fromOther, List.of(), queuePolicy, A).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
    assertThat(PolicyEvaluation.evaluate(fromAlerts, List.of(PolicyDocument.parse(ALLOW_ALL)), null, A).outcome())
        .as("identity policies never apply to a service principal").isEqualTo(Outcome.IMPLICIT_DENY);
    AccessRequest lambda = AccessRequest.of(Principal.service("lambda.amazonaws.com"), "sqs:SendMessage", QUEUE,
        Map.of("aws:SourceArn", List.of("arn:aws:sns:us-east-1:" + A + ":alerts")));
    assertThat(PolicyEvaluation.evaluate(lambda, List.of(), queuePolicy, A).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
  }

  @Test
  void theIdentityStepCarriesToTheLane() {
    AccessRequest request = AccessRequest.of(BOB, "sqs:SendMessage", QUEUE, Map.of());
    Decision atGateway = PolicyEvaluation.identity(request, List.of(PolicyDocument.parse(SQS_SEND)));
    assertThat(atGateway.outcome()).isEqualTo(Outcome.ALLOW);
    PolicyDocument queuePolicy = PolicyDocument.parse(QUEUE_POLICY_NAMING_ROOT_B);
    Decision inLane = PolicyEvaluation.complete(request, atGateway, queuePolicy, A);
    assertThat(inLane.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(inLane.policy()).isSameAs(queuePolicy);
    assertThat(inLane.statement().sid()).isEqualTo("AccountB");
  }

  @Test
  void anonymousCallersNeedPrincipalStar() {
    AccessRequest anonymous = AccessRequest.of(Principal.anonymous(), "sqs:SendMessage", QUEUE, Map.of());
    assertThat(PolicyEvaluation.evaluate(anonymous, List.of(), PolicyDocument.parse(QUEUE_POLICY_DENY_BOB), A).outcome())
        .isEqualTo(Outcome.ALLOW);
    assertThat(PolicyEvaluation.evaluate(anonymous, List.of(), PolicyDocument.parse(QUEUE_POLICY_NAMING_ACCOUNT_A), A)
        .outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
  }

  @Test
  void notPrincipalDenyExemptsTheNamedPrincipal() {
    PolicyDocument policy = PolicyDocument.parse("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:*","Resource":"*"},
          {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::%s:user/alice"},"Action":"sqs:*","Resource":"*"}]}"""
        .formatted(A));
    assertThat(PolicyEvaluation.evaluate(AccessRequest.of(ALICE, "sqs:SendMessage", QUEUE, Map.of()), List.of(), policy, A)
        .outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(PolicyEvaluation.evaluate(AccessRequest.of(BOB, "sqs:SendMessage", QUEUE, Map.of()),
        List.of(PolicyDocument.parse(ALLOW_ALL)), policy, A).outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
  }
}
