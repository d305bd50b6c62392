package io.eventplane.server.auth;

import static io.eventplane.server.auth.SignedIdentitiesTest.admin;
import static io.eventplane.server.auth.SignedIdentitiesTest.keys;
import static io.eventplane.server.auth.SignedIdentitiesTest.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * {@code --auth iam}: every call is authorized by the caller's identity-based policies (a user's
 * inline, attached and groups' policies, an assumed role's role policies) at the gateway, on every
 * node (resources' own policies complete it: ResourcePolicyEnforcementTest).
 */
class IamEnforcementTest {
  static final String ACCOUNT = SignedIdentitiesTest.ACCOUNT;

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.IAM)
      .withAdminKey(SignedIdentitiesTest.ADMIN_KEY, SignedIdentitiesTest.ADMIN_SECRET)));

  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, URI endpoint,
      AwsCredentialsProvider keys) {
    return SignedIdentitiesTest.client(builder, endpoint, keys, Duration.ZERO);
  }

  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, AwsCredentialsProvider keys) {
    return client(builder, server.endpoint(), keys);
  }

  static IamClient iam() {
    return client(IamClient.builder(), admin());
  }

  static void assertDenied(Runnable call, int status, String code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
      assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
      assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
      if (message != null) assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }

  static String userArn(String name) {
    return "arn:aws:iam::" + ACCOUNT + ":user/" + name;
  }

  static String queueArn(String name) {
    return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name;
  }

  static String allow(String action, String resource) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action + "\",\"Resource\":\""
        + resource + "\"}]}";
  }

  static AccessKey user(IamClient iam, String name) {
    iam.createUser(b -> b.userName(name));
    return iam.createAccessKey(b -> b.userName(name)).accessKey();
  }

  /** A browser form (S3 POST) for {@code key} signed with the user's key; the policy allows any key under uploads/. */
  private static java.net.http.HttpResponse<String> postForm(AccessKey signer, String bucket, String key) throws Exception {
    String date = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
        .format(server.clock().instant());
    String credential = signer.accessKeyId() + "/" + date.substring(0, 8) + "/us-east-1/s3/aws4_request";
    io.vertx.core.json.JsonArray conditions = new io.vertx.core.json.JsonArray()
        .add(new io.vertx.core.json.JsonObject().put("bucket", bucket))
        .add(new io.vertx.core.json.JsonArray().add("starts-with").add("$key").add("uploads/"))
        .add(new io.vertx.core.json.JsonObject().put("x-amz-credential", credential))
        .add(new io.vertx.core.json.JsonObject().put("x-amz-algorithm", "AWS4-HMAC-SHA256"))
        .add(new io.vertx.core.json.JsonObject().put("x-amz-date", date));
    String policy = java.util.Base64.getEncoder().encodeToString(new io.vertx.core.json.JsonObject()
        .put("expiration", server.clock().instant().plus(java.time.Duration.ofHours(1)).toString()).put("conditions", conditions)
        .encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    io.eventplane.server.s3.BrowserForm form = new io.eventplane.server.s3.BrowserForm().field("key", key)
        .field("x-amz-credential", credential).field("x-amz-algorithm", "AWS4-HMAC-SHA256").field("x-amz-date", date)
        .field("policy", policy)
        .field("x-amz-signature", PostPolicySignatureTest.sign(signer.secretAccessKey(), date.substring(0, 8), policy));
    form.file("a.txt", "form bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return form.post(server.endpoint(), bucket);
  }

  @Test
  void aBrowserUploadNeedsPutObjectOnTheKeyTheFormNames() throws Exception {
    try (IamClient iam = iam(); S3Client adminS3 = client(S3Client.builder(), admin())) {
      adminS3.createBucket(b -> b.bucket("forms"));
      AccessKey key = user(iam, "uploader");
      java.net.http.HttpResponse<String> refused = postForm(key, "forms", "uploads/a.txt");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
      assertThat(refused.body()).contains("<Code>AccessDenied</Code>");
      iam.putUserPolicy(b -> b.userName("uploader").policyName("uploads")
          .policyDocument(allow("s3:PutObject", "arn:aws:s3:::forms/uploads/*")));
      await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(postForm(key, "forms", "uploads/a.txt").statusCode()).isEqualTo(204));
      assertThat(adminS3.getObjectAsBytes(b -> b.bucket("forms").key("uploads/a.txt")).asUtf8String()).isEqualTo("form bytes");
    }
  }

  @Test
  void aUserWithNoPolicyIsRefusedInEachFamilysWords() {
    try (IamClient iam = iam();
         SqsClient adminSqs = client(SqsClient.builder(), admin());
         SnsClient adminSns = client(SnsClient.builder(), admin());
         S3Client adminS3 = client(S3Client.builder(), admin())) {
      String queue = adminSqs.createQueue(b -> b.queueName("orders")).queueUrl();
      String topic = adminSns.createTopic(b -> b.name("news")).topicArn();
      adminS3.createBucket(b -> b.bucket("docs"));
      adminS3.putObject(b -> b.bucket("docs").key("a.txt"), RequestBody.fromString("a"));
      AccessKey key = user(iam, "nobody");
      String who = userArn("nobody");
      try (SqsClient sqs = client(SqsClient.builder(), keys(key));
           SnsClient sns = client(SnsClient.builder(), keys(key));
           S3Client s3 = client(S3Client.builder(), keys(key));
           LambdaClient lambda = client(LambdaClient.builder(), keys(key));
           KinesisClient kinesis = client(KinesisClient.builder(), keys(key))) {
        assertDenied(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x")), 403, "AccessDenied",
            "User: " + who + " is not authorized to perform: sqs:SendMessage on resource: " + queueArn("orders")
                + " because no identity-based policy allows the sqs:SendMessage action");
        assertDenied(() -> sns.publish(b -> b.topicArn(topic).message("x")), 403, "AuthorizationError",
            "User: " + who + " is not authorized to perform: SNS:Publish on resource: " + topic
                + " because no identity-based policy allows the SNS:Publish action");
        assertDenied(() -> s3.getObjectAsBytes(b -> b.bucket("docs").key("a.txt")), 403, "AccessDenied", null);
        assertDenied(() -> lambda.invoke(b -> b.functionName("anything")), 403, "AccessDeniedException", null);
        assertDenied(() -> kinesis.putRecord(b -> b.streamName("events").partitionKey("k").data(SdkBytes.fromUtf8String("x"))),
            400, "AccessDeniedException", null);
        assertDenied(sqs::listQueues, 403, "AccessDenied",
            "User: " + who + " is not authorized to perform: sqs:ListQueues because no identity-based policy allows the "
                + "sqs:ListQueues action");
      }
      // STS's GetCallerIdentity needs no permission.
      try (StsClient sts = client(StsClient.builder(), keys(key))) {
        assertThat(sts.getCallerIdentity().arn()).isEqualTo(who);
      }
    }
  }

  @Test
  void aPolicyOnOneQueueLetsTheUserSendThereOnly() {
    try (IamClient iam = iam(); SqsClient adminSqs = client(SqsClient.builder(), admin())) {
      String allowed = adminSqs.createQueue(b -> b.queueName("allowed")).queueUrl();
      String other = adminSqs.createQueue(b -> b.queueName("other")).queueUrl();
      AccessKey key = user(iam, "sender");
      iam.putUserPolicy(b -> b.userName("sender").policyName("send").policyDocument(allow("sqs:SendMessage", queueArn("allowed"))));
      for (int node = 0; node < EmbeddedServer.nodes(); node++) {
        try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(node), keys(key))) {
          assertThat(sqs.sendMessage(b -> b.queueUrl(allowed).messageBody("hi")).messageId()).isNotEmpty();
          assertDenied(() -> sqs.sendMessage(b -> b.queueUrl(other).messageBody("hi")), 403, "AccessDenied", null);
          assertDenied(() -> sqs.receiveMessage(b -> b.queueUrl(allowed)), 403, "AccessDenied", null);
        }
      }
    }
  }

  @Test
  void anExplicitDenyInAGroupPolicyWinsAndNotActionAllowsTheRest() {
    try (IamClient iam = iam(); SqsClient adminSqs = client(SqsClient.builder(), admin())) {
      String queue = adminSqs.createQueue(b -> b.queueName("guarded")).queueUrl();
      AccessKey key = user(iam, "member");
      iam.putUserPolicy(b -> b.userName("member").policyName("most").policyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"sqs:DeleteQueue\",\"Resource\":\"*\"}]}"));
      try (SqsClient sqs = client(SqsClient.builder(), keys(key))) {
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("1"));
        assertDenied(() -> sqs.deleteQueue(b -> b.queueUrl(queue)), 403, "AccessDenied", null);
        iam.createGroup(b -> b.groupName("readers"));
        iam.putGroupPolicy(b -> b.groupName("readers").policyName("no-send").policyDocument(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}"));
        iam.addUserToGroup(b -> b.groupName("readers").userName("member"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertDenied(() -> sqs.sendMessage(b -> b.queueUrl(queue)
            .messageBody("2")), 403, "AccessDenied", "User: " + userArn("member") + " is not authorized to perform: "
            + "sqs:SendMessage on resource: " + queueArn("guarded") + " with an explicit deny in an identity-based policy"));
        sqs.getQueueAttributes(b -> b.queueUrl(queue));
        // Leaving the group lifts the deny, on every node.
        iam.removeUserFromGroup(b -> b.groupName("readers").userName("member"));
        for (int node = 0; node < EmbeddedServer.nodes(); node++) {
          try (SqsClient at = client(SqsClient.builder(), server.endpoint(node), keys(key))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> at.sendMessage(b -> b.queueUrl(queue).messageBody("3")));
          }
        }
      }
    }
  }

  @Test
  void conditionsAndPolicyVariablesAreEvaluated() {
    try (IamClient iam = iam(); S3Client adminS3 = client(S3Client.builder(), admin());
         SqsClient adminSqs = client(SqsClient.builder(), admin())) {
      adminS3.createBucket(b -> b.bucket("homes"));
      String queue = adminSqs.createQueue(b -> b.queueName("local-only")).queueUrl();
      AccessKey key = user(iam, "dana");
      iam.putUserPolicy(b -> b.userName("dana").policyName("home").policyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\"],"
              + "\"Resource\":\"arn:aws:s3:::homes/${aws:username}/*\"}]}"));
      iam.putUserPolicy(b -> b.userName("dana").policyName("ip").policyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\","
              + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.1/32\"}}},"
              + "{\"Effect\":\"Allow\",\"Action\":\"sqs:GetQueueAttributes\",\"Resource\":\"*\","
              + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.9.0.0/16\"}}}]}"));
      try (S3Client s3 = client(S3Client.builder(), keys(key)); SqsClient sqs = client(SqsClient.builder(), keys(key))) {
        s3.putObject(b -> b.bucket("homes").key("dana/notes.txt"), RequestBody.fromString("mine"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("homes").key("dana/notes.txt")).asUtf8String()).isEqualTo("mine");
        assertDenied(() -> s3.putObject(b -> b.bucket("homes").key("erin/notes.txt"), RequestBody.fromString("x")), 403,
            "AccessDenied", "Access Denied");
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("from loopback"));
        assertDenied(() -> sqs.getQueueAttributes(b -> b.queueUrl(queue)), 403, "AccessDenied", null);
      }
    }
  }

  @Test
  void deletingAUserPolicyTakesEffectOnEveryNode() {
    try (IamClient iam = iam(); SqsClient adminSqs = client(SqsClient.builder(), admin())) {
      String queue = adminSqs.createQueue(b -> b.queueName("revoked")).queueUrl();
      AccessKey key = user(iam, "erin");
      iam.putUserPolicy(b -> b.userName("erin").policyName("send").policyDocument(allow("sqs:SendMessage", "*")));
      for (int node = 0; node < EmbeddedServer.nodes(); node++) {
        try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(node), keys(key))) {
          sqs.sendMessage(b -> b.queueUrl(queue).messageBody("cached")); // the node keeps erin's policies now
        }
      }
      iam.deleteUserPolicy(b -> b.userName("erin").policyName("send"));
      for (int node = 0; node < EmbeddedServer.nodes(); node++) {
        try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(node), keys(key))) {
          await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertDenied(() -> sqs.sendMessage(b -> b.queueUrl(queue)
              .messageBody("gone")), 403, "AccessDenied", null));
        }
      }
    }
  }

  @Test
  void aManagedPolicyAttachedToTheUserAllowsAndItsNewDefaultVersionTakesEffect() {
    try (IamClient iam = iam(); SqsClient adminSqs = client(SqsClient.builder(), admin())) {
      String queue = adminSqs.createQueue(b -> b.queueName("managed")).queueUrl();
      AccessKey key = user(iam, "gail");
      String policy = iam.createPolicy(b -> b.policyName("senders").policyDocument(allow("sqs:SendMessage", "*"))).policy().arn();
      iam.attachUserPolicy(b -> b.userName("gail").policyArn(policy));
      try (SqsClient sqs = client(SqsClient.builder(), keys(key))) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("1")));
        iam.createPolicyVersion(b -> b.policyArn(policy).setAsDefault(true).policyDocument(allow("sqs:ListQueues", "*")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertDenied(() -> sqs.sendMessage(b -> b.queueUrl(queue)
            .messageBody("2")), 403, "AccessDenied", null));
        sqs.listQueues();
      }
    }
  }

  @Test
  void anAssumedRolesSessionHasItsRolesPolicies() {
    try (IamClient iam = iam(); SqsClient adminSqs = client(SqsClient.builder(), admin())) {
      String queue = adminSqs.createQueue(b -> b.queueName("role-work")).queueUrl();
      AccessKey key = user(iam, "frank");
      String trustsAccount = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
          + "\"arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
      String trustsFrank = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
          + "\"" + userArn("frank") + "\"},\"Action\":\"sts:AssumeRole\"}]}";
      String worker = iam.createRole(b -> b.roleName("worker").assumeRolePolicyDocument(trustsFrank)).role().arn();
      String deferring = iam.createRole(b -> b.roleName("deferring").assumeRolePolicyDocument(trustsAccount)).role().arn();
      iam.putRolePolicy(b -> b.roleName("worker").policyName("send").policyDocument(allow("sqs:SendMessage", "*")));
      try (StsClient asFrank = client(StsClient.builder(), keys(key))) {
        // A trust policy naming only the account defers to frank's identity policies, which allow nothing.
        assertDenied(() -> asFrank.assumeRole(b -> b.roleArn(deferring).roleSessionName("s0")), 403, "AccessDenied", null);
        // One naming frank suffices within the account.
        Credentials temporary = asFrank.assumeRole(b -> b.roleArn(worker).roleSessionName("s1")).credentials();
        for (int node = 0; node < EmbeddedServer.nodes(); node++) {
          try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(node), session(temporary))) {
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody("as worker"));
            assertDenied(sqs::listQueues, 403, "AccessDenied", "User: arn:aws:sts::" + ACCOUNT
                + ":assumed-role/worker/s1 is not authorized to perform: sqs:ListQueues because no identity-based policy "
                + "allows the sqs:ListQueues action");
          }
        }
        // Once frank's own policies allow sts:AssumeRole, the account-trusting role opens too.
        iam.putUserPolicy(b -> b.userName("frank").policyName("assume").policyDocument(allow("sts:AssumeRole", deferring)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asFrank.assumeRole(b -> b.roleArn(deferring).roleSessionName("s2")));
        // An explicit deny refuses even a role whose trust policy names him.
        iam.putUserPolicy(b -> b.userName("frank").policyName("never").policyDocument(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertDenied(() -> asFrank.assumeRole(b -> b.roleArn(worker)
            .roleSessionName("s3")), 403, "AccessDenied", null));
      }
    }
  }

  @Test
  void theAdminKeyStillDoesEverything() {
    try (SqsClient sqs = client(SqsClient.builder(), admin()); IamClient iam = iam();
         S3Client s3 = client(S3Client.builder(), admin())) {
      String queue = sqs.createQueue(b -> b.queueName("admins")).queueUrl();
      sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x"));
      sqs.listQueues();
      iam.listUsers();
      s3.createBucket(b -> b.bucket("admins"));
      s3.deleteObjects(b -> b.bucket("admins").delete(d -> d.objects(o -> o.key("nothing"))));
      sqs.deleteQueue(b -> b.queueUrl(queue));
    }
  }

  @Test
  void aFunctionsOwnCallsAreAuthorizedAsItsRole() throws Exception {
    String trustsLambda = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
        + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    byte[] jar = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(System.getProperty("eventplane.thumbnail.jar",
        "../examples/target/eventplane-thumbnail.jar")));
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 256, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", png);
    try (IamClient iam = iam();
         S3Client s3 = client(S3Client.builder().forcePathStyle(true), admin());
         LambdaClient lambda = client(LambdaClient.builder(), admin())) {
      String role = iam.createRole(b -> b.roleName("thumbs").assumeRolePolicyDocument(trustsLambda)).role().arn();
      iam.putRolePolicy(b -> b.roleName("thumbs").policyName("read").policyDocument(allow("s3:GetObject", "arn:aws:s3:::pics/*")));
      for (String bucket : new String[] {"code", "pics", "thumbs"}) s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket("code").key("t.jar"), RequestBody.fromBytes(jar));
      s3.putObject(b -> b.bucket("pics").key("a.png"), RequestBody.fromBytes(png.toByteArray()));
      lambda.createFunction(b -> b.functionName("thumbnailer").runtime(software.amazon.awssdk.services.lambda.model.Runtime.JAVA17)
          .role(role).handler("io.eventplane.examples.thumbnail.Thumbnailer::handleRequest").timeout(60).memorySize(512)
          .code(c -> c.s3Bucket("code").s3Key("t.jar"))
          .environment(e -> e.variables(java.util.Map.of("THUMBNAIL_BUCKET", "thumbs"))));
      // An S3 notification as AWS sends it (the runtime's S3Event wants every member).
      SdkBytes event = SdkBytes.fromUtf8String(new io.vertx.core.json.JsonObject().put("Records", new io.vertx.core.json.JsonArray()
          .add(new io.vertx.core.json.JsonObject().put("eventVersion", "2.1").put("eventSource", "aws:s3")
              .put("awsRegion", "us-east-1").put("eventTime", "2026-01-01T00:00:00.000Z").put("eventName", "ObjectCreated:Put")
              .put("userIdentity", new io.vertx.core.json.JsonObject().put("principalId", "EXAMPLE"))
              .put("requestParameters", new io.vertx.core.json.JsonObject().put("sourceIPAddress", "127.0.0.1"))
              .put("responseElements", new io.vertx.core.json.JsonObject().put("x-amz-request-id", "R").put("x-amz-id-2", "I"))
              .put("s3", new io.vertx.core.json.JsonObject().put("s3SchemaVersion", "1.0").put("configurationId", "c")
                  .put("bucket", new io.vertx.core.json.JsonObject().put("name", "pics").put("arn", "arn:aws:s3:::pics")
                      .put("ownerIdentity", new io.vertx.core.json.JsonObject().put("principalId", "EXAMPLE")))
                  .put("object", new io.vertx.core.json.JsonObject().put("key", "a.png").put("size", png.size())
                      .put("eTag", "0123456789abcdef0123456789abcdef").put("sequencer", "0A1B2C3D4E5F678901")))))
          .encode());
      // The role may read the picture but not write the thumbnail: the function's PutObject is refused.
      var refused = lambda.invoke(b -> b.functionName("thumbnailer").payload(event));
      assertThat(refused.functionError()).as(refused.payload().asUtf8String()).isEqualTo("Unhandled");
      assertThat(refused.payload().asUtf8String()).contains("Access Denied");
      iam.putRolePolicy(b -> b.roleName("thumbs").policyName("write").policyDocument(
          allow("s3:PutObject", "arn:aws:s3:::thumbs/thumbnails/*")));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        var done = lambda.invoke(b -> b.functionName("thumbnailer").payload(event));
        assertThat(done.functionError()).as(done.payload().asUtf8String()).isNull();
      });
      assertThat(s3.headObject(b -> b.bucket("thumbs").key("thumbnails/a.png")).contentLength()).isPositive();
    }
  }
}
