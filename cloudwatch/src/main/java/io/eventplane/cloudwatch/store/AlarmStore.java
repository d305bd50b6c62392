package io.eventplane.cloudwatch.store;

import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Where CloudWatch keeps its metric alarms, in the same column family as the metrics
 * ({@link CloudWatchStore#COLUMN_FAMILY}), under the partition of the alarm's (account, region, name):
 *
 * <pre>
 *   P A id(8)                     -> the alarm, definition and state ({@code MetricAlarm.toJson()})
 *   P H id(8) millis(8) seq(8)    -> one history item of the alarm (JSON as DescribeAlarmHistory answers it)
 *   P O id(8) random(8)           -> an action still to run for a state change (the outbox: JSON)
 * </pre>
 *
 * A state change writes the alarm, its history item and its actions in one batch, so an action is
 * run at least once after a crash (the outbox is read when the partition is acquired). Writes go
 * through the partition's writer like the metrics ({@link CloudWatchStore#commit}).
 */
public final class AlarmStore {
  private static final byte ALARM = 'A';
  private static final byte HISTORY = 'H';
  private static final byte OUTBOX = 'O';

  private final Store store;
  private final ColumnFamily cf;
  /** Orders a lane's history items of one millisecond as they were written (from the wall clock: later after a restart). */
  private long seq = System.currentTimeMillis() * 1000;

  public AlarmStore(Store store) {
    this.store = store;
    this.cf = store.columnFamily(CloudWatchStore.COLUMN_FAMILY);
  }

  /** A stored entry with the key that names it (history and outbox entries are deleted by key). */
  public record Entry(byte[] key, JsonObject value) {}

  public void putAlarm(Batch b, int partition, long id, JsonObject alarm) {
    b.put(cf, Keys.builder(11).bytes(kind(partition, ALARM)).u64(id).build(), alarm.toBuffer().getBytes());
  }

  /** Deletes the alarm, its history and its pending actions. */
  public void deleteAlarm(Batch b, int partition, long id) {
    b.delete(cf, Keys.builder(11).bytes(kind(partition, ALARM)).u64(id).build());
    for (byte kind : new byte[] {HISTORY, OUTBOX}) {
      byte[] prefix = Keys.builder(11).bytes(kind(partition, kind)).u64(id).build();
      b.deleteRange(cf, prefix, Keys.prefixEnd(prefix));
    }
  }

  public void putHistory(Batch b, int partition, long id, long millis, JsonObject item) {
    b.put(cf, Keys.builder(27).bytes(kind(partition, HISTORY)).u64(id).u64(millis).u64(seq++).build(), item.toBuffer().getBytes());
  }

  /** Deletes the alarm's history items older than {@code millis}. */
  public void dropHistoryBefore(Batch b, int partition, long id, long millis) {
    byte[] prefix = Keys.builder(11).bytes(kind(partition, HISTORY)).u64(id).build();
    b.deleteRange(cf, prefix, Keys.builder(19).bytes(prefix).u64(millis).build());
  }

  /** Puts an action in the outbox; its key, to delete it once run. */
  public byte[] putAction(Batch b, int partition, long id, long random, JsonObject action) {
    byte[] key = Keys.builder(19).bytes(kind(partition, OUTBOX)).u64(id).u64(random).build();
    b.put(cf, key, action.toBuffer().getBytes());
    return key;
  }

  public void delete(Batch b, byte[] key) {
    b.delete(cf, key);
  }

  /** Blocking: call on a worker. The partition's alarms. */
  public List<JsonObject> loadAlarms(int partition) {
    List<JsonObject> out = new ArrayList<>();
    for (Entry e : scan(kind(partition, ALARM))) out.add(e.value());
    return out;
  }

  /** Blocking: call on a worker. The partition's actions not yet run. */
  public List<Entry> loadOutbox(int partition) {
    return scan(kind(partition, OUTBOX));
  }

  /** Blocking: call on a worker. The alarm's history items, oldest first. */
  public List<JsonObject> history(int partition, long id) {
    List<JsonObject> out = new ArrayList<>();
    for (Entry e : scan(Keys.builder(11).bytes(kind(partition, HISTORY)).u64(id).build())) out.add(e.value());
    return out;
  }

  private List<Entry> scan(byte[] prefix) {
    List<Entry> out = new ArrayList<>();
    store.scan(cf, prefix, (k, v) -> {
      out.add(new Entry(k, new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  private static byte[] kind(int partition, byte kind) {
    byte[] p = Partitions.prefix(partition);
    return new byte[] {p[0], p[1], kind};
  }
}
