package io.eventplane.kinesis.store;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.eventplane.kinesis.domain.Stream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where Kinesis keeps its state (column family {@value #COLUMN_FAMILY}), every key starting with
 * the partition of the stream it belongs to:
 *
 * <pre>
 *   P S account \0 region \0 name      -> the stream's definition ({@link Stream#toJson}: shards, retention, tags...)
 *   P N id shard                       -> the shard's next position (8 bytes)
 *   P R id shard position              -> a record: flags (1), arrival millis (8), key length (2), key, data
 *   P H id                             -> UpdateShardCount's scalings of the last 24 hours (JSON array of millis)
 * </pre>
 *
 * {@code id} is the stream's incarnation (8 bytes), {@code shard} the shard's index (4 bytes),
 * {@code position} its place in the shard (8 bytes), all big-endian, so a shard's records are one
 * contiguous, ordered range, and a stream's records (of every shard) one range that a delete drops
 * whole. A put writes its records and the shards' next positions in one batch.
 */
public final class StreamStore {
  public static final String COLUMN_FAMILY = "kinesis";
  private static final byte STREAM = 'S';
  private static final byte NEXT = 'N';
  private static final byte RECORD = 'R';
  private static final byte SCALINGS = 'H';
  private static final int ENCRYPTED = 1;

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public StreamStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  public Batch batch() {
    return store.batch();
  }

  /** Commits through the partition's writer; completes on {@code context} once durable (and replicated when clustered). */
  public Future<Void> commit(int partition, Batch batch, Context context) {
    return writer.commit(partition, batch, context);
  }

  public void putStream(Batch b, Stream s) {
    b.put(cf, streamKey(s), s.toJson().toBuffer().getBytes());
  }

  /** Drops the definition, every record and every next position of the stream (three range deletions at most). */
  public void deleteStream(Batch b, Stream s) {
    int p = s.ref().partition();
    b.delete(cf, streamKey(s));
    byte[] records = Keys.builder(11).bytes(Partitions.prefix(p)).u8(RECORD).u64(s.id()).build();
    b.deleteRange(cf, records, Keys.prefixEnd(records));
    byte[] next = Keys.builder(11).bytes(Partitions.prefix(p)).u8(NEXT).u64(s.id()).build();
    b.deleteRange(cf, next, Keys.prefixEnd(next));
    b.delete(cf, scalingsKey(s));
  }

  /** Drops a shard's records and next position (a closed shard past the retention period). */
  public void dropShard(Batch b, int partition, long id, int shard) {
    b.deleteRange(cf, shardKey(partition, RECORD, id, shard), shardEnd(partition, id, shard));
    b.delete(cf, shardKey(partition, NEXT, id, shard));
  }

  /** Blocking: call on a worker. When UpdateShardCount scaled the stream lately (millis, oldest first). */
  public List<Long> scalings(Stream s) {
    byte[] v = store.get(cf, scalingsKey(s));
    List<Long> out = new ArrayList<>();
    if (v != null) new JsonArray(Buffer.buffer(v)).forEach(t -> out.add(((Number) t).longValue()));
    return out;
  }

  public void putScalings(Batch b, Stream s, List<Long> times) {
    b.put(cf, scalingsKey(s), new JsonArray(new ArrayList<Object>(times)).toBuffer().getBytes());
  }

  private static byte[] scalingsKey(Stream s) {
    return ByteBuffer.allocate(11).put(kind(s.ref().partition(), SCALINGS)).putLong(s.id()).array();
  }

  public void putNext(Batch b, int partition, long id, int shard, long next) {
    b.put(cf, shardKey(partition, NEXT, id, shard), ByteBuffer.allocate(8).putLong(next).array());
  }

  public void putRecord(Batch b, int partition, long id, int shard, StoredRecord r) {
    byte[] key = r.partitionKey().getBytes(StandardCharsets.UTF_8);
    ByteBuffer v = ByteBuffer.allocate(11 + key.length + r.data().length);
    v.put((byte) (r.encrypted() ? ENCRYPTED : 0)).putLong(r.arrivalMillis()).putShort((short) key.length).put(key).put(r.data());
    b.put(cf, recordKey(partition, id, shard, r.position()), v.array());
  }

  /** Deletes every key of the partition (dev-mode reset). */
  public void clearPartition(Batch b, int partition) {
    b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
  }

  /** What a lane needs of a partition it takes: its streams and their shards' next positions. */
  public record Snapshot(List<Stream> streams, Map<Long, Map<Integer, Long>> next) {}

  /** Blocking: call on a worker. */
  public Snapshot load(int partition) {
    List<Stream> streams = new ArrayList<>();
    store.scan(cf, kind(partition, STREAM), (k, v) -> {
      streams.add(Stream.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    Map<Long, Map<Integer, Long>> next = new HashMap<>();
    store.scan(cf, kind(partition, NEXT), (k, v) -> {
      ByteBuffer key = ByteBuffer.wrap(k, 3, 12);
      next.computeIfAbsent(key.getLong(), id -> new HashMap<>()).put(key.getInt(), ByteBuffer.wrap(v).getLong());
      return true;
    });
    return new Snapshot(streams, next);
  }

  /** A page of a shard's records from GetRecords' point of view. */
  public record Page(List<StoredRecord> records, boolean more) {}

  /**
   * Blocking: call on a worker. Up to {@code limit} records of the shard from {@code from} on and
   * before {@code until} (those that arrived before {@code cutoff} skipped), at most
   * {@code maxBytes} of data unless the first alone is larger; {@code more} says whether records
   * were left after the page.
   */
  public Page read(int partition, long id, int shard, long from, long until, int limit, long maxBytes, long cutoff) {
    List<StoredRecord> out = new ArrayList<>();
    boolean[] more = {false};
    long[] bytes = {0};
    if (from >= until) return new Page(out, false);
    store.scanRange(cf, recordKey(partition, id, shard, from), recordKey(partition, id, shard, until), (k, v) -> {
      StoredRecord r = decode(k, v);
      if (r.arrivalMillis() < cutoff) return true;
      if (out.size() >= limit || (!out.isEmpty() && bytes[0] + r.data().length > maxBytes)) {
        more[0] = true;
        return false;
      }
      out.add(r);
      bytes[0] += r.data().length;
      return true;
    });
    return new Page(out, more[0]);
  }

  /** Blocking: call on a worker. The position of the shard's first record that arrived at or after {@code time}, or -1. */
  public long firstAtOrAfter(int partition, long id, int shard, long time) {
    long[] found = {-1};
    store.scanRange(cf, recordKey(partition, id, shard, 0), shardEnd(partition, id, shard), (k, v) -> {
      if (ByteBuffer.wrap(v, 1, 8).getLong() >= time) {
        found[0] = ByteBuffer.wrap(k, 15, 8).getLong();
        return false;
      }
      return true;
    });
    return found[0];
  }

  /**
   * Blocking: call on a worker. Adds to {@code b} the deletion, as one range, of the shard's
   * records that arrived before {@code cutoff}; answers whether there were any.
   */
  public boolean trim(Batch b, int partition, long id, int shard, long cutoff) {
    byte[] first = recordKey(partition, id, shard, 0);
    byte[][] fresh = {shardEnd(partition, id, shard)};
    boolean[] any = {false};
    store.scanRange(cf, first, fresh[0], (k, v) -> {
      if (ByteBuffer.wrap(v, 1, 8).getLong() >= cutoff) {
        fresh[0] = k;
        return false;
      }
      any[0] = true;
      return true;
    });
    if (any[0]) b.deleteRange(cf, first, fresh[0]);
    return any[0];
  }

  private static StoredRecord decode(byte[] k, byte[] v) {
    ByteBuffer in = ByteBuffer.wrap(v);
    boolean encrypted = (in.get() & ENCRYPTED) != 0;
    long arrival = in.getLong();
    byte[] key = new byte[in.getShort() & 0xFFFF];
    in.get(key);
    byte[] data = new byte[in.remaining()];
    in.get(data);
    return new StoredRecord(ByteBuffer.wrap(k, 15, 8).getLong(), arrival, encrypted, new String(key, StandardCharsets.UTF_8), data);
  }

  private static byte[] kind(int partition, byte kind) {
    byte[] p = Partitions.prefix(partition);
    return new byte[] {p[0], p[1], kind};
  }

  private static byte[] streamKey(Stream s) {
    return Keys.builder(64).bytes(kind(s.ref().partition(), STREAM)).part(s.ref().account()).part(s.ref().region())
        .string(s.ref().name()).build();
  }

  private static byte[] shardKey(int partition, byte kind, long id, int shard) {
    return ByteBuffer.allocate(15).put(kind(partition, kind)).putLong(id).putInt(shard).array();
  }

  private static byte[] recordKey(int partition, long id, int shard, long position) {
    return ByteBuffer.allocate(23).put(shardKey(partition, RECORD, id, shard)).putLong(position).array();
  }

  private static byte[] shardEnd(int partition, long id, int shard) {
    return Keys.prefixEnd(shardKey(partition, RECORD, id, shard));
  }
}
