package io.eventplane.cloudwatch.store;

import io.eventplane.cloudwatch.domain.Aggregate;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Where CloudWatch keeps its metrics (column family {@value #COLUMN_FAMILY}), every key starting
 * with the partition of the metric's identity ({@code MetricId.partition()}):
 *
 * <pre>
 *   P I id(8)                               -> the metric: its identity and {@code Last}, the minute of its newest point (JSON)
 *   P V id(8) minute(8) unit(1) random(8)    -> what one call put into that minute in that unit ({@link Aggregate})
 * </pre>
 *
 * A minute's points are written as they come, one entry per call (a random suffix keeps two
 * calls' entries apart without a read before the write), and merged when read: a write costs no
 * read, and "statistic S of metric M over [t0, t1)" is one range scan of one metric in one
 * partition. Retention deletes whole ranges ({@link #dropBefore}).
 */
public final class CloudWatchStore {
  public static final String COLUMN_FAMILY = "cloudwatch";
  private static final byte METRIC = 'I';
  private static final byte POINT = 'V';

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public CloudWatchStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  /** A point as read back. */
  public record Point(long minute, int unit, Aggregate aggregate) {}

  public Batch batch() {
    return store.batch();
  }

  /** Commits through the partition's writer (group-committed; replicated when clustered); completes on {@code context}. */
  public Future<Void> commit(int partition, Batch batch, Context context) {
    return writer.commit(partition, batch, context);
  }

  public void putMetric(Batch b, int partition, long id, JsonObject metric) {
    b.put(cf, metricKey(partition, id), metric.toBuffer().getBytes());
  }

  public void deleteMetric(Batch b, int partition, long id) {
    b.delete(cf, metricKey(partition, id));
    byte[] points = pointPrefix(partition, id);
    b.deleteRange(cf, points, Keys.prefixEnd(points));
  }

  public void putPoint(Batch b, int partition, long id, long minute, int unit, long random, Aggregate aggregate) {
    b.put(cf, Keys.builder(32).bytes(pointPrefix(partition, id)).u64(minute).u8(unit).u64(random).build(), aggregate.encode());
  }

  /** Deletes the metric's points of minutes before {@code minute}. */
  public void dropBefore(Batch b, int partition, long id, long minute) {
    byte[] prefix = pointPrefix(partition, id);
    b.deleteRange(cf, prefix, Keys.builder(24).bytes(prefix).u64(minute).build());
  }

  /** Blocking: call on a worker. The partition's metrics (JSON as {@link #putMetric} wrote them). */
  public List<JsonObject> loadMetrics(int partition) {
    List<JsonObject> out = new ArrayList<>();
    store.scan(cf, kind(partition, METRIC), (k, v) -> {
      out.add(new JsonObject(Buffer.buffer(v)));
      return true;
    });
    return out;
  }

  /** Blocking: call on a worker. The metric's points of minutes in [from, to), in minute order. */
  public List<Point> points(int partition, long id, long from, long to) {
    List<Point> out = new ArrayList<>();
    byte[] prefix = pointPrefix(partition, id);
    int at = prefix.length;
    store.scanRange(cf, Keys.builder(24).bytes(prefix).u64(from).build(), Keys.builder(24).bytes(prefix).u64(to).build(),
        (k, v) -> {
          out.add(new Point(Keys.readLong(k, at), k[at + 8] & 0xFF, Aggregate.decode(v)));
          return true;
        });
    return out;
  }

  /** Deletes every key of the partition (dev-mode reset). */
  public void clearPartition(Batch b, int partition) {
    b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
  }

  private static byte[] kind(int partition, byte kind) {
    byte[] p = Partitions.prefix(partition);
    return new byte[] {p[0], p[1], kind};
  }

  private static byte[] metricKey(int partition, long id) {
    return Keys.builder(11).bytes(kind(partition, METRIC)).u64(id).build();
  }

  private static byte[] pointPrefix(int partition, long id) {
    return Keys.builder(11).bytes(kind(partition, POINT)).u64(id).build();
  }
}
