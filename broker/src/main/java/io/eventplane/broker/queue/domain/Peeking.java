package io.eventplane.broker.queue.domain;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a queue's oldest messages without receiving them: what the console's "peek" shows. Nothing
 * changes: no receive count, no visibility, no receipt handle, no metric. SQS has no such operation
 * (its console's "poll" receives); this one is internal to Eventplane and not on the wire.
 * Runs on the lane that owns the queue, like every queue operation.
 */
public final class Peeking {
  private final Queues queues;

  public Peeking(Queues queues) {
    this.queues = queues;
  }

  /** Up to {@code max} messages, oldest first, whatever their state (visible, in flight, delayed). */
  public Future<List<PeekedMessage>> peek(Queue q, int max) {
    if (q.deleted) return Future.failedFuture(QueueErrors.queueDoesNotExist());
    long now = queues.clock().millis();
    List<MessageState> states = q.index().select(m -> true, max);
    // The facts as they are now: the bodies are read asynchronously, the states may change meanwhile.
    List<PeekedMessage.Facts> facts = new ArrayList<>(states.size());
    for (MessageState m : states) facts.add(new PeekedMessage.Facts(statusAt(m, now), m.receiveCount, m.visibleAt));
    return queues.readMessages(q, states).map(messages -> {
      List<PeekedMessage> out = new ArrayList<>(messages.size());
      for (int i = 0; i < messages.size(); i++) {
        if (messages.get(i) != null) out.add(new PeekedMessage(messages.get(i), facts.get(i)));
      }
      return out;
    });
  }

  /** The state a receive would see now (the index promotes lazily, so a due message may still say delayed). */
  private static MessageState.Status statusAt(MessageState m, long now) {
    if (m.status != MessageState.Status.VISIBLE && m.visibleAt <= now) return MessageState.Status.VISIBLE;
    return m.status;
  }
}
