package io.eventplane.common.cluster.replication;

import io.eventplane.common.cluster.placement.PlacementEntry;
import io.eventplane.common.cluster.placement.PlacementPlanner.Position;
import io.eventplane.common.cluster.replication.ReplicationMessage.Kind;
import io.eventplane.common.cluster.replication.ReplicationMessage.Verdict;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Store;
import io.eventplane.common.wire.WireFormatException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The replica side: applies what owners send for the partitions placement made this node a replica
 * of. Every message is checked against the node's view of the placement table first: a sender
 * that is not the owner at the newest epoch this node knows is answered {@code fenced}, a sender
 * with an epoch this node has not seen yet is told to retry. Batches apply strictly in sequence; a
 * gap asks the owner to catch this copy up (it probes the position, then replays what is missing
 * from its log, or copies a snapshot). Each applied batch also goes into this node's
 * {@link ReplicationLog}, so that, once promoted, it can catch up the others. Acks go out only after
 * the local commit is durable.
 *
 * <p>Runs on the placement agent's context only, the same context that applies table changes, so
 * a partition's hand-over to this node (see {@link #fence}) sees every batch applied before it.
 */
final class ReplicaPartitions {
  private static final Logger LOG = Logger.getLogger(ReplicaPartitions.class.getName());

  /**
   * AWAIT_SYNC: nothing applies until the owner probes or starts a snapshot; SYNCING: a snapshot is
   * being copied; CATCHING_UP: batches apply in order from the probed (or snapshot) position; LIVE:
   * the owner said the copy has caught up (what readiness waits for).
   */
  enum Mode { AWAIT_SYNC, SYNCING, CATCHING_UP, LIVE }

  private static final class State {
    String owner;
    Mode mode = Mode.AWAIT_SYNC;
    long expected;
  }

  private final Store store;
  private final PartitionPositions positions;
  private final ReplicationLog log;
  private final List<String> families;
  private final IntFunction<PlacementEntry> table;
  private final Map<Integer, State> states = new HashMap<>();
  private final Map<Integer, CompletableFuture<Void>> lastCommit = new HashMap<>();

  ReplicaPartitions(Store store, PartitionPositions positions, ReplicationLog log, List<String> families,
      IntFunction<PlacementEntry> table) {
    this.store = store;
    this.positions = positions;
    this.log = log;
    this.families = families;
    this.table = table;
  }

  /** This node is a replica in the entry: keep a live copy when the owner is the same, else wait for a snapshot. */
  void assign(PlacementEntry e) {
    State s = states.get(e.partition());
    if (s != null && e.owner().equals(s.owner)) return;
    s = new State();
    s.owner = e.owner();
    states.put(e.partition(), s);
  }

  void unassign(int partition) {
    states.remove(partition);
  }

  /** This node becomes the owner: stop applying, and complete when everything applied so far is durable. */
  CompletableFuture<Void> fence(int partition) {
    states.remove(partition);
    return lastCommit.getOrDefault(partition, CompletableFuture.completedFuture(null));
  }

  boolean isLive(int partition) {
    State s = states.get(partition);
    return s != null && s.mode == Mode.LIVE;
  }

  /**
   * A group of messages from one owner node: each is checked and applied in order, and the group
   * is answered with one ack (a verdict per message) once every applied message is durable. A
   * frame this node cannot read is refused as a whole, with the reason, and nothing of it applied.
   */
  void onMessage(Message<Buffer> message) {
    List<ReplicationMessage> group;
    try {
      group = ReplicationMessage.decodeGroup(message.body());
    } catch (WireFormatException e) {
      LOG.warning("refused replication from another node: " + e.getMessage());
      message.fail(400, e.getMessage());
      return;
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<Answer>[] answers = new CompletableFuture[group.size()];
    for (int i = 0; i < answers.length; i++) answers[i] = apply(group.get(i));
    CompletableFuture.allOf(answers).whenComplete((v, e) -> {
      List<Verdict> verdicts = new ArrayList<>(answers.length);
      List<Position> at = new ArrayList<>(answers.length);
      for (CompletableFuture<Answer> f : answers) {
        verdicts.add(f.join().verdict());
        at.add(f.join().position());
      }
      message.reply(ReplicationMessage.encodeAcks(new ReplicationMessage.Acks(verdicts, at)));
    });
  }

  /** A verdict, and for a probe the position this node's copy of the partition has durably reached. */
  record Answer(Verdict verdict, Position position) {
    static final CompletableFuture<Answer> OK = CompletableFuture.completedFuture(new Answer(Verdict.OK, null));
    static final CompletableFuture<Answer> NEED_SYNC = CompletableFuture.completedFuture(new Answer(Verdict.NEED_SYNC, null));
  }

  /** Checks and applies one message; completes with its answer, OK only once what it wrote is durable. */
  CompletableFuture<Answer> apply(ReplicationMessage m) {
    Verdict verdict = check(m);
    if (verdict != null) return CompletableFuture.completedFuture(new Answer(verdict, null));
    int p = m.partition();
    State s = states.get(p);
    switch (m.kind()) {
      case BATCH, LOGGED_BATCH -> {
        if (s.mode != Mode.LIVE && s.mode != Mode.CATCHING_UP) return Answer.NEED_SYNC;
        if (m.seq() < s.expected) return Answer.OK;
        if (m.seq() > s.expected) {
          s.mode = Mode.AWAIT_SYNC;
          return Answer.NEED_SYNC;
        }
        s.expected++;
        boolean replayed = m.kind() == Kind.LOGGED_BATCH;
        long batchEpoch = replayed ? m.payloadEpoch() : m.epoch();
        byte[] batchLog = replayed ? m.loggedBatch() : m.log();
        Batch b = store.batchFromLog(batchLog);
        positions.record(b, p, new Position(batchEpoch, m.seq()));
        log.append(b, p, batchEpoch, m.seq(), batchLog);
        return commit(p, b, s);
      }
      case PROBE -> {
        // From here the owner streams what follows this position (from its log, or a snapshot if
        // it cannot); the answer waits until every batch applied so far is durable.
        Position at = positions.get(p);
        s.mode = Mode.CATCHING_UP;
        s.expected = at.seq() + 1;
        return lastCommit.getOrDefault(p, CompletableFuture.completedFuture(null)).handle((v, e) ->
            // a failed commit leaves the position unreliable: claim nothing, get a snapshot
            new Answer(Verdict.OK, e == null ? at : new Position(0, 0)));
      }
      case CAUGHT_UP -> {
        if ((s.mode != Mode.CATCHING_UP && s.mode != Mode.LIVE) || s.expected != m.seq() + 1) {
          s.mode = Mode.AWAIT_SYNC;
          return Answer.NEED_SYNC;
        }
        s.mode = Mode.LIVE;
        return Answer.OK;
      }
      case SYNC_BEGIN -> {
        s.mode = Mode.SYNCING;
        Batch b = store.batch();
        for (String family : families) {
          b.deleteRange(store.columnFamily(family), Partitions.prefix(p), Partitions.end(p));
        }
        log.clear(b, p);
        positions.record(b, p, new Position(0, 0));
        return commit(p, b, s);
      }
      case SYNC_CHUNK -> {
        if (s.mode != Mode.SYNCING) return Answer.NEED_SYNC;
        return commit(p, store.batchFromLog(m.log()), s);
      }
      case SYNC_END -> {
        if (s.mode != Mode.SYNCING) return Answer.NEED_SYNC;
        // The owner sends what it committed during the copy, then CAUGHT_UP; an owner of an
        // earlier build (no epoch in SYNC_END) sends neither, so its copy is live at once.
        s.mode = m.log().length == 0 ? Mode.LIVE : Mode.CATCHING_UP;
        s.expected = m.seq() + 1;
        Batch b = store.batch();
        Position at = new Position(m.payloadEpoch(), m.seq());
        positions.record(b, p, at);
        // An empty entry at the snapshot's position starts the new log: never replayed (a catch-up
        // replays what follows the replica's position), it lets a replica at exactly this point match.
        if (m.log().length > 0) log.append(b, p, at.epoch(), at.seq(), new byte[0]);
        return commit(p, b, s);
      }
      default -> throw new IllegalStateException("unknown kind " + m.kind());
    }
  }

  /** Null when the message may be applied, else the reply that refuses it. */
  private Verdict check(ReplicationMessage m) {
    PlacementEntry known = table.apply(m.partition());
    if (known == null || m.epoch() > known.epoch()) return Verdict.RETRY;
    if (!known.owner().equals(m.sender())) return Verdict.FENCED;
    State s = states.get(m.partition());
    if (s == null || !m.sender().equals(s.owner)) return Verdict.RETRY;
    return null;
  }

  private CompletableFuture<Answer> commit(int partition, Batch b, State s) {
    CompletableFuture<Void> done = store.commit(b);
    lastCommit.put(partition, done);
    return done.handle((v, e) -> {
      if (e == null) return new Answer(Verdict.OK, null);
      LOG.log(Level.WARNING, "replica commit of partition " + partition + " failed", e);
      s.mode = Mode.AWAIT_SYNC;
      return new Answer(Verdict.NEED_SYNC, null);
    });
  }
}
