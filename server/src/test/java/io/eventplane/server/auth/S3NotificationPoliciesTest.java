package io.eventplane.server.auth;

import static io.eventplane.server.auth.SignedIdentitiesTest.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.GetBucketNotificationConfigurationResponse;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code --auth iam}: a bucket's event notifications reach a queue, topic or function only if the
 * destination's own policy lets {@code s3.amazonaws.com} send there for the bucket, as on AWS.
 * PutBucketNotificationConfiguration refuses a configuration whose destinations do not allow it
 * (InvalidArgument naming each one, nothing stored); a policy taken back later stops the deliveries.
 */
class S3NotificationPoliciesTest {
  static final String ACCOUNT = SignedIdentitiesTest.ACCOUNT;

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.IAM)
      .withAdminKey(SignedIdentitiesTest.ADMIN_KEY, SignedIdentitiesTest.ADMIN_SECRET)));

  private S3Client s3;
  private SqsClient sqs;
  private SnsClient sns;

  /** The body of the S3 client's last answer (the SDK keeps no raw body of an S3 error). */
  private final java.util.concurrent.atomic.AtomicReference<String> lastBody = new java.util.concurrent.atomic.AtomicReference<>();

  @BeforeEach
  void clients() {
    s3 = S3Client.builder().forcePathStyle(true).endpointOverride(server.endpoint())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(admin())
        .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())
            .addExecutionInterceptor(
        new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
          @Override
          public java.util.Optional<java.io.InputStream> modifyHttpResponseContent(
              software.amazon.awssdk.core.interceptor.Context.ModifyHttpResponse context,
              software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            java.util.Optional<java.io.InputStream> body = context.responseBody();
            if (body.isEmpty()) return body;
            try {
              byte[] bytes = body.get().readAllBytes();
              lastBody.set(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
              return java.util.Optional.of(new java.io.ByteArrayInputStream(bytes));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        })).build();
    sqs = IamEnforcementTest.client(SqsClient.builder(), server.endpoint(), admin());
    sns = IamEnforcementTest.client(SnsClient.builder(), server.endpoint(), admin());
  }

  @AfterEach
  void close() {
    s3.close();
    sqs.close();
    sns.close();
  }

  static String queueArn(String name) {
    return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name;
  }

  static String bucketArn(String bucket) {
    return "arn:aws:s3:::" + bucket;
  }

  /** A statement letting {@code service} perform {@code action} on {@code resource} for the source ARN, in this account. */
  static JsonObject allowService(String service, String action, String resource, String sourceArn) {
    return new JsonObject().put("Effect", "Allow").put("Principal", new JsonObject().put("Service", service))
        .put("Action", action).put("Resource", resource).put("Condition", new JsonObject()
            .put("ArnEquals", new JsonObject().put("aws:SourceArn", sourceArn))
            .put("StringEquals", new JsonObject().put("aws:SourceAccount", ACCOUNT)));
  }

  static String policy(JsonObject... statements) {
    return new JsonObject().put("Version", "2012-10-17").put("Statement", new JsonArray(List.of((Object[]) statements))).encode();
  }

  /** The queue's policy lets S3 send it the events of each bucket named. */
  static String queueAllowsBuckets(String queue, String... buckets) {
    List<JsonObject> statements = new ArrayList<>();
    for (String b : buckets) statements.add(allowService("s3.amazonaws.com", "sqs:SendMessage", queueArn(queue), bucketArn(b)));
    return policy(statements.toArray(JsonObject[]::new));
  }

  private String queue(String name) {
    return sqs.createQueue(b -> b.queueName(name)).queueUrl();
  }

  private void setQueuePolicy(String url, String policy) {
    sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, policy)));
  }

  /** The next message of the queue, waiting for it; deleted once read. */
  private JsonObject next(String queueUrl) {
    for (int i = 0; i < 10; i++) {
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(2)).messages();
      if (!got.isEmpty()) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(got.get(0).receiptHandle()));
        return new JsonObject(got.get(0).body());
      }
    }
    throw new AssertionError("no message reached " + queueUrl);
  }

  private void assertEmpty(String queueUrl) {
    assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages()).isEmpty();
  }

  private static String keyOf(JsonObject event) {
    return event.getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object").getString("key");
  }

  private void upload(String bucket, String key) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("bytes of " + key));
  }

  /**
   * The call fails as S3 fails a configuration it cannot validate: 400 InvalidArgument, and the
   * body names each destination with why (ArgumentName1/ArgumentValue1, ...), in that order.
   */
  private void assertNotValidated(Runnable put, String... namesAndReasons) {
    assertThatThrownBy(put::run).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Unable to validate the following destination configurations");
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < namesAndReasons.length; i += 2) {
        int n = i / 2 + 1;
        expected.append("<ArgumentName").append(n).append('>').append(namesAndReasons[i]).append("</ArgumentName").append(n)
            .append("><ArgumentValue").append(n).append('>').append(namesAndReasons[i + 1]).append("</ArgumentValue").append(n)
            .append('>');
      }
      String body = lastBody.get();
      assertThat(body).contains(expected);
      assertThat(body).doesNotContain("<ArgumentName" + (namesAndReasons.length / 2 + 1) + ">");
    });
  }

  private static final String QUEUE_REFUSED =
      "Permissions on the destination queue do not allow S3 to publish notifications from this bucket";
  private static final String TOPIC_REFUSED =
      "Permissions on the destination topic do not allow S3 to publish notifications from this bucket";

  @Test
  void aQueueMustAllowS3ForTheBucketBeforeItIsADestination() {
    String url = queue("photo-events");
    String arn = queueArn("photo-events");
    s3.createBucket(b -> b.bucket("photos"));
    // EventBridge needs no destination policy: stored as it is.
    s3.putBucketNotificationConfiguration(b -> b.bucket("photos").notificationConfiguration(n -> n
        .eventBridgeConfiguration(e -> { })));
    NotificationConfiguration toQueue = NotificationConfiguration.builder()
        .queueConfigurations(q -> q.id("to-queue").queueArn(arn).events(Event.S3_OBJECT_CREATED)).build();

    assertNotValidated(() -> s3.putBucketNotificationConfiguration(b -> b.bucket("photos").notificationConfiguration(toQueue)),
        arn, QUEUE_REFUSED);
    GetBucketNotificationConfigurationResponse stored = s3.getBucketNotificationConfiguration(b -> b.bucket("photos"));
    assertThat(stored.queueConfigurations()).as("nothing stored").isEmpty();
    assertThat(stored.eventBridgeConfiguration()).as("the earlier configuration stays").isNotNull();
    assertEmpty(url);

    // Allowed for another bucket only: still refused.
    setQueuePolicy(url, queueAllowsBuckets("photo-events", "other-bucket"));
    assertNotValidated(() -> s3.putBucketNotificationConfiguration(b -> b.bucket("photos").notificationConfiguration(toQueue)),
        arn, QUEUE_REFUSED);

    setQueuePolicy(url, queueAllowsBuckets("photo-events", "photos"));
    s3.putBucketNotificationConfiguration(b -> b.bucket("photos").notificationConfiguration(toQueue));
    assertThat(next(url).getString("Event")).isEqualTo("s3:TestEvent");
    assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("photos")).queueConfigurations()).hasSize(1);
    upload("photos", "a.jpg");
    JsonObject event = next(url);
    assertThat(keyOf(event)).isEqualTo("a.jpg");
    assertThat(event.getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getString("configurationId"))
        .isEqualTo("to-queue");
  }

  @Test
  void aTopicMustAllowS3ToPublish() {
    String topic = sns.createTopic(b -> b.name("uploads")).topicArn();
    String viaTopic = queue("via-topic");
    // The topic's own deliveries to its subscriber need the queue's consent too (as on AWS).
    setQueuePolicy(viaTopic, policy(allowService("sns.amazonaws.com", "sqs:SendMessage", queueArn("via-topic"), topic)));
    sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("via-topic"))
        .attributes(Map.of("RawMessageDelivery", "true")));
    s3.createBucket(b -> b.bucket("shared"));
    NotificationConfiguration toTopic = NotificationConfiguration.builder()
        .topicConfigurations(t -> t.topicArn(topic).events(Event.S3_OBJECT_CREATED_PUT)).build();

    // The topic's default policy lets only the account's principals publish, not S3.
    assertNotValidated(() -> s3.putBucketNotificationConfiguration(b -> b.bucket("shared").notificationConfiguration(toTopic)),
        topic, TOPIC_REFUSED);
    assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("shared")).topicConfigurations()).isEmpty();

    sns.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy")
        .attributeValue(policy(allowService("s3.amazonaws.com", "sns:Publish", topic, bucketArn("shared")))));
    s3.putBucketNotificationConfiguration(b -> b.bucket("shared").notificationConfiguration(toTopic));
    assertThat(next(viaTopic).getString("Event")).isEqualTo("s3:TestEvent");
    upload("shared", "doc.txt");
    assertThat(keyOf(next(viaTopic))).isEqualTo("doc.txt");
  }

  @Test
  void aFunctionMustBePermittedToBeInvokedByS3() {
    String successes = queue("function-successes");
    String fn = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:on-upload";
    try (IamClient iam = IamEnforcementTest.client(IamClient.builder(), server.endpoint(), admin()); LambdaClient lambda = IamEnforcementTest.client(LambdaClient.builder(), server.endpoint(), admin())) {
      String trustsLambda = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
          + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
      iam.createRole(b -> b.roleName("lambda-role").assumeRolePolicyDocument(trustsLambda));
      iam.putRolePolicy(b -> b.roleName("lambda-role").policyName("destinations")
          .policyDocument(IamEnforcementTest.allow("sqs:SendMessage", queueArn("function-successes"))));
      Functions.create(lambda, "on-upload", Functions.DIAGNOSTICS);
      lambda.putFunctionEventInvokeConfig(b -> b.functionName("on-upload").maximumRetryAttempts(0)
          .destinationConfig(d -> d.onSuccess(s -> s.destination(queueArn("function-successes")))));
      s3.createBucket(b -> b.bucket("inbox"));
      NotificationConfiguration toFunction = NotificationConfiguration.builder()
          .lambdaFunctionConfigurations(l -> l.lambdaFunctionArn(fn).events(Event.S3_OBJECT_CREATED)).build();

      assertNotValidated(() -> s3.putBucketNotificationConfiguration(b -> b.bucket("inbox").notificationConfiguration(toFunction)),
          fn + ", null", "Not authorized to invoke function [" + fn + "]");
      assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("inbox")).lambdaFunctionConfigurations()).isEmpty();

      lambda.addPermission(b -> b.functionName("on-upload").statementId("s3-inbox").action("lambda:InvokeFunction")
          .principal("s3.amazonaws.com").sourceArn(bucketArn("inbox")).sourceAccount(ACCOUNT));
      s3.putBucketNotificationConfiguration(b -> b.bucket("inbox").notificationConfiguration(toFunction));
      upload("inbox", "letter.txt");
      JsonObject record = next(successes);
      assertThat(keyOf(record.getJsonObject("requestPayload"))).isEqualTo("letter.txt");
    }
  }

  @Test
  void everyDestinationThatFailsIsNamedInOrder() {
    queue("unallowed");
    String missingTopic = "arn:aws:sns:us-east-1:" + ACCOUNT + ":no-such-topic";
    String allowed = queue("allowed");
    setQueuePolicy(allowed, queueAllowsBuckets("allowed", "several"));
    s3.createBucket(b -> b.bucket("several"));
    assertNotValidated(() -> s3.putBucketNotificationConfiguration(b -> b.bucket("several").notificationConfiguration(n -> n
        .queueConfigurations(
            q -> q.queueArn(queueArn("allowed")).events(Event.S3_OBJECT_CREATED)
                .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.PREFIX).value("a/")))),
            q -> q.queueArn(queueArn("unallowed")).events(Event.S3_OBJECT_CREATED)
                .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.PREFIX).value("b/")))))
        .topicConfigurations(t -> t.topicArn(missingTopic).events(Event.S3_OBJECT_REMOVED)))),
        queueArn("unallowed"), QUEUE_REFUSED, missingTopic, "The destination topic does not exist");
    assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("several")).queueConfigurations()).isEmpty();
    assertEmpty(allowed);
  }

  @Test
  void skippingValidationStoresTheConfigurationButOnlyAllowedDestinationsGetEvents() {
    String unallowed = queue("skip-unallowed");
    String allowed = queue("skip-allowed");
    setQueuePolicy(allowed, queueAllowsBuckets("skip-allowed", "skipping"));
    s3.createBucket(b -> b.bucket("skipping"));
    s3.putBucketNotificationConfiguration(b -> b.bucket("skipping").skipDestinationValidation(true).notificationConfiguration(n -> n
        .queueConfigurations(
            q -> q.queueArn(queueArn("skip-unallowed")).events(Event.S3_OBJECT_CREATED)
                .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.PREFIX).value("u/")))),
            q -> q.queueArn(queueArn("skip-allowed")).events(Event.S3_OBJECT_CREATED)
                .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.PREFIX).value("a/")))))));
    assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("skipping")).queueConfigurations()).hasSize(2);

    upload("skipping", "u/first");
    upload("skipping", "a/second");
    // No test event (validation skipped): the allowed queue's first message is the upload's event.
    assertThat(keyOf(next(allowed))).isEqualTo("a/second");
    assertEmpty(unallowed);
  }

  @Test
  void aPolicyTakenBackStopsTheBucketsEventsWhileAnotherBucketStillDelivers() {
    String url = queue("two-buckets");
    setQueuePolicy(url, queueAllowsBuckets("two-buckets", "first", "second"));
    for (String bucket : new String[] {"first", "second"}) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
          .queueConfigurations(q -> q.queueArn(queueArn("two-buckets")).events(Event.S3_OBJECT_CREATED))));
      assertThat(next(url).getString("Event")).isEqualTo("s3:TestEvent");
    }
    upload("first", "one");
    assertThat(keyOf(next(url))).isEqualTo("one");
    upload("second", "two");
    assertThat(keyOf(next(url))).isEqualTo("two");

    setQueuePolicy(url, queueAllowsBuckets("two-buckets", "second"));
    ResourcePolicyEnforcementTest.awaitEveryNodeReads(server, queueArn("two-buckets"),
        read -> read.policy() != null && read.policy().statements().size() == 1);
    upload("first", "dropped-1");
    upload("second", "three");
    upload("first", "dropped-2");
    upload("second", "four");
    List<String> keys = new ArrayList<>();
    while (keys.size() < 2) keys.add(keyOf(next(url)));
    assertThat(keys).containsExactlyInAnyOrder("three", "four");
    assertEmpty(url);
    // The configuration stays; only the deliveries stop.
    assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("first")).queueConfigurations()).hasSize(1);
  }
}
