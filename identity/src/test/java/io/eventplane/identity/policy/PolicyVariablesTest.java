package io.eventplane.identity.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Policy variables in Resource and Condition values ("IAM policy elements: Variables and tags"). */
class PolicyVariablesTest {
  private static final Principal ALICE = Principal.aws("arn:aws:iam::111122223333:user/division/alice");
  private static final Principal SESSION = Principal.aws("arn:aws:sts::111122223333:assumed-role/Dev/s1");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/home/${aws:username}/*", ALICE,
            "arn:aws:s3:::bucket/home/alice/notes.txt", true, "the user's own home"),
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/home/${aws:username}/*", ALICE,
            "arn:aws:s3:::bucket/home/bob/notes.txt", false, "someone else's home"),
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/home/${aws:username}/*", SESSION,
            "arn:aws:s3:::bucket/home/${aws:username}/x", false, "no value: the statement matches nothing"),
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/home/${aws:username, 'shared'}/*", SESSION,
            "arn:aws:s3:::bucket/home/shared/x", true, "default used when the key is absent"),
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/home/${AWS:USERNAME, 'shared'}/*", ALICE,
            "arn:aws:s3:::bucket/home/alice/x", true, "key names ignore case; value wins over default"),
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*", ALICE,
            "arn:aws:s3:::bucket/blue/x", true, "principal tag"),
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*", ALICE,
            "arn:aws:s3:::bucket/red/x", false, "principal tag, other prefix"),
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/literal${*}", ALICE, "arn:aws:s3:::bucket/literal*", true,
            "${*} is a literal star"),
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/literal${*}", ALICE, "arn:aws:s3:::bucket/literalX", false,
            "${*} is no wildcard"),
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/q${?}d${$}", ALICE, "arn:aws:s3:::bucket/q?d$", true,
            "${?} and ${$} are literal"),
        Arguments.of("2012-10-17", "arn:aws:s3:::bucket/${aws:x, 'it''s'}", ALICE, "arn:aws:s3:::bucket/it's", true,
            "doubled quote in a default"),
        Arguments.of("2008-10-17", "arn:aws:s3:::bucket/home/${aws:username}/*", ALICE,
            "arn:aws:s3:::bucket/home/${aws:username}/x", true, "2008-10-17 takes ${...} literally"),
        Arguments.of("2008-10-17", "arn:aws:s3:::bucket/home/${aws:username}/*", ALICE,
            "arn:aws:s3:::bucket/home/alice/x", false, "2008-10-17 substitutes nothing"));
  }

  @ParameterizedTest(name = "{5}")
  @MethodSource("cases")
  void resolves(String version, String resourcePattern, Principal who, String resource, boolean allowed, String about) {
    PolicyDocument policy = PolicyDocument.parse("{\"Version\":\"" + version + "\",\"Statement\":{\"Effect\":\"Allow\","
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"" + resourcePattern + "\"}}");
    AccessRequest request = AccessRequest.of(who, Map.of("team", "blue"), "s3:GetObject", resource, Map.of());
    assertThat(PolicyEvaluation.identity(request, List.of(policy)).allowed()).isEqualTo(allowed);
  }

  static Stream<Arguments> conditionCases() {
    return Stream.of(
        Arguments.of("{\"StringEquals\":{\"aws:ResourceTag/owner\":\"${aws:username}\"}}", "alice", true),
        Arguments.of("{\"StringEquals\":{\"aws:ResourceTag/owner\":\"${aws:username}\"}}", "bob", false),
        Arguments.of("{\"StringEquals\":{\"aws:ResourceTag/team\":\"${aws:PrincipalTag/team}\"}}", "blue", true),
        Arguments.of("{\"ArnLike\":{\"aws:ResourceTag/owner\":\"arn:aws:iam::*:user/*/${aws:username}\"}}",
            "arn:aws:iam::111122223333:user/division/alice", true));
  }

  @ParameterizedTest
  @MethodSource("conditionCases")
  void resolvesInConditionValues(String condition, String tagValue, boolean allowed) {
    PolicyDocument policy = PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
        + "\"Action\":\"ec2:StartInstances\",\"Resource\":\"*\",\"Condition\":" + condition + "}}");
    AccessRequest request = AccessRequest.of(ALICE, Map.of("team", "blue"), "ec2:StartInstances", "*",
        Map.of("aws:ResourceTag/owner", List.of(tagValue), "aws:ResourceTag/team", List.of(tagValue)));
    assertThat(PolicyEvaluation.identity(request, List.of(policy)).allowed()).isEqualTo(allowed);
  }
}
