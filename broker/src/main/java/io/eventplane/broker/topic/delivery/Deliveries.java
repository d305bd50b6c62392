package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.topic.domain.Envelope;
import io.eventplane.broker.topic.domain.MessageSigner;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.RetryPolicy;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.store.TopicStore;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outbox worker: every pending delivery (one per notification and matching subscription,
 * persisted with the notification) is attempted through its protocol's channel until it is
 * delivered, refused for good, or out of retries; then, if the subscription has a dead-letter
 * queue, the message goes there with the RequestID, ErrorCode and ErrorMessage attributes.
 * Only then is the delivery's key deleted, and with the last one the notification's, so a crash
 * at any point leaves the delivery to be done again (at least once).
 *
 * <p>Deliveries of a FIFO topic travel in ordered queues, one per subscription and message group:
 * such a queue has one delivery in flight at a time, in sequence order, so order per group holds
 * into FIFO queues. One instance per lane of the SNS service, for the lane's partitions; everything
 * runs on the lane's context (its event-loop thread, checked under {@code assert}, so a channel
 * that completed on another thread would be caught in tests).
 */
public final class Deliveries {
  private static final Logger LOG = Logger.getLogger(Deliveries.class.getName());
  private static final int MAX_IN_FLIGHT = 256;
  private static final long DEAD_LETTER_RETRY_MILLIS = 5_000;
  private static final long SIGNING_KEY_RETRY_MILLIS = 5_000;

  private final Vertx vertx;
  private final Context context;
  private final TopicStore store;
  private final QueueSender queues;
  private final MessageSigner signer;
  private final Function<String, Topic> topics;
  private final DeliveryPermissions permissions;
  private final Map<String, DeliveryChannel> channels = new HashMap<>();
  private final Map<Key, Pending> pending = new HashMap<>();
  private final Map<NotificationKey, Held> notifications = new HashMap<>();
  /** FIFO deliveries by subscription and message group, in sequence order; the head is the one in flight. */
  private final Map<String, ArrayDeque<Pending>> ordered = new HashMap<>();
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  /** Deliveries finished in this event-loop turn, by partition, committed together at its end. */
  private final Map<Integer, List<Pending>> finishing = new HashMap<>();
  private int inFlight;
  private DeliveryMetrics metrics = DeliveryMetrics.NONE;
  /** The lane's event-loop thread: the only one that may touch this state. */
  private final Thread owner;

  private record Key(int partition, long seq, String subscriptionArn) {}

  private record NotificationKey(int partition, long seq) {}

  /** A notification and how many of its deliveries are still pending. */
  private static final class Held {
    final Notification notification;
    int remaining;

    Held(Notification notification) {
      this.notification = notification;
    }
  }

  private static final class Pending {
    final Key key;
    /** The ordered queue of a FIFO delivery (subscription and message group), or null. */
    final String order;
    int attempts;
    long timer = -1;
    boolean cancelled;

    Pending(Key key, String order, int attempts) {
      this.key = key;
      this.order = order;
      this.attempts = attempts;
    }
  }

  public Deliveries(Vertx vertx, Context context, TopicStore store, QueueSender queues, MessageSigner signer,
      Function<String, Topic> topics) {
    this(vertx, context, store, queues, signer, topics, DeliveryPermissions.ALLOW_ALL);
  }

  /** @param permissions whether the destinations' policies let the topics deliver ({@code --auth iam}) */
  public Deliveries(Vertx vertx, Context context, TopicStore store, QueueSender queues, MessageSigner signer,
      Function<String, Topic> topics, DeliveryPermissions permissions) {
    this.permissions = permissions;
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.queues = queues;
    this.signer = signer;
    this.topics = topics;
    this.owner = Thread.currentThread();
  }

  /** For {@code assert}: true on the owning thread, else an AssertionError that names both threads. */
  boolean onOwnerThread() {
    Thread current = Thread.currentThread();
    if (current != owner) {
      throw new AssertionError("delivery state of " + owner.getName() + " touched from " + current.getName());
    }
    return true;
  }

  /** Where deliveries, failed attempts and dead-letter moves are counted ({@link DeliveryMetrics#NONE} until set). */
  public void setMetrics(DeliveryMetrics metrics) {
    this.metrics = metrics;
  }

  /** Where this lane's deliveries (and publishes, by {@code PublishOperations}) are counted. */
  public DeliveryMetrics metrics() {
    return metrics;
  }

  /** Deliveries that failed at least once and are not finished yet, by subscription ARN (on the lane's context). */
  public Map<String, Integer> retriesPending() {
    assert onOwnerThread();
    Map<String, Integer> bySubscription = new HashMap<>();
    for (Pending p : pending.values()) {
      if (p.attempts > 0) bySubscription.merge(p.key.subscriptionArn(), 1, Integer::sum);
    }
    return bySubscription;
  }

  public void register(DeliveryChannel channel) {
    for (String protocol : channel.protocols()) channels.put(protocol, channel);
  }

  /** The channel of a protocol, or null when Eventplane does not deliver to it. */
  public DeliveryChannel channel(String protocol) {
    return channels.get(protocol);
  }

  /**
   * Starts the deliveries of a notification whose outbox entries are committed.
   *
   * @param attempts failed attempts so far per subscription (0 for a fresh publish)
   */
  public void add(int partition, Notification n, Map<String, Integer> attempts, boolean fifo) {
    assert onOwnerThread();
    NotificationKey nk = new NotificationKey(partition, n.seq());
    Held held = notifications.computeIfAbsent(nk, k -> new Held(n));
    for (Map.Entry<String, Integer> e : attempts.entrySet()) {
      Key key = new Key(partition, n.seq(), e.getKey());
      if (pending.containsKey(key)) continue;
      String order = fifo && n.groupId() != null ? e.getKey() + "\u0000" + n.groupId() : null;
      Pending p = new Pending(key, order, e.getValue());
      pending.put(key, p);
      held.remaining++;
      if (order != null) {
        ArrayDeque<Pending> queue = ordered.computeIfAbsent(order, l -> new ArrayDeque<>());
        queue.add(p);
        if (queue.size() == 1) dispatch(p);
      } else {
        dispatch(p);
      }
    }
  }

  /** Forgets a partition this node no longer owns; its deliveries continue at the new owner. */
  public void unload(int partition) {
    assert onOwnerThread();
    List<Pending> dropped = new ArrayList<>();
    for (Pending p : pending.values()) if (p.key.partition() == partition) dropped.add(p);
    for (Pending p : dropped) {
      p.cancelled = true;
      if (p.timer >= 0) vertx.cancelTimer(p.timer);
      pending.remove(p.key);
      if (p.order != null) {
        ArrayDeque<Pending> queue = ordered.get(p.order);
        if (queue != null) {
          queue.remove(p);
          if (queue.isEmpty()) ordered.remove(p.order);
        }
      }
    }
    waiting.removeIf(p -> p.cancelled);
    finishing.remove(partition);
    notifications.keySet().removeIf(k -> k.partition() == partition);
  }

  private void dispatch(Pending p) {
    assert onOwnerThread();
    if (p.cancelled) return;
    if (!signer.isReady()) {
      // The signing key loads on first use (not at start-up): deliveries wait for it, and a key
      // that cannot be loaded is retried like an endpoint that is down.
      signer.ready(vertx).onComplete(ar -> {
        if (ar.failed()) LOG.log(Level.WARNING, "SNS signing key not available; deliveries wait", ar.cause());
        scheduleRetry(p, ar.succeeded() ? 0 : SIGNING_KEY_RETRY_MILLIS);
      });
      return;
    }
    if (inFlight >= MAX_IN_FLIGHT) {
      waiting.add(p);
      return;
    }
    Held held = notifications.get(new NotificationKey(p.key.partition(), p.key.seq()));
    Topic topic = held == null ? null : topics.apply(held.notification.topicArn());
    Subscription sub = subscriptionOf(topic, held, p.key.subscriptionArn());
    DeliveryChannel channel = sub == null ? null : channels.get(sub.protocol());
    if (channel == null) {
      // The topic or the subscription is gone (or its protocol no longer served): nothing to deliver to.
      complete(p);
      return;
    }
    inFlight++;
    Notification n = held.notification;
    attempt(channel, topic, sub, n).onComplete(ar -> {
      assert onOwnerThread();
      inFlight--;
      pump();
      if (p.cancelled) return;
      DeliveryOutcome outcome = ar.succeeded() ? ar.result()
          : DeliveryOutcome.serverError("InternalError", String.valueOf(ar.cause()));
      if (!n.isConfirmation()) {
        if (outcome.kind() == DeliveryOutcome.Kind.DELIVERED) metrics.delivered(topic, sub);
        else metrics.failed(topic, sub);
      }
      switch (outcome.kind()) {
        case DELIVERED -> complete(p);
        case CLIENT_ERROR -> {
          if (!n.isConfirmation()) metrics.gaveUp(topic, sub);
          deadLetter(p, topic, sub, n, outcome);
        }
        case SERVER_ERROR -> retry(p, topic, sub, n, channel.retryPolicy(sub, topic), outcome);
      }
    });
  }

  /**
   * One attempt through the channel, unless the endpoint's policy refuses the topic ({@code --auth
   * iam}): then the refusal is the outcome. A policy already read answers in this turn, so sends to
   * a queue still coalesce.
   */
  private Future<DeliveryOutcome> attempt(DeliveryChannel channel, Topic topic, Subscription sub, Notification n) {
    if (!permissions.judges() || n.isConfirmation()) return channel.deliver(topic, sub, n);
    return permissions.refusal(topic, sub)
        .compose(refused -> refused != null ? Future.succeededFuture(refused) : channel.deliver(topic, sub, n));
  }

  /** The subscription a delivery is for; an UnsubscribeConfirmation's is the one just deleted. */
  private static Subscription subscriptionOf(Topic topic, Held held, String arn) {
    if (topic == null) return null;
    Subscription sub = topic.subscriptions().get(arn);
    return sub == null && held.notification.isConfirmation() ? topic.deactivated().get(arn) : sub;
  }

  private void pump() {
    while (inFlight < MAX_IN_FLIGHT && !waiting.isEmpty()) dispatch(waiting.poll());
  }

  private void retry(Pending p, Topic topic, Subscription sub, Notification n, RetryPolicy policy, DeliveryOutcome outcome) {
    assert onOwnerThread();
    p.attempts++;
    if (!policy.retriesLeft(p.attempts)) {
      if (!n.isConfirmation()) metrics.gaveUp(topic, sub);
      deadLetter(p, topic, sub, n, outcome);
      return;
    }
    Batch b = store.batch();
    store.putDelivery(b, p.key.partition(), p.key.seq(), p.key.subscriptionArn(), p.attempts);
    commit(p.key.partition(), b).onComplete(ar -> {
      if (ar.failed()) LOG.log(Level.FINE, "could not record a failed attempt", ar.cause());
      scheduleRetry(p, policy.delayMillis(p.attempts));
    });
  }

  private void scheduleRetry(Pending p, long delay) {
    assert onOwnerThread();
    if (p.cancelled) return;
    if (delay <= 0) {
      dispatch(p);
    } else {
      p.timer = vertx.setTimer(delay, t -> {
        p.timer = -1;
        dispatch(p);
      });
    }
  }

  private void deadLetter(Pending p, Topic topic, Subscription sub, Notification n, DeliveryOutcome outcome) {
    assert onOwnerThread();
    String dlq = n.isConfirmation() ? null : sub.deadLetterTargetArn();
    if (dlq == null) {
      if (!n.isConfirmation()) {
        LOG.info(() -> "SNS discarded message " + n.messageId() + " for " + sub.arn() + ": " + outcome.errorCode()
            + " " + outcome.errorMessage());
      }
      complete(p);
      return;
    }
    String body = sub.rawDelivery() ? n.messageFor(sub.protocol())
        : Envelope.notification(n, sub, topic.fifo(), topic.signatureVersion(), signer);
    JsonObject attributes = new JsonObject()
        .put("RequestID", string(n.messageId()))
        .put("ErrorCode", string(Objects.toString(outcome.errorCode(), "")))
        .put("ErrorMessage", string(truncate(Objects.toString(outcome.errorMessage(), ""))));
    if (permissions.judges()) {
      permissions.deadLetter(topic, dlq).onComplete(ar -> {
        if (p.cancelled) return;
        if (ar.result().allowed()) {
          sendDeadLetter(p, topic, sub, n, outcome, dlq, body, attributes);
        } else if (ar.result().unavailable()) {
          // The queue's policy could not be read: as with an unreachable dead-letter queue, try again.
          retryDeadLetter(p, topic, sub, n, outcome);
        } else {
          // SNS counts it in NumberOfNotificationsFailedToRedriveToDlq and the message is gone.
          metrics.deadLetterFailed(topic, sub);
          LOG.info(() -> "SNS could not redrive message " + n.messageId() + " of " + sub.arn() + " to " + dlq + ": "
              + ar.result().reason() + " (after " + outcome.errorCode() + " " + outcome.errorMessage() + ")");
          complete(p);
        }
      });
      return;
    }
    sendDeadLetter(p, topic, sub, n, outcome, dlq, body, attributes);
  }

  private void sendDeadLetter(Pending p, Topic topic, Subscription sub, Notification n, DeliveryOutcome outcome, String dlq,
      String body, JsonObject attributes) {
    boolean fifoQueue = dlq.endsWith(".fifo");
    queues.send(dlq, body, attributes, fifoQueue ? n.groupId() : null, fifoQueue ? n.deduplicationId() : null)
        .onComplete(ar -> {
          if (p.cancelled) return;
          if (ar.succeeded() && ar.result().kind() == DeliveryOutcome.Kind.DELIVERED) {
            metrics.deadLettered(topic, sub);
            complete(p);
          } else {
            // The dead-letter queue is unreachable: keep the delivery and try the queue again.
            retryDeadLetter(p, topic, sub, n, outcome);
          }
        });
  }

  private void retryDeadLetter(Pending p, Topic topic, Subscription sub, Notification n, DeliveryOutcome outcome) {
    p.timer = vertx.setTimer(DEAD_LETTER_RETRY_MILLIS, t -> {
      p.timer = -1;
      deadLetter(p, topic, sub, n, outcome);
    });
  }

  /**
   * Finishes a delivery: its key (and the notification's, with the last one) is deleted. The
   * deliveries finished in one event-loop turn share one batch and one commit per partition.
   */
  private void complete(Pending p) {
    assert onOwnerThread();
    List<Pending> batch = finishing.get(p.key.partition());
    if (batch == null) {
      batch = new ArrayList<>();
      finishing.put(p.key.partition(), batch);
      int partition = p.key.partition();
      context.runOnContext(v -> commitFinished(partition));
    }
    batch.add(p);
  }

  private void commitFinished(int partition) {
    assert onOwnerThread();
    List<Pending> done = finishing.remove(partition);
    if (done == null || done.isEmpty()) return;
    Batch b = store.batch();
    Map<NotificationKey, Integer> finishingPerNotification = new HashMap<>();
    for (Pending p : done) {
      store.deleteDelivery(b, partition, p.key.seq(), p.key.subscriptionArn());
      finishingPerNotification.merge(new NotificationKey(partition, p.key.seq()), 1, Integer::sum);
    }
    for (Map.Entry<NotificationKey, Integer> e : finishingPerNotification.entrySet()) {
      Held held = notifications.get(e.getKey());
      if (held == null || held.remaining <= e.getValue()) store.deleteNotification(b, partition, e.getKey().seq());
    }
    commit(partition, b).onComplete(ar -> {
      assert onOwnerThread();
      if (ar.failed()) {
        // Not the owner any more (or the store failed): the next owner delivers them again.
        LOG.log(Level.FINE, "could not record finished deliveries", ar.cause());
      }
      for (Pending p : done) {
        if (p.cancelled) continue;
        pending.remove(p.key);
        NotificationKey nk = new NotificationKey(partition, p.key.seq());
        Held held = notifications.get(nk);
        if (held != null && --held.remaining <= 0) notifications.remove(nk);
        if (p.order != null) {
          ArrayDeque<Pending> queue = ordered.get(p.order);
          if (queue != null) {
            queue.remove(p);
            if (queue.isEmpty()) ordered.remove(p.order);
            else dispatch(queue.peek());
          }
        }
      }
    });
  }

  private Future<Void> commit(int partition, Batch b) {
    return store.commit(partition, b, context);
  }

  private static JsonObject string(String value) {
    return new JsonObject().put("DataType", "String").put("StringValue", value.isEmpty() ? " " : value);
  }

  private static String truncate(String s) {
    return s.length() > 1000 ? s.substring(0, 1000) : s;
  }
}
