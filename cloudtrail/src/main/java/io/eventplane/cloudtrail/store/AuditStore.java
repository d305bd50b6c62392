package io.eventplane.cloudtrail.store;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Where CloudTrail keeps its state (column family {@value #COLUMN_FAMILY}), every key starting with
 * the audit partition of an account and region ({@code crc32("cloudtrail/" + account + "/" + region)}):
 *
 * <pre>
 *   P R account \0 region \0 (MAX - time) seq  -> a record as stored (JSON: record, resources, username, ...)
 *   P O seq                                     -> an "AWS API Call via CloudTrail" event waiting for the default bus (JSON)
 *   P c                                         -> the partition's last sequence (8 bytes)
 *   P T account \0 region \0 trail              -> a trail with its settings, selectors, tags, logging state (JSON)
 * </pre>
 *
 * Records are keyed by inverted time so that a forward scan gives the newest first, as
 * LookupEvents answers; the sequence keeps records of one millisecond apart and in arrival order
 * among themselves (newest first). The {@code O} keys are the outbox of events for EventBridge:
 * written in the batch that writes their records, deleted once the bus took them.
 */
public final class AuditStore {
  public static final String COLUMN_FAMILY = "cloudtrail";
  private static final byte RECORD = 'R';
  private static final byte OUTBOX = 'O';
  private static final byte SEQUENCE = 'c';
  private static final byte TRAIL = 'T';

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public AuditStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  public Batch batch() {
    return store.batch();
  }

  /** Commits through the partition's writer; completes on {@code context} (replicated when clustered). */
  public Future<Void> commit(int partition, Batch batch, Context context) {
    return writer.commit(partition, batch, context);
  }

  public void putRecord(Batch b, int partition, String account, String region, long time, long seq, JsonObject stored) {
    b.put(cf, recordKey(partition, account, region, time, seq), stored.toBuffer().getBytes());
  }

  public void putOutbox(Batch b, int partition, long seq, JsonObject entry) {
    b.put(cf, outboxKey(partition, seq), entry.toBuffer().getBytes());
  }

  public void deleteOutbox(Batch b, int partition, long seq) {
    b.delete(cf, outboxKey(partition, seq));
  }

  public void putSequence(Batch b, int partition, long seq) {
    b.put(cf, kind(partition, SEQUENCE), ByteBuffer.allocate(8).putLong(seq).array());
  }

  public void putTrail(Batch b, int partition, String account, String region, String name, JsonObject trail) {
    b.put(cf, trailKey(partition, account, region, name), trail.toBuffer().getBytes());
  }

  public void deleteTrail(Batch b, int partition, String account, String region, String name) {
    b.delete(cf, trailKey(partition, account, region, name));
  }

  /** Blocking: call on a worker. The partition's trails. */
  public List<JsonObject> loadTrails(int partition) {
    List<JsonObject> out = new ArrayList<>();
    store.scan(cf, kind(partition, TRAIL), (k, v) -> {
      out.add(new JsonObject(Buffer.buffer(v)));
      return true;
    });
    return out;
  }

  private static byte[] trailKey(int partition, String account, String region, String name) {
    return Keys.builder(64).bytes(Partitions.prefix(partition)).u8(TRAIL).part(account).part(region).string(name).build();
  }

  /** Deletes every key of the partition (dev-mode reset). */
  public void clearPartition(Batch b, int partition) {
    b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
  }

  /** What a lane needs of a partition it takes: its last sequence and its outbox. */
  public record Snapshot(long lastSequence, Map<Long, JsonObject> outbox) {}

  /** Blocking: call on a worker. */
  public Snapshot load(int partition) {
    byte[] last = store.get(cf, kind(partition, SEQUENCE));
    long seq = last == null ? 0 : ByteBuffer.wrap(last).getLong();
    Map<Long, JsonObject> outbox = new LinkedHashMap<>();
    store.scan(cf, kind(partition, OUTBOX), (k, v) -> {
      outbox.put(Keys.readLong(k, 3), new JsonObject(Buffer.buffer(v)));
      return true;
    });
    return new Snapshot(seq, outbox);
  }

  /** The first key of an account's and region's records at or before {@code time} (millis). */
  public static byte[] recordsFrom(int partition, String account, String region, long time) {
    return Keys.builder(48).bytes(recordPrefix(partition, account, region)).u64(Long.MAX_VALUE - Math.max(0, time)).build();
  }

  /** The end (exclusive) of an account's and region's records at or after {@code time} (millis). */
  public static byte[] recordsUntil(int partition, String account, String region, long time) {
    if (time <= 0) return Keys.prefixEnd(recordPrefix(partition, account, region));
    return Keys.builder(48).bytes(recordPrefix(partition, account, region)).u64(Long.MAX_VALUE - time + 1).build();
  }

  /** Blocking: call on a worker. Visits records in key order (newest first) from {@code from} to {@code to}. */
  public void scanRecords(byte[] from, byte[] to, BiPredicate<byte[], JsonObject> visitor) {
    if (java.util.Arrays.compareUnsigned(from, to) >= 0) return;
    store.scanRange(cf, from, to, (k, v) -> visitor.test(k, new JsonObject(Buffer.buffer(v))));
  }

  /**
   * Blocking: call on a worker. Adds to {@code b} the deletion of every record of the partition
   * older than {@code cutoff} (millis), one range per account and region; answers how many ranges.
   */
  public int deleteOlderThan(Batch b, int partition, long cutoff) {
    byte[] from = kind(partition, RECORD);
    byte[] end = Keys.prefixEnd(from);
    List<byte[]> prefixes = new ArrayList<>();
    while (true) {
      byte[][] first = new byte[1][];
      store.scanRange(cf, from, end, (k, v) -> {
        first[0] = k;
        return false;
      });
      if (first[0] == null) break;
      byte[] k = first[0];
      int zeros = 0;
      int at = 3;
      while (at < k.length && zeros < 2) {
        if (k[at] == 0) zeros++;
        at++;
      }
      byte[] prefix = java.util.Arrays.copyOf(k, at);
      prefixes.add(prefix);
      from = Keys.prefixEnd(prefix);
    }
    for (byte[] prefix : prefixes) {
      byte[] oldest = Keys.builder(prefix.length + 8).bytes(prefix).u64(Long.MAX_VALUE - cutoff + 1).build();
      b.deleteRange(cf, oldest, Keys.prefixEnd(prefix));
    }
    return prefixes.size();
  }

  private static byte[] kind(int partition, byte kind) {
    byte[] p = Partitions.prefix(partition);
    return new byte[] {p[0], p[1], kind};
  }

  private static byte[] recordPrefix(int partition, String account, String region) {
    return Keys.builder(40).bytes(Partitions.prefix(partition)).u8(RECORD).part(account).part(region).build();
  }

  private static byte[] recordKey(int partition, String account, String region, long time, long seq) {
    return Keys.builder(56).bytes(recordsFrom(partition, account, region, time)).u64(Long.MAX_VALUE - seq).build();
  }

  private static byte[] outboxKey(int partition, long seq) {
    return Keys.builder(11).bytes(Partitions.prefix(partition)).u8(OUTBOX).u64(seq).build();
  }
}
