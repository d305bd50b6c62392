package io.eventplane.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Identities signing for real ({@code --auth sigv4}): an IAM user's access key made through IAM
 * signs calls on every node and names the user, deactivating or deleting it refuses it at once, a
 * user assumes a role whose trust policy names it (and not one whose does not), the session's
 * temporary credentials sign until they expire, a function's own SDK calls are verified as its
 * execution role's session, and the node's own S3 requests (a function's package, Firehose's
 * deliveries) are signed for the gateway that verifies them.
 */
class SignedIdentitiesTest {
  static final String ADMIN_KEY = "EPADMINKEY000000002";
  static final String ADMIN_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String ACCOUNT = "000000000000";

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.SIGV4)
      .withAdminKey(ADMIN_KEY, ADMIN_SECRET)));

  static AwsCredentialsProvider admin() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET));
  }

  static AwsCredentialsProvider keys(AccessKey key) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
  }

  static AwsCredentialsProvider session(Credentials c) {
    return StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
  }

  /** A client of one node, signing with {@code keys} on a clock {@code skew} away from the system's; no retries. */
  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, URI endpoint,
      AwsCredentialsProvider keys, Duration skew) {
    builder.endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(keys)
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (!skew.isZero()) builder.putAuthScheme(SignatureVerificationTest.skewed(Clock.offset(Clock.systemUTC(), skew)));
    return builder.build();
  }

  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, AwsCredentialsProvider keys) {
    return client(builder, server.endpoint(), keys, Duration.ZERO);
  }

  static IamClient iam() {
    return client(IamClient.builder(), admin());
  }

  static void assertRefused(Runnable call, int status, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
      assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
      assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
    });
  }

  @Test
  void anIamUsersKeySignsOnEveryNodeAndNamesTheUser() {
    try (IamClient iam = iam()) {
      var user = iam.createUser(b -> b.userName("alice").path("/team/")).user();
      AccessKey key = iam.createAccessKey(b -> b.userName("alice")).accessKey();
      assertThat(key.accessKeyId()).matches("AKIA[A-Z2-7]{16}");
      for (int node = 0; node < EmbeddedServer.nodes(); node++) {
        try (StsClient sts = client(StsClient.builder(), server.endpoint(node), keys(key), Duration.ZERO);
             SqsClient sqs = client(SqsClient.builder(), server.endpoint(node), keys(key), Duration.ZERO)) {
          var me = sts.getCallerIdentity();
          assertThat(me.arn()).as("node " + node).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/team/alice");
          assertThat(me.userId()).isEqualTo(user.userId());
          assertThat(me.account()).isEqualTo(ACCOUNT);
          String queue = sqs.createQueue(b -> b.queueName("alice-" + sqs.hashCode())).queueUrl();
          assertThat(queue).contains("/" + ACCOUNT + "/");
        }
      }
      try (IamClient asAlice = client(IamClient.builder(), keys(key))) {
        assertThat(asAlice.getUser().user().userName()).as("GetUser without a name is the caller").isEqualTo("alice");
      }
      // A wrong secret for a real key: the signature does not match.
      AccessKey forged = key.toBuilder().secretAccessKey("not-alices-secret-000000000000000000000").build();
      try (SqsClient sqs = client(SqsClient.builder(), keys(forged))) {
        assertRefused(sqs::listQueues, 403, "SignatureDoesNotMatch");
      }
    }
  }

  @Test
  void aDeactivatedOrDeletedKeyIsRefusedOnEveryNode() {
    try (IamClient iam = iam()) {
      iam.createUser(b -> b.userName("bob"));
      AccessKey key = iam.createAccessKey(b -> b.userName("bob")).accessKey();
      for (int node = 0; node < EmbeddedServer.nodes(); node++) {
        try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(node), keys(key), Duration.ZERO)) {
          sqs.listQueues(); // cached on this node now
        }
      }
      iam.updateAccessKey(b -> b.userName("bob").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));
      for (int node = 0; node < EmbeddedServer.nodes(); node++) {
        try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(node), keys(key), Duration.ZERO)) {
          await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertRefused(sqs::listQueues, 403, "InvalidClientTokenId"));
        }
      }
      iam.updateAccessKey(b -> b.userName("bob").accessKeyId(key.accessKeyId()).status(StatusType.ACTIVE));
      try (SqsClient sqs = client(SqsClient.builder(), keys(key))) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(sqs::listQueues);
        iam.deleteAccessKey(b -> b.userName("bob").accessKeyId(key.accessKeyId()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertRefused(sqs::listQueues, 403, "InvalidClientTokenId"));
      }
    }
  }

  @Test
  void aUserAssumesARoleThatTrustsItAndItsSessionSignsUntilItExpires() {
    try (IamClient iam = iam()) {
      iam.createUser(b -> b.userName("carol"));
      AccessKey key = iam.createAccessKey(b -> b.userName("carol")).accessKey();
      String trustsCarol = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
          + "\"arn:aws:iam::" + ACCOUNT + ":user/carol\"},\"Action\":\"sts:AssumeRole\"}]}";
      String trustsLambda = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
          + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
      String reader = iam.createRole(b -> b.roleName("reader").assumeRolePolicyDocument(trustsCarol)).role().arn();
      String worker = iam.createRole(b -> b.roleName("worker").assumeRolePolicyDocument(trustsLambda)).role().arn();

      try (StsClient asCarol = client(StsClient.builder(), keys(key))) {
        assertRefused(() -> asCarol.assumeRole(b -> b.roleArn(worker).roleSessionName("s0")), 403, "AccessDenied");
        Credentials temporary = asCarol.assumeRole(b -> b.roleArn(reader).roleSessionName("s1").durationSeconds(900))
            .credentials();
        assertThat(temporary.accessKeyId()).startsWith("ASIA");
        for (int node = 0; node < EmbeddedServer.nodes(); node++) {
          try (StsClient sts = client(StsClient.builder(), server.endpoint(node), session(temporary), Duration.ZERO);
               SqsClient sqs = client(SqsClient.builder(), server.endpoint(node), session(temporary), Duration.ZERO)) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/reader/s1");
            sqs.listQueues();
          }
        }
        // A changed token is not ours; a session past its end is ExpiredToken (signed on the server's moved clock).
        Credentials tampered = temporary.toBuilder().sessionToken(temporary.sessionToken().substring(0, 40) + "A"
            + temporary.sessionToken().substring(41)).build();
        try (SqsClient sqs = client(SqsClient.builder(), session(tampered))) {
          assertRefused(sqs::listQueues, 403, "InvalidClientTokenId");
        }
        Duration later = Duration.ofMinutes(20);
        server.advance(later);
        try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(), session(temporary), later)) {
          assertRefused(sqs::listQueues, 403, "ExpiredToken");
        } finally {
          server.advance(later.negated()); // the other tests sign on the system clock
        }
      }
    }
  }

  @Test
  void firehoseDeliversIntoABucketThroughTheVerifyingGateway() {
    String role = "arn:aws:iam::" + ACCOUNT + ":role/firehose-writer";
    try (S3Client s3 = client(S3Client.builder().forcePathStyle(true), admin());
         software.amazon.awssdk.services.firehose.FirehoseClient firehose =
             client(software.amazon.awssdk.services.firehose.FirehoseClient.builder(), admin())) {
      s3.createBucket(b -> b.bucket("signed-delivery"));
      firehose.createDeliveryStream(b -> b.deliveryStreamName("signed")
          .extendedS3DestinationConfiguration(d -> d.roleARN(role).bucketARN("arn:aws:s3:::signed-delivery")
              .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))));
      await().atMost(Duration.ofSeconds(30)).until(() -> firehose.describeDeliveryStream(b -> b.deliveryStreamName("signed"))
          .deliveryStreamDescription().deliveryStreamStatusAsString().equals("ACTIVE"));
      firehose.putRecord(b -> b.deliveryStreamName("signed").record(r -> r.data(SdkBytes.fromUtf8String("signed record\n"))));
      // The delivery's PutObject is signed by the node itself (a session of the account's root).
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(s3.listObjectsV2(b -> b.bucket("signed-delivery")).contents()).isNotEmpty());
    }
  }

  @Test
  void aFunctionsOwnCallsAreVerifiedAsItsExecutionRolesSession() throws Exception {
    String trustsLambda = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
        + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    byte[] jar = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(System.getProperty("eventplane.thumbnail.jar",
        "../examples/target/eventplane-thumbnail.jar")));
    try (IamClient iam = iam();
         S3Client s3 = client(S3Client.builder().forcePathStyle(true), admin());
         LambdaClient lambda = client(LambdaClient.builder(), admin())) {
      var role = iam.createRole(b -> b.roleName("who").assumeRolePolicyDocument(trustsLambda)).role();
      s3.createBucket(b -> b.bucket("signed-code"));
      s3.putObject(b -> b.bucket("signed-code").key("sdk.jar"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(jar));
      lambda.createFunction(b -> b.functionName("whoami").runtime(Runtime.JAVA17).role(role.arn())
          .handler("io.eventplane.examples.WhoAmI::handleRequest").timeout(30).memorySize(256)
          .code(c -> c.s3Bucket("signed-code").s3Key("sdk.jar")));
      var answer = lambda.invoke(b -> b.functionName("whoami").payload(SdkBytes.fromUtf8String("{}")));
      assertThat(answer.functionError()).as(answer.payload().asUtf8String()).isNull();
      JsonObject me = new JsonObject(answer.payload().asUtf8String());
      assertThat(me.getString("arn")).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/who/whoami");
      assertThat(me.getString("userId")).isEqualTo(role.roleId() + ":whoami");
    }
  }
}
