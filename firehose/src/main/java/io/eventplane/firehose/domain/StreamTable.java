package io.eventplane.firehose.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.eventplane.firehose.store.FirehoseStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The delivery streams of a lane's partitions, held in memory per partition (loaded when the lane
 * takes it) with what each buffers, every change written through the partition's writer before it
 * is answered. A stream is stored as JSON: {@code Account, Region, Name, ARN, Type, Version,
 * Created, Updated, Destination} (its ExtendedS3 description), {@code Encryption}, {@code Tags},
 * {@code Cursor} (the last sequence delivered) and, while an object is being written,
 * {@code Pending} (the intent: {@code UpTo, Key, Since}). Used only on the lane's context.
 */
public final class StreamTable {
  private final Vertx vertx;
  private final Context context;
  private final FirehoseStore store;
  /** By partition, by account \0 region \0 name. */
  private final Map<Integer, Map<String, Entry>> streams = new HashMap<>();
  /**
   * The last stream write of each partition: writes of stream JSON run one after another, each
   * applied to the stream as the previous one left it, so that a delivery's progress and an
   * UpdateDestination never overwrite each other.
   */
  private final Map<Integer, Future<Void>> tails = new HashMap<>();

  /** A stream as it is now and what it buffers (records after its cursor). */
  public static final class Entry {
    private JsonObject stream;
    /** The last sequence given to a record. */
    long lastSeq;
    long bufferedBytes;
    long bufferedRecords;
    /** Arrival (millis) of the oldest buffered record; meaningful while something is buffered. */
    long oldestArrival;

    Entry(JsonObject stream) {
      this.stream = stream;
    }

    public JsonObject stream() {
      return stream;
    }

    public long bufferedBytes() {
      return bufferedBytes;
    }

    public long bufferedRecords() {
      return bufferedRecords;
    }

    public long oldestArrival() {
      return oldestArrival;
    }
  }

  public StreamTable(Vertx vertx, Context context, FirehoseStore store) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
  }

  public FirehoseStore store() {
    return store;
  }

  /** Loads the partition's streams and counts what each buffers. */
  public Future<Void> load(int partition) {
    return vertx.executeBlocking(() -> {
      Map<String, Entry> byName = new TreeMap<>();
      for (JsonObject s : store.loadStreams(partition)) {
        Entry e = new Entry(s);
        long cursor = s.getLong("Cursor", 0L);
        e.lastSeq = cursor;
        store.scanRecords(partition, s.getString("Account"), s.getString("Region"), s.getString("Name"), cursor, r -> {
          if (e.bufferedRecords == 0) e.oldestArrival = r.arrival();
          e.bufferedRecords++;
          e.bufferedBytes += r.data().length;
          e.lastSeq = r.seq();
          return true;
        });
        byName.put(key(s.getString("Account"), s.getString("Region"), s.getString("Name")), e);
      }
      return byName;
    }, false).map(byName -> {
      streams.put(partition, byName);
      return null;
    });
  }

  /** The ServiceUnavailable message of a call about a partition this lane has not loaded. */
  public static final String NOT_LOADED = "The delivery stream's partition is moving between nodes; retry.";

  /**
   * Fails ServiceUnavailable unless the partition's streams are loaded here: a call that reaches a
   * new owner before its load completes (a failover, a hand-over) must not be told a stream that
   * exists is not found, nor see an empty list; the partition router tries it again.
   */
  public void requireLoaded(int partition) {
    if (!streams.containsKey(partition)) {
      throw new ServiceException(ServiceError.unavailable(NOT_LOADED));
    }
  }

  public void unload(int partition) {
    tails.remove(partition);
    streams.remove(partition);
  }

  public void clear() {
    tails.clear();
    streams.replaceAll((p, m) -> new TreeMap<>());
  }

  public Entry get(int partition, String account, String region, String name) {
    return of(partition).get(key(account, region, name));
  }

  /** The partition's streams in name order (ListDeliveryStreams, delivery). */
  public List<Entry> all(int partition) {
    return new ArrayList<>(of(partition).values());
  }

  /**
   * Runs {@code write} after the partition's earlier stream writes completed (whatever their outcome);
   * {@code write} decides on the table as they left it.
   */
  public <T> Future<T> serially(int partition, java.util.function.Supplier<Future<T>> write) {
    Future<T> mine = tails.getOrDefault(partition, Future.succeededFuture()).transform(x -> write.get());
    tails.put(partition, mine.<Void>mapEmpty().recover(x -> Future.succeededFuture()));
    return mine;
  }

  /** Stores a new or changed stream (with {@code more} added to the batch); the table changes once it is committed. */
  public Future<Void> write(int partition, JsonObject stream, Consumer<Batch> more) {
    return serially(partition, () -> writeNow(partition, stream, more));
  }

  /** Stores a new or changed stream from inside a {@link #serially} write (which is its turn already). */
  public Future<Void> writeInTurn(int partition, JsonObject stream) {
    return writeNow(partition, stream, null);
  }

  private Future<Void> writeNow(int partition, JsonObject stream, Consumer<Batch> more) {
    Batch b = store.batch();
    String account = stream.getString("Account");
    String region = stream.getString("Region");
    String name = stream.getString("Name");
    store.putStream(b, partition, account, region, name, stream);
    if (more != null) more.accept(b);
    return store.commit(partition, b, context).map(v -> {
      Map<String, Entry> loaded = streams.get(partition);
      if (loaded == null) return null; // let go meanwhile: the next owner loads it from the store
      String k = key(account, region, name);
      Entry e = loaded.get(k);
      if (e == null) loaded.put(k, new Entry(stream));
      else e.stream = stream;
      return null;
    });
  }

  /** Changes a stream as it is now (a delivery's progress); a stream deleted meanwhile stays deleted. */
  public Future<Void> change(int partition, String account, String region, String name, Consumer<JsonObject> change,
      Consumer<Batch> more) {
    return serially(partition, () -> {
      Entry e = get(partition, account, region, name);
      if (e == null) return Future.succeededFuture();
      JsonObject changed = e.stream.copy();
      change.accept(changed);
      return writeNow(partition, changed, more);
    });
  }

  /** Deletes a stream and its buffered records. */
  public Future<Void> delete(int partition, String account, String region, String name) {
    return serially(partition, () -> {
      Batch b = store.batch();
      store.deleteStream(b, partition, account, region, name);
      return store.commit(partition, b, context).map(v -> {
        Map<String, Entry> loaded = streams.get(partition);
        if (loaded != null) loaded.remove(key(account, region, name));
        return null;
      });
    });
  }

  /** Numbers records to append: answers the first sequence of {@code count}. */
  public long reserve(Entry e, int count) {
    long first = e.lastSeq + 1;
    e.lastSeq += count;
    return first;
  }

  /** Records of {@code bytes} in all, the first arrived at {@code arrival}, are now buffered (committed). */
  public void buffered(Entry e, int records, long bytes, long arrival) {
    if (e.bufferedRecords == 0) e.oldestArrival = arrival;
    e.bufferedRecords += records;
    e.bufferedBytes += bytes;
  }

  /**
   * Records of {@code bytes} in all were delivered (the cursor moved past them); {@code nextArrival}
   * is the arrival of the first record still buffered, or -1 when the scan found none.
   */
  public void delivered(Entry e, int records, long bytes, long nextArrival, long now) {
    e.bufferedRecords = Math.max(0, e.bufferedRecords - records);
    e.bufferedBytes = Math.max(0, e.bufferedBytes - bytes);
    if (e.bufferedRecords > 0) e.oldestArrival = nextArrival >= 0 ? nextArrival : now;
  }

  /** The partition's streams; none for a partition not loaded here (a read never makes it look loaded). */
  private Map<String, Entry> of(int partition) {
    return streams.getOrDefault(partition, Map.of());
  }

  private static String key(String account, String region, String name) {
    return account + "\0" + region + "\0" + name;
  }
}
