package io.eventplane.gateway.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.gateway.auth.AuthErrors.AuthError;
import io.eventplane.gateway.auth.AuthErrors.Family;
import io.eventplane.gateway.authz.AccessDenied.PolicyType;
import io.eventplane.identity.policy.Decision.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a denied call is answered, per protocol family, in IAM's words. */
class AccessDeniedTest {
  static final String ALICE = "arn:aws:iam::123456789012:user/alice";
  static final Target SEND = Target.of("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:orders");

  @Test
  void implicitAndExplicitDenyWording() {
    assertThat(AccessDenied.message(ALICE, SEND, false, PolicyType.IDENTITY, "sqs")).isEqualTo(
        "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sqs:SendMessage on resource: "
            + "arn:aws:sqs:us-east-1:123456789012:orders because no identity-based policy allows the sqs:SendMessage action");
    assertThat(AccessDenied.message(ALICE, SEND, true, PolicyType.IDENTITY, "sqs")).isEqualTo(
        "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sqs:SendMessage on resource: "
            + "arn:aws:sqs:us-east-1:123456789012:orders with an explicit deny in an identity-based policy");
    assertThat(AccessDenied.message(ALICE, SEND, true, PolicyType.RESOURCE, "sqs"))
        .endsWith(" with an explicit deny in a resource-based policy");
    assertThat(AccessDenied.message(ALICE, SEND, false, PolicyType.RESOURCE, "sqs"))
        .endsWith(" because no resource-based policy allows the sqs:SendMessage action");
    // An action with no resource type names none.
    assertThat(AccessDenied.message(ALICE, Target.of("sqs:ListQueues", "*"), false, PolicyType.IDENTITY, "sqs")).isEqualTo(
        "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sqs:ListQueues "
            + "because no identity-based policy allows the sqs:ListQueues action");
  }

  @Test
  void eachFamilysCodeAndStatus() {
    Target invoke = Target.of("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f");
    assertThat(AccessDenied.error(Family.QUERY, "sqs", ALICE, SEND, false, PolicyType.IDENTITY))
        .extracting(AuthError::code, AuthError::status).containsExactly("AccessDenied", 403);
    assertThat(AccessDenied.error(Family.SQS_JSON, "sqs", ALICE, SEND, false, PolicyType.IDENTITY))
        .extracting(AuthError::code, AuthError::status).containsExactly("AccessDenied", 403);
    AuthError sns = AccessDenied.error(Family.QUERY, "sns", ALICE,
        Target.of("sns:Publish", "arn:aws:sns:us-east-1:123456789012:t"), false, PolicyType.IDENTITY);
    assertThat(sns.code()).isEqualTo("AuthorizationError");
    assertThat(sns.status()).isEqualTo(403);
    assertThat(sns.message()).isEqualTo("User: arn:aws:iam::123456789012:user/alice is not authorized to perform: SNS:Publish "
        + "on resource: arn:aws:sns:us-east-1:123456789012:t because no identity-based policy allows the SNS:Publish action");
    assertThat(AccessDenied.error(Family.QUERY, "iam", ALICE, Target.of("iam:CreateRole", "arn:aws:iam::123456789012:role/r"),
        true, PolicyType.IDENTITY)).extracting(AuthError::code, AuthError::status).containsExactly("AccessDenied", 403);
    assertThat(AccessDenied.error(Family.AWS_JSON, "kinesis", ALICE, Target.of("kinesis:PutRecord", "*"), false, PolicyType.IDENTITY))
        .extracting(AuthError::code, AuthError::status).containsExactly("AccessDeniedException", 400);
    AuthError lambda = AccessDenied.error(Family.REST_JSON, "lambda", ALICE, invoke, false, PolicyType.IDENTITY);
    assertThat(lambda).extracting(AuthError::code, AuthError::status).containsExactly("AccessDeniedException", 403);
    assertThat(lambda.message()).contains("lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:f");
    assertThat(AccessDenied.error(Family.S3, "s3", ALICE, Target.of("s3:GetObject", "arn:aws:s3:::b/k"), true, PolicyType.IDENTITY))
        .isEqualTo(new AuthError("AccessDenied", "Access Denied", 403, Map.of()));
  }

  @Test
  void aVerdictsFinalDenialBecomesTheError() {
    IdentityVerdict v = new IdentityVerdict(List.of(Target.of("sqs:ReceiveMessage", "*"), SEND),
        List.of(IdentityDecision.ROOT_ALLOW, new IdentityDecision(Outcome.EXPLICIT_DENY, "Guard", "NoSend")));
    AuthError e = AccessDenied.of(Family.QUERY, "sqs", ALICE, v, v.denied());
    assertThat(e.message()).contains("sqs:SendMessage").endsWith("with an explicit deny in an identity-based policy");
  }
}
