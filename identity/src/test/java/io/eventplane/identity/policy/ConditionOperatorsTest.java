package io.eventplane.identity.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Condition operators, cases taken from the IAM User Guide's "IAM JSON policy elements: Condition
 * operators" and "Condition element" pages: one Allow statement with the condition, and whether a
 * request with the given context keys is allowed.
 */
class ConditionOperatorsTest {
  private static final Principal ALICE = Principal.aws("arn:aws:iam::111122223333:user/alice");

  static Stream<Arguments> cases() {
    return Stream.of(
        // String operators: exact and case-sensitive unless IgnoreCase; values ORed.
        row("{\"StringEquals\":{\"aws:PrincipalTag/job-category\":\"iamuser-admin\"}}", Map.of(), true,
            "tag from principal"),
        row("{\"StringEquals\":{\"s3:prefix\":[\"home/\",\"home/alice\"]}}", ctx("s3:prefix", "home/alice"), true,
            "values ORed"),
        row("{\"StringEquals\":{\"s3:prefix\":\"home/\"}}", ctx("s3:prefix", "HOME/"), false, "case-sensitive"),
        row("{\"StringEquals\":{\"s3:prefix\":\"home/*\"}}", ctx("s3:prefix", "home/x"), false, "no wildcard in Equals"),
        row("{\"StringEquals\":{\"S3:PREFIX\":\"home/\"}}", ctx("s3:prefix", "home/"), true, "key names ignore case"),
        row("{\"StringEqualsIgnoreCase\":{\"aws:PrincipalTag/team\":\"Blue\"}}", ctx("aws:PrincipalTag/team", "bLUE"),
            true, "IgnoreCase"),
        row("{\"StringNotEquals\":{\"aws:PrincipalTag/team\":[\"red\",\"green\"]}}", ctx("aws:PrincipalTag/team", "blue"),
            true, "negated: NOR of values"),
        row("{\"StringNotEquals\":{\"aws:PrincipalTag/team\":[\"red\",\"blue\"]}}", ctx("aws:PrincipalTag/team", "blue"),
            false, "negated: one value matches"),
        row("{\"StringNotEquals\":{\"aws:PrincipalTag/team\":\"red\"}}", Map.of(), true,
            "negated operator with the key absent is true"),
        row("{\"StringEquals\":{\"aws:PrincipalTag/team\":\"red\"}}", Map.of(), false, "key absent is false"),
        row("{\"StringNotEqualsIgnoreCase\":{\"k:v\":\"RED\"}}", ctx("k:v", "red"), false, "NotEqualsIgnoreCase"),
        row("{\"StringLike\":{\"s3:prefix\":[\"\",\"home/\",\"home/${aws:username}/*\"]}}", ctx("s3:prefix", "home/alice/docs"),
            true, "StringLike with a variable"),
        row("{\"StringLike\":{\"s3:prefix\":\"home/${aws:username}/*\"}}", ctx("s3:prefix", "home/bob/docs"), false,
            "StringLike variable resolved to another user"),
        row("{\"StringLike\":{\"k:v\":\"a?c\"}}", ctx("k:v", "abc"), true, "? one character"),
        row("{\"StringLike\":{\"k:v\":\"a?c\"}}", ctx("k:v", "ac"), false, "? not zero characters"),
        row("{\"StringNotLike\":{\"k:v\":\"prod-*\"}}", ctx("k:v", "dev-1"), true, "NotLike"),
        row("{\"StringNotLike\":{\"k:v\":\"prod-*\"}}", ctx("k:v", "prod-1"), false, "NotLike matches"),
        // Numeric
        row("{\"NumericLessThanEquals\":{\"s3:max-keys\":\"10\"}}", ctx("s3:max-keys", "10"), true, "<= equal"),
        row("{\"NumericLessThanEquals\":{\"s3:max-keys\":\"10\"}}", ctx("s3:max-keys", "11"), false, "<= above"),
        row("{\"NumericLessThan\":{\"k:n\":\"10\"}}", ctx("k:n", "9.5"), true, "< decimal"),
        row("{\"NumericGreaterThan\":{\"k:n\":\"10\"}}", ctx("k:n", "10"), false, "> equal"),
        row("{\"NumericGreaterThanEquals\":{\"k:n\":10}}", ctx("k:n", "10"), true, ">= JSON number value"),
        row("{\"NumericEquals\":{\"k:n\":\"3\"}}", ctx("k:n", "3.0"), true, "numeric equality"),
        row("{\"NumericNotEquals\":{\"k:n\":\"3\"}}", ctx("k:n", "4"), true, "numeric not equal"),
        row("{\"NumericEquals\":{\"k:n\":\"3\"}}", ctx("k:n", "three"), false, "not a number"),
        // Date
        row("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-04-01T00:00:01Z\"}}", ctx("aws:CurrentTime", "2020-06-30T00:00:00Z"),
            true, "after"),
        row("{\"DateLessThan\":{\"aws:CurrentTime\":\"2020-06-30T23:59:59Z\"}}", ctx("aws:CurrentTime", "2020-07-01T00:00:00Z"),
            false, "not before"),
        row("{\"DateLessThan\":{\"aws:EpochTime\":\"1585699200\"}}", ctx("aws:EpochTime", "1585699199"), true, "epoch seconds"),
        row("{\"DateEquals\":{\"aws:CurrentTime\":\"2020-04-01\"}}", ctx("aws:CurrentTime", "2020-04-01T00:00:00Z"), true,
            "date only is midnight UTC"),
        row("{\"DateNotEquals\":{\"aws:CurrentTime\":\"2020-04-01T00:00:00Z\"}}", ctx("aws:CurrentTime", "2020-04-01T02:00:00+02:00"),
            false, "same instant with an offset"),
        // Bool, Binary
        row("{\"Bool\":{\"aws:SecureTransport\":\"false\"}}", ctx("aws:SecureTransport", "false"), true, "Bool"),
        row("{\"Bool\":{\"aws:SecureTransport\":false}}", ctx("aws:SecureTransport", "true"), false, "Bool JSON boolean"),
        row("{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}", Map.of(), false, "Bool, key absent"),
        row("{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"true\"}}", Map.of(), true, "BoolIfExists, key absent"),
        row("{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"true\"}}", ctx("aws:MultiFactorAuthPresent", "false"), false,
            "IfExists, key present"),
        row("{\"BinaryEquals\":{\"k:b\":\"QmluYXJ5VmFsdWVJbkJhc2U2NA==\"}}", ctx("k:b", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="), true,
            "BinaryEquals"),
        // IP
        row("{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}", ctx("aws:SourceIp", "203.0.113.77"), true, "in v4 block"),
        row("{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}", ctx("aws:SourceIp", "203.0.114.1"), false, "outside"),
        row("{\"IpAddress\":{\"aws:SourceIp\":[\"203.0.113.0/24\",\"2001:DB8:1234:5678::/64\"]}}",
            ctx("aws:SourceIp", "2001:db8:1234:5678:abcd::1"), true, "in v6 block"),
        row("{\"IpAddress\":{\"aws:SourceIp\":\"2001:DB8:1234:5678::/64\"}}", ctx("aws:SourceIp", "2001:db8:1234:5679::1"),
            false, "outside v6 block"),
        row("{\"NotIpAddress\":{\"aws:SourceIp\":[\"192.0.2.0/24\",\"203.0.113.0/24\"]}}", ctx("aws:SourceIp", "198.51.100.4"),
            true, "NotIpAddress"),
        row("{\"IpAddress\":{\"aws:SourceIp\":\"10.1.2.3\"}}", ctx("aws:SourceIp", "10.1.2.3"), true, "bare address /32"),
        row("{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}", ctx("aws:SourceIp", "localhost"), false, "no name resolution"),
        // ARN: parts matched separately
        row("{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:sns:us-east-1:123456789012:my-topic\"}}",
            ctx("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:my-topic"), true, "ArnEquals"),
        row("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:sns:*:123456789012:*\"}}",
            ctx("aws:SourceArn", "arn:aws:sns:eu-west-1:123456789012:t"), true, "ArnLike"),
        row("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:sns:*:123456789012\"}}",
            ctx("aws:SourceArn", "arn:aws:sns:eu-west-1:123456789012:t"), false, "a wildcard never spans a colon"),
        row("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::bucket/*\"}}",
            ctx("aws:SourceArn", "arn:aws:s3:::bucket/a:b/c"), true, "resource part keeps its colons"),
        row("{\"ArnNotLike\":{\"aws:SourceArn\":\"arn:aws:sqs:*:*:prod-*\"}}",
            ctx("aws:SourceArn", "arn:aws:sqs:us-east-1:1:dev"), true, "ArnNotLike"),
        row("{\"ArnNotEquals\":{\"aws:SourceArn\":\"arn:aws:sqs:us-east-1:1:q\"}}", Map.of(), true, "ArnNotEquals key absent"),
        // Null
        row("{\"Null\":{\"aws:TokenIssueTime\":\"true\"}}", Map.of(), true, "Null true: key absent"),
        row("{\"Null\":{\"aws:TokenIssueTime\":\"true\"}}", ctx("aws:TokenIssueTime", "2020-01-01T00:00:00Z"), false,
            "Null true: key present"),
        row("{\"Null\":{\"aws:TokenIssueTime\":\"false\"}}", ctx("aws:TokenIssueTime", "2020-01-01T00:00:00Z"), true,
            "Null false: key present"),
        // Set operators on multivalued keys (aws:TagKeys)
        row("{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"environment\",\"cost-center\"]}}",
            multi("aws:TagKeys", "environment", "cost-center"), true, "ForAllValues: all in the set"),
        row("{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"environment\",\"cost-center\"]}}",
            multi("aws:TagKeys", "environment", "owner"), false, "ForAllValues: one outside"),
        row("{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"environment\"]}}", Map.of(), true,
            "ForAllValues: no key is true"),
        row("{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"environment\",\"cost-center\"]}}",
            multi("aws:TagKeys", "owner", "environment"), true, "ForAnyValue: one in the set"),
        row("{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"environment\"]}}", Map.of(), false, "ForAnyValue: no key"),
        row("{\"ForAnyValue:StringLike\":{\"aws:TagKeys\":\"key*\"}}", multi("aws:TagKeys", "a", "key1"), true,
            "ForAnyValue:StringLike"),
        row("{\"ForAllValues:StringNotEquals\":{\"aws:TagKeys\":[\"secret\"]}}", multi("aws:TagKeys", "a", "b"), true,
            "ForAllValues:StringNotEquals none forbidden"),
        row("{\"ForAllValues:StringNotEquals\":{\"aws:TagKeys\":[\"secret\"]}}", multi("aws:TagKeys", "a", "secret"), false,
            "ForAllValues:StringNotEquals one forbidden"),
        // Several keys in a block, several blocks: AND.
        row("{\"StringEquals\":{\"k:a\":\"1\",\"k:b\":\"2\"}}", ctx2("k:a", "1", "k:b", "2"), true, "keys ANDed"),
        row("{\"StringEquals\":{\"k:a\":\"1\",\"k:b\":\"2\"}}", ctx2("k:a", "1", "k:b", "3"), false, "keys ANDed, one fails"),
        row("{\"StringEquals\":{\"k:a\":\"1\"},\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}",
            ctx2("k:a", "1", "aws:SourceIp", "192.168.0.1"), false, "blocks ANDed"),
        row("{\"StringEqualsIfExists\":{\"ec2:InstanceType\":[\"t1.*\",\"t2.micro\"]}}", Map.of(), true, "IfExists absent"));
  }

  @ParameterizedTest(name = "{3}")
  @MethodSource("cases")
  void evaluates(String condition, Map<String, List<String>> context, boolean allowed, String about) {
    PolicyDocument policy = PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
        + "\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":" + condition + "}}", PolicyDocument.Kind.IDENTITY);
    AccessRequest request = AccessRequest.of(ALICE, Map.of("job-category", "iamuser-admin"), "s3:ListBucket",
        "arn:aws:s3:::b", context);
    assertThat(PolicyEvaluation.identity(request, List.of(policy)).allowed()).isEqualTo(allowed);
  }

  private static Arguments row(String condition, Map<String, List<String>> context, boolean allowed, String about) {
    return Arguments.of(condition, context, allowed, about);
  }

  static Map<String, List<String>> ctx(String key, String value) {
    return Map.of(key, List.of(value));
  }

  static Map<String, List<String>> ctx2(String k1, String v1, String k2, String v2) {
    Map<String, List<String>> m = new HashMap<>();
    m.put(k1, List.of(v1));
    m.put(k2, List.of(v2));
    return m;
  }

  static Map<String, List<String>> multi(String key, String... values) {
    return Map.of(key, List.of(values));
  }
}
