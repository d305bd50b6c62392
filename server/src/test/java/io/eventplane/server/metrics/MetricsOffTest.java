package io.eventplane.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code --metrics off}: {@code /metrics} is not there, and SQS works as ever. */
class MetricsOffTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer(c -> c.withMetrics(false));

  @Test
  void metricsAnswer404AndQueuesStillWork() {
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      Scrape scrape = Scrape.of(server.endpoint(node));
      assertThat(scrape.status()).isEqualTo(404);
      assertThat(scrape.body()).contains("--metrics off");
    }
    SqsClient sqs = server.sqs();
    String url = sqs.createQueue(b -> b.queueName("unmetered")).queueUrl();
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).extracting(m -> m.body()).containsExactly("hello");
  }
}
