package io.eventplane.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;

/**
 * Kinesis streams in {@code GET /metrics} (summed over the nodes: the stream's owner serves them):
 * the records and bytes written, a registered consumer's lag gauge, and the iterator age of an
 * event source mapping on the service clock, while its function cannot run and once it caught up.
 */
class KinesisMetricsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static Map<String, String> stream(String name) {
    return Map.of("account", "000000000000", "region", "us-east-1", "stream", name);
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> out = new HashMap<>(labels);
    out.put(name, value);
    return out;
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void incomingRecordsAndBytesAreCountedOncePerWrittenRecord() {
    KinesisClient kinesis = server.kinesis();
    String name = unique("metered-stream");
    kinesis.createStream(b -> b.streamName(name).shardCount(2));
    // "k" + "abc": 4 bytes; two of "pk" + "12345": 14.
    kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("abc")));
    kinesis.putRecords(b -> b.streamName(name).records(
        PutRecordsRequestEntry.builder().partitionKey("pk").data(SdkBytes.fromUtf8String("12345")).build(),
        PutRecordsRequestEntry.builder().partitionKey("pk").data(SdkBytes.fromUtf8String("12345")).build()));

    NodeScrapes scrapes = NodeScrapes.of(server);
    assertThat(scrapes.sum("eventplane_kinesis_incoming_records_total", stream(name))).isEqualTo(3);
    assertThat(scrapes.sum("eventplane_kinesis_incoming_bytes_total", stream(name))).isEqualTo(18);
  }

  @Test
  void aRegisteredConsumerHasALagGaugeUntilItIsDeregistered() {
    KinesisClient kinesis = server.kinesis();
    String name = unique("metered-fanout");
    kinesis.createStream(b -> b.streamName(name).shardCount(1));
    String arn = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
    kinesis.registerStreamConsumer(b -> b.streamARN(arn).consumerName("reader"));
    Map<String, String> reader = with(stream(name), "consumer", "reader");
    NodeScrapes scrapes = NodeScrapes.of(server);
    assertThat(scrapes.nodesWith("eventplane_kinesis_consumer_iterator_age_seconds", reader)).isEqualTo(1);
    assertThat(scrapes.sum("eventplane_kinesis_consumer_iterator_age_seconds", reader)).isZero();

    kinesis.deregisterStreamConsumer(b -> b.streamARN(arn).consumerName("reader"));
    assertThat(NodeScrapes.of(server).nodesWith("eventplane_kinesis_consumer_iterator_age_seconds", reader)).isZero();
  }

  @Test
  void aMappingsIteratorAgeIsTheAgeOfTheLastRecordItReadAndZeroOnceCaughtUp() {
    KinesisClient kinesis = server.kinesis();
    LambdaClient lambda = server.lambda();
    String name = unique("metered-mapped");
    kinesis.createStream(b -> b.streamName(name).shardCount(1));
    String arn = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
    kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("old")));
    server.advance(Duration.ofSeconds(30));
    String function = name + "-fn";
    Functions.create(lambda, function, Functions.DIAGNOSTICS);
    // The function cannot run: the batch waits, and the mapping stays 30 s behind.
    lambda.putFunctionConcurrency(b -> b.functionName(function).reservedConcurrentExecutions(0));
    String uuid = lambda.createEventSourceMapping(b -> b.functionName(function).eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON)).uuid();
    Map<String, String> mapping = with(stream(name), "function", function);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(NodeScrapes.of(server).sum("eventplane_kinesis_mapping_iterator_age_seconds", mapping)).isEqualTo(30));

    lambda.deleteFunctionConcurrency(b -> b.functionName(function));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      NodeScrapes scrapes = NodeScrapes.of(server);
      assertThat(scrapes.sum("eventplane_lambda_invocations_total", Map.of("function", function))).isEqualTo(1);
      assertThat(scrapes.sum("eventplane_kinesis_mapping_iterator_age_seconds", mapping)).isZero();
      assertThat(scrapes.nodesWith("eventplane_kinesis_mapping_iterator_age_seconds", mapping)).isEqualTo(1);
    });

    lambda.deleteEventSourceMapping(b -> b.uuid(uuid));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(NodeScrapes.of(server).nodesWith("eventplane_kinesis_mapping_iterator_age_seconds", mapping)).isZero());
  }
}
