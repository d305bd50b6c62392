package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * A function's code calls AWS with the SDK's default credential chain and is its execution role's
 * session named after the function, as on Lambda: the examples jar's WhoAmI asks STS who it is.
 */
class FunctionRoleCredentialsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String WHO_AM_I = "io.eventplane.examples.WhoAmI::handleRequest";
  private static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";



  private static JsonObject whoAmI(String function) {
    var answer = server.lambda().invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String("{}")));
    assertThat(answer.functionError()).as(answer.payload().asUtf8String()).isNull();
    return new JsonObject(answer.payload().asUtf8String());
  }

  /** WhoAmI comes in the examples' jar with the AWS SDK, deployed from S3 (too big to upload inline). */
  private static void create(String function, String roleArn) {
    if (!server.s3().listBuckets().buckets().stream().anyMatch(b -> b.name().equals("sdk-code"))) {
      byte[] jar;
      try {
        jar = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(System.getProperty("eventplane.thumbnail.jar",
            "../examples/target/eventplane-thumbnail.jar")));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("build the examples module first", e);
      }
      server.s3().createBucket(b -> b.bucket("sdk-code"));
      server.s3().putObject(b -> b.bucket("sdk-code").key("sdk.jar"),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(jar));
    }
    server.lambda().createFunction(b -> b.functionName(function).runtime(Runtime.JAVA17).role(roleArn).handler(WHO_AM_I)
        .timeout(30).memorySize(256).code(c -> c.s3Bucket("sdk-code").s3Key("sdk.jar")));
  }

  @Test
  void theFunctionIsItsExecutionRolesSessionNamedAfterIt() {
    var role = server.iam().createRole(b -> b.roleName("order-worker").path("/service/").assumeRolePolicyDocument(LAMBDA_TRUST)).role();
    create("orders", role.arn());
    JsonObject me = whoAmI("orders");
    assertThat(me.getString("arn")).isEqualTo("arn:aws:sts::000000000000:assumed-role/order-worker/orders");
    assertThat(me.getString("userId")).as("the role's id, as IAM gave it").isEqualTo(role.roleId() + ":orders");
    assertThat(me.getString("account")).isEqualTo("000000000000");
    assertThat(me.getString("accessKeyId")).matches("ASIA[A-Z2-7]{16}");

    // A new role: new instances are its sessions.
    var other = server.iam().createRole(b -> b.roleName("order-auditor").assumeRolePolicyDocument(LAMBDA_TRUST)).role();
    server.lambda().updateFunctionConfiguration(b -> b.functionName("orders").role(other.arn()));
    JsonObject after = whoAmI("orders");
    assertThat(after.getString("arn")).isEqualTo("arn:aws:sts::000000000000:assumed-role/order-auditor/orders");
    assertThat(after.getString("userId")).isEqualTo(other.roleId() + ":orders");
  }

  @Test
  void aRoleIamDoesNotKnowStillGivesTheFunctionASessionOfIt() {
    create("stray", "arn:aws:iam::000000000000:role/never-made");
    JsonObject me = whoAmI("stray");
    assertThat(me.getString("arn")).isEqualTo("arn:aws:sts::000000000000:assumed-role/never-made/stray");
    assertThat(me.getString("userId")).matches("AROA[A-Z2-7]{17}:stray");
  }
}
