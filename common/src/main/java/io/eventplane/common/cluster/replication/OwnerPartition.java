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
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A partition this node owns, on the write path. Every batch gets the next sequence number, is
 * committed to the local store together with its entry in the {@link ReplicationLog}, and is
 * shipped to each replica; its future completes only when the local commit is durable and every
 * <em>counted</em> replica has acknowledged it. Counted are the live replicas (caught up, receiving
 * batches as they are committed) and those the coordinator may still believe in sync: every replica
 * in an in-sync report this owner began to publish at its current epoch, until a later report
 * without it is confirmed written ({@link #beginPublish}, {@link #confirmPublished}). A replica that
 * is catching up and was never reported (or whose removal from the report is confirmed) is not
 * counted, so catch-ups never hold writes back; and since the coordinator promotes only reported
 * replicas, whichever it promotes holds every acknowledged write. That rule is checked in one place,
 * {@link #advance()}.
 *
 * <p>A commit's promise belongs to the committing context and is completed through
 * {@link ContextCompletions}: the commits that one store group or one replica ack makes complete
 * reach each context as one task.
 *
 * <p>Thread-safe: the service's context commits, replies arrive on event-loop threads, catch-ups
 * run on workers; all state changes happen under this object's lock, and shipping happens under it
 * too, so batches leave in sequence order.
 */
final class OwnerPartition implements CommitDeadlines.Owner {
  static final long COMMIT_TIMEOUT_MILLIS = 10_000;

  final int partition;
  final Vertx vertx;
  final ReplicationOutbox outbox;
  final Store store;
  final String self;
  final List<String> families;
  final PartitionPositions positions;
  final ReplicationLog log;
  /** Where catch-ups read the log or a snapshot and wait for the replica's answers: never an event loop. */
  final WorkerExecutor workers;
  private final Runnable onFenced;
  private final Runnable onInSyncChanged;
  private long epoch;
  private long seq;
  /** Every write up to here has been acknowledged (completed) to its client. */
  private long completedThrough;
  /** Replicas the coordinator may believe in sync at this epoch (see the class comment). */
  private final Set<String> published = new HashSet<>();
  private boolean active;
  private boolean closed;
  private final Map<String, ReplicaLink> links = new LinkedHashMap<>();
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private final CommitDeadlines deadlines;
  /**
   * When the writes not yet acknowledged by every live replica were made here: one entry per
   * millisecond that had any, {@code {first seq of that millisecond, epoch millis}}, in sequence
   * order; trimmed as acknowledgements arrive, and never longer than {@link #MAX_WRITE_TIMES}.
   */
  private final java.util.ArrayDeque<long[]> writeTimes = new java.util.ArrayDeque<>();
  /** Two minutes of writes in every millisecond; a replica further behind shows at least that lag. */
  private static final int MAX_WRITE_TIMES = 120_000;

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

  /** The replicas an owner reports in sync at an epoch. */
  record InSyncReport(long epoch, List<String> nodes) {}

  OwnerPartition(int partition, long epoch, long seq, List<String> replicas, Vertx vertx, ReplicationOutbox outbox, Store store, String self,
      List<String> families, PartitionPositions positions, ReplicationLog log, WorkerExecutor workers, Runnable onFenced,
      Runnable onInSyncChanged, CommitDeadlines deadlines) {
    this.partition = partition;
    this.deadlines = deadlines;
    this.epoch = epoch;
    this.seq = seq;
    this.completedThrough = seq;
    this.log = log;
    this.workers = workers;
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
      byte[] entry = batch.log();
      positions.record(batch, partition, new Position(epoch, s));
      log.append(batch, partition, epoch, s, entry);
      long now = System.currentTimeMillis();
      long[] last = writeTimes.peekLast();
      if (last == null || last[1] != now) {
        writeTimes.addLast(new long[] {s, now});
        if (writeTimes.size() > MAX_WRITE_TIMES) writeTimes.pollFirst();
      }
      Pending p = new Pending(context, now + COMMIT_TIMEOUT_MILLIS);
      pending.put(s, p);
      deadlines.waiting();
      // Runs on the store's writer thread inside its completion group, so what it completes joins that group.
      store.commit(batch).whenComplete((v, e) -> localDone(s, e));
      for (ReplicaLink link : links.values()) link.ship(s, entry);
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

  /** Completes, in order, every pending commit that is durable here and acknowledged by every counted replica. */
  synchronized void advance() {
    long covered = Long.MAX_VALUE;
    for (ReplicaLink l : links.values()) {
      if (l.live || published.contains(l.node)) covered = Math.min(covered, l.ackedThrough);
    }
    while (!pending.isEmpty()) {
      Map.Entry<Long, Pending> first = pending.firstEntry();
      if (first.getKey() > covered || !first.getValue().local) break;
      pending.pollFirstEntry();
      completedThrough = first.getKey();
      first.getValue().finish(null);
    }
    // Nothing pending: every write so far is acknowledged (or failed, and may have landed: count it).
    if (pending.isEmpty()) completedThrough = seq;
    trimWriteTimes();
  }

  /** Drops the write times no live replica needs: keeps the entry of the oldest write some live replica lacks. */
  private void trimWriteTimes() {
    long oldestUnacked = seq + 1;
    for (ReplicaLink l : links.values()) if (l.live) oldestUnacked = Math.min(oldestUnacked, l.ackedThrough + 1);
    while (true) {
      long[] head = writeTimes.pollFirst();
      if (head == null) return;
      long[] next = writeTimes.peekFirst();
      if (next == null || next[0] > oldestUnacked) {
        writeTimes.addFirst(head);
        return;
      }
    }
  }

  synchronized long completedThrough() {
    return completedThrough;
  }

  /**
   * The report to publish now. Its replicas count in the ack rule from here on (they already do,
   * being live), and stay counted, even if they fall behind, until a report without them is
   * confirmed: until then the coordinator may read this one and promote them.
   */
  synchronized InSyncReport beginPublish() {
    List<String> nodes = inSyncReplicas();
    published.addAll(nodes);
    return new InSyncReport(epoch, nodes);
  }

  /** The report is written where the coordinator reads it: replicas left out of it stop counting. */
  synchronized void confirmPublished(InSyncReport report) {
    if (report.epoch() != epoch || closed) return;
    published.clear();
    published.addAll(report.nodes());
    published.retainAll(links.keySet());
    advance();
  }

  /**
   * Fails commits that waited too long for their replicas (the client may retry; the write may
   * still land). Returns whether commits still wait.
   */
  @Override
  public synchronized boolean expire(long now) {
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
    return !pending.isEmpty();
  }

  /** A new placement entry that keeps this node as owner: new epoch, maybe other replicas. */
  synchronized void update(long newEpoch, List<String> replicas) {
    // The coordinator reads only reports at the entry's epoch: a new epoch starts with none.
    if (newEpoch > epoch) published.clear();
    epoch = Math.max(epoch, newEpoch);
    for (String node : new ArrayList<>(links.keySet())) {
      if (!replicas.contains(node)) {
        links.remove(node).close();
        published.remove(node);
      }
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
    link.startCatchUp();
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
    for (ReplicaLink l : links.values()) if (l.inSync()) out.add(l.node);
    return out;
  }

  /** Per replica: how many batches it is behind this owner (0 when in sync and idle). */
  synchronized Map<String, Long> lag() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (ReplicaLink l : links.values()) out.put(l.node, l.live ? Math.max(0, seq - l.ackedThrough) : -1);
    return out;
  }

  /**
   * Per replica: how long ago (ms) the oldest write it has not acknowledged was made here; 0 when it
   * has every write, -1 when it is not live (catching up: its lag in entries says how far).
   */
  synchronized Map<String, Long> lagMillis(long now) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (ReplicaLink l : links.values()) {
      if (!l.live) {
        out.put(l.node, -1L);
      } else if (l.ackedThrough >= seq) {
        out.put(l.node, 0L);
      } else {
        long oldest = l.ackedThrough + 1;
        long madeAt = -1;
        for (long[] t : writeTimes) {
          if (t[0] > oldest && madeAt >= 0) break;
          madeAt = t[1];
        }
        out.put(l.node, madeAt < 0 ? 0L : Math.max(0, now - madeAt));
      }
    }
    return out;
  }

  void inSyncChanged() {
    onInSyncChanged.run();
  }

  /** Per replica: how many catch-ups were served from the log and how many by a snapshot copy. */
  synchronized Map<String, int[]> catchUps() {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (ReplicaLink l : links.values()) out.put(l.node, new int[] {l.logCatchUps, l.snapshotCopies});
    return out;
  }
}
