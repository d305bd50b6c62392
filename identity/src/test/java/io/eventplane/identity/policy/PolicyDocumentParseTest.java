package io.eventplane.identity.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.identity.policy.PolicyDocument.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed documents fail with IAM's MalformedPolicyDocument messages; well-formed shapes parse. */
class PolicyDocumentParseTest {
  private static final String OK_STATEMENT = "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}";

  static Stream<Arguments> malformed() {
    return Stream.of(
        row(Kind.IDENTITY, "{", "This policy contains invalid Json"),
        row(Kind.IDENTITY, "[]", "This policy contains invalid Json"),
        row(Kind.IDENTITY, doc("\"Version\":\"2012-10-17\",\"Statement\":" + OK_STATEMENT + ",\"Extra\":1"),
            "Syntax errors in policy."),
        row(Kind.IDENTITY, doc("\"Version\":\"2012-10-18\",\"Statement\":" + OK_STATEMENT), "Syntax errors in policy."),
        row(Kind.IDENTITY, doc("\"Version\":\"2012-10-17\""), "Syntax errors in policy."),
        row(Kind.IDENTITY, doc("\"Version\":\"2012-10-17\",\"Statement\":[]"), "Syntax errors in policy."),
        row(Kind.IDENTITY, doc("\"Version\":\"2012-10-17\",\"Statement\":\"x\""), "Syntax errors in policy."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Permit\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"), "Syntax errors in policy."),
        row(Kind.IDENTITY, v12("{\"Action\":\"s3:*\",\"Resource\":\"*\"}"), "Syntax errors in policy."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotAction\":\"s3:x\",\"Resource\":\"*\"}"),
            "Syntax errors in policy."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":[1],\"Resource\":\"*\"}"), "Syntax errors in policy."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Foo\":\"x\"}"),
            "Syntax errors in policy."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEqualz\":{\"a:b\":\"c\"}}}"), "Syntax errors in policy."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":\"x\"}}"), "Syntax errors in policy."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
            + "\"Condition\":{\"NullIfExists\":{\"a:b\":\"true\"}}}"), "Syntax errors in policy."),
        row(Kind.IDENTITY, doc("\"Statement\":" + OK_STATEMENT), "Policy document must be version 2012-10-17 or greater."),
        row(Kind.IDENTITY, doc("\"Version\":\"2008-10-17\",\"Statement\":" + OK_STATEMENT),
            "Policy document must be version 2012-10-17 or greater."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"),
            "The policy failed legacy parsing"),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
            + "\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"yesterday\"}}}"), "The policy failed legacy parsing"),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws::bucket\"}"),
            "The policy failed legacy parsing"),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:invalid:s3:::b\"}"),
            "Partition \"invalid\" is not valid for resource \"arn:invalid:s3:::b\"."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws\"}"),
            "Resource vendor must be fully qualified and cannot contain regexes."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:us-east-1::b\"}"),
            "Resource arn:aws:s3:us-east-1::b can not contain region information."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"arn:aws:iam:us-east-1:1:role/x\"}"),
            "IAM resource arn:aws:iam:us-east-1:1:role/x cannot contain region information."),
        row(Kind.IDENTITY, v12("[{\"Sid\":\"A\"," + OK_STATEMENT.substring(1) + ",{\"Sid\":\"A\"," + OK_STATEMENT.substring(1) + "]"),
            "Statement IDs (SID) in a single policy must be unique."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Resource\":\"*\"}"), "Policy statement must contain actions."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}"), "Policy statement must contain actions."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}"), "Policy statement must contain resources."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"bucket\"}"),
            "Resource bucket must be in ARN format or \"*\"."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"GetObject\",\"Resource\":\"*\"}"),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s3:Get:Object\",\"Resource\":\"*\"}"),
            "Actions/Condition can contain only one colon."),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Action\":\"s 3:GetObject\",\"Resource\":\"*\"}"), "Vendor s 3 is not valid"),
        row(Kind.IDENTITY, v12("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"),
            "Policy document should not specify a principal."),
        row(Kind.RESOURCE, v12(OK_STATEMENT), "Missing required field Principal"),
        row(Kind.TRUST, v12("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
            + "\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}"), "Has prohibited field Resource"),
        row(Kind.RESOURCE, v12("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"alice\"},\"Action\":\"sqs:*\",\"Resource\":\"*\"}"),
            "Invalid principal in policy: \"AWS\":\"alice\""),
        row(Kind.RESOURCE, v12("{\"Effect\":\"Allow\",\"Principal\":{\"Group\":\"x\"},\"Action\":\"sqs:*\",\"Resource\":\"*\"}"),
            "Invalid principal in policy: \"Group\":\"x\""),
        row(Kind.RESOURCE, v12("{\"Effect\":\"Allow\",\"Principal\":\"everyone\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}"),
            "Syntax errors in policy."));
  }

  @ParameterizedTest(name = "{2}: {1}")
  @MethodSource("malformed")
  void rejects(Kind kind, String json, String message) {
    assertThatThrownBy(() -> PolicyDocument.parse(json, kind))
        .isInstanceOfSatisfying(MalformedPolicyDocumentException.class, e -> {
          assertThat(e.error().code()).isEqualTo("MalformedPolicyDocument");
          assertThat(e.error().message()).isEqualTo(message);
        });
  }

  @Test
  void parsesEveryShapeIamTakes() {
    PolicyDocument doc = PolicyDocument.parse("""
        {"Version":"2008-10-17","Id":"queue-policy","Statement":[
          {"Sid":"1","Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::222233334444:root",
            "arn:aws:iam::222233334444:role/r"],"Service":["sns.amazonaws.com"],"Federated":"cognito-identity.amazonaws.com"},
           "Action":["sqs:SendMessage","sqs:Get*"],"NotResource":["arn:aws:sqs:*:*:secret"],
           "Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*",1,true]},"Null":{"aws:x":"false"}}},
          {"Effect":"Deny","NotPrincipal":{"AWS":"*"},"NotAction":"sqs:*","Resource":"*"}]}""", Kind.RESOURCE);
    assertThat(doc.version()).isEqualTo("2008-10-17");
    assertThat(doc.id()).isEqualTo("queue-policy");
    assertThat(doc.statements()).hasSize(2);
    assertThat(doc.statements().get(0).sid()).isEqualTo("1");
    assertThat(doc.statements().get(1).effect()).isEqualTo(Statement.Effect.DENY);
    assertThat(doc.statements().get(1).sid()).isNull();
  }

  @Test
  void trustPoliciesTakePrincipalsWithoutResources() {
    PolicyDocument trust = PolicyDocument.parse("""
        {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},
          "Action":"sts:AssumeRole"}}""", Kind.TRUST);
    AccessRequest assume = AccessRequest.of(Principal.service("lambda.amazonaws.com"), "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/fn", java.util.Map.of());
    assertThat(PolicyEvaluation.complete(assume, PolicyEvaluation.identity(assume, java.util.List.of()), trust,
        "111122223333").allowed()).isTrue();
  }

  private static Arguments row(Kind kind, String json, String message) {
    return Arguments.of(kind, json, message);
  }

  private static String doc(String body) {
    return "{" + body + "}";
  }

  private static String v12(String statement) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":" + statement + "}";
  }
}
