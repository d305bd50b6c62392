package io.eventplane.common.cluster.replication;

import io.eventplane.common.cluster.placement.PlacementPlanner.Position;
import io.eventplane.common.cluster.replication.ReplicationMessage.Verdict;
import io.eventplane.common.store.ContextCompletions;
import io.eventplane.common.wire.WireFormatException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * This node's replication messages on their way to replica nodes, grouped per destination: every
 * message {@link #send sent} for a node before the current task of the sending context ends leaves
 * in one event-bus message, and the replica answers the group with one ack. A lone message goes
 * out as soon as its task ends (no timer, so no added latency); under load the messages of
 * several partitions committed in the same turn share a message.
 *
 * <p>Order: a node's messages leave in the order they were sent, because taking a node's pending
 * messages and handing them to the event bus happen under one lock; so batches of a partition reach
 * the replica in sequence order, as with one message each. A group that gets no readable answer is
 * reported to every message's callback as a failure, exactly as a lost single message would be.
 */
final class ReplicationOutbox {
  private static final Logger LOG = Logger.getLogger(ReplicationOutbox.class.getName());
  static final long SEND_TIMEOUT_MILLIS = 5_000;

  /** The replica's verdict on one message (with its position, for a probe), or why there is none (verdict null). */
  interface Reply {
    void handle(Verdict verdict, Position position, Throwable failure);
  }

  private record Entry(ReplicationMessage message, Reply reply) {}

  private final Vertx vertx;
  private final Map<String, List<Entry>> pending = new HashMap<>();

  ReplicationOutbox(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Queues a message for {@code node}; it leaves when the caller's current task ends. */
  void send(String node, ReplicationMessage message, Reply reply) {
    boolean first;
    synchronized (this) {
      List<Entry> list = pending.computeIfAbsent(node, n -> new ArrayList<>());
      first = list.isEmpty();
      list.add(new Entry(message, reply));
    }
    if (!first) return;
    Context context = Vertx.currentContext();
    if (context != null) context.runOnContext(v -> flush(node));
    else vertx.runOnContext(v -> flush(node));
  }

  /** Sends everything pending for the node as one group. */
  void flush(String node) {
    List<Entry> group;
    Future<ReplicationMessage.Acks> answer;
    synchronized (this) {
      group = pending.remove(node);
      if (group == null || group.isEmpty()) return;
      List<ReplicationMessage> messages = new ArrayList<>(group.size());
      for (Entry e : group) messages.add(e.message());
      answer = request(node, messages);
    }
    // Outside the lock: a callback takes its owner partition's lock, which is held while sending.
    // One ack settles many commits: batching gives each committing context one task for all of them.
    answer.onComplete(ar -> ContextCompletions.batching(() -> {
      for (int i = 0; i < group.size(); i++) {
        if (ar.succeeded()) group.get(i).reply().handle(ar.result().verdicts().get(i), ar.result().positions().get(i), null);
        else group.get(i).reply().handle(null, null, ar.cause());
      }
    }));
  }

  /** Sends one group now, outside any batching (the blocking steps of a snapshot copy). */
  Future<Verdict> sendAlone(String node, ReplicationMessage message) {
    return request(node, List.of(message)).map(a -> a.verdicts().get(0));
  }

  /** One group out, its verdicts back in order; a missing, unreadable or mismatched ack fails. */
  private Future<ReplicationMessage.Acks> request(String node, List<ReplicationMessage> messages) {
    return vertx.eventBus().<Buffer>request(ReplicationMessage.address(node), ReplicationMessage.encodeGroup(messages),
            new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS))
        .compose(answer -> {
          ReplicationMessage.Acks acks;
          try {
            acks = ReplicationMessage.decodeAcks(answer.body());
          } catch (WireFormatException e) {
            LOG.warning("replica " + node + " answered in a form this node cannot read: " + e.getMessage());
            return Future.failedFuture(e);
          }
          if (acks.verdicts().size() != messages.size()) {
            return Future.failedFuture(new IllegalStateException("replica " + node + " answered " + acks.verdicts().size()
                + " verdicts to a group of " + messages.size()));
          }
          return Future.succeededFuture(acks);
        });
  }
}
