package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The retention sweep deletes what aged out on the service clock: once it ran, a longer retention
 * does not bring expired records back (reads alone would only hide them). The lanes of this class's
 * server sweep every 100 ms of real time.
 */
class KinesisRetentionSweepTest {
  private static final String SWEEP_MILLIS = "eventplane.kinesis.sweepMillis";

  static {
    System.setProperty(SWEEP_MILLIS, "100");
  }

  @RegisterExtension
  static final EmbeddedServer server = EmbeddedServer.ofItsOwn();

  @AfterAll
  static void restoreSweep() {
    System.clearProperty(SWEEP_MILLIS);
  }

  private static KinesisClient kinesis() {
    return server.kinesis();
  }

  private static int readable(String stream) {
    String it = kinesis().getShardIterator(b -> b.streamName(stream).shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    return kinesis().getRecords(b -> b.shardIterator(it)).records().size();
  }

  @Test
  void expiredRecordsAreDeletedNotJustHidden() {
    kinesis().createStream(b -> b.streamName("swept").shardCount(1));
    kinesis().putRecord(b -> b.streamName("swept").partitionKey("k").data(SdkBytes.fromUtf8String("old")));
    server.advance(Duration.ofHours(2));
    kinesis().putRecord(b -> b.streamName("swept").partitionKey("k").data(SdkBytes.fromUtf8String("newer")));
    server.advance(Duration.ofHours(23));
    assertThat(readable("swept")).isEqualTo(1);
    // Until the sweep deletes it, a longer retention would show the old record again; after it, never.
    kinesis().increaseStreamRetentionPeriod(b -> b.streamName("swept").retentionPeriodHours(48));
    kinesis().decreaseStreamRetentionPeriod(b -> b.streamName("swept").retentionPeriodHours(24));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      kinesis().increaseStreamRetentionPeriod(b -> b.streamName("swept").retentionPeriodHours(48));
      try {
        assertThat(readable("swept")).isEqualTo(1);
      } finally {
        kinesis().decreaseStreamRetentionPeriod(b -> b.streamName("swept").retentionPeriodHours(24));
      }
    });
    kinesis().increaseStreamRetentionPeriod(b -> b.streamName("swept").retentionPeriodHours(48));
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> readable("swept") == 1);
  }
}
