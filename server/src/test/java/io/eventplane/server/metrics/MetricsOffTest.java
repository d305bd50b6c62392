package io.eventplane.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code --metrics off}: {@code /metrics} is not there, and the services work as ever without their recorders. */
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
  }
}
