package io.eventplane.server.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.PolicyScopeType;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * IAM's managed policies and the role shapes, answered as recorded against IAM (LocalStack's
 * test_iam_policies, test_iam_managed_policies and test_iam_roles snapshots, validated on AWS):
 * the Policy shape of each call, AWS-managed policies, and refusals with status, code and message.
 */
class IamPoliciesTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String ACCOUNT = "000000000000";
  private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
  private static final String DOC = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
      + "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::example_bucket\"}}";
  private static final String DOC2 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Statement1\",\"Effect\":\"Allow\","
      + "\"Action\":[\"ec2:DescribeInstances\"],\"Resource\":\"*\"}]}";
  private static final String BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";



  @Test
  void aCustomerPolicyThroughItsLifecycle() {
    String arn = "arn:aws:iam::" + ACCOUNT + ":policy/test/path/orders-access";
    Policy created = server.iam().createPolicy(b -> b.policyName("orders-access").path("/test/path/").policyDocument(DOC)
        .description("testing")).policy();
    assertThat(created.arn()).isEqualTo(arn);
    assertThat(created.path()).isEqualTo("/test/path/");
    assertThat(created.defaultVersionId()).isEqualTo("v1");
    assertThat(created.attachmentCount()).isZero();
    assertThat(created.permissionsBoundaryUsageCount()).isZero();
    assertThat(created.isAttachable()).isTrue();
    assertThat(created.policyId()).startsWith("ANPA").hasSize(21);
    assertThat(created.description()).as("CreatePolicy answers without Description").isNull();
    assertThat(created.hasTags()).as("nor Tags when none were given").isFalse();
    assertThat(created.createDate()).isEqualTo(created.updateDate());

    Policy got = server.iam().getPolicy(b -> b.policyArn(arn)).policy();
    assertThat(got.description()).isEqualTo("testing");
    assertThat(got.hasTags()).as("GetPolicy always carries Tags").isTrue();
    assertThat(got.tags()).isEmpty();
    assertThat(got.policyId()).isEqualTo(created.policyId());
    Policy listed = server.iam().listPolicies(b -> b.scope(PolicyScopeType.LOCAL)).policies().get(0);
    assertThat(listed.arn()).isEqualTo(arn);
    assertThat(listed.description()).isNull();
    assertThat(listed.hasTags()).isFalse();

    PolicyVersion v1 = server.iam().getPolicyVersion(b -> b.policyArn(arn).versionId("v1")).policyVersion();
    assertThat(URLDecoder.decode(v1.document(), StandardCharsets.UTF_8)).isEqualTo(DOC);
    assertThat(v1.isDefaultVersion()).isTrue();
    PolicyVersion v2 = server.iam().createPolicyVersion(b -> b.policyArn(arn).policyDocument(DOC2).setAsDefault(true)).policyVersion();
    assertThat(v2.versionId()).isEqualTo("v2");
    assertThat(v2.isDefaultVersion()).isTrue();
    assertThat(v2.document()).as("CreatePolicyVersion answers without the document").isNull();
    assertThat(server.iam().listPolicyVersions(b -> b.policyArn(arn)).versions()).extracting(v -> v.versionId() + " " + v.isDefaultVersion())
        .containsExactly("v2 true", "v1 false");
    assertThat(server.iam().getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId()).isEqualTo("v2");

    server.iam().createRole(b -> b.roleName("orders-fn").assumeRolePolicyDocument(TRUST));
    server.iam().attachRolePolicy(b -> b.roleName("orders-fn").policyArn(arn));
    server.iam().attachRolePolicy(b -> b.roleName("orders-fn").policyArn(BASIC));
    assertThat(server.iam().getPolicy(b -> b.policyArn(arn)).policy().attachmentCount()).isEqualTo(1);
    assertThat(server.iam().getPolicy(b -> b.policyArn(BASIC)).policy().attachmentCount()).isEqualTo(1);
    assertThat(server.iam().listPolicies(b -> b.onlyAttached(true)).policies()).extracting(Policy::policyName)
        .containsExactlyInAnyOrder("orders-access", "AWSLambdaBasicExecutionRole");
    assertThat(server.iam().listAttachedRolePolicies(b -> b.roleName("orders-fn")).attachedPolicies())
        .extracting(p -> p.policyName() + " " + p.policyArn())
        .containsExactlyInAnyOrder("orders-access " + arn, "AWSLambdaBasicExecutionRole " + BASIC);
    assertIamError(() -> server.iam().deletePolicy(b -> b.policyArn(arn)), 409, "DeleteConflict",
        "Cannot delete a policy attached to entities.");
    server.iam().detachRolePolicy(b -> b.roleName("orders-fn").policyArn(arn));
    assertIamError(() -> server.iam().deletePolicy(b -> b.policyArn(arn)), 409, "DeleteConflict",
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. "
            + "The default version is deleted with the policy.");
    server.iam().deletePolicyVersion(b -> b.policyArn(arn).versionId("v1"));
    server.iam().deletePolicy(b -> b.policyArn(arn));
    assertIamError(() -> server.iam().getPolicy(b -> b.policyArn(arn)), 404, "NoSuchEntity", "Policy " + arn + " was not found.");
  }

  @Test
  void awsManagedPoliciesReadAsAwsHasThem() {
    Policy basic = server.iam().getPolicy(b -> b.policyArn(BASIC)).policy();
    assertThat(basic.policyName()).isEqualTo("AWSLambdaBasicExecutionRole");
    assertThat(basic.path()).isEqualTo("/service-role/");
    assertThat(basic.defaultVersionId()).isEqualTo("v1");
    assertThat(basic.description()).isEqualTo("Provides write permissions to CloudWatch Logs.");
    assertThat(basic.isAttachable()).isTrue();
    assertThat(basic.attachmentCount()).isZero();
    assertThat(basic.hasTags()).isTrue();
    PolicyVersion v1 = server.iam().getPolicyVersion(b -> b.policyArn(BASIC).versionId("v1")).policyVersion();
    assertThat(v1.isDefaultVersion()).isTrue();
    assertThat(new io.vertx.core.json.JsonObject(URLDecoder.decode(v1.document(), StandardCharsets.UTF_8)))
        .isEqualTo(new io.vertx.core.json.JsonObject("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"logs:CreateLogGroup\",\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"*\"}]}"));
    assertThat(server.iam().listPolicies(b -> b.scope(PolicyScopeType.AWS)).policies()).extracting(Policy::arn).contains(BASIC)
        .allMatch(a -> a.startsWith("arn:aws:iam::aws:policy/"));
    server.iam().createPolicy(b -> b.policyName("mine").policyDocument(DOC));
    assertThat(server.iam().listPolicies(b -> b.scope(PolicyScopeType.AWS)).policies()).extracting(Policy::policyName)
        .doesNotContain("mine");
    assertThat(server.iam().listPolicies().policies()).extracting(Policy::policyName).contains("mine", "AWSLambdaBasicExecutionRole");
  }

  /** One AWS-managed policy as IAM answers GetPolicy and GetPolicyVersion (its default version). */
  record Managed(String name, String path, String id, String version, String created, String updated, String description,
      String firstAction) {}

  /**
   * The AWS-managed policies deployments attach, as IAM has them (AWS managed policy reference
   * pages and recorded get-policy, get-policy-version and list-policies outputs): path, id,
   * default version, dates, description, and the default version's document.
   */
  @Test
  void awsManagedPoliciesDeploymentsAttachReadAsIamHasThem() {
    String sr = "/service-role/";
    List<Managed> table = List.of(
        new Managed("AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "v1", "2015-02-06T18:39:46Z", "2015-02-06T18:39:46Z",
            "Provides full access to AWS services and resources.", "*"),
        new Managed("AWSLambdaBasicExecutionRole", sr, "ANPAJNCQGXC42545SKXIK", "v1", "2015-04-09T15:03:43Z",
            "2015-04-09T15:03:43Z", "Provides write permissions to CloudWatch Logs.", "logs:CreateLogGroup"),
        new Managed("AWSLambdaDynamoDBExecutionRole", sr, "ANPAIP7WNAGMIPYNW4WQG", "v1", "2015-04-09T15:09:29Z",
            "2015-04-09T15:09:29Z", "Provides list and read access to DynamoDB streams and write permissions to CloudWatch logs.",
            "dynamodb:DescribeStream"),
        new Managed("AWSLambdaExecute", "/", "ANPAJE5FX7FQZSU5XAKGO", "v1", "2015-02-06T18:40:46Z", "2015-02-06T18:40:46Z",
            "Provides Put, Get access to S3 and full access to CloudWatch Logs.", "logs:*"),
        new Managed("AWSLambdaKinesisExecutionRole", sr, "ANPAJHOLKJPXV4GBRMJUQ", "v2", "2015-04-09T15:14:16Z",
            "2018-11-19T20:09:24Z", "Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.",
            "kinesis:DescribeStream"),
        new Managed("AWSLambdaRole", sr, "ANPAJX4DPCRGTC4NFDUXI", "v1", "2015-02-06T18:41:28Z", "2015-02-06T18:41:28Z",
            "Default policy for AWS Lambda service role.", "lambda:InvokeFunction"),
        new Managed("AWSLambdaVPCAccessExecutionRole", sr, "ANPAJVTME3YLVNL72YR2K", "v3", "2016-02-11T23:15:00Z",
            "2024-01-05T22:38:26Z", "Provides minimum permissions for a Lambda function to execute while accessing a resource "
                + "within a VPC - create, describe, delete network interfaces and write permissions to CloudWatch Logs.",
            "logs:CreateLogGroup"),
        new Managed("AWSLambda_FullAccess", "/", "ANPAZKAPJZG4OXQPYWZ5D", "v5", "2020-11-17T21:14:00Z", "2026-02-11T22:18:56Z",
            "Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.",
            "cloudformation:DescribeStacks"),
        new Managed("AmazonKinesisFullAccess", "/", "ANPAIVF32HAMOXCUYRAYE", "v1", "2015-02-06T18:40:29Z", "2015-02-06T18:40:29Z",
            "Provides full access to all streams via the AWS Management Console.", "kinesis:*"),
        new Managed("AmazonS3FullAccess", "/", "ANPAIFIR6V6BVTRAHWINE", "v2", "2015-02-06T18:40:58Z", "2021-09-27T20:16:37Z",
            "Provides full access to all buckets via the AWS Management Console.", "s3:*"),
        new Managed("AmazonS3ReadOnlyAccess", "/", "ANPAIZTJ4DXE7G6AGAE6M", "v3", "2015-02-06T18:40:59Z", "2023-08-10T21:31:39Z",
            "Provides read only access to all buckets via the AWS Management Console.", "s3:Get*"),
        new Managed("AmazonSNSFullAccess", "/", "ANPAJWEKLCXXUNT2SOLSG", "v1", "2015-02-06T18:41:05Z", "2015-02-06T18:41:05Z",
            "Provides full access to Amazon SNS via the AWS Management Console.", "sns:*"),
        new Managed("AmazonSNSReadOnlyAccess", "/", "ANPAIZGQCQTFOFPMHSB6W", "v1", "2015-02-06T18:41:06Z", "2015-02-06T18:41:06Z",
            "Provides read only access to Amazon SNS via the AWS Management Console.", "sns:GetTopicAttributes"),
        new Managed("AmazonSQSFullAccess", "/", "ANPAI65L554VRJ33ECQS6", "v1", "2015-02-06T18:41:07Z", "2015-02-06T18:41:07Z",
            "Provides full access to Amazon SQS via the AWS Management Console.", "sqs:*"),
        new Managed("AmazonSQSReadOnlyAccess", "/", "ANPAIUGSSQY362XGCM6KW", "v4", "2015-02-06T18:41:08Z", "2024-05-24T18:16:00Z",
            "Provides read only access to Amazon SQS via the AWS Management Console.", "sqs:GetQueueAttributes"),
        new Managed("CloudWatchLogsFullAccess", "/", "ANPAJ3ZGNWK2R5HW5BQFO", "v3", "2015-02-06T18:40:02Z", "2025-05-20T17:07:06Z",
            "Provides full access to CloudWatch Logs", "logs:*"));
    List<Policy> listed = server.iam().listPolicies(b -> b.scope(PolicyScopeType.AWS)).policies();
    assertThat(listed).extracting(Policy::policyName)
        .containsExactlyElementsOf(table.stream().map(Managed::name).sorted(String.CASE_INSENSITIVE_ORDER).toList());
    for (Managed row : table) {
      String arn = "arn:aws:iam::aws:policy" + row.path() + row.name();
      Policy got = server.iam().getPolicy(b -> b.policyArn(arn)).policy();
      Policy item = listed.stream().filter(p -> p.arn().equals(arn)).findFirst().orElseThrow();
      for (Policy p : List.of(got, item)) {
        assertThat(p.policyName()).as(row.name()).isEqualTo(row.name());
        assertThat(p.path()).as(row.name()).isEqualTo(row.path());
        assertThat(p.policyId()).as(row.name()).isEqualTo(row.id());
        assertThat(p.defaultVersionId()).as(row.name()).isEqualTo(row.version());
        assertThat(p.createDate()).as(row.name()).isEqualTo(java.time.Instant.parse(row.created()));
        assertThat(p.updateDate()).as(row.name()).isEqualTo(java.time.Instant.parse(row.updated()));
        assertThat(p.isAttachable()).as(row.name()).isTrue();
      }
      assertThat(got.description()).as(row.name()).isEqualTo(row.description());
      assertThat(item.description()).as(row.name() + ": ListPolicies items carry no Description").isNull();
      PolicyVersion v = server.iam().getPolicyVersion(b -> b.policyArn(arn).versionId(row.version())).policyVersion();
      assertThat(v.isDefaultVersion()).as(row.name()).isTrue();
      assertThat(v.createDate()).as(row.name() + ": the default version was made when the policy was last updated")
          .isEqualTo(java.time.Instant.parse(row.updated()));
      io.vertx.core.json.JsonObject document = new io.vertx.core.json.JsonObject(URLDecoder.decode(v.document(), StandardCharsets.UTF_8));
      assertThat(document.getString("Version")).as(row.name()).isEqualTo("2012-10-17");
      Object action = document.getJsonArray("Statement").getJsonObject(0).getValue("Action");
      Object first = action instanceof io.vertx.core.json.JsonArray a ? a.getValue(0) : action;
      assertThat(first).as(row.name() + ": the first statement's first action").isEqualTo(row.firstAction());
    }
  }

  /** One refused call: how IAM answers it. */
  record Refusal(String call, Consumer<IamClient> request, int status, String code, String message) {}

  @Test
  void refusedCallsGetIamsStatusCodeAndMessage() {
    String arn = "arn:aws:iam::" + ACCOUNT + ":policy/versioned";
    server.iam().createPolicy(b -> b.policyName("versioned").policyDocument(DOC));
    server.iam().createRole(b -> b.roleName("a-role").assumeRolePolicyDocument(TRUST));
    String versionPattern = "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?";
    List<Refusal> table = List.of(
        new Refusal("CreatePolicy of a taken name", i -> i.createPolicy(b -> b.policyName("versioned").policyDocument(DOC)),
            409, "EntityAlreadyExists", "A policy called versioned already exists. Duplicate names are not allowed."),
        new Refusal("GetPolicyVersion of a missing policy",
            i -> i.getPolicyVersion(b -> b.policyArn("arn:aws:iam::" + ACCOUNT + ":policy/TestNonExistingPolicy").versionId("v1")),
            404, "NoSuchEntity", "Policy arn:aws:iam::" + ACCOUNT
                + ":policy/TestNonExistingPolicy version v1 does not exist or is not attachable."),
        new Refusal("GetPolicyVersion of a missing version", i -> i.getPolicyVersion(b -> b.policyArn(arn).versionId("v9")),
            404, "NoSuchEntity", "Policy " + arn + " version v9 does not exist or is not attachable."),
        new Refusal("GetPolicyVersion of a malformed version id",
            i -> i.getPolicyVersion(b -> b.policyArn(BASIC).versionId("v2-does-not-exist")), 400, "ValidationError",
            "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular "
                + "expression pattern: " + versionPattern),
        new Refusal("DeletePolicyVersion of the default version", i -> i.deletePolicyVersion(b -> b.policyArn(arn).versionId("v1")),
            409, "DeleteConflict", "Cannot delete the default version of a policy."),
        new Refusal("DeletePolicyVersion of a missing version", i -> i.deletePolicyVersion(b -> b.policyArn(arn).versionId("v9")),
            404, "NoSuchEntity", "Policy " + arn + " version v9 does not exist or is not attachable."),
        new Refusal("SetDefaultPolicyVersion of a missing version",
            i -> i.setDefaultPolicyVersion(b -> b.policyArn(arn).versionId("v4")),
            404, "NoSuchEntity", "Policy " + arn + " version v4 does not exist or is not attachable."),
        new Refusal("SetDefaultPolicyVersion with a malformed version id",
            i -> i.setDefaultPolicyVersion(b -> b.policyArn(arn).versionId("version1")), 400, "ValidationError",
            "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular "
                + "expression pattern: " + versionPattern),
        new Refusal("AttachRolePolicy with no ARN", i -> i.attachRolePolicy(b -> b.roleName("a-role").policyArn("longpolicynamebutnoarn")),
            400, "ValidationError", "ARN longpolicynamebutnoarn is not valid."),
        new Refusal("AttachRolePolicy of a missing customer policy",
            i -> i.attachRolePolicy(b -> b.roleName("a-role").policyArn("arn:aws:iam::" + ACCOUNT + ":policy/nonexistent-policy")),
            404, "NoSuchEntity", "Policy arn:aws:iam::" + ACCOUNT + ":policy/nonexistent-policy does not exist or is not attachable."),
        new Refusal("DetachRolePolicy of a policy not attached", i -> i.detachRolePolicy(b -> b.roleName("a-role").policyArn(arn)),
            404, "NoSuchEntity", "Policy " + arn + " was not found."),
        new Refusal("GetRole of a missing role", i -> i.getRole(b -> b.roleName("test-nonexistent-role")),
            404, "NoSuchEntity", "The role with name test-nonexistent-role cannot be found."));
    for (Refusal row : table) assertIamError(() -> row.request().accept(server.iam()), row.status(), row.code(), row.message());
    // Four more versions reach the limit of five; a sixth is refused.
    for (int n = 0; n < 4; n++) server.iam().createPolicyVersion(b -> b.policyArn(arn).policyDocument(DOC2));
    assertIamError(() -> server.iam().createPolicyVersion(b -> b.policyArn(arn).policyDocument(DOC2)), 409, "LimitExceeded",
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");
    server.iam().deletePolicyVersion(b -> b.policyArn(arn).versionId("v3"));
    assertThat(server.iam().createPolicyVersion(b -> b.policyArn(arn).policyDocument(DOC2)).policyVersion().versionId())
        .as("numbers are not reused").isEqualTo("v6");
  }

  @Test
  void trustPoliciesAndTagsAreCheckedAsIamChecksThem() {
    String resource = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
        + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}";
    String s3Action = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
        + "\"lambda.amazonaws.com\"},\"Action\":\"s3:GetObject\"}]}";
    List<software.amazon.awssdk.services.iam.model.Tag> fiftyOne = new java.util.ArrayList<>();
    for (int i = 0; i < 51; i++) fiftyOne.add(software.amazon.awssdk.services.iam.model.Tag.builder().key("k" + i).value("v").build());
    String keyPattern = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+";
    List<Refusal> table = List.of(
        new Refusal("CreateRole with invalid JSON", i -> i.createRole(b -> b.roleName("r").assumeRolePolicyDocument("{not json")),
            400, "MalformedPolicyDocument", "This policy contains invalid Json"),
        new Refusal("CreateRole whose trust policy names a Resource",
            i -> i.createRole(b -> b.roleName("r").assumeRolePolicyDocument(resource)),
            400, "MalformedPolicyDocument", "Has prohibited field Resource"),
        new Refusal("CreateRole whose trust policy allows another action",
            i -> i.createRole(b -> b.roleName("r").assumeRolePolicyDocument(s3Action)),
            400, "MalformedPolicyDocument", "AssumeRole policy may only specify STS AssumeRole actions."),
        new Refusal("CreateRole with 51 tags", i -> i.createRole(b -> b.roleName("r").assumeRolePolicyDocument(TRUST).tags(fiftyOne)),
            400, "ValidationError",
            "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"),
        new Refusal("CreateRole with keys differing by case",
            i -> i.createRole(b -> b.roleName("r").assumeRolePolicyDocument(TRUST).tags(t -> t.key("a").value("1"),
                t -> t.key("A").value("2"))),
            400, "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive."),
        new Refusal("CreateRole with a key too long",
            i -> i.createRole(b -> b.roleName("r").assumeRolePolicyDocument(TRUST).tags(t -> t.key("k".repeat(129)).value("v"))),
            400, "ValidationError", "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: "
                + "Member must have length less than or equal to 128"),
        new Refusal("CreateRole with a value too long",
            i -> i.createRole(b -> b.roleName("r").assumeRolePolicyDocument(TRUST).tags(t -> t.key("k").value("v".repeat(257)))),
            400, "ValidationError", "1 validation error detected: Value at 'tags.1.member.value' failed to satisfy constraint: "
                + "Member must have length less than or equal to 256"),
        new Refusal("CreatePolicy with a key of a forbidden character",
            i -> i.createPolicy(b -> b.policyName("p").policyDocument(DOC).tags(t -> t.key("bad!").value("v"))),
            400, "ValidationError", "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: " + keyPattern),
        new Refusal("CreatePolicy with the same key twice",
            i -> i.createPolicy(b -> b.policyName("p").policyDocument(DOC).tags(t -> t.key("a").value("1"), t -> t.key("a").value("2"))),
            400, "InvalidInput", "Duplicate tag keys found."));
    for (Refusal row : table) assertIamError(() -> row.request().accept(server.iam()), row.status(), row.code(), row.message());
    // Policies' tag keys are case-sensitive: "a" and "A" are two tags there.
    assertThat(server.iam().createPolicy(b -> b.policyName("cased").policyDocument(DOC)
        .tags(t -> t.key("a").value("lowercase"), t -> t.key("A").value("uppercase"))).policy().tags()).hasSize(2);
    assertThat(server.iam().listRoles().roles()).as("no refused role was kept").isEmpty();
  }

  /**
   * UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy, TagRole, UntagRole and ListRoleTags
   * as recorded against IAM (LocalStack's test_iam_roles snapshots): what each changes and shows,
   * and each refusal's status, code and message (input is checked before the role is looked up).
   */
  @Test
  void roleUpdatesAndTagsAnswerAsIamDoes() {
    server.iam().createRole(b -> b.roleName("updated").assumeRolePolicyDocument(TRUST).description("initial description"));
    server.iam().updateRole(b -> b.roleName("updated").description("updated description").maxSessionDuration(7200));
    Role got = server.iam().getRole(b -> b.roleName("updated")).role();
    assertThat(got.description()).isEqualTo("updated description");
    assertThat(got.maxSessionDuration()).isEqualTo(7200);
    Role described = server.iam().updateRoleDescription(b -> b.roleName("updated").description("via update_role_description")).role();
    assertThat(described.description()).isEqualTo("via update_role_description");
    assertThat(described.maxSessionDuration()).as("UpdateRoleDescription answers the Role as CreateRole does").isNull();
    assertThat(described.roleLastUsed()).isNull();
    server.iam().updateRole(b -> b.roleName("updated"));
    got = server.iam().getRole(b -> b.roleName("updated")).role();
    assertThat(got.description()).as("UpdateRole without members changes nothing").isEqualTo("via update_role_description");
    assertThat(got.maxSessionDuration()).isEqualTo(7200);
    String ec2 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
        + "[\"ec2.amazonaws.com\"]},\"Action\":[\"sts:AssumeRole\"]}]}";
    server.iam().updateAssumeRolePolicy(b -> b.roleName("updated").policyDocument(ec2));
    assertThat(URLDecoder.decode(server.iam().getRole(b -> b.roleName("updated")).role().assumeRolePolicyDocument(), StandardCharsets.UTF_8))
        .isEqualTo(ec2);

    server.iam().tagRole(b -> b.roleName("updated").tags(t -> t.key("somekey").value("somevalue"),
        t -> t.key("someotherkey").value("someothervalue")));
    assertThat(server.iam().getRole(b -> b.roleName("updated")).role().tags()).extracting(t -> t.key() + "=" + t.value())
        .containsExactly("somekey=somevalue", "someotherkey=someothervalue");
    server.iam().tagRole(b -> b.roleName("updated").tags(t -> t.key("somekey").value("updatedvalue")));
    assertThat(tagsOf("updated")).containsExactly("somekey=updatedvalue", "someotherkey=someothervalue");
    server.iam().tagRole(b -> b.roleName("updated").tags(t -> t.key("somekey").value("")));
    assertThat(tagsOf("updated")).containsExactly("somekey=", "someotherkey=someothervalue");
    server.iam().untagRole(b -> b.roleName("updated").tagKeys("somekey"));
    assertThat(tagsOf("updated")).containsExactly("someotherkey=someothervalue");
    server.iam().untagRole(b -> b.roleName("updated").tagKeys("someotherkey", "never-there"));
    var empty = server.iam().listRoleTags(b -> b.roleName("updated"));
    assertThat(empty.tags()).isEmpty();
    assertThat(empty.isTruncated()).isFalse();

    String missing = "The role with name test-nonexistent-role cannot be found.";
    List<software.amazon.awssdk.services.iam.model.Tag> fiftyOne = new java.util.ArrayList<>();
    for (int i = 0; i < 51; i++) fiftyOne.add(software.amazon.awssdk.services.iam.model.Tag.builder().key("" + i).value("" + i).build());
    List<String> fiftyOneKeys = new java.util.ArrayList<>();
    for (int i = 0; i < 51; i++) fiftyOneKeys.add("" + i);
    String keyPattern = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+";
    String keyConstraints = "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must satisfy "
        + "constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, "
        + "Member must satisfy regular expression pattern: " + keyPattern + ", Member must not be null]";
    String bad = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
        + "\"ec2.amazonaws.com\"},\"Action\":\"sts:InvalidAction\"}]}";
    String withResource = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
        + "\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:s3:::example_bucket\"}]}";
    List<Refusal> table = List.of(
        new Refusal("UpdateRole of a missing role", i -> i.updateRole(b -> b.roleName("test-nonexistent-role").description("test")),
            404, "NoSuchEntity", missing),
        new Refusal("UpdateAssumeRolePolicy with invalid JSON",
            i -> i.updateAssumeRolePolicy(b -> b.roleName("updated").policyDocument("not valid json")),
            400, "MalformedPolicyDocument", "This policy contains invalid Json"),
        new Refusal("UpdateAssumeRolePolicy with an action STS does not have",
            i -> i.updateAssumeRolePolicy(b -> b.roleName("updated").policyDocument(bad)),
            400, "MalformedPolicyDocument", "AssumeRole policy may only specify STS AssumeRole actions."),
        new Refusal("CreateRole with an action STS does not have",
            i -> i.createRole(b -> b.roleName("r").assumeRolePolicyDocument(bad)),
            400, "MalformedPolicyDocument", "AssumeRole policy may only specify STS AssumeRole actions."),
        new Refusal("UpdateAssumeRolePolicy naming a Resource",
            i -> i.updateAssumeRolePolicy(b -> b.roleName("updated").policyDocument(withResource)),
            400, "MalformedPolicyDocument", "Has prohibited field Resource"),
        new Refusal("TagRole of a missing role",
            i -> i.tagRole(b -> b.roleName("test-nonexistent-role").tags(t -> t.key("somekey").value("somevalue"))),
            404, "NoSuchEntity", missing),
        new Refusal("UntagRole of a missing role", i -> i.untagRole(b -> b.roleName("test-nonexistent-role").tagKeys("somekey")),
            404, "NoSuchEntity", missing),
        new Refusal("ListRoleTags of a missing role", i -> i.listRoleTags(b -> b.roleName("test-nonexistent-role")),
            404, "NoSuchEntity", missing),
        new Refusal("TagRole with 51 tags, of a missing role", i -> i.tagRole(b -> b.roleName("test-nonexistent-role").tags(fiftyOne)),
            400, "ValidationError",
            "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"),
        new Refusal("TagRole with the same key twice",
            i -> i.tagRole(b -> b.roleName("updated").tags(t -> t.key("dupkey").value("val1"), t -> t.key("dupkey").value("val2"))),
            400, "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive."),
        new Refusal("TagRole with keys differing by case",
            i -> i.tagRole(b -> b.roleName("updated").tags(t -> t.key("mykey").value("val1"), t -> t.key("MyKey").value("val2"))),
            400, "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive."),
        new Refusal("TagRole with a key too long",
            i -> i.tagRole(b -> b.roleName("updated").tags(t -> t.key("k".repeat(129)).value("value"))),
            400, "ValidationError", "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: "
                + "Member must have length less than or equal to 128"),
        new Refusal("TagRole with a value too long",
            i -> i.tagRole(b -> b.roleName("updated").tags(t -> t.key("key").value("v".repeat(257)))),
            400, "ValidationError", "1 validation error detected: Value at 'tags.1.member.value' failed to satisfy constraint: "
                + "Member must have length less than or equal to 256"),
        new Refusal("TagRole with a key of a forbidden character",
            i -> i.tagRole(b -> b.roleName("updated").tags(t -> t.key("invalid!key").value("value"))),
            400, "ValidationError", "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: " + keyPattern),
        new Refusal("UntagRole with 51 keys", i -> i.untagRole(b -> b.roleName("updated").tagKeys(fiftyOneKeys)),
            400, "ValidationError", "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: "
                + "Member must have length less than or equal to 50"),
        new Refusal("UntagRole with a key too long", i -> i.untagRole(b -> b.roleName("updated").tagKeys("k".repeat(129))),
            400, "ValidationError", keyConstraints),
        new Refusal("UntagRole with a key of a forbidden character", i -> i.untagRole(b -> b.roleName("updated").tagKeys("invalid!key")),
            400, "ValidationError", keyConstraints));
    for (Refusal row : table) assertIamError(() -> row.request().accept(server.iam()), row.status(), row.code(), row.message());
    assertThat(tagsOf("updated")).as("no refused call changed the tags").isEmpty();
  }

  private static List<String> tagsOf(String role) {
    return server.iam().listRoleTags(b -> b.roleName(role)).tags().stream().map(t -> t.key() + "=" + t.value()).toList();
  }

  @Test
  void roleShapesDifferByCallAsIamsDo() {
    Role created = server.iam().createRole(b -> b.roleName("shaped").assumeRolePolicyDocument(TRUST)).role();
    assertThat(created.maxSessionDuration()).as("CreateRole answers without MaxSessionDuration").isNull();
    assertThat(created.roleLastUsed()).isNull();
    Role got = server.iam().getRole(b -> b.roleName("shaped")).role();
    assertThat(got.maxSessionDuration()).isEqualTo(3600);
    assertThat(got.roleLastUsed()).as("GetRole carries an empty RoleLastUsed").isNotNull();
    assertThat(got.roleLastUsed().lastUsedDate()).isNull();
    Role listed = server.iam().listRoles().roles().get(0);
    assertThat(listed.maxSessionDuration()).isEqualTo(3600);
    assertThat(listed.roleLastUsed()).isNull();
  }

  private static void assertIamError(Runnable call, int status, String code, String message) {
    assertThatThrownBy(call::run).isInstanceOf(IamException.class).satisfies(e -> {
      IamException i = (IamException) e;
      assertThat(i.statusCode()).as(message).isEqualTo(status);
      assertThat(i.awsErrorDetails().errorCode()).as(message).isEqualTo(code);
      assertThat(i.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }
}
