package io.eventplane.server.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The AWS/SQS namespace: each minute of the server's clock every SQS lane publishes its queues'
 * metrics with AWS's names and the QueueName dimension.
 */
class AwsSqsMetricsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final CloudWatchClient cw = server.cloudWatch();

  private List<Datapoint> sqs(String metric, String queue, Instant from, Statistic... statistics) {
    return cw.getMetricStatistics(b -> b.namespace("AWS/SQS").metricName(metric)
        .dimensions(Dimension.builder().name("QueueName").value(queue).build())
        .startTime(from).endTime(server.clock().instant().plusSeconds(60)).period(60).statistics(statistics)).datapoints();
  }

  @Test
  void aQueueWithThreeMessagesShowsThemVisibleAfterAMinute() {
    String url = server.sqs().createQueue(b -> b.queueName("metered")).queueUrl();
    for (int i = 0; i < 3; i++) {
      int n = i;
      server.sqs().sendMessage(b -> b.queueUrl(url).messageBody("message " + n));
    }
    server.sqs().receiveMessage(b -> b.queueUrl(server.sqs().createQueue(c -> c.queueName("idle")).queueUrl()));
    Instant from = server.clock().instant().minusSeconds(60);
    server.advance(Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        sqs("ApproximateNumberOfMessagesVisible", "metered", from, Statistic.MAXIMUM))
        .extracting(Datapoint::maximum).containsExactly(3.0));
    Datapoint visible = sqs("ApproximateNumberOfMessagesVisible", "metered", from, Statistic.MAXIMUM).get(0);
    assertThat(visible.unit()).isEqualTo(StandardUnit.COUNT);
    assertThat(sqs("NumberOfMessagesSent", "metered", from, Statistic.SUM)).extracting(Datapoint::sum).containsExactly(3.0);
    assertThat(sqs("ApproximateNumberOfMessagesNotVisible", "metered", from, Statistic.MAXIMUM))
        .extracting(Datapoint::maximum).containsExactly(0.0);
    assertThat(sqs("ApproximateAgeOfOldestMessage", "metered", from, Statistic.MAXIMUM))
        .extracting(Datapoint::maximum, Datapoint::unit).containsExactly(org.assertj.core.groups.Tuple.tuple(60.0, StandardUnit.SECONDS));
    Datapoint size = sqs("SentMessageSize", "metered", from, Statistic.SAMPLE_COUNT, Statistic.SUM).get(0);
    assertThat(size.sampleCount()).isEqualTo(3.0);
    assertThat(size.sum()).isEqualTo(3.0 * "message 0".length());
    assertThat(size.unit()).isEqualTo(StandardUnit.BYTES);
    assertThat(sqs("NumberOfEmptyReceives", "idle", from, Statistic.SUM)).extracting(Datapoint::sum).containsExactly(1.0);

    assertThat(cw.listMetrics(b -> b.namespace("AWS/SQS").dimensions(DimensionFilter.builder().name("QueueName").value("metered").build()))
        .metrics()).extracting(Metric::metricName).containsExactlyInAnyOrder("ApproximateNumberOfMessagesVisible",
            "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed", "ApproximateAgeOfOldestMessage",
            "NumberOfMessagesSent", "NumberOfMessagesReceived", "NumberOfMessagesDeleted", "NumberOfEmptyReceives",
            "SentMessageSize");
  }
}
