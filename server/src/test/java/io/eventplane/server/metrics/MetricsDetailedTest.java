package io.eventplane.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.config.MetricsLevel;
import io.eventplane.server.EmbeddedServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code --metrics detailed}: everything {@code on} has, and Vert.x's per-request HTTP-server and
 * per-message event-bus meters, with labels that stay bounded (method and status code; side and
 * failure: never a path, a remote address or a bus address).
 */
class MetricsDetailedTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer(c -> c.withMetrics(MetricsLevel.DETAILED));

  @Test
  void vertxHttpServerAndEventBusMetersAreAddedWithBoundedLabels() {
    Scrape before = Scrape.of(server.endpoint());
    double postsBefore = before.sum("vertx_http_server_requests_total", Map.of("method", "POST", "code", "200"));
    SqsClient sqs = server.sqs();
    String url = sqs.createQueue(b -> b.queueName("detailed-metrics")).queueUrl();
    for (int i = 0; i < 5; i++) {
      int n = i;
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + n));
    }

    Scrape scrape = Scrape.of(server.endpoint());
    assertThat(scrape.status()).isEqualTo(200);
    // One CreateQueue and five SendMessage calls, each a POST answered 200 (counted when the response ends).
    assertThat(scrape.sum("vertx_http_server_requests_total", Map.of("method", "POST", "code", "200")) - postsBefore)
        .isGreaterThanOrEqualTo(6);
    assertThat(scrape.samples()).anySatisfy(s -> assertThat(s.name()).startsWith("vertx_eventbus_"));
    assertThat(scrape.sum("eventplane_sqs_messages_sent_total", Map.of("queue", "detailed-metrics"))).isEqualTo(5);
    assertThat(scrape.has("vertx_pool_ratio", Map.of()) || scrape.has("vertx_pool_queue_pending", Map.of())).isTrue();
    assertThat(scrape.samples()).allSatisfy(s -> assertThat(s.labels()).doesNotContainKeys("path", "remote", "address"));
  }
}
