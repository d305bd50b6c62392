package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.time.MutableClock;
import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.EventplaneServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * A restart keeps a resharded stream's lineage (closed parents with their ends, children with
 * their parents), the records on both sides of the reshard, where new writes go, and
 * UpdateShardCount's count of scalings in the last 24 hours.
 */
class KinesisReshardRestartTest {
  private static String id(int i) {
    return String.format("shardId-%012d", i);
  }

  @Test
  void aRestartKeepsTheLineage() throws Exception {
    Path dir = Files.createTempDirectory("eventplane-kinesis-reshard");
    MutableClock clock = new MutableClock();
    EventplaneConfig config = EventplaneConfig.defaults().withPort(0).withDataDir(dir);
    List<Shard> before;
    EventplaneServer first = EventplaneServer.start(config, clock);
    try (KinesisClient kinesis = EmbeddedServer.kinesisClient(URI.create("http://127.0.0.1:" + first.port()), true)) {
      kinesis.createStream(b -> b.streamName("kept").shardCount(2));
      kinesis.putRecord(b -> b.streamName("kept").partitionKey("k").explicitHashKey("5").data(SdkBytes.fromUtf8String("parent")));
      kinesis.splitShard(b -> b.streamName("kept").shardToSplit(id(0)).newStartingHashKey("1000"));
      clock.advance(Duration.ofSeconds(1));
      kinesis.putRecord(b -> b.streamName("kept").partitionKey("k").explicitHashKey("5").data(SdkBytes.fromUtf8String("child")));
      kinesis.mergeShards(b -> b.streamName("kept").shardToMerge(id(3)).adjacentShardToMerge(id(1)));
      clock.advance(Duration.ofSeconds(1));
      kinesis.createStream(b -> b.streamName("scaled").shardCount(1));
      for (int i = 0; i < 10; i++) {
        int target = i % 2 == 0 ? 2 : 1;
        kinesis.updateShardCount(b -> b.streamName("scaled").targetShardCount(target).scalingType(ScalingType.UNIFORM_SCALING));
        clock.advance(Duration.ofSeconds(1));
      }
      before = kinesis.listShards(b -> b.streamName("kept")).shards();
    } finally {
      first.close();
    }

    EventplaneServer second = EventplaneServer.start(config.withPort(0), clock);
    try (KinesisClient kinesis = EmbeddedServer.kinesisClient(URI.create("http://127.0.0.1:" + second.port()), true)) {
      List<Shard> after = kinesis.listShards(b -> b.streamName("kept")).shards();
      assertThat(after).isEqualTo(before);
      assertThat(after).extracting(Shard::shardId).containsExactly(id(0), id(1), id(2), id(3), id(4));
      assertThat(after.get(4).parentShardId()).isEqualTo(id(3));
      assertThat(after.get(4).adjacentParentShardId()).isEqualTo(id(1));

      GetRecordsResponse parent = kinesis.getRecords(b -> b.shardIterator(iterator(kinesis, id(0))));
      assertThat(parent.records()).extracting(r -> r.data().asUtf8String()).containsExactly("parent");
      assertThat(parent.nextShardIterator()).isNull();
      assertThat(parent.childShards()).extracting(c -> c.shardId()).containsExactly(id(2), id(3));
      GetRecordsResponse child = kinesis.getRecords(b -> b.shardIterator(iterator(kinesis, id(2))));
      assertThat(child.records()).extracting(r -> r.data().asUtf8String()).containsExactly("child");
      assertThat(kinesis.putRecord(b -> b.streamName("kept").partitionKey("k").explicitHashKey("1000")
          .data(SdkBytes.fromUtf8String("merged"))).shardId()).isEqualTo(id(4));

      assertThatThrownBy(() -> kinesis.updateShardCount(b -> b.streamName("scaled").targetShardCount(2)
          .scalingType(ScalingType.UNIFORM_SCALING))).isInstanceOf(LimitExceededException.class);
    } finally {
      second.close();
      deleteRecursively(dir);
    }
  }

  private static String iterator(KinesisClient kinesis, String shard) {
    return kinesis.getShardIterator(b -> b.streamName("kept").shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
        .shardIterator();
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
