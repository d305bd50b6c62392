package io.eventplane.storage.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * The buckets of the partitions this node owns, in memory, and the writes of their objects:
 * object metadata is read from the store on demand (there may be millions), writes to one key run
 * one after the other (so the blobs a write replaces are known and deleted exactly once), and a
 * write that notifies adds its notices to the same batch (the outbox). One instance per lane of
 * the storage service, holding that lane's partitions only; it belongs to the lane's thread, which
 * every entry point checks under {@code assert} (on in tests), so a lane touching another lane's
 * buckets fails a test instead of racing. Only {@link #store()}, {@link #commit} and
 * {@link #blocking} may be used from other threads (the store is thread-safe).
 */
public final class Buckets {
  private final Vertx vertx;
  private final Context context;
  private final ObjectStore store;
  private final TreeMap<String, Bucket> buckets = new TreeMap<>();
  private final Map<Integer, Set<String>> byPartition = new HashMap<>();
  private final Map<Integer, Long> lastSequence = new HashMap<>();
  private final Map<String, Future<?>> keyTails = new HashMap<>();
  /** Each bucket's notification targets, parsed once per configuration rather than once per write. */
  private final Map<String, List<NotificationConfig.Target>> targets = new HashMap<>();
  /** The lane's event-loop thread: the only one that may touch this state. */
  private final Thread owner;
  /** Told on the owner thread whenever a bucket is added (loaded or saved). */
  private Runnable onBucketHeld = () -> {};

  /** Created on the lane's context, whose thread becomes the owner of this state. */
  /** Commits per partition, counted on the lane's context; lane-confined. */
  private final Map<Integer, Long> commits = new HashMap<>();
  private boolean countCommits;

  public Buckets(Vertx vertx, Context context, ObjectStore store) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.owner = Thread.currentThread();
  }

  /** For {@code assert}: true on the owning thread, else an AssertionError that names both threads. */
  private boolean onOwnerThread() {
    Thread current = Thread.currentThread();
    if (current != owner) {
      throw new AssertionError("bucket state of " + owner.getName() + " touched from " + current.getName());
    }
    return true;
  }

  public ObjectStore store() {
    return store;
  }

  /** {@code listener} runs on the owner thread each time a bucket is loaded or saved. */
  public void whenBucketHeld(Runnable listener) {
    assert onOwnerThread();
    this.onBucketHeld = listener;
  }

  /** Whether this lane holds no bucket at all (of any partition). */
  public boolean isEmpty() {
    assert onOwnerThread();
    return buckets.isEmpty();
  }

  public boolean owns(int partition) {
    assert onOwnerThread();
    return byPartition.containsKey(partition);
  }

  /** Takes a partition: its buckets and notification sequence (reads on a worker). */
  public Future<Void> load(int partition) {
    assert onOwnerThread();
    record Loaded(List<Bucket> buckets, long lastSequence) {}
    return blocking(() -> new Loaded(store.loadBuckets(partition), store.lastSequence(partition))).map(loaded -> {
      assert onOwnerThread();
      Set<String> names = byPartition.computeIfAbsent(partition, p -> new HashSet<>());
      for (Bucket b : loaded.buckets()) {
        buckets.put(b.name(), b);
        names.add(b.name());
      }
      lastSequence.put(partition, loaded.lastSequence());
      if (!loaded.buckets().isEmpty()) onBucketHeld.run();
      return null;
    });
  }

  public void unload(int partition) {
    assert onOwnerThread();
    Set<String> names = byPartition.remove(partition);
    if (names != null) {
      names.forEach(buckets::remove);
      names.forEach(targets::remove);
    }
    lastSequence.remove(partition);
  }

  /** The bucket, or NoSuchBucket; ServiceUnavailable when this node does not serve its partition. */
  public Bucket require(String name) {
    assert onOwnerThread();
    Bucket b = buckets.get(name);
    if (b == null) {
      if (!owns(ObjectStore.partitionOf(name))) throw notHere();
      throw S3Errors.noSuchBucket(name);
    }
    return b;
  }

  public Bucket find(String name) {
    assert onOwnerThread();
    return buckets.get(name);
  }

  /** The bucket's notification targets (none without a configuration). */
  public List<NotificationConfig.Target> targets(Bucket b) {
    assert onOwnerThread();
    if (b.notifications() == null) return List.of();
    return targets.computeIfAbsent(b.name(), n -> NotificationConfig.parse(b.notifications()));
  }

  /** This node's buckets of an account, by name. */
  public List<Bucket> ofAccount(String account) {
    assert onOwnerThread();
    List<Bucket> out = new ArrayList<>();
    for (Bucket b : buckets.values()) if (b.accountId().equals(account)) out.add(b);
    return out;
  }

  public static ServiceException notHere() {
    return new ServiceException(ServiceError.unavailable("The bucket's partition is moving between nodes; retry."));
  }

  public Future<Void> save(Bucket b) {
    assert onOwnerThread();
    int partition = ObjectStore.partitionOf(b.name());
    Batch batch = store.batch();
    store.putBucket(batch, b);
    return commit(partition, batch).map(v -> {
      assert onOwnerThread();
      buckets.put(b.name(), b);
      targets.remove(b.name());
      byPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(b.name());
      onBucketHeld.run();
      return null;
    });
  }

  /**
   * Changes a bucket's configurations: changes of one bucket run one after the other, each on the
   * bucket the last one left (two subresources put at once must not undo each other).
   */
  public Future<Bucket> update(String name, java.util.function.UnaryOperator<Bucket> change) {
    assert onOwnerThread();
    // No object key is empty, so "" orders the bucket's own writes apart from its objects'.
    return serially(name, "", () -> {
      Bucket next = change.apply(require(name));
      return save(next).map(v -> next);
    });
  }

  public Future<Void> delete(Bucket b) {
    assert onOwnerThread();
    int partition = ObjectStore.partitionOf(b.name());
    Batch batch = store.batch();
    store.deleteBucket(batch, b.name());
    return commit(partition, batch).map(v -> {
      assert onOwnerThread();
      buckets.remove(b.name());
      targets.remove(b.name());
      Set<String> names = byPartition.get(partition);
      if (names != null) names.remove(b.name());
      return null;
    });
  }

  /** The next notice sequence of a partition (written in the same batch by the caller). */
  public long nextSequence(int partition) {
    assert onOwnerThread();
    long next = lastSequence.getOrDefault(partition, 0L) + 1;
    lastSequence.put(partition, next);
    return next;
  }

  /**
   * Runs {@code write} after every earlier write of the same object key has finished, so writes of
   * one key never interleave (the store reads in between are the writes' own).
   */
  public <T> Future<T> serially(String bucket, String key, java.util.function.Supplier<Future<T>> write) {
    assert onOwnerThread();
    String k = bucket + "\u0000" + key;
    Future<?> tail = keyTails.getOrDefault(k, Future.succeededFuture());
    Promise<T> result = Promise.promise();
    Future<?> next = tail.transform(ignored -> {
      Future<T> f;
      try {
        f = write.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(result);
      return f.transform(x -> Future.succeededFuture());
    });
    keyTails.put(k, next);
    next.onComplete(x -> {
      if (keyTails.get(k) == next) keyTails.remove(k);
    });
    return result.future();
  }

  public Future<Void> commit(int partition, Batch batch) {
    Future<Void> committed = store.commit(partition, batch, context);
    return countCommits ? committed.onSuccess(v -> commits.merge(partition, 1L, Long::sum)) : committed;
  }

  /** Counts commits per partition from now on, for {@link #commits(int)} (metrics on). */
  public void countCommits() {
    countCommits = true;
  }

  /** How many commits the partition has had on this lane: a bucket's objects can have changed only when it moved. */
  public long commits(int partition) {
    assert onOwnerThread();
    return commits.getOrDefault(partition, 0L);
  }

  /** The key's current version (null if none), read on the service context where the store has it in memory. */
  public Future<StoredObject> currentObject(String bucket, String key) {
    return store.getObject(bucket, key, context);
  }

  /** Store reads off the event loop, resuming on the service context. */
  public <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /** Every bucket of the owned partitions goes (dev-mode reset); the caller deletes their blobs. */
  public Future<Void> clear() {
    assert onOwnerThread();
    List<Future<Void>> all = new ArrayList<>();
    for (Integer p : new ArrayList<>(byPartition.keySet())) {
      Batch b = store.batch();
      store.clearPartition(b, p);
      all.add(commit(p, b));
    }
    return Future.all(all).map(x -> {
      assert onOwnerThread();
      buckets.clear();
      targets.clear();
      byPartition.values().forEach(Set::clear);
      // Sequences go on rising (see Topics.clear): a notification still in flight must not find a new one under its number.
      return null;
    });
  }

  /** The buckets of an owned partition (none when not owned). */
  public List<Bucket> inPartition(int partition) {
    assert onOwnerThread();
    List<Bucket> out = new ArrayList<>();
    for (String name : byPartition.getOrDefault(partition, Set.of())) {
      Bucket b = buckets.get(name);
      if (b != null) out.add(b);
    }
    return out;
  }

  public Set<Integer> partitions() {
    assert onOwnerThread();
    return byPartition.keySet();
  }

  /**
   * A notice of the outbox for EventBridge: one {@code eventplane:PutServiceEvents} entry for the
   * default bus of the bucket's account and region (kind {@code EVENTBRIDGE}, the bus's ARN).
   */
  public static JsonObject bridgeNotice(Bucket b, JsonObject entry) {
    return new JsonObject().put("kind", NotificationConfig.EVENTBRIDGE)
        .put("arn", "arn:aws:events:" + b.region() + ":" + b.accountId() + ":event-bus/default").put("event", entry.encode());
  }

  /**
   * A notice of the outbox: one event of a bucket for one destination, with the bucket and its owner's
   * account (what the destination's policy is judged against: {@code aws:SourceArn},
   * {@code aws:SourceAccount}).
   */
  public static JsonObject notice(Bucket b, NotificationConfig.Target t, JsonObject event) {
    return new JsonObject().put("kind", t.kind().name()).put("arn", t.arn()).put("event", event.encode())
        .put("bucket", b.name()).put("account", b.accountId());
  }
}
