package io.eventplane.common.cluster.replication;

import io.eventplane.common.cluster.placement.PlacementPlanner.Position;
import io.eventplane.common.cluster.replication.ReplicationMessage.Kind;
import io.eventplane.common.cluster.replication.ReplicationMessage.Verdict;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Store;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The owner's connection to one replica of a partition. It starts (and restarts, on any doubt: no
 * answer, a gap the replica reports) with a <b>catch-up</b>: it probes how far the replica's copy
 * goes, then sends exactly the batches after that position from the owner's {@link ReplicationLog},
 * or, when the log no longer holds them or the copy has another history (its last batch is not the
 * owner's batch at that sequence: another epoch), a snapshot copy. Batches committed meanwhile wait
 * in memory (up to a bound; past it, the next round replays them from the log) and follow the
 * catch-up in order; from then on batches go out as they are committed, through the node's
 * {@link ReplicationOutbox}, and once the replica has acked the held ones the link is <b>live</b>.
 *
 * <p>The owner's writes never wait for a catch-up: only live links count in the owner's ack rule
 * ({@link OwnerPartition#advance}), plus links the coordinator may still think in sync (see
 * {@link OwnerPartition#beginPublish}). A link is reported in sync once it has acked everything the
 * owner had acknowledged when it went live; from then on every acknowledged write is on it.
 *
 * <p>All state is guarded by the owner partition's lock; the catch-up's reads and its waits for the
 * replica's answers run on the owner's catch-up workers, never on an event loop.
 */
final class ReplicaLink {
  private static final Logger LOG = Logger.getLogger(ReplicaLink.class.getName());
  private static final int CHUNK_BYTES = 512 * 1024;
  private static final long RETRY_MILLIS = 100;
  private static final long RETRY_AFTER_FAILURE_MILLIS = 1000;
  /** Batches committed during a catch-up are held for the replica up to these bounds, then replayed from the log. */
  private static final int QUEUE_BATCHES = 10_000;
  private static final long QUEUE_BYTES = 16L * 1024 * 1024;

  final String node;
  private final OwnerPartition owner;
  /** Every batch up to here is durable on the replica. */
  long ackedThrough;
  /** The catch-up is over: batches go out as they are committed (those held meanwhile went first). */
  private boolean streaming;
  /** With streaming: the last batch held during the catch-up; the link goes live once the replica acked it. */
  private long streamedFrom;
  /** Caught up, including what was held during the catch-up: the owner's acks wait for this replica. */
  boolean live;
  /** The owner's last acknowledged write when the link went live: acked through here, the replica holds every acknowledged write. */
  private long liveFrom;
  private boolean closed;
  private int generation;
  private final ArrayDeque<Queued> queued = new ArrayDeque<>();
  private long queuedBytes;
  private boolean overflowed;
  /** How the catch-ups of this link went: from the log, by snapshot (for tests and the ops view). */
  int logCatchUps;
  int snapshotCopies;

  private record Queued(long seq, byte[] log) {}

  ReplicaLink(OwnerPartition owner, String node) {
    this.owner = owner;
    this.node = node;
  }

  /** Under the owner's lock: the replica holds every write the owner acknowledged and keeps up. */
  boolean inSync() {
    return live && ackedThrough >= liveFrom;
  }

  /** Under the owner's lock. */
  void ship(long seq, byte[] log) {
    if (closed) return;
    if (streaming) {
      send(seq, log, generation);
    } else if (!overflowed) {
      queued.add(new Queued(seq, log));
      queuedBytes += log.length;
      if (queued.size() > QUEUE_BATCHES || queuedBytes > QUEUE_BYTES) {
        clearQueue();
        overflowed = true;
      }
    }
  }

  private void clearQueue() {
    queued.clear();
    queuedBytes = 0;
  }

  private void send(long seq, byte[] log, int gen) {
    ReplicationMessage m = new ReplicationMessage(Kind.BATCH, owner.partition, owner.epoch(), owner.self, seq, log);
    owner.outbox.send(node, m, (verdict, position, failure) -> onReply(gen, seq, log, verdict, failure));
  }

  private void onReply(int gen, long seq, byte[] log, Verdict verdict, Throwable failure) {
    boolean fenced = false;
    synchronized (owner) {
      if (closed || gen != generation) return;
      if (verdict == Verdict.OK) {
        acked(seq);
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
        startCatchUp();
      }
    }
    if (fenced) owner.fenced();
  }

  /** Under the owner's lock. */
  private void acked(long seq) {
    boolean wasInSync = inSync();
    if (seq > ackedThrough) ackedThrough = seq;
    goLiveIfDrained();
    owner.advance();
    if (!wasInSync && inSync()) owner.inSyncChanged();
  }

  /**
   * Under the owner's lock: once the replica has acked what was held during the catch-up, the
   * owner's acks start waiting for it. Not before: the writes pending then would wait for the whole
   * held backlog to be applied, a stall at the end of every catch-up.
   */
  private void goLiveIfDrained() {
    if (streaming && !live && ackedThrough >= streamedFrom) {
      live = true;
      liveFrom = owner.completedThrough();
    }
  }

  /** Under the owner's lock: stops streaming and catches the replica up from wherever its copy is. */
  void startCatchUp() {
    if (closed) return;
    generation++;
    boolean wasInSync = inSync();
    live = false;
    streaming = false;
    clearQueue();
    overflowed = false;
    if (wasInSync) owner.inSyncChanged();
    // The writes pending now no longer wait for this replica (unless a published report still names it).
    owner.advance();
    probe(generation);
  }

  /** Under the owner's lock: asks the replica for its stored position (behind anything already sent to it). */
  private void probe(int gen) {
    ReplicationMessage m = new ReplicationMessage(Kind.PROBE, owner.partition, owner.epoch(), owner.self, owner.seq(), new byte[0]);
    owner.outbox.send(node, m, (verdict, position, failure) -> onProbe(gen, verdict, position, failure));
  }

  private void onProbe(int gen, Verdict verdict, Position position, Throwable failure) {
    boolean fenced = false;
    synchronized (owner) {
      if (closed || gen != generation) return;
      if (verdict == Verdict.FENCED) {
        fenced = true;
      } else if (verdict != Verdict.OK || position == null) {
        if (failure != null) LOG.log(Level.FINE, "replica " + node + " of partition " + owner.partition + " did not answer a probe", failure);
        retryLater(gen, verdict == Verdict.RETRY ? RETRY_MILLIS : RETRY_AFTER_FAILURE_MILLIS);
      } else {
        // Everything up to here is sent by this round; what is committed from now on waits in the queue.
        clearQueue();
        overflowed = false;
        round(gen, position, owner.seq());
      }
    }
    if (fenced) owner.fenced();
  }

  private void retryLater(int gen, long millis) {
    owner.vertx.setTimer(millis, t -> {
      synchronized (owner) {
        if (!closed && gen == generation) probe(gen);
      }
    });
  }

  /** Under the owner's lock: brings the replica from {@code from} to {@code through} off the event loop. */
  private void round(int gen, Position from, long through) {
    // The view is taken after every batch submitted so far (so through seq) is applied.
    owner.store.viewAfterPending().whenComplete((view, e) -> {
      if (e != null) {
        synchronized (owner) {
          if (!closed && gen == generation) retryLater(gen, RETRY_AFTER_FAILURE_MILLIS);
        }
        return;
      }
      owner.workers.executeBlocking(() -> {
        try (view) {
          return catchUp(view, from, through, gen);
        }
      }, false).onComplete(ar -> {
        if (ar.succeeded()) {
          roundDone(gen, ar.result());
          return;
        }
        if (ar.cause() instanceof Fenced) {
          owner.fenced();
          return;
        }
        LOG.log(Level.FINE, "catch-up of partition " + owner.partition + " on " + node + " failed", ar.cause());
        synchronized (owner) {
          if (!closed && gen == generation) retryLater(gen, RETRY_AFTER_FAILURE_MILLIS);
        }
      });
    });
  }

  /** On a worker: from the log if it can, else a snapshot; returns the position the replica now has. */
  private Position catchUp(Store.StoreView view, Position from, long through, int gen) throws Exception {
    Position own = owner.positions.read(view, owner.partition);
    if (own.seq() != through) throw new IllegalStateException("view at " + own + ", expected sequence " + through);
    // The same last batch is the same history: nothing to send, even if the log does not reach back
    // to it. Not at (0, 0): that is no batch at all, and the owner's data may predate positions.
    if ((from.seq() > 0 && from.equals(own)) || fromLog(view, from, through, gen)) {
      synchronized (owner) {
        logCatchUps++;
      }
      return own;
    }
    snapshot(view, own, gen);
    synchronized (owner) {
      snapshotCopies++;
    }
    return own;
  }

  /**
   * Sends the batches after {@code from} through {@code through}, if the log holds them all and the
   * replica's last batch is the owner's (same epoch at that sequence); false, having sent nothing,
   * if not. A copy at (0, 0) has no batch to match (it may be new, half-copied, or hold data written
   * without positions): it always gets a snapshot, which costs little for an empty partition.
   */
  private boolean fromLog(Store.StoreView view, Position from, long through, int gen) throws Exception {
    if (from.seq() > through || from.seq() == 0) return false;
    long[] next = {from.seq()};
    boolean[] matched = {false};
    List<ReplicationMessage> chunk = new ArrayList<>();
    int[] bytes = {0};
    owner.log.read(view, owner.partition, from.seq(), through, entry -> {
      if (entry.seq() != next[0]) return false;
      next[0]++;
      if (!matched[0]) {
        matched[0] = entry.epoch() == from.epoch();
        return matched[0];
      }
      chunk.add(ReplicationMessage.logged(owner.partition, owner.epoch(), owner.self, entry));
      bytes[0] += entry.log().length;
      if (bytes[0] >= CHUNK_BYTES) {
        sendAndWait(chunk, gen);
        chunk.clear();
        bytes[0] = 0;
      }
      return true;
    });
    if (!matched[0]) return false;
    if (next[0] != through + 1) {
      // A hole inside the retained range (not expected: the log is trimmed from its start only).
      throw new IllegalStateException("log of partition " + owner.partition + " ends at " + (next[0] - 1) + ", expected " + through);
    }
    if (!chunk.isEmpty()) sendAndWait(chunk, gen);
    return true;
  }

  /** On a worker: sends the messages as one group and waits until the replica applied them all. */
  private void sendAndWait(List<ReplicationMessage> messages, int gen) throws Exception {
    List<CompletableFuture<Verdict>> answers = new ArrayList<>(messages.size());
    synchronized (owner) {
      if (closed || gen != generation) throw new IllegalStateException("catch-up superseded");
      for (ReplicationMessage m : messages) {
        CompletableFuture<Verdict> answer = new CompletableFuture<>();
        owner.outbox.send(node, m, (verdict, position, failure) -> {
          if (verdict != null) answer.complete(verdict);
          else answer.completeExceptionally(failure);
        });
        answers.add(answer);
      }
    }
    for (CompletableFuture<Verdict> a : answers) {
      Verdict v = a.get(ReplicationOutbox.SEND_TIMEOUT_MILLIS + 1000, TimeUnit.MILLISECONDS);
      if (v == Verdict.FENCED) throw new Fenced();
      if (v != Verdict.OK) throw new IllegalStateException("replica " + node + " answered " + v + " to a replayed batch");
    }
    synchronized (owner) {
      if (closed || gen != generation) throw new IllegalStateException("catch-up superseded");
      acked(messages.get(messages.size() - 1).seq());
    }
  }

  /** On the event loop: the replica has everything through {@code reached}; send what came meanwhile and go live. */
  private void roundDone(int gen, Position reached) {
    synchronized (owner) {
      if (closed || gen != generation) return;
      if (reached.seq() > ackedThrough) ackedThrough = reached.seq();
      if (overflowed) {
        // More arrived during the round than is held in memory: the next round replays it from the log.
        clearQueue();
        overflowed = false;
        round(gen, reached, owner.seq());
        return;
      }
      for (Queued q : queued) send(q.seq, q.log, gen);
      clearQueue();
      streaming = true;
      streamedFrom = owner.seq();
      goLiveIfDrained();
      ReplicationMessage end = new ReplicationMessage(Kind.CAUGHT_UP, owner.partition, owner.epoch(), owner.self, owner.seq(), new byte[0]);
      owner.outbox.send(node, end, (verdict, position, failure) -> onCaughtUp(gen, verdict));
      owner.advance();
      if (inSync()) owner.inSyncChanged();
    }
  }

  /** The replica's answer to the end of a catch-up; it acknowledges no batch (those have their own answers). */
  private void onCaughtUp(int gen, Verdict verdict) {
    if (verdict == Verdict.OK) return;
    boolean fenced = false;
    synchronized (owner) {
      if (closed || gen != generation) return;
      if (verdict == Verdict.FENCED) fenced = true;
      else startCatchUp();
    }
    if (fenced) owner.fenced();
  }

  /** On a worker: begin, the partition's keys in chunks, end; each step waits for the replica's answer. */
  private void snapshot(Store.StoreView view, Position at, int gen) throws Exception {
    long epoch = owner.epoch();
    call(new ReplicationMessage(Kind.SYNC_BEGIN, owner.partition, epoch, owner.self, at.seq(), new byte[0]), gen);
    byte[] from = Partitions.prefix(owner.partition);
    byte[] to = Partitions.end(owner.partition);
    Batch.PutLog[] chunk = {new Batch.PutLog()};
    Exception[] failure = {null};
    for (String family : owner.families) {
      view.scanRange(owner.store.columnFamily(family), from, to, (k, v) -> {
        chunk[0].put(family, k, v);
        if (chunk[0].size() < CHUNK_BYTES) return true;
        try {
          call(new ReplicationMessage(Kind.SYNC_CHUNK, owner.partition, epoch, owner.self, at.seq(), chunk[0].bytes()), gen);
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
      call(new ReplicationMessage(Kind.SYNC_CHUNK, owner.partition, epoch, owner.self, at.seq(), chunk[0].bytes()), gen);
    }
    byte[] lastEpoch = ByteBuffer.allocate(8).putLong(at.epoch()).array();
    call(new ReplicationMessage(Kind.SYNC_END, owner.partition, epoch, owner.self, at.seq(), lastEpoch), gen);
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
    streaming = false;
    clearQueue();
  }
}
