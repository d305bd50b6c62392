package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Retention and iterator expiry on the injected service clock. */
class KinesisRetentionTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static KinesisClient kinesis() {
    return server.kinesis();
  }

  private static String trimHorizon(String stream) {
    return kinesis().getShardIterator(b -> b.streamName(stream).shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
  }

  @Test
  void recordsOlderThanTheRetentionAreGone() {
    kinesis().createStream(b -> b.streamName("ret").shardCount(1));
    kinesis().putRecord(b -> b.streamName("ret").partitionKey("k").data(SdkBytes.fromUtf8String("old")));
    server.advance(Duration.ofHours(23));
    kinesis().putRecord(b -> b.streamName("ret").partitionKey("k").data(SdkBytes.fromUtf8String("young")));
    assertThat(kinesis().getRecords(b -> b.shardIterator(trimHorizon("ret"))).records()).hasSize(2);
    server.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(kinesis().getRecords(b -> b.shardIterator(trimHorizon("ret"))).records())
        .extracting(r -> r.data().asUtf8String()).containsExactly("young");
  }

  @Test
  void aLongerRetentionKeepsRecordsLonger() {
    kinesis().createStream(b -> b.streamName("long").shardCount(1));
    kinesis().increaseStreamRetentionPeriod(b -> b.streamName("long").retentionPeriodHours(72));
    kinesis().putRecord(b -> b.streamName("long").partitionKey("k").data(SdkBytes.fromUtf8String("kept")));
    server.advance(Duration.ofHours(48));
    assertThat(kinesis().getRecords(b -> b.shardIterator(trimHorizon("long"))).records()).hasSize(1);
    kinesis().decreaseStreamRetentionPeriod(b -> b.streamName("long").retentionPeriodHours(24));
    assertThat(kinesis().getRecords(b -> b.shardIterator(trimHorizon("long"))).records()).isEmpty();
  }

  @Test
  void retentionBounds() {
    kinesis().createStream(b -> b.streamName("bounds").shardCount(1));
    assertThatThrownBy(() -> kinesis().increaseStreamRetentionPeriod(b -> b.streamName("bounds").retentionPeriodHours(8761)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.");
    assertThatThrownBy(() -> kinesis().decreaseStreamRetentionPeriod(b -> b.streamName("bounds").retentionPeriodHours(23)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.");
    kinesis().increaseStreamRetentionPeriod(b -> b.streamName("bounds").retentionPeriodHours(100));
    assertThatThrownBy(() -> kinesis().increaseStreamRetentionPeriod(b -> b.streamName("bounds").retentionPeriodHours(50)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("Requested retention period (50 hours) for stream bounds can not be shorter than existing "
            + "retention period (100 hours). Use DecreaseRetentionPeriod API.");
    assertThatThrownBy(() -> kinesis().decreaseStreamRetentionPeriod(b -> b.streamName("bounds").retentionPeriodHours(200)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("Requested retention period (200 hours) for stream bounds can not be longer than existing "
            + "retention period (100 hours). Use IncreaseRetentionPeriod API.");
    kinesis().increaseStreamRetentionPeriod(b -> b.streamName("bounds").retentionPeriodHours(8760));
    assertThat(kinesis().describeStreamSummary(b -> b.streamName("bounds")).streamDescriptionSummary().retentionPeriodHours())
        .isEqualTo(8760);
  }

  @Test
  void iteratorsExpireAfterFiveMinutes() {
    kinesis().createStream(b -> b.streamName("exp").shardCount(1));
    kinesis().putRecord(b -> b.streamName("exp").partitionKey("k").data(SdkBytes.fromUtf8String("x")));
    String it = trimHorizon("exp");
    server.advance(Duration.ofMinutes(5));
    var page = kinesis().getRecords(b -> b.shardIterator(it));
    assertThat(page.records()).extracting(Record::partitionKey).containsExactly("k");
    server.advance(Duration.ofMillis(1));
    assertThatThrownBy(() -> kinesis().getRecords(b -> b.shardIterator(it)))
        .isInstanceOf(ExpiredIteratorException.class)
        .hasMessageStartingWith("Iterator expired. The iterator was created at time ")
        .hasMessageContaining("which is further in the future than the tolerated delay of 300000 milliseconds.");
    // The next iterator a read hands out is fresh.
    assertThat(kinesis().getRecords(b -> b.shardIterator(page.nextShardIterator())).records()).isEmpty();
  }

  @Test
  void atTimestampStartsAtTheFirstRecordThen() {
    kinesis().createStream(b -> b.streamName("ts").shardCount(1));
    kinesis().putRecord(b -> b.streamName("ts").partitionKey("k").data(SdkBytes.fromUtf8String("before")));
    server.advance(Duration.ofSeconds(10));
    java.time.Instant then = server.clock().instant();
    kinesis().putRecord(b -> b.streamName("ts").partitionKey("k").data(SdkBytes.fromUtf8String("after")));
    String it = kinesis().getShardIterator(b -> b.streamName("ts").shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(then)).shardIterator();
    assertThat(kinesis().getRecords(b -> b.shardIterator(it)).records()).extracting(r -> r.data().asUtf8String())
        .containsExactly("after");
    assertThatThrownBy(() -> kinesis().getShardIterator(b -> b.streamName("ts").shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.AT_TIMESTAMP))).isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP.");
  }
}
