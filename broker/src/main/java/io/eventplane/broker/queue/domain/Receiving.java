package io.eventplane.broker.queue.domain;

import io.eventplane.common.store.Batch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * ReceiveMessage with long polling, the dead-letter move that a receive past maxReceiveCount
 * triggers, DeleteMessage and ChangeMessageVisibility.
 *
 * <p>A receive picks messages in memory and marks them in flight at once (so concurrent receives
 * never share a message), reads their bodies off the event loop, persists the new delivery state
 * (receive count, visibility) and only then answers. A message due for the dead-letter queue is
 * moved in two steps, because the DLQ may live in another partition, on another node: first it is
 * appended to the DLQ (durably, through the {@link QueueDirectory}), then deleted from the source.
 * A crash between the two leaves it in both queues: at least once, never lost.
 */
public final class Receiving {
  private static final Logger LOG = Logger.getLogger(Receiving.class.getName());
  private final Queues queues;

  public Receiving(Queues queues) {
    this.queues = queues;
  }

  public Future<List<Delivery>> receive(Queue q, ReceiveRequest r) {
    Promise<List<Delivery>> promise = Promise.promise();
    int wait = r.waitTimeSeconds() != null ? r.waitTimeSeconds() : q.receiveWaitTimeSeconds();
    long deadline = queues.clock().millis() + wait * 1000L;
    attempt(q, r, deadline, promise, wait > 0);
    return promise.future();
  }

  private void attempt(Queue q, ReceiveRequest r, long deadline, Promise<List<Delivery>> promise, boolean mayPark) {
    if (q.deleted) {
      promise.tryFail(QueueErrors.queueDoesNotExist());
      return;
    }
    if (q.released) {
      promise.tryComplete(List.of());
      return;
    }
    long now = queues.clock().millis();
    if (r.attemptId() != null && q.fifo()) {
      Queue.ReceiveAttempt previous = q.attempts.get(r.attemptId());
      if (previous != null && previous.expiresAt() > now && stillHeld(q, previous)) {
        redeliver(q, previous, promise);
        return;
      }
    }
    long visibility = (r.visibilityTimeoutSeconds() != null ? r.visibilityTimeoutSeconds() : q.visibilityTimeoutSeconds()) * 1000L;
    Selection s = select(q, r.maxMessages(), now + visibility, now);
    if (s.isEmpty()) {
      if (mayPark && now < deadline) park(q, new Waiter(again -> attempt(q, r, deadline, promise, again), deadline));
      else promise.tryComplete(List.of());
      return;
    }
    if (r.attemptId() != null && q.fifo() && !s.delivered.isEmpty()) {
      List<ReceiptHandle> handles = new ArrayList<>();
      for (MessageState m : s.delivered) handles.add(new ReceiptHandle(q.id(), m.seq, m.receiptToken));
      q.attempts.put(r.attemptId(), new Queue.ReceiveAttempt(now + Queue.DEDUP_WINDOW_MILLIS, handles));
    }
    complete(q, s)
        .onSuccess(deliveries -> {
          if (deliveries.isEmpty()) attempt(q, r, deadline, promise, mayPark);
          else promise.tryComplete(deliveries);
        })
        .onFailure(promise::tryFail);
  }

  /** What one receive took: messages to deliver, to dead-letter, and expired ones to drop. */
  private static final class Selection {
    final List<MessageState> delivered = new ArrayList<>();
    final List<MessageState> deadLettered = new ArrayList<>();
    final List<MessageState> expired = new ArrayList<>();
    String dlqArn;

    boolean isEmpty() {
      return delivered.isEmpty() && deadLettered.isEmpty() && expired.isEmpty();
    }
  }

  private Selection select(Queue q, int max, long visibleUntil, long now) {
    Selection s = new Selection();
    QueueAttributes.RedrivePolicy redrive = q.redrivePolicy();
    String dlq = redrive == null ? null : redrive.deadLetterTargetArn();
    if (dlq != null && queues.byArn(dlq) == null && queues.ownsArn(dlq)) dlq = null; // a DLQ deleted since: deliver
    s.dlqArn = dlq;
    long retention = q.retentionMillis();
    MessageIndex index = q.index();
    java.util.Set<Long> taken = new java.util.HashSet<>();
    while (s.delivered.size() < max) {
      List<MessageState> candidates = index.candidates(max - s.delivered.size(), now, taken);
      if (candidates.isEmpty()) break;
      for (MessageState m : candidates) {
        taken.add(m.seq);
        if (m.sentTimestamp + retention <= now) {
          index.remove(m, now);
          s.expired.add(m);
        } else if (dlq != null && m.receiveCount >= redrive.maxReceiveCount()) {
          index.remove(m, now);
          s.deadLettered.add(m);
        } else {
          index.markInFlight(m, visibleUntil, nextToken(), now);
          s.delivered.add(m);
        }
      }
    }
    return s;
  }

  private Future<List<Delivery>> complete(Queue q, Selection s) {
    List<MessageState> read = new ArrayList<>(s.delivered.size() + s.deadLettered.size());
    read.addAll(s.delivered);
    read.addAll(s.deadLettered);
    Future<List<StoredMessage>> bodies = read.isEmpty() ? Future.succeededFuture(List.of()) : queues.readMessages(q, read);
    return bodies.compose(messages -> {
      List<StoredMessage> dead = messages.subList(s.delivered.size(), messages.size());
      return moveToDeadLetterQueue(q, s, dead).compose(moved -> {
        Batch batch = queues.store().batch();
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < s.delivered.size(); i++) {
          StoredMessage msg = messages.get(i);
          MessageState m = s.delivered.get(i);
          if (msg == null) continue;
          queues.store().putState(batch, q.id(), m);
          deliveries.add(new Delivery(msg, new ReceiptHandle(q.id(), m.seq, m.receiptToken).encode(), m.seq,
              m.receiveCount, m.firstReceiveTimestamp, q.fifo()));
        }
        List<MessageState> gone = new ArrayList<>(s.expired);
        if (moved) gone.addAll(s.deadLettered);
        int deadLettered = moved ? s.deadLettered.size() : 0;
        for (MessageState m : gone) {
          queues.recent().remove(m);
          queues.store().deleteMessage(batch, q.id(), m.seq);
        }
        if (batch.isEmpty()) {
          batch.close();
          counted(q, deliveries.size(), deadLettered);
          return Future.succeededFuture(deliveries);
        }
        return queues.commit(q, batch).map(v -> {
          counted(q, deliveries.size(), deadLettered);
          return deliveries;
        });
      });
    });
  }

  /** A ReceiveMessage call on the queue answered no message (CloudWatch's NumberOfEmptyReceives). */
  public void answeredEmpty(Queue q) {
    queues.metrics().emptyReceive(q);
  }

  private void counted(Queue q, int received, int deadLettered) {
    if (received > 0) queues.metrics().received(q, received);
    if (deadLettered > 0) queues.metrics().movedToDeadLetterQueue(q, deadLettered);
  }

  /**
   * Appends the messages due for the dead-letter queue to it. True when they are there; false (and
   * the messages put back, visible, in the source) when the DLQ could not take them now.
   */
  private Future<Boolean> moveToDeadLetterQueue(Queue q, Selection s, List<StoredMessage> messages) {
    if (s.deadLettered.isEmpty()) return Future.succeededFuture(true);
    long now = queues.clock().millis();
    List<MovedMessage> moving = new ArrayList<>();
    for (int i = 0; i < s.deadLettered.size(); i++) {
      StoredMessage msg = messages.get(i);
      if (msg == null) continue;
      long sentAt = q.fifo() ? now : msg.sentTimestamp();
      MessageState state = s.deadLettered.get(i);
      moving.add(new MovedMessage(msg.withDeadLetterSource(q.arn(), sentAt), state.size, state.receiveCount));
    }
    if (moving.isEmpty()) return Future.succeededFuture(true);
    return queues.directory().enqueueMoved(s.dlqArn, moving).map(true).recover(e -> {
      LOG.log(Level.WARNING, "dead-letter move from " + q.arn() + " to " + s.dlqArn + " failed; messages stay", e);
      if (!q.deleted && !q.released) {
        long at = queues.clock().millis();
        for (MessageState m : s.deadLettered) q.index().add(m, at);
      }
      return Future.succeededFuture(false);
    });
  }

  /** Appends messages moved from another queue (DLQ move or redrive) to a queue of this node. */
  public Future<Void> acceptMoved(Queue target, List<MovedMessage> incoming) {
    long now = queues.clock().millis();
    Batch batch = queues.store().batch();
    List<MessageState> moved = new ArrayList<>(incoming.size());
    for (MovedMessage in : incoming) {
      StoredMessage msg = in.message();
      // A FIFO queue orders by arrival: a moved message counts as sent now.
      if (target.fifo()) msg = msg.withDeadLetterSource(msg.deadLetterSourceArn(), now);
      MessageState m = new MessageState(target.nextSeq++, msg.groupId(), msg.sentTimestamp(), in.size(), now,
          in.receiveCount(), 0, 0);
      queues.store().putMessage(batch, target.id(), msg, m);
      moved.add(m);
    }
    return queues.commit(target, batch).onSuccess(v -> addMoved(target, moved));
  }

  /** Makes committed moved messages receivable in the target queue. */
  void addMoved(Queue target, List<MessageState> moved) {
    if (target.deleted || target.released || moved.isEmpty()) return;
    long now = queues.clock().millis();
    for (MessageState m : moved) {
      if (m.seq >= target.purgedBelowSeq) target.index().add(m, now);
    }
    wake(target);
  }

  private boolean stillHeld(Queue q, Queue.ReceiveAttempt a) {
    for (ReceiptHandle h : a.handles()) {
      MessageState m = q.index().get(h.seq());
      if (m == null || m.status != MessageState.Status.IN_FLIGHT || m.receiptToken != h.token()) return false;
    }
    return true;
  }

  private void redeliver(Queue q, Queue.ReceiveAttempt a, Promise<List<Delivery>> promise) {
    List<MessageState> held = a.handles().stream().map(h -> q.index().get(h.seq())).toList();
    queues.readMessages(q, held).onComplete(ar -> {
      if (ar.failed()) {
        promise.tryFail(ar.cause());
        return;
      }
      List<Delivery> out = new ArrayList<>();
      for (int i = 0; i < held.size(); i++) {
        StoredMessage msg = ar.result().get(i);
        MessageState m = q.index().get(held.get(i).seq);
        if (msg == null || m == null) continue;
        out.add(new Delivery(msg, a.handles().get(i).encode(), m.seq, m.receiveCount, m.firstReceiveTimestamp, true));
      }
      promise.tryComplete(out);
    });
  }

  private static long nextToken() {
    long t;
    do {
      t = ThreadLocalRandom.current().nextLong();
    } while (t == 0);
    return t;
  }

  // ---- long polling

  private void park(Queue q, Waiter w) {
    q.waiters.add(w);
    long delay = Math.max(1, w.deadline - queues.clock().millis());
    w.timerId = queues.vertx().setTimer(delay, t -> {
      w.timerId = -1;
      if (w.done) return;
      w.done = true;
      q.waiters.remove(w);
      w.retry.accept(false);
    });
    armWake(q);
  }

  /** Hands newly visible messages to parked receives. */
  public void wake(Queue q) {
    if (q.waiters.isEmpty()) return;
    long now = queues.clock().millis();
    q.index().promote(now);
    while (!q.waiters.isEmpty() && q.index().hasDeliverable()) {
      Waiter w = q.waiters.poll();
      if (w.done) continue;
      w.done = true;
      if (w.timerId >= 0) queues.vertx().cancelTimer(w.timerId);
      w.retry.accept(true);
    }
    armWake(q);
  }

  /** Keeps one timer per queue at the next time a delayed or in-flight message turns visible, while receives wait. */
  void armWake(Queue q) {
    long next = q.waiters.isEmpty() ? Long.MAX_VALUE : q.index().nextVisibleAt();
    if (next == q.wakeAt) return;
    if (q.wakeTimerId >= 0) queues.vertx().cancelTimer(q.wakeTimerId);
    q.wakeTimerId = -1;
    q.wakeAt = next;
    if (next == Long.MAX_VALUE) return;
    long delay = Math.max(1, next - queues.clock().millis());
    q.wakeTimerId = queues.vertx().setTimer(delay, t -> {
      q.wakeTimerId = -1;
      q.wakeAt = Long.MAX_VALUE;
      wake(q);
    });
  }

  // ---- acknowledgement

  /**
   * DeleteMessage: a stale handle (the message was received again since) deletes nothing, as on
   * SQS. A standard queue still deletes with a handle whose visibility timeout ran out; a FIFO
   * queue refuses it as expired (its group may be delivering the message to someone else), as
   * recorded against SQS (test_fifo_delete_message_with_expired_receipt_handle).
   */
  public Future<Void> delete(Queue q, String receiptHandle) {
    ReceiptHandle h = ReceiptHandle.decode(receiptHandle);
    if (h.queueId() != q.id()) throw QueueErrors.receiptHandleInvalid(receiptHandle);
    MessageState m = q.index().get(h.seq());
    if (m == null || m.receiptToken != h.token()) return Future.succeededFuture();
    long now = queues.clock().millis();
    if (q.fifo()) {
      q.index().promote(now);
      if (m.status != MessageState.Status.IN_FLIGHT) {
        throw QueueErrors.invalidParameter("ReceiptHandle", receiptHandle, "The receipt handle has expired.");
      }
    }
    q.index().remove(m, now);
    queues.recent().remove(m);
    Batch batch = queues.store().batch();
    queues.store().deleteMessage(batch, q.id(), m.seq);
    if (q.fifo()) wake(q);
    return queues.commit(q, batch).onSuccess(v -> queues.metrics().deleted(q, 1));
  }

  public Future<Void> changeVisibility(Queue q, String receiptHandle, int timeoutSeconds) {
    ReceiptHandle h = ReceiptHandle.decode(receiptHandle);
    if (h.queueId() != q.id()) throw QueueErrors.receiptHandleInvalid(receiptHandle);
    long now = queues.clock().millis();
    q.index().promote(now);
    MessageState m = q.index().get(h.seq());
    if (m == null || m.receiptToken != h.token()) {
      throw QueueErrors.invalidParameter("ReceiptHandle", receiptHandle,
          "Message does not exist or is not available for visibility timeout change.");
    }
    // A handle whose visibility timeout ran out still names the message until it is received
    // again (which changes the token): SQS then hides the visible message anew, so this succeeds.
    q.index().changeVisibility(m, now + timeoutSeconds * 1000L, now);
    Batch batch = queues.store().batch();
    queues.store().putState(batch, q.id(), m);
    return queues.commit(q, batch).onSuccess(v -> wake(q)).onSuccess(v -> armWake(q));
  }
}
