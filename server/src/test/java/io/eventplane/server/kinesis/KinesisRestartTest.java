package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.time.MutableClock;
import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.EventplaneServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Streams and their records survive a restart: the definition (retention, tags, encryption) and
 * every acknowledged record are read back, and the shards' sequence numbers go on growing from
 * where they were rather than starting over.
 */
class KinesisRestartTest {
  @Test
  void streamsAndRecordsSurviveARestart() throws Exception {
    Path dir = Files.createTempDirectory("eventplane-kinesis");
    MutableClock clock = new MutableClock();
    EventplaneConfig config = EventplaneConfig.defaults().withPort(0).withDataDir(dir);
    List<String> before = new ArrayList<>();
    EventplaneServer first = EventplaneServer.start(config, clock);
    try (KinesisClient kinesis = EmbeddedServer.kinesisClient(URI.create("http://127.0.0.1:" + first.port()), false)) {
      kinesis.createStream(b -> b.streamName("kept").shardCount(2));
      kinesis.increaseStreamRetentionPeriod(b -> b.streamName("kept").retentionPeriodHours(48));
      kinesis.addTagsToStream(b -> b.streamName("kept").tags(java.util.Map.of("team", "a")));
      for (int i = 0; i < 10; i++) {
        int n = i;
        before.add(kinesis.putRecord(b -> b.streamName("kept").partitionKey("k").data(SdkBytes.fromUtf8String("r" + n)))
            .sequenceNumber());
      }
    } finally {
      first.close();
    }

    EventplaneServer second = EventplaneServer.start(config.withPort(0), clock);
    try (KinesisClient kinesis = EmbeddedServer.kinesisClient(URI.create("http://127.0.0.1:" + second.port()), false)) {
      var summary = kinesis.describeStreamSummary(b -> b.streamName("kept")).streamDescriptionSummary();
      assertThat(summary.retentionPeriodHours()).isEqualTo(48);
      assertThat(kinesis.listTagsForStream(b -> b.streamName("kept")).tags()).extracting(t -> t.key() + "=" + t.value())
          .containsExactly("team=a");
      String shard = kinesis.putRecord(b -> b.streamName("kept").partitionKey("k").data(SdkBytes.fromUtf8String("after")))
          .shardId();
      String it = kinesis.getShardIterator(b -> b.streamName("kept").shardId(shard)
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      List<Record> records = kinesis.getRecords(b -> b.shardIterator(it)).records();
      assertThat(records).hasSize(11);
      assertThat(records.subList(0, 10)).extracting(Record::sequenceNumber).containsExactlyElementsOf(before);
      assertThat(records.get(10).data().asUtf8String()).isEqualTo("after");
      assertThat(new java.math.BigInteger(records.get(10).sequenceNumber()))
          .isGreaterThan(new java.math.BigInteger(before.get(9)));
    } finally {
      second.close();
      deleteRecursively(dir);
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
