package io.eventplane.kinesis.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.eventplane.kinesis.store.StreamStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The streams of one lane's partitions, in memory: each stream's definition and its shards' next
 * positions. Confined to the lane's context (one writer, no locks); loaded when the lane takes a
 * partition, dropped when it lets it go. Blocking store work runs on workers through {@link #blocking}.
 */
public final class Streams {
  private final Vertx vertx;
  private final Context context;
  private final StreamStore store;
  private final Map<Integer, Map<StreamRef, Live>> byPartition = new HashMap<>();

  /** A stream and its shards' write frontiers ({@link ShardTail}, by shard index); positions are taken here, before the commit. */
  public static final class Live {
    private Stream stream;
    private final Map<Integer, ShardTail> tails = new HashMap<>();

    Live(Stream stream, Map<Integer, Long> next) {
      this.stream = stream;
      next.forEach((shard, n) -> tails.put(shard, new ShardTail(n)));
    }

    public Stream stream() {
      return stream;
    }

    /** The shard's write frontier and its newest records. */
    public ShardTail tail(int shard) {
      return tails.computeIfAbsent(shard, i -> {
        Shard s = stream.shard(i);
        return new ShardTail(s == null ? 0 : s.startingPosition());
      });
    }

    /** The position the shard's next record gets. */
    public long next(int shard) {
      return tail(shard).next();
    }
  }

  private StreamMetrics metrics = StreamMetrics.NONE;

  /** Where incoming records and consumers' lag are recorded ({@link StreamMetrics#NONE} until set). */
  public void setMetrics(StreamMetrics metrics) {
    this.metrics = metrics;
  }

  public StreamMetrics metrics() {
    return metrics;
  }

  public Streams(Vertx vertx, Context context, StreamStore store) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
  }

  public StreamStore store() {
    return store;
  }

  public Context context() {
    return context;
  }

  public Future<Void> load(int partition) {
    return blocking(() -> store.load(partition)).map(snapshot -> {
      Map<StreamRef, Live> streams = new HashMap<>();
      for (Stream s : snapshot.streams()) streams.put(s.ref(), new Live(s, snapshot.next().getOrDefault(s.id(), Map.of())));
      byPartition.put(partition, streams);
      return null;
    });
  }

  public void unload(int partition) {
    byPartition.remove(partition);
  }

  public List<Integer> partitions() {
    return new ArrayList<>(byPartition.keySet());
  }

  /**
   * The stream, or null when its partition (loaded here) has no such stream. A partition this lane
   * has not loaded (yet: a failover or hand-over is under way) fails ServiceUnavailable, which the
   * router tries again once the load is done: never "not found" for a stream that exists.
   */
  /** The ServiceUnavailable message of a request about a partition this lane has not loaded. */
  public static final String NOT_LOADED = "The stream's partition is moving between nodes; retry.";

  public Live get(StreamRef ref) {
    Map<StreamRef, Live> streams = byPartition.get(ref.partition());
    if (streams == null) {
      throw new ServiceException(ServiceError.unavailable(NOT_LOADED));
    }
    return streams.get(ref);
  }

  public Live require(StreamRef ref) {
    Live live = get(ref);
    if (live == null) throw KinesisErrors.notFound(ref);
    return live;
  }

  /** Adds a new stream, writing its definition. */
  public Future<Void> create(Stream s) {
    byPartition.computeIfAbsent(s.ref().partition(), p -> new HashMap<>()).put(s.ref(), new Live(s, Map.of()));
    Batch b = store.batch();
    store.putStream(b, s);
    return commit(s.ref().partition(), b);
  }

  /** Replaces a stream's definition (applied here at once, so later calls on this lane see it; durable when the future completes). */
  public Future<Void> update(Live live, Stream changed) {
    return update(live, changed, store.batch());
  }

  /** As {@link #update(Live, Stream)}, with the batch's other changes written in the same commit. */
  public Future<Void> update(Live live, Stream changed, Batch b) {
    live.stream = changed;
    store.putStream(b, changed);
    return commit(changed.ref().partition(), b);
  }

  /** Removes a stream with its records (range deletions in the one batch). */
  public Future<Void> delete(Live live) {
    Stream s = live.stream;
    Map<StreamRef, Live> streams = byPartition.get(s.ref().partition());
    if (streams != null) streams.remove(s.ref());
    Batch b = store.batch();
    store.deleteStream(b, s);
    return commit(s.ref().partition(), b);
  }

  /** The streams of an account and region on this lane. */
  public List<Stream> laneShare(String account, String region) {
    List<Stream> out = new ArrayList<>();
    for (Map<StreamRef, Live> streams : byPartition.values()) {
      for (Live l : streams.values()) {
        if (l.stream.ref().account().equals(account) && l.stream.ref().region().equals(region)) out.add(l.stream);
      }
    }
    return out;
  }

  public List<Live> all(int partition) {
    Map<StreamRef, Live> streams = byPartition.get(partition);
    return streams == null ? List.of() : new ArrayList<>(streams.values());
  }

  public Future<Void> commit(int partition, Batch b) {
    return store.commit(partition, b, context);
  }

  /** Runs store work on a worker (unordered: reads of different shards need not wait for each other); completes on the lane. */
  public <T> Future<T> blocking(Callable<T> work) {
    return context.executeBlocking(work, false);
  }

  /** Drops every stream of this lane (dev-mode reset); the caller clears the store. */
  public void clear() {
    for (Map<StreamRef, Live> streams : byPartition.values()) streams.clear();
  }
}
