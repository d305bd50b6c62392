package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import org.awaitility.Awaitility;

/**
 * What Kinesis producers were told, and the check of a stream read back against it, for the tests
 * that kill servers under Kinesis load.
 *
 * <p>Producer {@code p} writes to its own partition keys {@code p<p>-k<j>} and numbers each key's
 * records 0, 1, 2, ...; it waits for a put's answer before its next put, so a key's numbers are in
 * the order it wrote them. A record's data names its producer, key and number. A PutRecords uses
 * each key at most once: AWS keeps a shard's order across requests, not among one request's
 * records. After the kill, {@link #readAll} reads every shard from TRIM_HORIZON and {@link #check}
 * holds what it read against the ledger: every answered record there, on its answered shard under
 * its answered sequence number, once; nothing that was never sent; each shard in increasing
 * sequence order; each key's numbers increasing. A put that was never answered may or may not be
 * there, but at most once and in its place.
 */
public final class KinesisLedger {
  static final int KEYS_PER_PRODUCER = 12;
  /** GetRecords' Limit while reading back: several pages per shard. */
  private static final int PAGE = 400;
  private static final String PADDING = "x".repeat(100);

  /** Where a put's answer said its record went. */
  public record Placed(String shardId, String sequenceNumber) {}

  /** A record as GetRecords gave it. */
  public record Read(String shardId, String sequenceNumber, String partitionKey, String data) {
    @Override
    public String toString() {
      return shardId + " " + sequenceNumber + " " + partitionKey + " " + named(data);
    }
  }

  /** How a read held up: answered puts, records read, and records read whose put was never answered. */
  public record Summary(int answered, int read, int unanswered, Map<String, Integer> perShard) {}

  private final String stream;
  private final Map<String, Placed> answered = new ConcurrentHashMap<>();
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();

  public KinesisLedger(String stream) {
    this.stream = stream;
  }

  /** How many records were answered (PutRecord, or a PutRecords entry without an error code). */
  public int answered() {
    return answered.size();
  }

  /** The data of every answered record (what a reader of the stream, a delivery stream too, must find). */
  public Set<String> answeredData() {
    return Set.copyOf(answered.keySet());
  }

  /** The data of every record a producer sent, answered or not. */
  public Set<String> attemptedData() {
    return Set.copyOf(attempted);
  }

  /** Waits until the stream is ACTIVE (it may be CREATING for a while, as on AWS). */
  public static void awaitActive(KinesisClient client, String stream) {
    Awaitility.await("stream " + stream + " ACTIVE").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
            == StreamStatus.ACTIVE);
  }

  /** A producer of its own keys through {@code client}: PutRecords when {@code batches}, PutRecord otherwise. Not thread-safe. */
  public Producer producer(int id, KinesisClient client, boolean batches) {
    return new Producer(id, client, batches);
  }

  /** One producer; each {@link #put} is one request, throwing whatever the call threw (no answer: no promise). */
  public final class Producer {
    private final int id;
    private final KinesisClient client;
    private final boolean batches;
    private final int[] next = new int[KEYS_PER_PRODUCER];

    private Producer(int id, KinesisClient client, boolean batches) {
      this.id = id;
      this.client = client;
      this.batches = batches;
    }

    public void put() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      if (!batches) {
        int k = random.nextInt(KEYS_PER_PRODUCER);
        String key = key(k);
        String data = take(k);
        PutRecordResponse r = client.putRecord(b -> b.streamName(stream).partitionKey(key).data(bytes(data)));
        answered.put(data, new Placed(r.shardId(), r.sequenceNumber()));
        return;
      }
      List<Integer> keys = new ArrayList<>();
      for (int k = 0; k < KEYS_PER_PRODUCER; k++) keys.add(k);
      Collections.shuffle(keys, random);
      List<String> sent = new ArrayList<>();
      List<PutRecordsRequestEntry> entries = new ArrayList<>();
      for (int k : keys.subList(0, 1 + random.nextInt(KEYS_PER_PRODUCER))) {
        String data = take(k);
        sent.add(data);
        entries.add(PutRecordsRequestEntry.builder().partitionKey(key(k)).data(bytes(data)).build());
      }
      PutRecordsResponse r = client.putRecords(b -> b.streamName(stream).records(entries));
      assertThat(r.records()).as("PutRecords result entries").hasSize(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        PutRecordsResultEntry e = r.records().get(i);
        if (e.errorCode() == null) answered.put(sent.get(i), new Placed(e.shardId(), e.sequenceNumber()));
      }
    }

    private String key(int k) {
      return "p" + id + "-k" + k;
    }

    /** The key's next record, noted as attempted before it is sent. */
    private String take(int k) {
      String data = key(k) + ":" + next[k]++ + ":" + PADDING;
      attempted.add(data);
      return data;
    }
  }

  /** A record's data without its padding: key and number. */
  private static String named(String data) {
    int end = data.lastIndexOf(':');
    return end < 0 ? data : data.substring(0, end);
  }

  private static SdkBytes bytes(String data) {
    return SdkBytes.fromString(data, StandardCharsets.UTF_8);
  }

  /**
   * Every shard of the stream read from TRIM_HORIZON, by shard id: GetRecords until a page has no
   * records and MillisBehindLatest is 0 (how a consumer knows it has caught up).
   */
  public static Map<String, List<Read>> readAll(KinesisClient client, String stream) {
    Map<String, List<Read>> out = new TreeMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (Shard shard : client.listShards(b -> b.streamName(stream)).shards()) {
      List<Read> records = new ArrayList<>();
      String iterator = client.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      while (true) {
        assertThat(System.nanoTime()).as("reading %s did not catch up within 60 s", shard.shardId()).isLessThan(deadline);
        String at = iterator;
        GetRecordsResponse page = client.getRecords(b -> b.shardIterator(at).limit(PAGE));
        for (Record r : page.records()) {
          records.add(new Read(shard.shardId(), r.sequenceNumber(), r.partitionKey(), r.data().asUtf8String()));
        }
        if (page.records().isEmpty() && page.millisBehindLatest() == 0) break;
        iterator = page.nextShardIterator();
        assertThat(iterator).as("NextShardIterator of open shard %s", shard.shardId()).isNotNull();
      }
      out.put(shard.shardId(), records);
    }
    return out;
  }

  /** Holds a read of every shard against the ledger (see the class comment); fails listing what is wrong. */
  public Summary check(Map<String, List<Read>> read) {
    List<String> problems = new ArrayList<>();
    Map<String, Read> byData = new HashMap<>();
    Map<String, String> shardOfKey = new HashMap<>();
    Map<String, Integer> lastOfKey = new HashMap<>();
    Map<String, Integer> perShard = new TreeMap<>();
    int unanswered = 0;
    for (Map.Entry<String, List<Read>> shard : read.entrySet()) {
      perShard.put(shard.getKey(), shard.getValue().size());
      BigInteger previous = null;
      for (Read r : shard.getValue()) {
        BigInteger seq = new BigInteger(r.sequenceNumber());
        if (previous != null && seq.compareTo(previous) <= 0) {
          problems.add(r.shardId() + ": sequence number " + r.sequenceNumber() + " after " + previous);
        }
        previous = seq;
        if (!attempted.contains(r.data())) {
          problems.add(r.shardId() + ": a record nobody sent: " + r);
          continue;
        }
        Read earlier = byData.putIfAbsent(r.data(), r);
        if (earlier != null) problems.add("read twice: " + earlier + " and " + r);
        String[] parts = r.data().split(":");
        String key = parts[0];
        int number = Integer.parseInt(parts[1]);
        if (!key.equals(r.partitionKey())) problems.add("partition key " + r.partitionKey() + " of " + r);
        String keyShard = shardOfKey.putIfAbsent(key, r.shardId());
        if (keyShard != null && !keyShard.equals(r.shardId())) problems.add("key " + key + " in " + keyShard + " and in " + r);
        Integer last = lastOfKey.put(key, number);
        if (last != null && number <= last) problems.add(r.shardId() + ": " + key + " number " + number + " after " + last);
        Placed placed = answered.get(r.data());
        if (placed == null) {
          unanswered++;
        } else if (!placed.shardId().equals(r.shardId()) || !placed.sequenceNumber().equals(r.sequenceNumber())) {
          problems.add("answered as " + placed + ", read as " + r);
        }
      }
    }
    for (Map.Entry<String, Placed> a : answered.entrySet()) {
      if (!byData.containsKey(a.getKey())) problems.add("answered " + a.getValue() + ", missing: " + named(a.getKey()));
    }
    assertThat(problems).as("%d problems with %d answered records (first 30): %s", problems.size(), answered.size(),
        problems.subList(0, Math.min(30, problems.size()))).isEmpty();
    return new Summary(answered.size(), byData.size(), unanswered, perShard);
  }

  /**
   * Puts one record into each shard (by its starting hash key) and checks that it gets a sequence
   * number above every record read from that shard, and that it is the one record after them.
   */
  public static void assertNewPutsFollow(KinesisClient client, String stream, Map<String, List<Read>> read) {
    for (Shard shard : client.listShards(b -> b.streamName(stream)).shards()) {
      List<Read> old = read.getOrDefault(shard.shardId(), List.of());
      assertThat(old).as("records read from %s before the new put", shard.shardId()).isNotEmpty();
      String last = old.get(old.size() - 1).sequenceNumber();
      String data = "after:" + shard.shardId();
      PutRecordResponse r = client.putRecord(b -> b.streamName(stream).partitionKey("after")
          .explicitHashKey(shard.hashKeyRange().startingHashKey()).data(bytes(data)));
      assertThat(r.shardId()).isEqualTo(shard.shardId());
      assertThat(new BigInteger(r.sequenceNumber())).as("sequence number of a new put into %s, last old one %s",
          shard.shardId(), last).isGreaterThan(new BigInteger(last));
      String iterator = client.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(last)).shardIterator();
      List<Record> after = client.getRecords(b -> b.shardIterator(iterator)).records();
      assertThat(after).as("records of %s after %s", shard.shardId(), last).hasSize(1);
      assertThat(after.get(0).sequenceNumber()).isEqualTo(r.sequenceNumber());
      assertThat(after.get(0).data().asUtf8String()).isEqualTo(data);
    }
  }
}
