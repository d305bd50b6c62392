package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Concurrent producers: every acknowledged record is read back exactly once, each shard in
 * sequence-number order, and each producer's records of one partition key in the order it put them.
 */
class KinesisOrderingTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static KinesisClient kinesis() {
    return server.kinesis();
  }

  @Test
  void concurrentProducersKeepOrderPerShardAndPerKey() throws Exception {
    kinesis().createStream(b -> b.streamName("ord").shardCount(4));
    int producers = 4;
    int rounds = 25;
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      done.add(pool.submit(() -> {
        for (int i = 0; i < rounds; i++) {
          if (i % 2 == 0) {
            int n = i;
            kinesis().putRecord(b -> b.streamName("ord").partitionKey("p" + producer)
                .data(SdkBytes.fromUtf8String(producer + ":" + n)));
          } else {
            List<PutRecordsRequestEntry> batch = new ArrayList<>();
            batch.add(PutRecordsRequestEntry.builder().partitionKey("p" + producer)
                .data(SdkBytes.fromUtf8String(producer + ":" + i)).build());
            batch.add(PutRecordsRequestEntry.builder().partitionKey("shared-" + i)
                .data(SdkBytes.fromUtf8String("s:" + i)).build());
            kinesis().putRecords(b -> b.streamName("ord").records(batch));
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) f.get();
    pool.shutdown();
    Map<String, Integer> lastByProducer = new HashMap<>();
    int total = 0;
    for (Shard shard : kinesis().listShards(b -> b.streamName("ord")).shards()) {
      String it = kinesis().getShardIterator(b -> b.streamName("ord").shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      List<Record> records = new ArrayList<>();
      while (true) {
        String current = it;
        GetRecordsResponse page = kinesis().getRecords(b -> b.shardIterator(current).limit(7));
        records.addAll(page.records());
        if (page.records().isEmpty()) break;
        it = page.nextShardIterator();
      }
      BigInteger previous = BigInteger.valueOf(-1);
      for (Record r : records) {
        BigInteger seq = new BigInteger(r.sequenceNumber());
        assertThat(seq).isGreaterThan(previous);
        previous = seq;
        String[] parts = r.data().asUtf8String().split(":");
        if (!parts[0].equals("s")) {
          int n = Integer.parseInt(parts[1]);
          assertThat(n).isGreaterThan(lastByProducer.getOrDefault(parts[0], -1));
          lastByProducer.put(parts[0], n);
        }
      }
      total += records.size();
    }
    assertThat(total).isEqualTo(producers * rounds + producers * (rounds / 2));
    assertThat(lastByProducer).hasSize(producers).allSatisfy((p, last) -> assertThat(last).isEqualTo(rounds - 1));
  }
}
