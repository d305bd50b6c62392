package io.eventplane.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@code GET /metrics} after known traffic: the API counters by operation and outcome, each queue's
 * counters and gauges (summed over the nodes: the owner serves them), the store's and Vert.x's
 * meters, and the text formats Prometheus negotiates.
 */
class MetricsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static Map<String, String> queue(String name) {
    return Map.of("account", "000000000000", "region", "us-east-1", "queue", name);
  }

  private static Map<String, String> sqsCall(String operation, String outcome) {
    return Map.of("service", "sqs", "operation", operation, "outcome", outcome);
  }

  @Test
  void queueCountersAndGaugesMatchTheTrafficOnTheOwningNode() {
    SqsClient sqs = server.sqs();
    String name = "metered-" + UUID.randomUUID().toString().substring(0, 8);
    String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("one"));
    List<SendMessageBatchRequestEntry> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int n = i;
      four.add(SendMessageBatchRequestEntry.builder().id("e" + n).messageBody("m" + n).build());
    }
    sqs.sendMessageBatch(b -> b.queueUrl(url).entries(four));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("later").delaySeconds(60));

    List<Message> got = new ArrayList<>();
    while (got.size() < 5) {
      got.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(300)).messages());
    }
    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()));
    sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(
        DeleteMessageBatchRequestEntry.builder().id("a").receiptHandle(got.get(1).receiptHandle()).build(),
        DeleteMessageBatchRequestEntry.builder().id("b").receiptHandle(got.get(2).receiptHandle()).build()));
    // A stale repeat deletes nothing and counts nothing.
    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()));
    server.advance(Duration.ofSeconds(30));

    NodeScrapes scrapes = NodeScrapes.of(server);
    assertThat(scrapes.sum("eventplane_sqs_messages_sent_total", queue(name))).isEqualTo(6);
    assertThat(scrapes.sum("eventplane_sqs_messages_received_total", queue(name))).isEqualTo(5);
    assertThat(scrapes.sum("eventplane_sqs_messages_deleted_total", queue(name))).isEqualTo(3);
    assertThat(scrapes.sum("eventplane_sqs_messages_moved_to_dlq_total", queue(name))).isZero();
    assertThat(scrapes.sum("eventplane_sqs_messages_visible", queue(name))).isZero();
    assertThat(scrapes.sum("eventplane_sqs_messages_in_flight", queue(name))).isEqualTo(2);
    assertThat(scrapes.sum("eventplane_sqs_messages_delayed", queue(name))).isEqualTo(1);
    assertThat(scrapes.sum("eventplane_sqs_oldest_message_age_seconds", queue(name))).isEqualTo(30);
    // Gauges come only from the node that owns the queue.
    assertThat(scrapes.nodesWith("eventplane_sqs_messages_in_flight", queue(name))).isEqualTo(1);

    // GetQueueAttributes agrees with the gauges.
    Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
        .attributesAsStrings();
    assertThat(attributes).containsEntry("ApproximateNumberOfMessages", "0")
        .containsEntry("ApproximateNumberOfMessagesNotVisible", "2")
        .containsEntry("ApproximateNumberOfMessagesDelayed", "1");

    sqs.deleteQueue(b -> b.queueUrl(url));
    NodeScrapes afterDelete = NodeScrapes.of(server);
    assertThat(afterDelete.nodesWith("eventplane_sqs_messages_in_flight", queue(name))).isZero();
    assertThat(afterDelete.sum("eventplane_sqs_messages_sent_total", queue(name))).isEqualTo(6);
  }

  @Test
  void messagesMovedToTheDeadLetterQueueAreCounted() {
    SqsClient sqs = server.sqs();
    String name = "metered-src-" + UUID.randomUUID().toString().substring(0, 8);
    String dlq = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
    String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
    String src = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
        QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}",
        QueueAttributeName.VISIBILITY_TIMEOUT, "10"))).queueUrl();
    sqs.sendMessage(b -> b.queueUrl(src).messageBody("poison"));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(src)).messages()).hasSize(1);
    server.advance(Duration.ofSeconds(11));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(src)).messages()).isEmpty();

    NodeScrapes scrapes = NodeScrapes.of(server);
    assertThat(scrapes.sum("eventplane_sqs_messages_moved_to_dlq_total", queue(name))).isEqualTo(1);
    assertThat(scrapes.sum("eventplane_sqs_messages_received_total", queue(name))).isEqualTo(1);
    assertThat(scrapes.sum("eventplane_sqs_messages_visible", queue(name + "-dlq"))).isEqualTo(1);
  }

  @Test
  void apiCallsAreCountedByOperationAndOutcomeAtTheGatewayThatAnswered() {
    SqsClient sqs = server.sqs();
    String url = sqs.createQueue(b -> b.queueName("metered-api-" + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
    Scrape before = Scrape.of(server.endpoint());
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("a"));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("b"));
    assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("no-such-queue-" + UUID.randomUUID())))
        .isInstanceOf(QueueDoesNotExistException.class);
    Scrape after = Scrape.of(server.endpoint());

    String requests = "eventplane_api_requests_total";
    assertThat(after.sum(requests, sqsCall("SendMessage", "ok")) - before.sum(requests, sqsCall("SendMessage", "ok")))
        .isEqualTo(2);
    assertThat(after.sum(requests, sqsCall("GetQueueUrl", "QueueDoesNotExist"))
        - before.sum(requests, sqsCall("GetQueueUrl", "QueueDoesNotExist"))).isEqualTo(1);
    Map<String, String> sendLatency = Map.of("service", "sqs", "operation", "SendMessage");
    assertThat(after.sum("eventplane_api_request_duration_seconds_count", sendLatency)
        - before.sum("eventplane_api_request_duration_seconds_count", sendLatency)).isEqualTo(2);
    assertThat(after.has("eventplane_api_request_duration_seconds_bucket", Map.of("service", "sqs", "operation", "SendMessage",
        "le", "+Inf"))).isTrue();
  }

  @Test
  void theNodeShowsItsStoreAndVertxWithBoundedLabels() {
    server.sqs().createQueue(b -> b.queueName("metered-store-" + UUID.randomUUID().toString().substring(0, 8)));
    Scrape scrape = Scrape.of(server.endpoint());
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.sum("eventplane_store_group_commit_writes_count", Map.of())).isPositive();
    assertThat(scrape.sum("eventplane_store_fsync_seconds_count", Map.of())).isPositive();
    assertThat(scrape.has("eventplane_rocksdb_live_data_size_bytes", Map.of())).isTrue();
    assertThat(scrape.has("eventplane_rocksdb_pending_compaction_bytes", Map.of())).isTrue();
    // Vert.x's pools and the JVM are there; its per-request HTTP server and per-message event-bus
    // meters are off (the API metrics measure each call; they cost ~30% of SendMessage/s).
    assertThat(scrape.has("vertx_pool_ratio", Map.of()) || scrape.has("vertx_pool_queue_pending", Map.of())).isTrue();
    assertThat(scrape.has("jvm_memory_used_bytes", Map.of())).isTrue();
    assertThat(scrape.has("vertx_http_server_requests_total", Map.of())).isFalse();
    // No meter is labelled by a request's path, a remote address or an event-bus address (unbounded).
    assertThat(scrape.samples()).allSatisfy(s -> assertThat(s.labels()).doesNotContainKeys("path", "remote", "address"));
  }

  @Test
  void aClusterReportsEveryPartitionsReplicationLagFromItsOwner() {
    if (EmbeddedServer.nodes() == 1) {
      assertThat(Scrape.of(server.endpoint()).has("eventplane_replication_lag_entries", Map.of())).isFalse();
      assertThat(Scrape.of(server.endpoint()).has("eventplane_replication_lag_seconds", Map.of())).isFalse();
      return;
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      java.util.Set<String> partitions = new java.util.HashSet<>();
      java.util.Set<String> timed = new java.util.HashSet<>();
      for (Scrape node : NodeScrapes.of(server).nodes()) {
        for (Scrape.Sample s : node.samples()) {
          String replica = s.labels().get("partition") + "/" + s.labels().get("replica");
          if (s.name().equals("eventplane_replication_lag_entries")) {
            assertThat(s.value()).isGreaterThanOrEqualTo(0);
            assertThat(partitions.add(replica)).isTrue();
          } else if (s.name().equals("eventplane_replication_lag_seconds")) {
            // An idle cluster's replicas have every write; how it grows is ReplicationGroupTest's.
            assertThat(s.value()).isGreaterThanOrEqualTo(0).isLessThan(5);
            assertThat(timed.add(replica)).isTrue();
          }
        }
      }
      assertThat(partitions.stream().map(p -> p.substring(0, p.indexOf('/'))).distinct().count()).isEqualTo(64);
      assertThat(timed).isEqualTo(partitions);
    });
  }

  @Test
  void aSignedRequestToSlashMetricsIsStillS3s() {
    var s3 = server.s3();
    s3.createBucket(b -> b.bucket("metrics"));
    s3.putObject(b -> b.bucket("metrics").key("a.txt"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
    assertThat(s3.listObjectsV2(b -> b.bucket("metrics")).contents()).extracting(o -> o.key()).containsExactly("a.txt");
    assertThat(Scrape.of(server.endpoint()).status()).isEqualTo(200);
  }

  @Test
  void prometheusTextByDefaultAndOpenMetricsWhenAccepted() {
    Scrape text = Scrape.of(server.endpoint());
    assertThat(text.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(text.body()).contains("# TYPE eventplane_api_requests_total counter").doesNotContain("# EOF");

    Scrape open = Scrape.of(server.endpoint(),
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
    assertThat(open.contentType()).isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(open.body()).contains("# TYPE eventplane_api_requests counter").endsWith("# EOF\n");
  }
}
