package io.eventplane.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A topic's subscriptions in {@code GET /metrics} (summed over the nodes: the topic's owner serves
 * them): deliveries to a queue, a failed delivery to a queue that is gone and its move to the
 * subscription's dead-letter queue, and the retries-pending gauge; labelled by a bounded
 * subscription name, never the endpoint's full address.
 */
class SnsMetricsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static Map<String, String> subscription(String topic, String label) {
    return Map.of("account", "000000000000", "region", "us-east-1", "topic", topic, "subscription", label);
  }

  private static String arn(SqsClient sqs, String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributesAsStrings()
        .get("QueueArn");
  }

  @Test
  void deliveriesFailuresAndDeadLetterMovesAreCountedPerSubscription() {
    SqsClient sqs = server.sqs();
    SnsClient sns = server.sns();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String topicName = "metered-topic-" + suffix;
    String topic = sns.createTopic(b -> b.name(topicName)).topicArn();
    String okName = "metered-ok-" + suffix;
    String ok = sqs.createQueue(b -> b.queueName(okName)).queueUrl();
    String dlq = sqs.createQueue(b -> b.queueName("metered-sub-dlq-" + suffix)).queueUrl();
    sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn(sqs, ok)));
    String goneName = "metered-gone-" + suffix;
    sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:" + goneName)
        .attributes(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn(sqs, dlq) + "\"}")));

    for (int i = 0; i < 3; i++) {
      int n = i;
      sns.publish(b -> b.topicArn(topic).message("m" + n));
    }

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      NodeScrapes scrapes = NodeScrapes.of(server);
      Map<String, String> good = subscription(topicName, "sqs:" + okName);
      Map<String, String> gone = subscription(topicName, "sqs:" + goneName);
      assertThat(scrapes.sum("eventplane_sns_deliveries_total", good)).isEqualTo(3);
      assertThat(scrapes.sum("eventplane_sns_delivery_failures_total", good)).isZero();
      assertThat(scrapes.sum("eventplane_sns_messages_moved_to_dlq_total", good)).isZero();
      // A queue that does not exist refuses for good: no retry, straight to the dead-letter queue.
      assertThat(scrapes.sum("eventplane_sns_deliveries_total", gone)).isZero();
      assertThat(scrapes.sum("eventplane_sns_delivery_failures_total", gone)).isEqualTo(3);
      assertThat(scrapes.sum("eventplane_sns_messages_moved_to_dlq_total", gone)).isEqualTo(3);
      assertThat(scrapes.sum("eventplane_sns_retries_pending", gone)).isZero();
      // The gauge comes from the topic's owner only.
      assertThat(scrapes.nodesWith("eventplane_sns_retries_pending", good)).isEqualTo(1);
    });
    assertThat(sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "3");

    // A topic deleted takes its subscriptions' gauges; the counters stay.
    sns.deleteTopic(b -> b.topicArn(topic));
    NodeScrapes after = NodeScrapes.of(server);
    assertThat(after.nodesWith("eventplane_sns_retries_pending", subscription(topicName, "sqs:" + okName))).isZero();
    assertThat(after.sum("eventplane_sns_deliveries_total", subscription(topicName, "sqs:" + okName))).isEqualTo(3);
  }

  @Test
  void aFailedHttpDeliveryWaitsAsARetryPending() throws Exception {
    java.util.List<String> confirmations = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger notifications = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer endpoint = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      String type = exchange.getRequestHeaders().getFirst("x-amz-sns-message-type");
      if ("SubscriptionConfirmation".equals(type)) confirmations.add(body);
      if ("Notification".equals(type)) notifications.incrementAndGet();
      exchange.sendResponseHeaders("Notification".equals(type) ? 500 : 200, -1);
      exchange.close();
    });
    endpoint.start();
    try {
      SnsClient sns = server.sns();
      String topicName = "metered-down-" + UUID.randomUUID().toString().substring(0, 8);
      String topic = sns.createTopic(b -> b.name(topicName)).topicArn();
      int port = endpoint.getAddress().getPort();
      // A minute between attempts: the failed delivery waits as a retry for the whole test.
      sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint("http://127.0.0.1:" + port + "/hook?secret=x")
          .attributes(Map.of("DeliveryPolicy", "{\"healthyRetryPolicy\":{\"minDelayTarget\":60,\"maxDelayTarget\":60,"
              + "\"numRetries\":3,\"numNoDelayRetries\":0}}")));
      await().atMost(Duration.ofSeconds(10)).until(() -> !confirmations.isEmpty());
      String token = new io.vertx.core.json.JsonObject(confirmations.get(0)).getString("Token");
      sns.confirmSubscription(b -> b.topicArn(topic).token(token));
      sns.publish(b -> b.topicArn(topic).message("nobody home"));

      Map<String, String> down = subscription(topicName, "http:127.0.0.1:" + port);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        NodeScrapes scrapes = NodeScrapes.of(server);
        assertThat(scrapes.sum("eventplane_sns_delivery_failures_total", down)).isEqualTo(1);
        assertThat(scrapes.sum("eventplane_sns_retries_pending", down)).isEqualTo(1);
        assertThat(scrapes.sum("eventplane_sns_deliveries_total", down)).isZero();
      });
      assertThat(notifications.get()).isEqualTo(1);
      sns.deleteTopic(b -> b.topicArn(topic));
    } finally {
      endpoint.stop(0);
    }
  }

  @Test
  void anHttpSubscriptionIsLabelledByItsHostOnly() {
    SnsClient sns = server.sns();
    String topicName = "metered-http-" + UUID.randomUUID().toString().substring(0, 8);
    String topic = sns.createTopic(b -> b.name(topicName)).topicArn();
    sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint("http://127.0.0.1:9/hook?token=secret"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      NodeScrapes scrapes = NodeScrapes.of(server);
      assertThat(scrapes.nodesWith("eventplane_sns_retries_pending", subscription(topicName, "http:127.0.0.1:9"))).isEqualTo(1);
      for (Scrape node : scrapes.nodes()) {
        assertThat(node.body()).doesNotContain("token=secret");
      }
    });
  }
}
