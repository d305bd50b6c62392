package io.eventplane.identity.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.identity.policy.Decision.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A role's trust policy as IAM judges AssumeRole: the User Guide's trust policy examples, as a table. */
class TrustEvaluationTest {
  private static final String A = "111111111111";
  private static final String B = "222222222222";
  private static final String ROLE = "arn:aws:iam::" + A + ":role/deployer";
  private static final String ALICE = "arn:aws:iam::" + A + ":user/alice";
  private static final String ROOT = "arn:aws:iam::" + A + ":root";
  private static final String BOB = "arn:aws:iam::" + B + ":user/bob";
  private static final String SESSION = "arn:aws:sts::" + A + ":assumed-role/builder/run-1";
  private static final Decision IDENTITY_ALLOWS = new Decision(Outcome.ALLOW, null, null);

  private static String trust(String principal, String action, String condition) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + principal
        + "\"},\"Action\":\"" + action + "\"" + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
  }

  record Case(String why, String trust, String caller, String action, Map<String, List<String>> context, Decision identity,
      Outcome expected) {}

  @Test
  void trustPoliciesDecideWhoMayAssumeTheRole() {
    String accountTrust = trust(A, "sts:AssumeRole", null);
    String aliceTrust = trust(ALICE, "sts:AssumeRole", null);
    String externalId = trust(B, "sts:AssumeRole", "{\"StringEquals\":{\"sts:ExternalId\":\"Unique-1\"}}");
    List<Case> table = List.of(
        new Case("the trust policy names the user", aliceTrust, ALICE, "sts:AssumeRole", Map.of(), Decision.IMPLICIT_DENY,
            Outcome.ALLOW),
        new Case("it names another user", aliceTrust, "arn:aws:iam::" + A + ":user/carol", "sts:AssumeRole", Map.of(),
            IDENTITY_ALLOWS, Outcome.IMPLICIT_DENY),
        new Case("it names the account: the identity policy must allow", accountTrust, ALICE, "sts:AssumeRole", Map.of(),
            Decision.IMPLICIT_DENY, Outcome.IMPLICIT_DENY),
        new Case("it names the account, the identity policy allows", accountTrust, ALICE, "sts:AssumeRole", Map.of(),
            IDENTITY_ALLOWS, Outcome.ALLOW),
        new Case("the root of the account", trust(ROOT, "sts:AssumeRole", null), ROOT, "sts:AssumeRole", Map.of(),
            IDENTITY_ALLOWS, Outcome.ALLOW),
        new Case("a role's session when the trust names its role", trust("arn:aws:iam::" + A + ":role/builder", "sts:AssumeRole",
            null), SESSION, "sts:AssumeRole", Map.of(), Decision.IMPLICIT_DENY, Outcome.ALLOW),
        new Case("another account is not trusted", accountTrust, BOB, "sts:AssumeRole", Map.of(), IDENTITY_ALLOWS,
            Outcome.IMPLICIT_DENY),
        new Case("a trusted account's user still needs its identity policy", trust(BOB, "sts:AssumeRole", null), BOB,
            "sts:AssumeRole", Map.of(), Decision.IMPLICIT_DENY, Outcome.IMPLICIT_DENY),
        new Case("the external id given", externalId, BOB, "sts:AssumeRole", Map.of("sts:ExternalId", List.of("Unique-1")),
            IDENTITY_ALLOWS, Outcome.ALLOW),
        new Case("the external id wrong", externalId, BOB, "sts:AssumeRole", Map.of("sts:ExternalId", List.of("Unique-2")),
            IDENTITY_ALLOWS, Outcome.IMPLICIT_DENY),
        new Case("the external id missing", externalId, BOB, "sts:AssumeRole", Map.of(), IDENTITY_ALLOWS,
            Outcome.IMPLICIT_DENY),
        new Case("tagging the session needs sts:TagSession", aliceTrust, ALICE, "sts:TagSession", Map.of(),
            IDENTITY_ALLOWS, Outcome.IMPLICIT_DENY),
        new Case("allowed when the trust says so", trust(ALICE, "sts:TagSession", null), ALICE, "sts:TagSession", Map.of(),
            IDENTITY_ALLOWS, Outcome.ALLOW),
        new Case("an explicit deny in the identity policy wins", aliceTrust, ALICE, "sts:AssumeRole", Map.of(),
            new Decision(Outcome.EXPLICIT_DENY, null, null), Outcome.EXPLICIT_DENY),
        new Case("a deny in the trust policy wins", "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + A + "\"},\"Action\":\"sts:AssumeRole\"},"
            + "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"" + ALICE + "\"},\"Action\":\"sts:*\"}]}", ALICE,
            "sts:AssumeRole", Map.of(), IDENTITY_ALLOWS, Outcome.EXPLICIT_DENY),
        new Case("a service's trust does not let users in", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}", ALICE, "sts:AssumeRole",
            Map.of(), IDENTITY_ALLOWS, Outcome.IMPLICIT_DENY),
        new Case("session tags as aws:RequestTag", trust(ALICE, "sts:TagSession",
            "{\"StringEquals\":{\"aws:RequestTag/team\":\"blue\"}}"), ALICE, "sts:TagSession",
            Map.of("aws:RequestTag/team", List.of("blue")), IDENTITY_ALLOWS, Outcome.ALLOW));
    for (Case c : table) {
      AccessRequest request = AccessRequest.of(Principal.aws(c.caller()), c.action(), ROLE, c.context());
      Decision d = TrustEvaluation.evaluate(request, c.identity(), PolicyDocument.parse(c.trust(), PolicyDocument.Kind.TRUST), A);
      assertThat(d.outcome()).as(c.why()).isEqualTo(c.expected());
    }
  }
}
