package io.eventplane.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Buckets in {@code GET /metrics} (summed over the nodes: the bucket's owner serves them): the
 * current objects and their bytes as puts, overwrites and deletes change them, and the
 * notifications not yet delivered.
 */
class S3MetricsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static Map<String, String> bucket(String name) {
    return Map.of("account", "000000000000", "region", "us-east-1", "bucket", name);
  }

  private static void put(S3Client s3, String bucket, String key, int bytes) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x".repeat(bytes)));
  }

  @Test
  void objectsAndBytesFollowPutsOverwritesAndDeletes() {
    S3Client s3 = server.s3();
    String name = "metered-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(b -> b.bucket(name));
    NodeScrapes empty = NodeScrapes.of(server);
    assertThat(empty.nodesWith("eventplane_s3_objects", bucket(name))).isEqualTo(1);
    assertThat(empty.sum("eventplane_s3_objects", bucket(name))).isZero();

    put(s3, name, "a", 1);
    put(s3, name, "b", 10);
    put(s3, name, "c/d", 100);
    put(s3, name, "a", 5);
    NodeScrapes three = NodeScrapes.of(server);
    assertThat(three.sum("eventplane_s3_objects", bucket(name))).isEqualTo(3);
    assertThat(three.sum("eventplane_s3_object_bytes", bucket(name))).isEqualTo(115);
    // An idle bucket is not read again, and shows the same.
    assertThat(NodeScrapes.of(server).sum("eventplane_s3_object_bytes", bucket(name))).isEqualTo(115);

    s3.deleteObject(b -> b.bucket(name).key("c/d"));
    NodeScrapes two = NodeScrapes.of(server);
    assertThat(two.sum("eventplane_s3_objects", bucket(name))).isEqualTo(2);
    assertThat(two.sum("eventplane_s3_object_bytes", bucket(name))).isEqualTo(15);

    s3.deleteObject(b -> b.bucket(name).key("a"));
    s3.deleteObject(b -> b.bucket(name).key("b"));
    s3.deleteBucket(b -> b.bucket(name));
    assertThat(NodeScrapes.of(server).nodesWith("eventplane_s3_objects", bucket(name))).isZero();
  }

  @Test
  void notificationsAreCountedUntilDelivered() {
    S3Client s3 = server.s3();
    String name = "metered-notify-" + UUID.randomUUID().toString().substring(0, 8);
    String queue = name + "-events";
    String url = server.sqs().createQueue(b -> b.queueName(queue)).queueUrl();
    s3.createBucket(b -> b.bucket(name));
    s3.putBucketNotificationConfiguration(b -> b.bucket(name).notificationConfiguration(n -> n.queueConfigurations(
        q -> q.queueArn("arn:aws:sqs:us-east-1:000000000000:" + queue).events(Event.S3_OBJECT_CREATED))));
    put(s3, name, "one", 3);
    put(s3, name, "two", 3);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(server.sqs()
        .getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "3")); // the TestEvent and two
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      NodeScrapes scrapes = NodeScrapes.of(server);
      assertThat(scrapes.nodesWith("eventplane_s3_notifications_pending", bucket(name))).isEqualTo(1);
      assertThat(scrapes.sum("eventplane_s3_notifications_pending", bucket(name))).isZero();
      assertThat(scrapes.sum("eventplane_s3_objects", bucket(name))).isEqualTo(2);
    });
  }
}
