package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * SIGKILL while producers put records (PutRecord and PutRecords) into a 4-shard stream,
 * {@code --durability fsync}: after the restart every acknowledged record is in its shard, with the
 * sequence number it was answered with, each once; a producer's records of its partition key read
 * back in the order it put them; nothing that was never put appears.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KinesisKillNineProcessIT {
  private static final int PRODUCERS = 4;

  private KillNineHarness harness;
  /** Acknowledged record data -> the sequence number it was answered with. */
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();
  private final List<KinesisClient> clients = new ArrayList<>();

  @BeforeEach
  void harness() throws Exception {
    harness = new KillNineHarness("eventplane-kinesis-kill9");
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (KinesisClient c : clients) c.close();
    harness.close();
  }

  private KinesisClient client(ServerProcess server) {
    KinesisClient c = EmbeddedServer.kinesisClient(server.endpoint(), true);
    clients.add(c);
    return c;
  }

  @Test
  void everyAcknowledgedRecordIsReadBackInOrderAfterKillNine() throws Exception {
    ServerProcess first = harness.start("first.log");
    KinesisClient setup = client(first);
    setup.createStream(b -> b.streamName("durable").shardCount(4));
    KinesisClient load = client(first);
    harness.load(PRODUCERS, (thread, n) -> put(load, thread, n));
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> harness.failure() != null || acknowledged.size() >= 1000);
    harness.killDuringLoad(first);

    ServerProcess second = harness.start("second.log");
    KinesisClient after = client(second);
    Map<String, String> found = new HashMap<>();
    Map<String, Integer> lastByProducer = new HashMap<>();
    for (Shard shard : after.listShards(b -> b.streamName("durable")).shards()) {
      String it = after.getShardIterator(b -> b.streamName("durable").shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      while (true) {
        String current = it;
        GetRecordsResponse page = after.getRecords(b -> b.shardIterator(current));
        for (Record r : page.records()) {
          String data = r.data().asUtf8String();
          assertThat(found.put(data, r.sequenceNumber())).as("record %s read once", data).isNull();
          String[] parts = data.split("-");
          int n = Integer.parseInt(parts[1]) * 10 + Integer.parseInt(parts[2]);
          assertThat(n).as("order of producer %s's records", parts[0]).isGreaterThan(lastByProducer.getOrDefault(parts[0], -1));
          lastByProducer.put(parts[0], n);
        }
        if (page.records().isEmpty()) break;
        it = page.nextShardIterator();
      }
    }
    assertThat(found).containsAllEntriesOf(acknowledged);
    KillNineHarness.assertNothingUnknown(new HashSet<>(found.keySet()), attempted, "records");
    System.out.printf("Kinesis kill -9 after %d acknowledged records (%d attempted): %d read back%n",
        acknowledged.size(), attempted.size(), found.size());
  }

  /** Producer {@code thread}'s {@code n}th put: records {@code p<thread>-<n>-<i>}, all with the partition key {@code p<thread>}. */
  private void put(KinesisClient kinesis, int thread, int n) {
    String key = "p" + thread;
    if (n % 2 == 0) {
      String data = key + "-" + n + "-0";
      attempted.add(data);
      String seq = kinesis.putRecord(b -> b.streamName("durable").partitionKey(key).data(SdkBytes.fromUtf8String(data)))
          .sequenceNumber();
      acknowledged.put(data, seq);
    } else {
      List<PutRecordsRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String data = key + "-" + n + "-" + i;
        attempted.add(data);
        entries.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromUtf8String(data)).build());
      }
      PutRecordsResponse r = kinesis.putRecords(b -> b.streamName("durable").records(entries));
      for (int i = 0; i < entries.size(); i++) {
        if (r.records().get(i).errorCode() == null) {
          acknowledged.put(entries.get(i).data().asUtf8String(), r.records().get(i).sequenceNumber());
        }
      }
    }
  }
}
