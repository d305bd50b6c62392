package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * A reader that follows the shard lineage as the KCL does (a shard once all its parents were read
 * to their end, then its children from GetRecords' ChildShards) while producers write and the
 * stream is split, merged and rescaled under them: every acknowledged record is read exactly once,
 * and each partition key's records come in the order they were written.
 */
class KinesisReshardReadersTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String STREAM = "lineage";
  private static final int PRODUCERS = 4;
  private static final int KEYS_PER_PRODUCER = 3;
  private static final int RECORDS_PER_KEY = 40;

  @Test
  void readersFollowChildShardsWhileProducersWrite() throws Exception {
    KinesisClient kinesis = server.kinesis();
    kinesis.createStream(b -> b.streamName(STREAM).shardCount(2));
    AtomicInteger written = new AtomicInteger();
    AtomicBoolean producing = new AtomicBoolean(true);
    Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + 1);
    try {
      List<Future<?>> producers = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        producers.add(pool.submit(() -> {
          for (int n = 0; n < RECORDS_PER_KEY; n++) {
            for (int k = 0; k < KEYS_PER_PRODUCER; k++) {
              String key = "key-" + producer + "-" + k;
              String data = key + ":" + n;
              String seq = kinesis.putRecord(b -> b.streamName(STREAM).partitionKey(key).data(SdkBytes.fromUtf8String(data)))
                  .sequenceNumber();
              acknowledged.computeIfAbsent(key, x -> new ArrayList<>()).add(data + "@" + seq);
              written.incrementAndGet();
            }
          }
          return null;
        }));
      }
      Future<Map<String, List<String>>> reader = pool.submit(() -> read(kinesis, producing));

      int total = PRODUCERS * KEYS_PER_PRODUCER * RECORDS_PER_KEY;
      await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= total / 4);
      kinesis.splitShard(b -> b.streamName(STREAM).shardToSplit("shardId-000000000000")
          .newStartingHashKey(new java.math.BigInteger("85070591730234615865843651857942052864").toString()));
      server.advance(Duration.ofSeconds(1));
      await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= total / 2);
      kinesis.mergeShards(b -> b.streamName(STREAM).shardToMerge("shardId-000000000003").adjacentShardToMerge("shardId-000000000001"));
      server.advance(Duration.ofSeconds(1));
      await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= 3 * total / 4);
      kinesis.updateShardCount(b -> b.streamName(STREAM).targetShardCount(3).scalingType(ScalingType.UNIFORM_SCALING));
      server.advance(Duration.ofSeconds(1));
      for (Future<?> f : producers) f.get(120, TimeUnit.SECONDS);
      producing.set(false);
      Map<String, List<String>> read = reader.get(120, TimeUnit.SECONDS);

      assertThat(read.keySet()).isEqualTo(acknowledged.keySet());
      for (String key : acknowledged.keySet()) {
        // Written one after another by one producer, so acknowledged in order: read exactly once, in that order.
        assertThat(read.get(key)).as(key).containsExactlyElementsOf(acknowledged.get(key));
      }
      assertThat(kinesis.listShards(b -> b.streamName(STREAM)).shards().stream()
          .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)).hasSize(3);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Reads the stream as a KCL worker would: the shards without parents first, each to its end;
   * a child once every parent of it was read to its end; open shards until the producers stopped
   * and a read finds nothing more.
   */
  private static Map<String, List<String>> read(KinesisClient kinesis, AtomicBoolean producing) {
    Map<String, List<String>> byKey = new HashMap<>();
    Set<String> finished = new HashSet<>();
    Map<String, List<String>> parentsOf = new HashMap<>();
    LinkedHashSet<String> pending = new LinkedHashSet<>();
    for (Shard s : kinesis.listShards(b -> b.streamName(STREAM)).shards()) {
      if (s.parentShardId() == null) pending.add(s.shardId());
    }
    Map<String, String> iterators = new HashMap<>();
    while (!pending.isEmpty()) {
      boolean progressed = false;
      for (String shard : new ArrayList<>(pending)) {
        if (!finished.containsAll(parentsOf.getOrDefault(shard, List.of()))) continue;
        String it = iterators.computeIfAbsent(shard, s -> kinesis.getShardIterator(b -> b.streamName(STREAM).shardId(s)
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
        boolean stopped = !producing.get();
        GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(it));
        for (Record r : page.records()) {
          String data = r.data().asUtf8String();
          byKey.computeIfAbsent(data.substring(0, data.indexOf(':')), k -> new ArrayList<>()).add(data + "@" + r.sequenceNumber());
        }
        progressed |= !page.records().isEmpty();
        if (page.nextShardIterator() == null) {
          finished.add(shard);
          pending.remove(shard);
          for (ChildShard c : page.childShards()) {
            parentsOf.put(c.shardId(), c.parentShards());
            pending.add(c.shardId());
          }
          progressed = true;
        } else if (stopped && page.records().isEmpty() && page.millisBehindLatest() == 0) {
          pending.remove(shard);
        } else {
          iterators.put(shard, page.nextShardIterator());
        }
      }
      if (!progressed) Thread.onSpinWait();
    }
    return byKey;
  }
}
