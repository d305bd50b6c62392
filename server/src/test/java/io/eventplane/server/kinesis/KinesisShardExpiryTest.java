package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The retention sweep drops an expired closed shard from its stream's definition (with its
 * records), rather than only hiding it: with the clock moved back inside the retention period once
 * the sweep ran, the shard stays gone. The sweep runs every 100 ms here (real time).
 */
class KinesisShardExpiryTest {
  private static final String SWEEP = "eventplane.kinesis.sweepMillis";

  static {
    System.setProperty(SWEEP, "100");
  }

  @RegisterExtension
  static final EmbeddedServer server = EmbeddedServer.ofItsOwn();

  @AfterAll
  static void clearSweep() {
    System.clearProperty(SWEEP);
  }

  @Test
  void theSweepDropsExpiredClosedShards() {
    var kinesis = server.kinesis();
    kinesis.createStream(b -> b.streamName("swept").shardCount(1));
    kinesis.putRecord(b -> b.streamName("swept").partitionKey("k").data(SdkBytes.fromUtf8String("old")));
    kinesis.splitShard(b -> b.streamName("swept").shardToSplit("shardId-000000000000").newStartingHashKey("1000"));
    server.advance(Duration.ofHours(24));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      server.advance(Duration.ofHours(-1));
      try {
        assertThat(kinesis.listShards(b -> b.streamName("swept")).shards()).extracting(Shard::shardId)
            .containsExactly("shardId-000000000001", "shardId-000000000002");
      } finally {
        server.advance(Duration.ofHours(1));
      }
    });
    assertThat(kinesis.putRecord(b -> b.streamName("swept").partitionKey("k").explicitHashKey("5")
        .data(SdkBytes.fromUtf8String("new"))).shardId()).isEqualTo("shardId-000000000001");
  }
}
