package io.eventplane.server.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/** The IAM role calls a deployment script makes before CreateFunction, through the SDK's IAM client (Query protocol). */
class IamRolesTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
  private static final String BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";



  @Test
  void aRoleForAFunction() {
    Role role = server.iam().createRole(b -> b.roleName("lambda-role").assumeRolePolicyDocument(TRUST).description("runs functions")
        .tags(t -> t.key("team").value("orders"))).role();
    assertThat(role.arn()).isEqualTo("arn:aws:iam::000000000000:role/lambda-role");
    assertThat(role.roleId()).startsWith("AROA").hasSize(21);
    assertThat(role.path()).isEqualTo("/");
    assertThat(role.createDate()).isNotNull();
    Role got = server.iam().getRole(b -> b.roleName("lambda-role")).role();
    assertThat(URLDecoder.decode(got.assumeRolePolicyDocument(), StandardCharsets.UTF_8)).isEqualTo(TRUST);
    assertThat(got.description()).isEqualTo("runs functions");
    assertThat(got.maxSessionDuration()).isEqualTo(3600);

    server.iam().attachRolePolicy(b -> b.roleName("lambda-role").policyArn(BASIC));
    assertThat(server.iam().listAttachedRolePolicies(b -> b.roleName("lambda-role")).attachedPolicies())
        .extracting(p -> p.policyArn() + " " + p.policyName()).containsExactly(BASIC + " AWSLambdaBasicExecutionRole");
    String inline = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}";
    server.iam().putRolePolicy(b -> b.roleName("lambda-role").policyName("queues").policyDocument(inline));
    assertThat(server.iam().listRolePolicies(b -> b.roleName("lambda-role")).policyNames()).containsExactly("queues");
    assertThat(URLDecoder.decode(server.iam().getRolePolicy(b -> b.roleName("lambda-role").policyName("queues")).policyDocument(),
        StandardCharsets.UTF_8)).isEqualTo(inline);

    // The role's ARN is what CreateFunction takes.
    assertThat(server.lambda().createFunction(b -> b.functionName("with-role").runtime("java17").role(role.arn())
        .handler("io.eventplane.examples.Diagnostics::handleRequest")
        .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(EmbeddedServer.examplesJar())))).role())
        .isEqualTo(role.arn());

    assertThatThrownBy(() -> server.iam().deleteRole(b -> b.roleName("lambda-role"))).isInstanceOf(DeleteConflictException.class)
        .satisfies(e -> assertThat(((IamException) e).statusCode()).isEqualTo(409));
    server.iam().detachRolePolicy(b -> b.roleName("lambda-role").policyArn(BASIC));
    assertThatThrownBy(() -> server.iam().deleteRole(b -> b.roleName("lambda-role"))).isInstanceOf(DeleteConflictException.class);
    server.iam().deleteRolePolicy(b -> b.roleName("lambda-role").policyName("queues"));
    server.iam().deleteRole(b -> b.roleName("lambda-role"));
    assertThatThrownBy(() -> server.iam().getRole(b -> b.roleName("lambda-role"))).isInstanceOf(NoSuchEntityException.class)
        .hasMessageContaining("The role with name lambda-role cannot be found")
        .satisfies(e -> assertThat(((IamException) e).statusCode()).isEqualTo(404));
  }

  @Test
  void listsRolesByNameWithPathsAndPages() {
    for (String name : List.of("b-role", "a-role", "c-role")) {
      server.iam().createRole(b -> b.roleName(name).assumeRolePolicyDocument(TRUST));
    }
    server.iam().createRole(b -> b.roleName("service-role").path("/service/").assumeRolePolicyDocument(TRUST));
    assertThat(server.iam().listRoles().roles()).extracting(Role::roleName).containsExactly("a-role", "b-role", "c-role", "service-role");
    assertThat(server.iam().listRoles(b -> b.pathPrefix("/service/")).roles()).extracting(Role::arn)
        .containsExactly("arn:aws:iam::000000000000:role/service/service-role");
    var page = server.iam().listRoles(b -> b.maxItems(2));
    assertThat(page.isTruncated()).isTrue();
    assertThat(page.roles()).extracting(Role::roleName).containsExactly("a-role", "b-role");
    assertThat(server.iam().listRoles(b -> b.maxItems(2).marker(page.marker())).roles()).extracting(Role::roleName)
        .containsExactly("c-role", "service-role");
    assertThat(server.iam().listRolesPaginator().roles().stream().map(Role::roleName)).hasSize(4);
  }

  @Test
  void badInputGetsIamErrors() {
    server.iam().createRole(b -> b.roleName("Taken").assumeRolePolicyDocument(TRUST));
    assertThatThrownBy(() -> server.iam().createRole(b -> b.roleName("taken").assumeRolePolicyDocument(TRUST)))
        .as("role names are unique without regard to case").isInstanceOf(EntityAlreadyExistsException.class);
    assertThatThrownBy(() -> server.iam().createRole(b -> b.roleName("bad").assumeRolePolicyDocument("{not json")))
        .isInstanceOf(MalformedPolicyDocumentException.class);
    assertThatThrownBy(() -> server.iam().createRole(b -> b.roleName("bad name!").assumeRolePolicyDocument(TRUST)))
        .isInstanceOf(IamException.class).satisfies(e -> {
          assertThat(((IamException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationError");
          assertThat(((IamException) e).statusCode()).isEqualTo(400);
        });
    assertThatThrownBy(() -> server.iam().createRole(b -> b.roleName("x".repeat(65)).assumeRolePolicyDocument(TRUST)))
        .isInstanceOf(IamException.class);
    assertThatThrownBy(() -> server.iam().attachRolePolicy(b -> b.roleName("Taken").policyArn("arn:aws:iam::000000000000:policy/mine")))
        .isInstanceOf(NoSuchEntityException.class);
    assertThatThrownBy(() -> server.iam().attachRolePolicy(b -> b.roleName("Taken").policyArn("not-an-arn")))
        .isInstanceOf(IamException.class).satisfies(e -> assertThat(((IamException) e).statusCode()).isEqualTo(400));
    assertThatThrownBy(() -> server.iam().attachRolePolicy(b -> b.roleName("nobody").policyArn(BASIC)))
        .isInstanceOf(NoSuchEntityException.class);
    assertThatThrownBy(() -> server.iam().getRolePolicy(b -> b.roleName("Taken").policyName("none")))
        .isInstanceOf(NoSuchEntityException.class);
    assertThat(server.iam().listRoles().roles()).extracting(Role::roleName).containsExactly("Taken");
  }

  /** Numbers that are not numbers or out of range are IAM's ValidationError (a Query client can send anything). */
  @Test
  void badNumbersAreValidationErrorsNotFaults() throws Exception {
    server.iam().createRole(b -> b.roleName("counted").assumeRolePolicyDocument(TRUST));
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String body : List.of("Action=ListRoles&Version=2010-05-08&MaxItems=abc",
        "Action=ListRoles&Version=2010-05-08&MaxItems=0",
        "Action=ListRolePolicies&Version=2010-05-08&RoleName=counted&MaxItems=1001",
        "Action=CreateRole&Version=2010-05-08&RoleName=r2&AssumeRolePolicyDocument=%7B%7D&MaxSessionDuration=long")) {
      java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(server.endpoint())
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(r.body()).as(body).contains("<Code>ValidationError</Code>").contains("1 validation error detected: Value '");
    }
    assertThatThrownBy(() -> server.iam().listRoles(b -> b.maxItems(0))).isInstanceOf(IamException.class)
        .satisfies(e -> assertThat(((IamException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    assertThat(server.iam().listRoles(b -> b.maxItems(1000)).roles()).extracting(Role::roleName).containsExactly("counted");
  }
}
