package io.eventplane.common.cluster.replication;

import io.eventplane.common.cluster.placement.PlacementEntry;
import io.eventplane.common.cluster.placement.PlacementPlanner.Position;
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
 * gap asks for a snapshot. Acks go out only after the local commit is durable.
 *
 * <p>Runs on the placement agent's context only, the same context that applies table changes, so
 * a partition's hand-over to this node (see {@link #fence}) sees every batch applied before it.
 */
final class ReplicaPartitions {
  private static final Logger LOG = Logger.getLogger(ReplicaPartitions.class.getName());

  enum Mode { AWAIT_SYNC, SYNCING, LIVE }

  private static final class State {
    String owner;
    Mode mode = Mode.AWAIT_SYNC;
    long expected;
  }

  private final Store store;
  private final PartitionPositions positions;
  private final List<String> families;
  private final IntFunction<PlacementEntry> table;
  private final Map<Integer, State> states = new HashMap<>();
  private final Map<Integer, CompletableFuture<Void>> lastCommit = new HashMap<>();

  ReplicaPartitions(Store store, PartitionPositions positions, List<String> families, IntFunction<PlacementEntry> table) {
    this.store = store;
    this.positions = positions;
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
    CompletableFuture<Verdict>[] verdicts = new CompletableFuture[group.size()];
    for (int i = 0; i < verdicts.length; i++) verdicts[i] = apply(group.get(i));
    CompletableFuture.allOf(verdicts).whenComplete((v, e) -> {
      List<Verdict> answer = new ArrayList<>(verdicts.length);
      for (CompletableFuture<Verdict> f : verdicts) answer.add(f.join());
      message.reply(ReplicationMessage.encodeVerdicts(answer));
    });
  }

  /** Checks and applies one message; completes with its verdict, OK only once what it wrote is durable. */
  CompletableFuture<Verdict> apply(ReplicationMessage m) {
    Verdict verdict = check(m);
    if (verdict != null) return CompletableFuture.completedFuture(verdict);
    State s = states.get(m.partition());
    switch (m.kind()) {
      case BATCH -> {
        if (s.mode != Mode.LIVE) return CompletableFuture.completedFuture(Verdict.NEED_SYNC);
        if (m.seq() < s.expected) return CompletableFuture.completedFuture(Verdict.OK);
        if (m.seq() > s.expected) {
          s.mode = Mode.AWAIT_SYNC;
          return CompletableFuture.completedFuture(Verdict.NEED_SYNC);
        }
        s.expected++;
        Batch b = store.batchFromLog(m.log());
        positions.record(b, m.partition(), new Position(m.epoch(), m.seq()));
        return commit(m.partition(), b, s);
      }
      case SYNC_BEGIN -> {
        s.mode = Mode.SYNCING;
        Batch b = store.batch();
        for (String family : families) {
          b.deleteRange(store.columnFamily(family), Partitions.prefix(m.partition()), Partitions.end(m.partition()));
        }
        positions.record(b, m.partition(), new Position(0, 0));
        return commit(m.partition(), b, s);
      }
      case SYNC_CHUNK -> {
        if (s.mode != Mode.SYNCING) return CompletableFuture.completedFuture(Verdict.NEED_SYNC);
        return commit(m.partition(), store.batchFromLog(m.log()), s);
      }
      case SYNC_END -> {
        if (s.mode != Mode.SYNCING) return CompletableFuture.completedFuture(Verdict.NEED_SYNC);
        s.mode = Mode.LIVE;
        s.expected = m.seq() + 1;
        Batch b = store.batch();
        positions.record(b, m.partition(), new Position(m.epoch(), m.seq()));
        return commit(m.partition(), b, s);
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

  private CompletableFuture<Verdict> commit(int partition, Batch b, State s) {
    CompletableFuture<Void> done = store.commit(b);
    lastCommit.put(partition, done);
    return done.handle((v, e) -> {
      if (e == null) return Verdict.OK;
      LOG.log(Level.WARNING, "replica commit of partition " + partition + " failed", e);
      s.mode = Mode.AWAIT_SYNC;
      return Verdict.NEED_SYNC;
    });
  }
}
