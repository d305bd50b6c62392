package io.eventplane.common.cluster.replication;

import io.eventplane.common.cluster.replication.ReplicationMessage.Kind;
import io.eventplane.common.cluster.replication.ReplicationMessage.Verdict;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Store;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The owner's connection to one replica of a partition. Starts by copying the replica a snapshot
 * of the partition (everything committed so far), then ships each batch as it is committed,
 * through the node's {@link ReplicationOutbox} (grouped with other partitions' batches for the same
 * replica node; a group lost is a loss of each batch in it). Any
 * doubt (no answer, a gap the replica reports) starts a new snapshot copy, which covers every batch
 * shipped before it; a replica that answers "fenced" deposes the owner. All state is guarded by the
 * owner partition's lock.
 */
final class ReplicaLink {
  private static final Logger LOG = Logger.getLogger(ReplicaLink.class.getName());
  private static final int CHUNK_BYTES = 512 * 1024;
  private static final long RETRY_MILLIS = 100;

  final String node;
  private final OwnerPartition owner;
  /** Every batch up to here is durable on the replica. */
  long ackedThrough;
  /** Caught up: batches go out as they are committed. */
  boolean live;
  private boolean closed;
  private int generation;
  private final ArrayDeque<Object[]> queued = new ArrayDeque<>();

  ReplicaLink(OwnerPartition owner, String node) {
    this.owner = owner;
    this.node = node;
  }

  /** Under the owner's lock. */
  void ship(long seq, byte[] log) {
    if (closed) return;
    if (live) send(seq, log, generation);
    else queued.add(new Object[] {seq, log});
  }

  private void send(long seq, byte[] log, int gen) {
    ReplicationMessage m = new ReplicationMessage(Kind.BATCH, owner.partition, owner.epoch(), owner.self, seq, log);
    owner.outbox.send(node, m, (verdict, failure) -> onReply(gen, seq, log, verdict, failure));
  }

  private void onReply(int gen, long seq, byte[] log, Verdict verdict, Throwable failure) {
    boolean fenced = false;
    synchronized (owner) {
      if (closed || gen != generation) return;
      if (verdict == Verdict.OK) {
        if (seq > ackedThrough) ackedThrough = seq;
        owner.advance();
      } else if (verdict == Verdict.RETRY) {
        owner.vertx.setTimer(RETRY_MILLIS, t -> {
          synchronized (owner) {
            if (!closed && gen == generation) send(seq, log, gen);
          }
        });
      } else if (verdict == Verdict.FENCED) {
        fenced = true;
      } else {
        if (failure != null) LOG.log(Level.FINE, "replica " + node + " of partition " + owner.partition + " did not answer", failure);
        startSync();
      }
    }
    if (fenced) owner.fenced();
  }

  /** Under the owner's lock: copies the replica a snapshot, then goes live. */
  void startSync() {
    if (closed) return;
    generation++;
    boolean wasLive = live;
    live = false;
    queued.clear(); // every batch committed so far is in the snapshot taken below
    int gen = generation;
    long snapshotSeq = owner.seq();
    long epoch = owner.epoch();
    if (wasLive) owner.inSyncChanged();
    owner.store.viewAfterPending().whenComplete((view, e) -> {
      if (e != null) {
        retrySyncLater(gen);
        return;
      }
      owner.vertx.executeBlocking(() -> {
        try (view) {
          copy(view, epoch, snapshotSeq, gen);
        }
        return null;
      }, false).onComplete(ar -> {
        if (ar.succeeded()) synced(gen, snapshotSeq);
        else {
          LOG.log(Level.FINE, "snapshot copy of partition " + owner.partition + " to " + node + " failed", ar.cause());
          if (ar.cause() instanceof Fenced) owner.fenced();
          else retrySyncLater(gen);
        }
      });
    });
  }

  private void retrySyncLater(int gen) {
    owner.vertx.setTimer(1000, t -> {
      synchronized (owner) {
        if (!closed && gen == generation) startSync();
      }
    });
  }

  private void synced(int gen, long snapshotSeq) {
    synchronized (owner) {
      if (closed || gen != generation) return;
      ackedThrough = Math.max(ackedThrough, snapshotSeq);
      live = true;
      while (!queued.isEmpty()) {
        Object[] q = queued.poll();
        send((Long) q[0], (byte[]) q[1], gen);
      }
      owner.advance();
    }
    owner.inSyncChanged();
  }

  /** On a worker: begin, the partition's keys in chunks, end; each step waits for the replica's answer. */
  private void copy(Store.StoreView view, long epoch, long snapshotSeq, int gen) throws Exception {
    call(new ReplicationMessage(Kind.SYNC_BEGIN, owner.partition, epoch, owner.self, snapshotSeq, new byte[0]), gen);
    byte[] from = Partitions.prefix(owner.partition);
    byte[] to = Partitions.end(owner.partition);
    Batch.PutLog[] chunk = {new Batch.PutLog()};
    Exception[] failure = {null};
    for (String family : owner.families) {
      view.scanRange(owner.store.columnFamily(family), from, to, (k, v) -> {
        chunk[0].put(family, k, v);
        if (chunk[0].size() < CHUNK_BYTES) return true;
        try {
          call(new ReplicationMessage(Kind.SYNC_CHUNK, owner.partition, epoch, owner.self, snapshotSeq, chunk[0].bytes()), gen);
        } catch (Exception e) {
          failure[0] = e;
          return false;
        }
        chunk[0] = new Batch.PutLog();
        return true;
      });
      if (failure[0] != null) throw failure[0];
    }
    if (chunk[0].size() > 0) {
      call(new ReplicationMessage(Kind.SYNC_CHUNK, owner.partition, epoch, owner.self, snapshotSeq, chunk[0].bytes()), gen);
    }
    call(new ReplicationMessage(Kind.SYNC_END, owner.partition, epoch, owner.self, snapshotSeq, new byte[0]), gen);
  }

  static final class Fenced extends Exception {
    Fenced() {
      super("fenced", null, false, false);
    }
  }

  /** Sends one copy step and waits for OK, resending on RETRY. Blocking: runs on a worker. */
  private void call(ReplicationMessage m, int gen) throws Exception {
    long deadline = System.currentTimeMillis() + 4 * ReplicationOutbox.SEND_TIMEOUT_MILLIS;
    while (true) {
      synchronized (owner) {
        if (closed || gen != generation) throw new IllegalStateException("copy superseded");
      }
      Verdict r = owner.outbox.sendAlone(node, m).toCompletionStage().toCompletableFuture()
          .get(ReplicationOutbox.SEND_TIMEOUT_MILLIS + 1000, TimeUnit.MILLISECONDS);
      if (r == Verdict.OK) return;
      if (r == Verdict.FENCED) throw new Fenced();
      if (r != Verdict.RETRY || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("replica " + node + " answered " + r + " to " + m.kind());
      }
      Thread.sleep(RETRY_MILLIS);
    }
  }

  /** Under the owner's lock. */
  void close() {
    closed = true;
    live = false;
    queued.clear();
  }
}
