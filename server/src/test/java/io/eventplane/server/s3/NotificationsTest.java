package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.Message;

/** Bucket notifications: every upload path notifies each kind of destination, with the event exactly as S3 sends it. */
class NotificationsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static S3Client s3() {
    return server.s3();
  }

  private static String queue(String name) {
    return server.sqs().createQueue(b -> b.queueName(name)).queueUrl();
  }

  /** The next message of the queue, waiting for it. */
  private static JsonObject next(String queueUrl) {
    for (int i = 0; i < 10; i++) {
      List<Message> got = server.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(2)).messages();
      if (!got.isEmpty()) {
        server.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(got.get(0).receiptHandle()));
        return new JsonObject(got.get(0).body());
      }
    }
    throw new AssertionError("no message reached " + queueUrl);
  }

  private static void assertEmpty(String queueUrl) {
    assertThat(server.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages()).isEmpty();
  }

  private static QueueConfiguration toQueue(String id, String arn, String prefix, String suffix, Event... events) {
    return QueueConfiguration.builder().id(id).queueArn(arn).events(events)
        .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.PREFIX).value(prefix),
            r -> r.name(FilterRuleName.SUFFIX).value(suffix)))).build();
  }

  @Test
  void everyUploadPathNotifiesTheQueueWithS3sEvent() {
    String url = queue("uploads-events");
    s3().createBucket(b -> b.bucket("uploads"));
    s3().putBucketNotificationConfiguration(b -> b.bucket("uploads").notificationConfiguration(NotificationConfiguration.builder()
        .queueConfigurations(toQueue("images", "arn:aws:sqs:us-east-1:000000000000:uploads-events", "in/", ".jpg",
            Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED)).build()));
    JsonObject test = next(url);
    assertThat(test.getString("Event")).isEqualTo("s3:TestEvent");
    assertThat(test.getString("Bucket")).isEqualTo("uploads");
    assertThat(test.getString("Service")).isEqualTo("Amazon S3");

    String etag = s3().putObject(b -> b.bucket("uploads").key("in/my photo.jpg"), RequestBody.fromString("jpeg bytes")).eTag();
    JsonObject event = next(url);
    JsonObject record = event.getJsonArray("Records").getJsonObject(0);
    assertThat(event.getJsonArray("Records")).hasSize(1);
    assertThat(record.getString("eventVersion")).isEqualTo("2.1");
    assertThat(record.getString("eventSource")).isEqualTo("aws:s3");
    assertThat(record.getString("awsRegion")).isEqualTo("us-east-1");
    assertThat(record.getString("eventName")).isEqualTo("ObjectCreated:Put");
    assertThat(record.getString("eventTime")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    assertThat(record.getJsonObject("userIdentity").getString("principalId")).isNotEmpty();
    assertThat(record.getJsonObject("requestParameters").getString("sourceIPAddress")).isEqualTo("127.0.0.1");
    assertThat(record.getJsonObject("responseElements").fieldNames()).containsExactlyInAnyOrder("x-amz-request-id", "x-amz-id-2");
    JsonObject s3 = record.getJsonObject("s3");
    assertThat(s3.getString("s3SchemaVersion")).isEqualTo("1.0");
    assertThat(s3.getString("configurationId")).isEqualTo("images");
    assertThat(s3.getJsonObject("bucket")).isEqualTo(new JsonObject().put("name", "uploads")
        .put("ownerIdentity", new JsonObject().put("principalId", "000000000000")).put("arn", "arn:aws:s3:::uploads"));
    JsonObject object = s3.getJsonObject("object");
    assertThat(object.getString("key")).isEqualTo("in/my+photo.jpg");
    assertThat(object.getLong("size")).isEqualTo(10L);
    assertThat(object.getString("eTag")).isEqualTo(etag.replace("\"", ""));
    String firstSequencer = object.getString("sequencer");

    // Filtered out: wrong prefix, wrong suffix.
    s3().putObject(b -> b.bucket("uploads").key("out/x.jpg"), RequestBody.fromString("x"));
    s3().putObject(b -> b.bucket("uploads").key("in/x.png"), RequestBody.fromString("x"));
    assertEmpty(url);

    s3().copyObject(b -> b.sourceBucket("uploads").sourceKey("in/my photo.jpg").destinationBucket("uploads").destinationKey("in/copy.jpg"));
    assertThat(next(url).getJsonArray("Records").getJsonObject(0).getString("eventName")).isEqualTo("ObjectCreated:Copy");

    String id = s3().createMultipartUpload(b -> b.bucket("uploads").key("in/big.jpg")).uploadId();
    assertEmpty(url);
    String part = s3().uploadPart(b -> b.bucket("uploads").key("in/big.jpg").uploadId(id).partNumber(1),
        RequestBody.fromString("only part")).eTag();
    assertEmpty(url);
    s3().completeMultipartUpload(b -> b.bucket("uploads").key("in/big.jpg").uploadId(id)
        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part))));
    JsonObject completed = next(url).getJsonArray("Records").getJsonObject(0);
    assertThat(completed.getString("eventName")).isEqualTo("ObjectCreated:CompleteMultipartUpload");
    assertThat(completed.getJsonObject("s3").getJsonObject("object").getString("eTag")).endsWith("-1");
    assertEmpty(url);

    s3().putObject(b -> b.bucket("uploads").key("in/my photo.jpg"), RequestBody.fromString("again"));
    String secondSequencer = next(url).getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object")
        .getString("sequencer");
    assertThat(secondSequencer).as("sequencers rise for one key").isGreaterThan(firstSequencer);

    s3().putObjectTagging(b -> b.bucket("uploads").key("in/my photo.jpg").tagging(t -> t.tagSet(
        software.amazon.awssdk.services.s3.model.Tag.builder().key("seen").value("yes").build())));
    assertEmpty(url);
    s3().deleteObject(b -> b.bucket("uploads").key("in/my photo.jpg"));
    JsonObject removed = next(url).getJsonArray("Records").getJsonObject(0);
    assertThat(removed.getString("eventName")).isEqualTo("ObjectRemoved:Delete");
    assertThat(removed.getJsonObject("s3").getJsonObject("object").fieldNames()).containsExactlyInAnyOrder("key", "sequencer");

    var stored = s3().getBucketNotificationConfiguration(b -> b.bucket("uploads"));
    assertThat(stored.queueConfigurations()).hasSize(1);
    assertThat(stored.queueConfigurations().get(0).id()).isEqualTo("images");
    assertThat(stored.queueConfigurations().get(0).events()).containsExactly(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED);
    assertThat(stored.queueConfigurations().get(0).filter().key().filterRules()).hasSize(2);
  }

  @Test
  void taggingNotifiesWhenConfigured() {
    String url = queue("tagging-events");
    s3().createBucket(b -> b.bucket("tagging"));
    s3().putObject(b -> b.bucket("tagging").key("k"), RequestBody.fromString("x"));
    s3().putBucketNotificationConfiguration(b -> b.bucket("tagging").notificationConfiguration(n -> n.queueConfigurations(
        q -> q.queueArn("arn:aws:sqs:us-east-1:000000000000:tagging-events").events(Event.S3_OBJECT_TAGGING))));
    assertThat(next(url).getString("Event")).isEqualTo("s3:TestEvent");
    s3().putObjectTagging(b -> b.bucket("tagging").key("k").tagging(t -> t.tagSet(
        software.amazon.awssdk.services.s3.model.Tag.builder().key("a").value("b").build())));
    assertThat(next(url).getJsonArray("Records").getJsonObject(0).getString("eventName")).isEqualTo("ObjectTagging:Put");
    s3().deleteObjectTagging(b -> b.bucket("tagging").key("k"));
    assertThat(next(url).getJsonArray("Records").getJsonObject(0).getString("eventName")).isEqualTo("ObjectTagging:Delete");
  }

  @Test
  void topicsAndFunctionsGetTheEventToo() {
    String viaTopic = queue("via-topic");
    String topic = server.sns().createTopic(b -> b.name("uploads-topic")).topicArn();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:via-topic")
        .attributes(Map.of("RawMessageDelivery", "true")));
    String successes = queue("function-successes");
    Functions.create(server.lambda(), "on-upload", Functions.DIAGNOSTICS);
    server.lambda().putFunctionEventInvokeConfig(b -> b.functionName("on-upload").maximumRetryAttempts(0)
        .destinationConfig(d -> d.onSuccess(s -> s.destination("arn:aws:sqs:us-east-1:000000000000:function-successes"))));
    s3().createBucket(b -> b.bucket("fanout"));
    s3().putBucketNotificationConfiguration(b -> b.bucket("fanout").notificationConfiguration(n -> n
        .topicConfigurations(t -> t.id("to-topic").topicArn(topic).events(Event.S3_OBJECT_CREATED_PUT)
            .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.PREFIX).value("t/")))))
        .lambdaFunctionConfigurations(l -> l.id("to-function")
            .lambdaFunctionArn("arn:aws:lambda:us-east-1:000000000000:function:on-upload").events(Event.S3_OBJECT_CREATED)
            .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.PREFIX).value("f/")))))));
    assertThat(next(viaTopic).getString("Event")).isEqualTo("s3:TestEvent");

    s3().putObject(b -> b.bucket("fanout").key("t/one"), RequestBody.fromString("1"));
    JsonObject fromTopic = next(viaTopic).getJsonArray("Records").getJsonObject(0);
    assertThat(fromTopic.getJsonObject("s3").getString("configurationId")).isEqualTo("to-topic");
    assertThat(fromTopic.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("t/one");

    s3().putObject(b -> b.bucket("fanout").key("f/two"), RequestBody.fromString("22"));
    JsonObject record = next(successes);
    JsonObject payload = record.getJsonObject("requestPayload");
    assertThat(payload.getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object").getString("key"))
        .isEqualTo("f/two");
    assertThat(payload.getJsonArray("Records").getJsonObject(0).getString("eventName")).isEqualTo("ObjectCreated:Put");
  }

  @Test
  void configurationsAreValidatedAsS3ValidatesThem() {
    s3().createBucket(b -> b.bucket("strict"));
    String arn = "arn:aws:sqs:us-east-1:000000000000:strict-events";
    assertThatThrownBy(() -> s3().putBucketNotificationConfiguration(b -> b.bucket("strict").notificationConfiguration(n -> n
        .queueConfigurations(q -> q.queueArn(arn).events(Event.S3_OBJECT_CREATED)))))
        .as("the destination must exist").isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
    queue("strict-events");
    List<QueueConfiguration> overlapping = new ArrayList<>(List.of(
        toQueue("a", arn, "in/", ".jpg", Event.S3_OBJECT_CREATED), toQueue("b", arn, "in/photos/", ".jpg", Event.S3_OBJECT_CREATED_PUT)));
    assertThatThrownBy(() -> s3().putBucketNotificationConfiguration(b -> b.bucket("strict").notificationConfiguration(n -> n
        .queueConfigurations(overlapping)))).isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorMessage()).contains("overlapping"));
    assertThatThrownBy(() -> s3().putBucketNotificationConfiguration(b -> b.bucket("strict").notificationConfiguration(n -> n
        .queueConfigurations(q -> q.queueArn(arn).eventsWithStrings("s3:ObjectCreated:Nope")))))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
    // Distinct prefixes do not overlap.
    s3().putBucketNotificationConfiguration(b -> b.bucket("strict").notificationConfiguration(n -> n.queueConfigurations(
        toQueue("a", arn, "in/", ".jpg", Event.S3_OBJECT_CREATED), toQueue("b", arn, "out/", ".jpg", Event.S3_OBJECT_CREATED))));
    assertThat(s3().getBucketNotificationConfiguration(b -> b.bucket("strict")).queueConfigurations()).hasSize(2);
    // An empty configuration turns notifications off.
    s3().putBucketNotificationConfiguration(b -> b.bucket("strict").notificationConfiguration(n -> { }));
    assertThat(s3().getBucketNotificationConfiguration(b -> b.bucket("strict")).queueConfigurations()).isEmpty();
  }

  /** A raw PUT of a notification configuration (the SDK keeps no body of an S3 error). */
  private static java.net.http.HttpResponse<String> putConfiguration(String bucket, String xml, boolean skipValidation)
      throws Exception {
    java.net.http.HttpRequest.Builder put = java.net.http.HttpRequest.newBuilder(server.endpoint().resolve("/" + bucket + "?notification"))
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(xml));
    if (skipValidation) put.header("x-amz-skip-destination-validation", "true");
    return java.net.http.HttpClient.newHttpClient().send(put.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /**
   * An ARN that does not parse is refused even when validation is skipped; destinations that cannot
   * be validated are all named, numbered as S3 numbers them; skipping validation stores them, sending
   * no test event.
   */
  @Test
  void destinationsThatCannotBeValidatedAreNamedAndSkippingStoresThem() throws Exception {
    s3().createBucket(b -> b.bucket("named"));
    String existing = queue("named-events");
    String queueXml = "<Queue>%s</Queue><Event>s3:ObjectCreated:*</Event>";
    for (boolean skip : new boolean[] {false, true}) {
      var refused = putConfiguration("named", "<NotificationConfiguration><QueueConfiguration>"
          + queueXml.formatted("arn:aws:sns:us-east-1:000000000000:a-topic") + "</QueueConfiguration></NotificationConfiguration>", skip);
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("<Code>InvalidArgument</Code><Message>The ARN could not be parsed</Message>"
          + "<ArgumentName>Queue</ArgumentName><ArgumentValue>arn:aws:sns:us-east-1:000000000000:a-topic</ArgumentValue>");
    }
    String missingQueue = "arn:aws:sqs:us-east-1:000000000000:no-queue";
    String missingFunction = "arn:aws:lambda:us-east-1:000000000000:function:no-function";
    String missing = "<NotificationConfiguration><QueueConfiguration>" + queueXml.formatted(missingQueue) + "</QueueConfiguration>"
        + "<CloudFunctionConfiguration><CloudFunction>" + missingFunction + "</CloudFunction><Event>s3:ObjectRemoved:*</Event>"
        + "</CloudFunctionConfiguration></NotificationConfiguration>";
    var notValidated = putConfiguration("named", missing, false);
    assertThat(notValidated.statusCode()).isEqualTo(400);
    assertThat(notValidated.body()).contains("<Message>Unable to validate the following destination configurations</Message>"
        + "<ArgumentName1>" + missingQueue + "</ArgumentName1><ArgumentValue1>The destination queue does not exist</ArgumentValue1>"
        + "<ArgumentName2>" + missingFunction + ", null</ArgumentName2><ArgumentValue2>Not authorized to invoke function ["
        + missingFunction + "]</ArgumentValue2>");
    assertThat(s3().getBucketNotificationConfiguration(b -> b.bucket("named")).queueConfigurations()).isEmpty();

    String both = "<NotificationConfiguration><QueueConfiguration>" + queueXml.formatted(missingQueue)
        + "<Filter><S3Key><FilterRule><Name>prefix</Name><Value>a/</Value></FilterRule></S3Key></Filter></QueueConfiguration>"
        + "<QueueConfiguration>" + queueXml.formatted("arn:aws:sqs:us-east-1:000000000000:named-events")
        + "<Filter><S3Key><FilterRule><Name>prefix</Name><Value>b/</Value></FilterRule></S3Key></Filter></QueueConfiguration>"
        + "</NotificationConfiguration>";
    assertThat(putConfiguration("named", both, true).statusCode()).isEqualTo(200);
    assertThat(s3().getBucketNotificationConfiguration(b -> b.bucket("named")).queueConfigurations()).hasSize(2);
    s3().putObject(b -> b.bucket("named").key("b/x"), RequestBody.fromString("x"));
    // No test event first: the upload's event is the queue's first message.
    assertThat(next(existing).getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object")
        .getString("key")).isEqualTo("b/x");
  }

  /** Presigned URLs (SigV4 query form) read and write, a presigned PUT notifies, and an expired URL is AccessDenied. */
  @Test
  void presignedUrlsWorkAndNotifyUntilTheyExpire() throws Exception {
    String url = queue("presigned-events");
    s3().createBucket(b -> b.bucket("presigned"));
    s3().putBucketNotificationConfiguration(b -> b.bucket("presigned").notificationConfiguration(n -> n.queueConfigurations(
        q -> q.queueArn("arn:aws:sqs:us-east-1:000000000000:presigned-events").events(Event.S3_OBJECT_CREATED))));
    assertThat(next(url).getString("Event")).isEqualTo("s3:TestEvent");
    try (software.amazon.awssdk.services.s3.presigner.S3Presigner presigner =
        software.amazon.awssdk.services.s3.presigner.S3Presigner.builder().endpointOverride(server.endpoint())
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test"))).build()) {
      java.net.URL put = presigner.presignPutObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(5))
          .putObjectRequest(r -> r.bucket("presigned").key("by-url.txt"))).url();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpResponse<String> stored = http.send(java.net.http.HttpRequest.newBuilder(put.toURI())
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("uploaded by url")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(stored.statusCode()).isEqualTo(200);
      JsonObject record = next(url).getJsonArray("Records").getJsonObject(0);
      assertThat(record.getString("eventName")).isEqualTo("ObjectCreated:Put");
      assertThat(record.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("by-url.txt");
      java.net.URL get = presigner.presignGetObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(5))
          .getObjectRequest(r -> r.bucket("presigned").key("by-url.txt"))).url();
      assertThat(http.send(java.net.http.HttpRequest.newBuilder(get.toURI()).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("uploaded by url");
      // Signed long ago for a minute: expired.
      String expired = get.toString().replaceAll("X-Amz-Date=[0-9TZ]+", "X-Amz-Date=20200101T000000Z")
          .replaceAll("X-Amz-Expires=\\d+", "X-Amz-Expires=60");
      java.net.http.HttpResponse<String> refused = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(expired))
          .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("<Code>AccessDenied</Code>").contains("<Message>Request has expired</Message>");
    }
  }
}
