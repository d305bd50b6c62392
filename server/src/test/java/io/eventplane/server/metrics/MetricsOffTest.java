package io.eventplane.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code --metrics off}: {@code /metrics} is not there, and the services work as ever without their
 * recorders; CloudWatch's AWS namespaces are still published.
 */
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

  @Test
  void theOtherServicesDeliverWithoutRecorders() {
    SqsClient sqs = server.sqs();
    String url = sqs.createQueue(b -> b.queueName("unmetered-deliveries")).queueUrl();
    String arn = "arn:aws:sqs:us-east-1:000000000000:unmetered-deliveries";
    String topic = server.sns().createTopic(b -> b.name("unmetered")).topicArn();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn).attributes(java.util.Map.of("RawMessageDelivery", "true")));
    server.sns().publish(b -> b.topicArn(topic).message("from-sns"));
    server.eventBridge().putRule(b -> b.name("unmetered").eventPattern("{\"source\":[\"unmetered\"]}"));
    server.eventBridge().putTargets(b -> b.rule("unmetered").targets(t -> t.id("q").arn(arn).input("\"from-events\"")));
    server.eventBridge().putEvents(b -> b.entries(e -> e.source("unmetered").detailType("t").detail("{}")));
    server.kinesis().createStream(b -> b.streamName("unmetered").shardCount(1));
    server.kinesis().putRecord(b -> b.streamName("unmetered").partitionKey("k")
        .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("x")));
    server.s3().createBucket(b -> b.bucket("unmetered"));
    server.s3().putObject(b -> b.bucket("unmetered").key("k"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));

    java.util.List<String> bodies = new java.util.ArrayList<>();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
      sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages().forEach(m -> bodies.add(m.body()));
      return bodies.size() >= 2;
    });
    assertThat(bodies).containsExactlyInAnyOrder("from-sns", "\"from-events\"");
    for (int node = 0; node < EmbeddedServer.nodes(); node++) assertThat(Scrape.of(server.endpoint(node)).status()).isEqualTo(404);

    // CloudWatch's AWS namespaces are CloudWatch's, not the Prometheus endpoint's: still published.
    java.time.Instant from = server.clock().instant().minusSeconds(60);
    server.advance(java.time.Duration.ofSeconds(60));
    try (var cw = io.eventplane.server.cloudwatch.CloudWatchClients.of(server.endpoint())) {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(sum(cw, "AWS/SNS", "NumberOfMessagesPublished", "TopicName", "unmetered", from)).isEqualTo(1.0);
        assertThat(sum(cw, "AWS/Kinesis", "IncomingRecords", "StreamName", "unmetered", from)).isEqualTo(1.0);
        assertThat(sum(cw, "AWS/Events", "MatchedEvents", "RuleName", "unmetered", from)).isEqualTo(1.0);
      });
    }
  }

  private static double sum(software.amazon.awssdk.services.cloudwatch.CloudWatchClient cw, String namespace, String metric,
      String dimension, String value, java.time.Instant from) {
    return cw.getMetricStatistics(b -> b.namespace(namespace).metricName(metric)
            .dimensions(software.amazon.awssdk.services.cloudwatch.model.Dimension.builder().name(dimension).value(value).build())
            .startTime(from).endTime(server.clock().instant().plusSeconds(120)).period(600)
            .statistics(software.amazon.awssdk.services.cloudwatch.model.Statistic.SUM))
        .datapoints().stream().mapToDouble(software.amazon.awssdk.services.cloudwatch.model.Datapoint::sum).sum();
  }
}
