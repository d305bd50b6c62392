package io.eventplane.common.cluster.replication;

import io.eventplane.common.cluster.replication.ReplicationMessage.Kind;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Store;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The owner's connection to one replica of a partition. Starts by copying the replica a snapshot
 * of the partition (everything committed so far), then ships each batch as it is committed. Any
 * doubt (no answer, a gap the replica reports) starts a new snapshot copy, which covers every batch
 * shipped before it; a replica that answers "fenced" deposes the owner. All state is guarded by the
 * owner partition's lock.
 */
final class ReplicaLink {
  private static final Logger LOG = Logger.getLogger(ReplicaLink.class.getName());
  private static final long SEND_TIMEOUT_MILLIS = 5_000;
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
    owner.vertx.eventBus().<String>request(ReplicationMessage.address(node), m.encode(),
        new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS)).onComplete(ar -> onReply(gen, seq, log, ar));
  }

  private void onReply(int gen, long seq, byte[] log, AsyncResult<Message<String>> ar) {
    boolean fenced = false;
    synchronized (owner) {
      if (closed || gen != generation) return;
      String reply = ar.succeeded() ? ar.result().body() : null;
      if (ReplicationMessage.OK.equals(reply)) {
        if (seq > ackedThrough) ackedThrough = seq;
        owner.advance();
      } else if (ReplicationMessage.RETRY.equals(reply)) {
        owner.vertx.setTimer(RETRY_MILLIS, t -> {
          synchronized (owner) {
            if (!closed && gen == generation) send(seq, log, gen);
          }
        });
      } else if (ReplicationMessage.FENCED.equals(reply)) {
        fenced = true;
      } else {
        if (ar.failed()) LOG.log(Level.FINE, "replica " + node + " of partition " + owner.partition + " did not answer", ar.cause());
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
    Buffer payload = m.encode();
    long deadline = System.currentTimeMillis() + 4 * SEND_TIMEOUT_MILLIS;
    while (true) {
      synchronized (owner) {
        if (closed || gen != generation) throw new IllegalStateException("copy superseded");
      }
      CompletableFuture<String> reply = new CompletableFuture<>();
      owner.vertx.eventBus().<String>request(ReplicationMessage.address(node), payload,
              new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS))
          .onComplete(ar -> {
            if (ar.succeeded()) reply.complete(ar.result().body());
            else reply.completeExceptionally(ar.cause());
          });
      String r = reply.get(SEND_TIMEOUT_MILLIS + 1000, TimeUnit.MILLISECONDS);
      if (ReplicationMessage.OK.equals(r)) return;
      if (ReplicationMessage.FENCED.equals(r)) throw new Fenced();
      if (!ReplicationMessage.RETRY.equals(r) || System.currentTimeMillis() > deadline) {
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
