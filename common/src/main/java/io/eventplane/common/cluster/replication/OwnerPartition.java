package io.eventplane.common.cluster.replication;

import io.eventplane.common.cluster.placement.PlacementPlanner.Position;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ContextCompletions;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A partition this node owns, on the write path. Every batch gets the next sequence number, is
 * committed to the local store and shipped to each replica; its future completes only when the
 * local commit is durable and every replica of the current placement entry has acknowledged it
 * (or has been copied a snapshot that contains it). That invariant is checked in one place,
 * {@link #advance()}: an entry change that drops a replica or adds one re-evaluates it.
 *
 * <p>A commit's promise belongs to the committing context and is completed through
 * {@link ContextCompletions}: the commits that one store group or one replica ack makes complete
 * reach each context as one task.
 *
 * <p>Thread-safe: the service's context commits, replies arrive on event-loop threads, snapshot
 * copies run on workers; all state changes happen under this object's lock, and shipping happens
 * under it too, so batches leave in sequence order.
 */
final class OwnerPartition {
  static final long COMMIT_TIMEOUT_MILLIS = 10_000;

  final int partition;
  final Vertx vertx;
  final ReplicationOutbox outbox;
  final Store store;
  final String self;
  final List<String> families;
  private final PartitionPositions positions;
  private final Runnable onFenced;
  private final Runnable onInSyncChanged;
  private long epoch;
  private long seq;
  private boolean active;
  private boolean closed;
  private final Map<String, ReplicaLink> links = new LinkedHashMap<>();
  private final TreeMap<Long, Pending> pending = new TreeMap<>();

  private static final class Pending {
    final Context context;
    final Promise<Void> done;
    final long deadline;
    boolean local;

    Pending(Context context, long deadline) {
      this.context = context;
      this.done = Promise.promise();
      this.deadline = deadline;
    }

    void finish(Throwable failure) {
      ContextCompletions.complete(context, done, null, failure);
    }
  }

  OwnerPartition(int partition, long epoch, long seq, List<String> replicas, Vertx vertx, ReplicationOutbox outbox, Store store, String self,
      List<String> families, PartitionPositions positions, Runnable onFenced, Runnable onInSyncChanged) {
    this.partition = partition;
    this.epoch = epoch;
    this.seq = seq;
    this.vertx = vertx;
    this.outbox = outbox;
    this.store = store;
    this.self = self;
    this.families = families;
    this.positions = positions;
    this.onFenced = onFenced;
    this.onInSyncChanged = onInSyncChanged;
    synchronized (this) {
      for (String r : replicas) addLink(r);
    }
  }

  static ServiceException notOwner() {
    return new ServiceException(ServiceError.unavailable("This node no longer serves the partition; retry."));
  }

  synchronized long epoch() {
    return epoch;
  }

  synchronized long seq() {
    return seq;
  }

  /** The service has loaded the partition: writes may flow. */
  synchronized void activate() {
    if (!closed) active = true;
  }

  synchronized boolean isActive() {
    return active && !closed;
  }

  Future<Void> commit(Batch batch, Context context) {
    synchronized (this) {
      if (!active || closed) {
        batch.close();
        return Future.failedFuture(notOwner());
      }
      long s = ++seq;
      byte[] log = links.isEmpty() ? null : batch.log();
      positions.record(batch, partition, new Position(epoch, s));
      Pending p = new Pending(context, System.currentTimeMillis() + COMMIT_TIMEOUT_MILLIS);
      pending.put(s, p);
      // Runs on the store's writer thread inside its completion group, so what it completes joins that group.
      store.commit(batch).whenComplete((v, e) -> localDone(s, e));
      for (ReplicaLink link : links.values()) link.ship(s, log);
      return p.done.future();
    }
  }

  private synchronized void localDone(long s, Throwable failure) {
    Pending p = pending.get(s);
    if (p == null) return;
    if (failure != null) {
      pending.remove(s);
      p.finish(failure);
      return;
    }
    p.local = true;
    advance();
  }

  /** Completes every pending commit that is durable here and acknowledged by every current replica. */
  synchronized void advance() {
    long covered = Long.MAX_VALUE;
    for (ReplicaLink l : links.values()) covered = Math.min(covered, l.ackedThrough);
    while (!pending.isEmpty()) {
      Map.Entry<Long, Pending> first = pending.firstEntry();
      if (first.getKey() > covered || !first.getValue().local) break;
      pending.pollFirstEntry();
      first.getValue().finish(null);
    }
  }

  /** Fails commits that waited too long for their replicas (the client may retry; the write may still land). */
  synchronized void expire(long now) {
    List<Long> expired = new ArrayList<>();
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      if (e.getValue().deadline <= now) expired.add(e.getKey());
    }
    ContextCompletions.batching(() -> {
      for (long s : expired) {
        pending.remove(s).finish(new ServiceException(
            ServiceError.unavailable("The partition's replicas did not confirm the write in time; retry.")));
      }
    });
  }

  /** A new placement entry that keeps this node as owner: new epoch, maybe other replicas. */
  synchronized void update(long newEpoch, List<String> replicas) {
    epoch = Math.max(epoch, newEpoch);
    for (String node : new ArrayList<>(links.keySet())) {
      if (!replicas.contains(node)) links.remove(node).close();
    }
    for (String r : replicas) {
      if (!links.containsKey(r)) addLink(r);
    }
    advance();
    onInSyncChanged.run();
  }

  private void addLink(String node) {
    ReplicaLink link = new ReplicaLink(this, node);
    links.put(node, link);
    link.startSync();
  }

  /** A replica answered that a newer owner exists: stop acknowledging anything. */
  void fenced() {
    synchronized (this) {
      if (closed) return;
    }
    close(notOwner());
    onFenced.run();
  }

  /** Stops serving: pending writes fail (their clients retry against the new owner). */
  void close(Throwable why) {
    List<Pending> failed;
    synchronized (this) {
      if (closed) return;
      closed = true;
      active = false;
      links.values().forEach(ReplicaLink::close);
      failed = new ArrayList<>(pending.values());
      pending.clear();
    }
    ContextCompletions.batching(() -> {
      for (Pending p : failed) p.finish(why);
    });
  }

  synchronized boolean isClosed() {
    return closed;
  }

  synchronized List<String> inSyncReplicas() {
    List<String> out = new ArrayList<>();
    for (ReplicaLink l : links.values()) if (l.live) out.add(l.node);
    return out;
  }

  /** Per replica: how many batches it is behind this owner (0 when in sync and idle). */
  synchronized Map<String, Long> lag() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (ReplicaLink l : links.values()) out.put(l.node, l.live ? Math.max(0, seq - l.ackedThrough) : -1);
    return out;
  }

  void inSyncChanged() {
    onInSyncChanged.run();
  }
}
