package io.eventplane.server.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A delivery stream whose source is a Kinesis stream ({@code KinesisStreamAsSource}) reads it as
 * a client would: from the stream's LATEST position when the delivery stream was created (the
 * developer guide's "Writing to Firehose using Kinesis Data Streams"), in order per shard, into
 * objects by size or by interval on the injected clock, keyed by the records' arrival times.
 */
class KinesisSourceTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String ACCOUNT = "000000000000";
  private static final DateTimeFormatter HOUR_PATH = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);
  private static final String LAST_HASH_KEY = "340282366920938463463374607431768211455";

  private static String streamArn(String name) {
    return "arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/" + name;
  }

  private void kinesisStream(String name, int shards) {
    server.kinesis().createStream(b -> b.streamName(name).shardCount(shards));
  }

  private void deliveryStream(String name, String source, String bucket, int sizeMiB, int interval) {
    server.s3().createBucket(b -> b.bucket(bucket));
    server.firehose().createDeliveryStream(b -> b.deliveryStreamName(name).deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
        .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN(streamArn(source)).roleARN(DeliveryStreamsTest.ROLE))
        .extendedS3DestinationConfiguration(d -> d.roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::" + bucket)
            .bufferingHints(h -> h.sizeInMBs(sizeMiB).intervalInSeconds(interval))));
  }

  /** Puts a record on the shard owning {@code hashKey}. */
  private void put(String stream, String hashKey, String data) {
    server.kinesis().putRecord(b -> b.streamName(stream).partitionKey("k").explicitHashKey(hashKey)
        .data(SdkBytes.fromUtf8String(data)));
  }

  private List<S3Object> objects(String bucket) {
    return server.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().toList();
  }

  private String read(String bucket, String key) {
    return server.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
  }

  /** Nothing is written during a few seconds: time enough for the source's reads, once a second. */
  private void assertNoObjectFor(String bucket) {
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).until(() -> objects(bucket).isEmpty());
  }

  @Test
  void recordsOnTheStreamLandInOrderPerShardOnceTheIntervalPasses() {
    kinesisStream("ks-orders", 2);
    put("ks-orders", "0", "before,");
    server.advance(Duration.ofSeconds(1));
    Instant created = server.clock().instant();
    deliveryStream("fh-orders", "ks-orders", "fh-ks-orders", 5, 60);

    DeliveryStreamDescription d = server.firehose().describeDeliveryStream(b -> b.deliveryStreamName("fh-orders"))
        .deliveryStreamDescription();
    assertThat(d.deliveryStreamType()).isEqualTo(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE);
    assertThat(d.source().kinesisStreamSourceDescription().kinesisStreamARN()).isEqualTo(streamArn("ks-orders"));
    assertThat(d.source().kinesisStreamSourceDescription().roleARN()).isEqualTo(DeliveryStreamsTest.ROLE);
    assertThat(d.source().kinesisStreamSourceDescription().deliveryStartTimestamp()).isEqualTo(created);

    server.advance(Duration.ofSeconds(1));
    Instant arrival = server.clock().instant();
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String a = "a" + i + ",";
      String b = "b" + i + ",";
      put("ks-orders", "0", a);
      put("ks-orders", LAST_HASH_KEY, b);
      first.add(a);
      second.add(b);
    }
    assertNoObjectFor("fh-ks-orders");
    server.advance(Duration.ofSeconds(59));
    assertNoObjectFor("fh-ks-orders");
    server.advance(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects("fh-ks-orders").isEmpty());
    List<S3Object> all = objects("fh-ks-orders");
    assertThat(all).hasSize(1);
    assertThat(all.get(0).key()).startsWith(HOUR_PATH.format(arrival) + "fh-orders-1-");
    String body = read("fh-ks-orders", all.get(0).key());
    // Concatenated with no delimiter; the record put before the delivery stream existed is not read (LATEST).
    assertThat(body).doesNotContain("before");
    assertThat(body).hasSize(String.join("", first).length() + String.join("", second).length());
    assertThat(inOrder(body, "a")).isEqualTo(String.join("", first));
    assertThat(inOrder(body, "b")).isEqualTo(String.join("", second));
  }

  /** The records of {@code body} ("x12," each) that start with {@code prefix}, in the order they appear. */
  private static String inOrder(String body, String prefix) {
    StringBuilder out = new StringBuilder();
    for (String r : body.split(",")) {
      if (r.startsWith(prefix)) out.append(r).append(',');
    }
    return out.toString();
  }

  @Test
  void aFullBufferIsWrittenWithoutWaitingForTheInterval() {
    kinesisStream("ks-size", 1);
    deliveryStream("fh-size", "ks-size", "fh-ks-size", 1, 900);
    String chunk = "x".repeat(400_000);
    put("ks-size", "0", chunk + "1");
    put("ks-size", "0", chunk + "2");
    assertNoObjectFor("fh-ks-size");
    put("ks-size", "0", chunk + "3");
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects("fh-ks-size").isEmpty());
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(7)).until(() -> objects("fh-ks-size").size() == 1);
    String firstKey = objects("fh-ks-size").get(0).key();
    assertThat(read("fh-ks-size", firstKey)).isEqualTo(chunk + "1" + chunk + "2");
    server.advance(Duration.ofSeconds(900));
    await().atMost(Duration.ofSeconds(20)).until(() -> objects("fh-ks-size").size() == 2);
    String second = objects("fh-ks-size").stream().map(S3Object::key).filter(k -> !k.equals(firstKey)).findFirst().orElseThrow();
    assertThat(read("fh-ks-size", second)).isEqualTo(chunk + "3");
  }

  @Test
  void putsToAStreamSourcedDeliveryStreamAreRefused() {
    kinesisStream("ks-puts", 1);
    deliveryStream("fh-puts", "ks-puts", "fh-ks-puts", 5, 300);
    assertThatThrownBy(() -> server.firehose().putRecord(b -> b.deliveryStreamName("fh-puts")
        .record(r -> r.data(SdkBytes.fromUtf8String("x"))))).isInstanceOfSatisfying(InvalidArgumentException.class, e ->
            assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("This operation is not permitted on KinesisStreamAsSource delivery stream type."));
    assertThatThrownBy(() -> server.firehose().putRecordBatch(b -> b.deliveryStreamName("fh-puts")
        .records(r -> r.data(SdkBytes.fromUtf8String("x"))))).isInstanceOfSatisfying(InvalidArgumentException.class, e ->
            assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("This operation is not permitted on KinesisStreamAsSource delivery stream type."));
  }

  @Test
  void badSourcesAreRefused() {
    server.s3().createBucket(b -> b.bucket("fh-ks-bad"));
    assertThatThrownBy(() -> server.firehose().createDeliveryStream(b -> b.deliveryStreamName("fh-missing")
        .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
        .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN(streamArn("no-such-stream")).roleARN(DeliveryStreamsTest.ROLE))
        .extendedS3DestinationConfiguration(d -> d.roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::fh-ks-bad"))))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Stream no-such-stream under account " + ACCOUNT + " not found."));
    assertThatThrownBy(() -> server.firehose().createDeliveryStream(b -> b.deliveryStreamName("fh-noconfig")
        .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
        .extendedS3DestinationConfiguration(d -> d.roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::fh-ks-bad"))))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> server.firehose().createDeliveryStream(b -> b.deliveryStreamName("fh-badarn")
        .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
        .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN("arn:aws:sqs:us-east-1:" + ACCOUNT + ":queue").roleARN(DeliveryStreamsTest.ROLE))
        .extendedS3DestinationConfiguration(d -> d.roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::fh-ks-bad"))))
        .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.awsErrorDetails().errorCode() + ": "
            + e.awsErrorDetails().errorMessage()).startsWith("ValidationException: 1 validation error detected: Value 'arn:aws:sqs:us-east-1:" + ACCOUNT
                + ":queue' at 'kinesisStreamSourceConfiguration.kinesisStreamARN' failed to satisfy constraint"));
    assertThat(server.firehose().listDeliveryStreams(b -> { }).deliveryStreamNames()).isEmpty();
  }

  @Test
  void aDeletedSourceStopsTheReadingAndTheDeliveryStreamStays() {
    kinesisStream("ks-gone", 1);
    deliveryStream("fh-gone", "ks-gone", "fh-ks-gone", 5, 60);
    put("ks-gone", "0", "kept");
    assertNoObjectFor("fh-ks-gone");
    server.kinesis().deleteStream(b -> b.streamName("ks-gone"));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(7)).until(() -> server.firehose()
        .describeDeliveryStream(b -> b.deliveryStreamName("fh-gone")).deliveryStreamDescription().deliveryStreamStatusAsString()
        .equals("ACTIVE"));
    // What was read before the stream went is still delivered.
    server.advance(Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects("fh-ks-gone").isEmpty());
    assertThat(read("fh-ks-gone", objects("fh-ks-gone").get(0).key())).isEqualTo("kept");
  }
}
