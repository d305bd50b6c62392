package io.eventplane.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.EventBridgeConfiguration;
import software.amazon.awssdk.services.s3.model.GetBucketNotificationConfigurationResponse;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A bucket's EventBridgeConfiguration: every object event goes to the default bus as AWS's S3
 * sends it. The shapes are those recorded against AWS in LocalStack's
 * test_s3_notifications_eventbridge.snapshot.json (Object Created, Object Deleted, Object ACL
 * Updated) and the S3 user guide's "EventBridge event message structure" (delete markers).
 */
class S3EventBridgeTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static final String ACCOUNT = "000000000000";

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  private SqsClient sqs() {
    return server.sqs();
  }

  private S3Client s3() {
    return server.s3();
  }

  /** The seed's pattern 6: bucket -> "Object Created" rule -> a queue and a topic (-> a queue), for every upload path. */
  @Test
  void objectCreatedEventsReachAQueueAndATopicForPutMultipartAndCopy() {
    String bucket = "eb-pattern6";
    s3().createBucket(b -> b.bucket(bucket));
    enableEventBridge(bucket);
    String direct = sqs().createQueue(b -> b.queueName("s3-created-direct")).queueUrl();
    String viaTopic = sqs().createQueue(b -> b.queueName("s3-created-via-topic")).queueUrl();
    String topic = server.sns().createTopic(b -> b.name("s3-created")).topicArn();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(viaTopic)));
    events().putRule(b -> b.name("s3-created").eventPattern(
        "{\"source\":[\"aws.s3\"],\"detail-type\":[\"Object Created\"],\"detail\":{\"bucket\":{\"name\":[\"" + bucket + "\"]}}}"));
    events().putTargets(b -> b.rule("s3-created").targets(
        Target.builder().id("queue").arn(queueArn(direct)).build(),
        Target.builder().id("topic").arn(topic).build()));

    s3().putObject(b -> b.bucket(bucket).key("test-key"), RequestBody.fromString("data"));
    JsonObject put = only(direct);
    assertThat(put.fieldNames()).containsExactly("version", "id", "detail-type", "source", "account", "time", "region",
        "resources", "detail");
    assertThat(put.getString("version")).isEqualTo("0");
    assertThat(put.getString("detail-type")).isEqualTo("Object Created");
    assertThat(put.getString("source")).isEqualTo("aws.s3");
    assertThat(put.getString("account")).isEqualTo(ACCOUNT);
    assertThat(put.getString("region")).isEqualTo("us-east-1");
    assertThat(put.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(put.getJsonArray("resources").getList()).containsExactly("arn:aws:s3:::" + bucket);
    JsonObject detail = put.getJsonObject("detail");
    assertThat(detail.fieldNames()).containsExactlyInAnyOrder("version", "bucket", "object", "request-id", "requester",
        "source-ip-address", "reason");
    assertThat(detail.getString("version")).isEqualTo("0");
    assertThat(detail.getJsonObject("bucket")).isEqualTo(new JsonObject().put("name", bucket));
    JsonObject object = detail.getJsonObject("object");
    assertThat(object.fieldNames()).containsExactlyInAnyOrder("key", "size", "etag", "sequencer");
    assertThat(object.getString("key")).isEqualTo("test-key");
    assertThat(object.getLong("size")).isEqualTo(4);
    assertThat(object.getString("etag")).isEqualTo("8d777f385d3dfec8815d20f7496026dc"); // as recorded for b"data"
    assertThat(object.getString("sequencer")).matches("[0-9a-f]{16}");
    assertThat(detail.getString("reason")).isEqualTo("PutObject");
    assertThat(detail.getString("requester")).isEqualTo(ACCOUNT);
    assertThat(detail.getString("request-id")).isNotBlank();
    assertThat(detail.getString("source-ip-address")).isNotBlank();
    JsonObject viaSns = new JsonObject(only(viaTopic).getString("Message"));
    assertThat(viaSns).isEqualTo(put);

    String upload = s3().createMultipartUpload(b -> b.bucket(bucket).key("big")).uploadId();
    String part = s3().uploadPart(b -> b.bucket(bucket).key("big").uploadId(upload).partNumber(1),
        RequestBody.fromString("only part")).eTag();
    s3().completeMultipartUpload(b -> b.bucket(bucket).key("big").uploadId(upload)
        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part))));
    JsonObject completed = only(direct);
    assertThat(completed.getJsonObject("detail").getString("reason")).isEqualTo("CompleteMultipartUpload");
    assertThat(completed.getJsonObject("detail").getJsonObject("object").getString("etag")).endsWith("-1").doesNotContain("\"");
    assertThat(completed.getJsonObject("detail").getJsonObject("object").getLong("size")).isEqualTo(9);
    assertThat(new JsonObject(only(viaTopic).getString("Message"))).isEqualTo(completed);

    s3().copyObject(b -> b.sourceBucket(bucket).sourceKey("test-key").destinationBucket(bucket).destinationKey("copy"));
    JsonObject copied = only(direct);
    assertThat(copied.getJsonObject("detail").getString("reason")).isEqualTo("CopyObject");
    assertThat(copied.getJsonObject("detail").getJsonObject("object").getString("key")).isEqualTo("copy");
    assertThat(new JsonObject(only(viaTopic).getString("Message"))).isEqualTo(copied);

    String firstSequencer = object.getString("sequencer");
    s3().putObject(b -> b.bucket(bucket).key("test-key"), RequestBody.fromString("again"));
    assertThat(only(direct).getJsonObject("detail").getJsonObject("object").getString("sequencer"))
        .as("sequencers rise for one key").isGreaterThan(firstSequencer);
    only(viaTopic);

    // The rule takes "Object Created" only: a delete reaches neither target.
    s3().deleteObject(b -> b.bucket(bucket).key("copy"));
    assertNothing(direct);
  }

  @Test
  void deletesAreObjectDeletedEventsPermanentOrByDeleteMarker() {
    String bucket = "eb-deletes";
    s3().createBucket(b -> b.bucket(bucket));
    enableEventBridge(bucket);
    String queue = ruleToQueue("s3-deleted", "Object Deleted", bucket);

    s3().putObject(b -> b.bucket(bucket).key("gone"), RequestBody.fromString("data"));
    s3().deleteObject(b -> b.bucket(bucket).key("gone"));
    JsonObject deleted = only(queue);
    assertThat(deleted.getString("detail-type")).isEqualTo("Object Deleted");
    JsonObject detail = deleted.getJsonObject("detail");
    assertThat(detail.fieldNames()).containsExactlyInAnyOrder("version", "bucket", "object", "request-id", "requester",
        "source-ip-address", "reason", "deletion-type");
    assertThat(detail.getJsonObject("object").fieldNames()).containsExactlyInAnyOrder("key", "sequencer");
    assertThat(detail.getString("reason")).isEqualTo("DeleteObject");
    assertThat(detail.getString("deletion-type")).isEqualTo("Permanently Deleted");

    s3().putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    s3().putObject(b -> b.bucket(bucket).key("kept"), RequestBody.fromString("data"));
    String marker = s3().deleteObject(b -> b.bucket(bucket).key("kept")).versionId();
    JsonObject markerEvent = only(queue).getJsonObject("detail");
    assertThat(markerEvent.getString("deletion-type")).isEqualTo("Delete Marker Created");
    assertThat(markerEvent.getString("reason")).isEqualTo("DeleteObject");
    JsonObject markerObject = markerEvent.getJsonObject("object");
    assertThat(markerObject.fieldNames()).containsExactlyInAnyOrder("key", "etag", "version-id", "sequencer");
    assertThat(markerObject.getString("etag")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(markerObject.getString("version-id")).isEqualTo(marker);

    s3().deleteObject(b -> b.bucket(bucket).key("kept").versionId(marker));
    JsonObject removedMarker = only(queue).getJsonObject("detail");
    assertThat(removedMarker.getString("deletion-type")).isEqualTo("Permanently Deleted");
    assertThat(removedMarker.getJsonObject("object").getString("version-id")).isEqualTo(marker);
  }

  @Test
  void aclChangesAndTagsAreTheirOwnEventsAndAnUnchangedAclSendsNone() {
    String bucket = "eb-acl-tags";
    s3().createBucket(b -> b.bucket(bucket));
    enableEventBridge(bucket);
    String queue = ruleToQueue("s3-acl-tags", null, bucket);
    s3().putObject(b -> b.bucket(bucket).key("doc"), RequestBody.fromString("something"));
    assertThat(only(queue).getString("detail-type")).isEqualTo("Object Created");

    s3().putObjectAcl(b -> b.bucket(bucket).key("doc").acl(ObjectCannedACL.PRIVATE)); // the ACL it has: no event
    s3().putObjectAcl(b -> b.bucket(bucket).key("doc").acl(ObjectCannedACL.PUBLIC_READ));
    JsonObject acl = only(queue);
    assertThat(acl.getString("detail-type")).isEqualTo("Object ACL Updated");
    JsonObject detail = acl.getJsonObject("detail");
    assertThat(detail.fieldNames()).containsExactlyInAnyOrder("version", "bucket", "object", "request-id", "requester",
        "source-ip-address");
    assertThat(detail.getJsonObject("object").fieldNames()).containsExactlyInAnyOrder("key", "etag");
    assertThat(detail.getJsonObject("object").getString("etag")).isEqualTo("437b930db84b8079c2dd804a71936b5f"); // as recorded

    s3().putObjectTagging(b -> b.bucket(bucket).key("doc").tagging(t -> t.tagSet(Tag.builder().key("k").value("v").build())));
    JsonObject added = only(queue);
    assertThat(added.getString("detail-type")).isEqualTo("Object Tags Added");
    assertThat(added.getJsonObject("detail").fieldNames()).containsExactlyInAnyOrder("version", "bucket", "object",
        "request-id", "requester", "source-ip-address");
    s3().deleteObjectTagging(b -> b.bucket(bucket).key("doc"));
    assertThat(only(queue).getString("detail-type")).isEqualTo("Object Tags Deleted");
  }

  @Test
  void aBucketWithoutEventBridgeConfigurationSendsNothing() {
    String quiet = "eb-quiet";
    String loud = "eb-loud";
    String notified = sqs().createQueue(b -> b.queueName("s3-plain-notifications")).queueUrl();
    s3().createBucket(b -> b.bucket(quiet));
    s3().createBucket(b -> b.bucket(loud));
    // Only a queue notification: nothing goes to EventBridge.
    s3().putBucketNotificationConfiguration(b -> b.bucket(quiet).notificationConfiguration(NotificationConfiguration.builder()
        .queueConfigurations(QueueConfiguration.builder().queueArn(queueArn(notified)).events(
            software.amazon.awssdk.services.s3.model.Event.S3_OBJECT_CREATED).build()).build()));
    enableEventBridge(loud);
    String queue = ruleToQueue("s3-quiet-or-loud", null, quiet, loud);

    s3().putObject(b -> b.bucket(quiet).key("k"), RequestBody.fromString("x"));
    s3().putObject(b -> b.bucket(loud).key("k"), RequestBody.fromString("x"));
    assertThat(only(queue).getJsonObject("detail").getJsonObject("bucket").getString("name")).isEqualTo(loud);
    assertNothing(queue);

    // Configuration removed: EventBridge hears nothing more from the bucket.
    s3().putBucketNotificationConfiguration(b -> b.bucket(loud).notificationConfiguration(NotificationConfiguration.builder().build()));
    s3().putObject(b -> b.bucket(loud).key("k2"), RequestBody.fromString("x"));
    assertNothing(queue);
  }

  @Test
  void theConfigurationRoundTripsAsS3ReturnsIt() {
    String bucket = "eb-config";
    s3().createBucket(b -> b.bucket(bucket));
    assertThat(s3().getBucketNotificationConfiguration(b -> b.bucket(bucket)).eventBridgeConfiguration()).isNull();

    enableEventBridge(bucket);
    GetBucketNotificationConfigurationResponse only = s3().getBucketNotificationConfiguration(b -> b.bucket(bucket));
    assertThat(only.eventBridgeConfiguration()).isEqualTo(EventBridgeConfiguration.builder().build());
    assertThat(only.queueConfigurations()).isEmpty();
    assertThat(only.topicConfigurations()).isEmpty();
    assertThat(only.lambdaFunctionConfigurations()).isEmpty();

    String queue = sqs().createQueue(b -> b.queueName("s3-config-queue")).queueUrl();
    s3().putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(NotificationConfiguration.builder()
        .eventBridgeConfiguration(EventBridgeConfiguration.builder().build())
        .queueConfigurations(QueueConfiguration.builder().id("q").queueArn(queueArn(queue)).events(
            software.amazon.awssdk.services.s3.model.Event.S3_OBJECT_REMOVED).build()).build()));
    GetBucketNotificationConfigurationResponse both = s3().getBucketNotificationConfiguration(b -> b.bucket(bucket));
    assertThat(both.eventBridgeConfiguration()).isNotNull();
    assertThat(both.queueConfigurations()).singleElement().satisfies(q -> assertThat(q.id()).isEqualTo("q"));

    s3().putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(NotificationConfiguration.builder().build()));
    assertThat(s3().getBucketNotificationConfiguration(b -> b.bucket(bucket)).eventBridgeConfiguration()).isNull();
  }

  private void enableEventBridge(String bucket) {
    s3().putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(NotificationConfiguration.builder()
        .eventBridgeConfiguration(EventBridgeConfiguration.builder().build()).build()));
  }

  /** A rule on the default bus for aws.s3 events of these buckets (of one detail-type, or any), to a new queue. */
  private String ruleToQueue(String name, String detailType, String... buckets) {
    String queue = sqs().createQueue(b -> b.queueName(name)).queueUrl();
    JsonObject pattern = new JsonObject().put("source", List.of("aws.s3"))
        .put("detail", new JsonObject().put("bucket", new JsonObject().put("name", List.of(buckets))));
    if (detailType != null) pattern.put("detail-type", List.of(detailType));
    events().putRule(b -> b.name(name).eventPattern(pattern.encode()));
    events().putTargets(b -> b.rule(name).targets(Target.builder().id("queue").arn(queueArn(queue)).build()));
    return queue;
  }

  private String queueArn(String url) {
    return sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
  }

  /** The next message of the queue (waiting for it), which must come alone. */
  private JsonObject only(String url) {
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      for (Message m : sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
        got.add(m);
        sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
      return !got.isEmpty();
    });
    assertThat(got).hasSize(1);
    return new JsonObject(got.get(0).body());
  }

  /** Nothing arrives in the queue for a while (the outbox delivers within milliseconds here). */
  private void assertNothing(String url) {
    List<Message> got = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
    assertThat(got).extracting(Message::body).isEmpty();
  }
}
