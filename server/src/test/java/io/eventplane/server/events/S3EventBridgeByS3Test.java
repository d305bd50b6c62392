package io.eventplane.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.StorageSettings;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EventBridgeConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What S3 does by itself reaches EventBridge too: a restore's three steps and lifecycle transitions
 * and expiries, on the server's clock (a restore takes a minute, a "day" an hour). Shapes as recorded
 * against AWS in LocalStack's test_s3_notifications_eventbridge.snapshot.json (test_restore_object:
 * Initiated with the caller's source-ip-address, Completed with requester s3 and restore-expiry-time,
 * no sequencer) and the S3 user guide (lifecycle expiration: reason "Lifecycle Expiration", no
 * source-ip-address).
 */
class S3EventBridgeByS3Test {
  static final Duration RESTORE_DELAY = Duration.ofMinutes(1);
  static final Duration DAY = Duration.ofHours(1);

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withS3(
      new StorageSettings(RESTORE_DELAY.toMillis(), DAY.toMillis(), 100)));

  private S3Client s3() {
    return server.s3();
  }

  private SqsClient sqs() {
    return server.sqs();
  }

  @Test
  void aRestoreIsInitiatedCompletedAndExpired() {
    String bucket = "eb-restore";
    String queue = bucketToQueue(bucket);
    s3().putObject(b -> b.bucket(bucket).key("cold").storageClass(StorageClass.GLACIER), RequestBody.fromString("something"));
    assertThat(only(queue).getString("detail-type")).isEqualTo("Object Created");

    s3().restoreObject(b -> b.bucket(bucket).key("cold").restoreRequest(r -> r.days(1)
        .glacierJobParameters(j -> j.tier(Tier.EXPEDITED))));
    JsonObject initiated = only(queue);
    assertThat(initiated.getString("detail-type")).isEqualTo("Object Restore Initiated");
    JsonObject detail = initiated.getJsonObject("detail");
    assertThat(detail.fieldNames()).containsExactlyInAnyOrder("version", "bucket", "object", "request-id", "requester",
        "source-ip-address", "source-storage-class");
    assertThat(detail.getJsonObject("object")).isEqualTo(new JsonObject().put("key", "cold").put("size", 9)
        .put("etag", "437b930db84b8079c2dd804a71936b5f"));
    assertThat(detail.getString("source-storage-class")).isEqualTo("GLACIER");
    assertThat(detail.getString("requester")).isEqualTo("000000000000");

    server.advance(RESTORE_DELAY);
    JsonObject completed = only(queue);
    assertThat(completed.getString("detail-type")).isEqualTo("Object Restore Completed");
    detail = completed.getJsonObject("detail");
    assertThat(detail.fieldNames()).containsExactlyInAnyOrder("version", "bucket", "object", "request-id", "requester",
        "restore-expiry-time", "source-storage-class");
    assertThat(detail.getJsonObject("object").fieldNames()).containsExactlyInAnyOrder("key", "size", "etag");
    assertThat(detail.getString("requester")).isEqualTo("s3.amazonaws.com");
    assertThat(detail.getString("restore-expiry-time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(detail.getString("source-storage-class")).isEqualTo("GLACIER");

    server.advance(DAY.multipliedBy(2));
    JsonObject expired = only(queue);
    assertThat(expired.getString("detail-type")).isEqualTo("Object Restore Expired");
    assertThat(expired.getJsonObject("detail").getString("requester")).isEqualTo("s3.amazonaws.com");
    assertThat(expired.getJsonObject("detail").containsKey("source-ip-address")).isFalse();
  }

  @Test
  void lifecycleTransitionsAndExpiriesAreStorageClassChangedAndObjectDeleted() {
    String bucket = "eb-lifecycle";
    String queue = bucketToQueue(bucket);
    s3().putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().id("archive").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("t/"))
            .transitions(t -> t.days(1).storageClass(TransitionStorageClass.GLACIER)).build(),
        LifecycleRule.builder().id("expire").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("e/"))
            .expiration(e -> e.days(1)).build())));
    s3().putObject(b -> b.bucket(bucket).key("t/a"), RequestBody.fromString("data"));
    s3().putObject(b -> b.bucket(bucket).key("e/b"), RequestBody.fromString("data"));
    List<JsonObject> created = receive(queue, 2);
    assertThat(created).extracting(e -> e.getString("detail-type")).containsOnly("Object Created");

    server.advance(DAY.multipliedBy(2));
    List<JsonObject> swept = receive(queue, 2);
    JsonObject moved = swept.stream().filter(e -> e.getString("detail-type").equals("Object Storage Class Changed"))
        .findFirst().orElseThrow().getJsonObject("detail");
    assertThat(moved.fieldNames()).containsExactlyInAnyOrder("version", "bucket", "object", "request-id", "requester",
        "destination-storage-class");
    assertThat(moved.getString("destination-storage-class")).isEqualTo("GLACIER");
    assertThat(moved.getString("requester")).isEqualTo("s3.amazonaws.com");
    assertThat(moved.getJsonObject("object").getString("key")).isEqualTo("t/a");

    JsonObject deleted = swept.stream().filter(e -> e.getString("detail-type").equals("Object Deleted"))
        .findFirst().orElseThrow().getJsonObject("detail");
    assertThat(deleted.fieldNames()).containsExactlyInAnyOrder("version", "bucket", "object", "request-id", "requester",
        "reason", "deletion-type");
    assertThat(deleted.getString("reason")).isEqualTo("Lifecycle Expiration");
    assertThat(deleted.getString("deletion-type")).isEqualTo("Permanently Deleted");
    assertThat(deleted.getString("requester")).isEqualTo("s3.amazonaws.com");
    assertThat(deleted.getJsonObject("object").getString("key")).isEqualTo("e/b");
  }

  /** A bucket sending to EventBridge, and a rule taking all its aws.s3 events to a new queue. */
  private String bucketToQueue(String bucket) {
    s3().createBucket(b -> b.bucket(bucket));
    s3().putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
        .eventBridgeConfiguration(EventBridgeConfiguration.builder().build())));
    String url = sqs().createQueue(b -> b.queueName(bucket + "-events")).queueUrl();
    String arn = sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
    String pattern = new JsonObject().put("source", List.of("aws.s3"))
        .put("detail", new JsonObject().put("bucket", new JsonObject().put("name", List.of(bucket)))).encode();
    server.eventBridge().putRule(b -> b.name(bucket).eventPattern(pattern));
    server.eventBridge().putTargets(b -> b.rule(bucket).targets(Target.builder().id("queue").arn(arn).build()));
    return url;
  }

  private JsonObject only(String url) {
    List<JsonObject> got = receive(url, 1);
    assertThat(got).hasSize(1);
    return got.get(0);
  }

  private List<JsonObject> receive(String url, int expected) {
    List<JsonObject> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      for (Message m : sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
        got.add(new JsonObject(m.body()));
        sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
      return got.size() >= expected;
    });
    return got;
  }
}
