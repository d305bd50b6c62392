package io.eventplane.firehose.store;

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
import java.util.Arrays;
import java.util.List;

/**
 * Where Firehose keeps its state (column family {@value #COLUMN_FAMILY}), every key starting with
 * the partition of the delivery stream's account and region ({@code crc32("firehose/" + account + "/" + region)}):
 *
 * <pre>
 *   P S account \0 region \0 name            -> a delivery stream: its description, tags, delivery cursor and intent (JSON)
 *   P B account \0 region \0 name \0 seq      -> a buffered record: arrival millis (8 bytes) then its data
 *   P K account \0 region \0 name \0 shardId  -> a Kinesis source's checkpoint in one shard (JSON: {@code After}
 *                                               the last sequence number taken, {@code Ended} once the shard was read to its end)
 * </pre>
 *
 * A checkpoint is written in the batch that buffers the records it moves past, so records read
 * from a source stream are taken once whatever happens to the node.
 *
 * A record is written (and acknowledged) in the batch of its PutRecord / PutRecordBatch; it is
 * deleted in the batch that moves its stream's cursor past it, after the object holding it was
 * written. Sequences are per stream and only grow (the cursor keeps the last delivered one).
 */
public final class FirehoseStore {
  public static final String COLUMN_FAMILY = "firehose";
  private static final byte STREAM = 'S';
  private static final byte RECORD = 'B';
  private static final byte CHECKPOINT = 'K';

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public FirehoseStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  /** A buffered record as read back: its sequence, arrival time (millis) and data. */
  public record Buffered(long seq, long arrival, byte[] data) {}

  public Batch batch() {
    return store.batch();
  }

  /** Commits through the partition's writer; completes on {@code context} (replicated when clustered). */
  public Future<Void> commit(int partition, Batch batch, Context context) {
    return writer.commit(partition, batch, context);
  }

  public void putStream(Batch b, int partition, String account, String region, String name, JsonObject stream) {
    b.put(cf, streamKey(partition, account, region, name), stream.toBuffer().getBytes());
  }

  /** Deletes the stream and every record it still buffers. */
  public void deleteStream(Batch b, int partition, String account, String region, String name) {
    b.delete(cf, streamKey(partition, account, region, name));
    byte[] records = recordPrefix(partition, account, region, name);
    b.deleteRange(cf, records, Keys.prefixEnd(records));
    byte[] checkpoints = checkpointPrefix(partition, account, region, name);
    b.deleteRange(cf, checkpoints, Keys.prefixEnd(checkpoints));
  }

  public void putCheckpoint(Batch b, int partition, String account, String region, String name, String shardId, JsonObject checkpoint) {
    b.put(cf, Keys.builder(96).bytes(checkpointPrefix(partition, account, region, name)).string(shardId).build(),
        checkpoint.toBuffer().getBytes());
  }

  /** Blocking: call on a worker. The stream's checkpoints by shard id. */
  public java.util.Map<String, JsonObject> loadCheckpoints(int partition, String account, String region, String name) {
    java.util.Map<String, JsonObject> out = new java.util.HashMap<>();
    byte[] prefix = checkpointPrefix(partition, account, region, name);
    store.scan(cf, prefix, (k, v) -> {
      out.put(new String(k, prefix.length, k.length - prefix.length, java.nio.charset.StandardCharsets.UTF_8),
          new JsonObject(Buffer.buffer(v)));
      return true;
    });
    return out;
  }

  public void putRecord(Batch b, int partition, String account, String region, String name, long seq, long arrival, byte[] data) {
    byte[] value = ByteBuffer.allocate(8 + data.length).putLong(arrival).put(data).array();
    b.put(cf, recordKey(partition, account, region, name, seq), value);
  }

  /** Deletes the stream's records up to and including {@code upTo}. */
  public void deleteRecords(Batch b, int partition, String account, String region, String name, long upTo) {
    b.deleteRange(cf, recordPrefix(partition, account, region, name), recordKey(partition, account, region, name, upTo + 1));
  }

  /** Blocking: call on a worker. The partition's delivery streams. */
  public List<JsonObject> loadStreams(int partition) {
    List<JsonObject> out = new ArrayList<>();
    store.scan(cf, kind(partition, STREAM), (k, v) -> {
      out.add(new JsonObject(Buffer.buffer(v)));
      return true;
    });
    return out;
  }

  /**
   * Blocking: call on a worker. Visits the stream's records after {@code after} in sequence order
   * until the visitor answers false.
   */
  public void scanRecords(int partition, String account, String region, String name, long after,
      java.util.function.Predicate<Buffered> visitor) {
    byte[] prefix = recordPrefix(partition, account, region, name);
    store.scanRange(cf, recordKey(partition, account, region, name, after + 1), Keys.prefixEnd(prefix), (k, v) -> {
      ByteBuffer value = ByteBuffer.wrap(v);
      long arrival = value.getLong();
      return visitor.test(new Buffered(Keys.readLong(k, prefix.length), arrival, Arrays.copyOfRange(v, 8, v.length)));
    });
  }

  /** Deletes every key of the partition (dev-mode reset). */
  public void clearPartition(Batch b, int partition) {
    b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
  }

  private static byte[] kind(int partition, byte kind) {
    byte[] p = Partitions.prefix(partition);
    return new byte[] {p[0], p[1], kind};
  }

  private static byte[] streamKey(int partition, String account, String region, String name) {
    return Keys.builder(64).bytes(kind(partition, STREAM)).part(account).part(region).string(name).build();
  }

  private static byte[] recordPrefix(int partition, String account, String region, String name) {
    return Keys.builder(64).bytes(kind(partition, RECORD)).part(account).part(region).part(name).build();
  }

  private static byte[] checkpointPrefix(int partition, String account, String region, String name) {
    return Keys.builder(64).bytes(kind(partition, CHECKPOINT)).part(account).part(region).part(name).build();
  }

  private static byte[] recordKey(int partition, String account, String region, String name, long seq) {
    return Keys.builder(72).bytes(recordPrefix(partition, account, region, name)).u64(seq).build();
  }
}
