package io.eventplane.kinesis.store;

import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.eventplane.kinesis.domain.Consumer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a stream's enhanced fan-out consumers are kept, beside the stream in column family
 * {@value StreamStore#COLUMN_FAMILY}, in the stream's partition:
 *
 * <pre>
 *   P C id name                        -> a consumer ({@link Consumer#toJson})
 * </pre>
 *
 * {@code id} is the stream's incarnation (8 bytes, big-endian), so an incarnation's consumers are one
 * range that deleting the stream drops whole. Writes go into the batches of {@link StreamStore}.
 */
public final class ConsumerStore {
  private static final byte CONSUMER = 'C';

  private final Store store;
  private final ColumnFamily cf;

  public ConsumerStore(Store store) {
    this.store = store;
    this.cf = store.columnFamily(StreamStore.COLUMN_FAMILY);
  }

  public void put(Batch b, Consumer c) {
    b.put(cf, key(c.stream().partition(), c.streamId(), c.name()), c.toJson().toBuffer().getBytes());
  }

  public void delete(Batch b, Consumer c) {
    b.delete(cf, key(c.stream().partition(), c.streamId(), c.name()));
  }

  /** Drops every consumer of a stream's incarnation (one range deletion). */
  public void deleteAll(Batch b, int partition, long streamId) {
    byte[] from = prefix(partition, streamId);
    b.deleteRange(cf, from, Keys.prefixEnd(from));
  }

  /** Blocking: call on a worker. Every consumer of the partition's streams. */
  public List<Consumer> load(int partition) {
    List<Consumer> out = new ArrayList<>();
    byte[] p = Partitions.prefix(partition);
    store.scan(cf, new byte[] {p[0], p[1], CONSUMER}, (k, v) -> {
      out.add(Consumer.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  private static byte[] prefix(int partition, long streamId) {
    return Keys.builder(11).bytes(Partitions.prefix(partition)).u8(CONSUMER).u64(streamId).build();
  }

  private static byte[] key(int partition, long streamId, String name) {
    return Keys.builder(24 + name.length()).bytes(prefix(partition, streamId)).string(name).build();
  }
}
