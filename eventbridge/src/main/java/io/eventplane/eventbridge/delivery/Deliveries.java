package io.eventplane.eventbridge.delivery;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.StoredEvent;
import io.eventplane.eventbridge.domain.Target;
import io.eventplane.eventbridge.store.EventStore;
import io.eventplane.eventbridge.transform.TargetInput;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outbox worker of one EventBridge lane: every pending delivery (one per accepted event and
 * matched (rule, target), persisted with the event) is attempted through its target's channel
 * until it is delivered, refused for good, or out of retries; then, if the target has a
 * dead-letter queue, the event goes there with the attributes EventBridge adds (RULE_ARN,
 * TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, and EXHAUSTED_RETRY_CONDITION and RETRY_ATTEMPTS when
 * retries ran out). Only then is the delivery's key deleted, and with the last one the event's, so
 * a crash at any point leaves the delivery to be done again (at least once).
 *
 * <p>Retries are timed by the service's clock: a failed attempt stores its count and the time of
 * the next attempt (so both survive a restart), and a one-second tick, armed only while retries
 * wait, sends those whose time has come. Everything runs on the lane's context.
 */
public final class Deliveries {
  private static final Logger LOG = Logger.getLogger(Deliveries.class.getName());
  private static final int MAX_IN_FLIGHT = 256;
  private static final long TICK_MILLIS = 1_000;
  private static final long DEAD_LETTER_RETRY_MILLIS = 5_000;

  private final Vertx vertx;
  private final Context context;
  private final Buses buses;
  private final EventStore store;
  private final Clock clock;
  private final RetrySchedule schedule;
  private final List<TargetChannel> channels;
  private final SqsTargets queues;
  private final TargetPermissions permissions;
  private final Map<Key, Pending> pending = new HashMap<>();
  private final Map<EventKey, Held> events = new HashMap<>();
  private final TreeSet<Pending> due = new TreeSet<>(Comparator.comparingLong((Pending p) -> p.nextAttemptAt)
      .thenComparingInt(p -> p.key.partition()).thenComparingLong(p -> p.key.seq())
      .thenComparing(p -> p.key.ruleArn()).thenComparing(p -> p.key.targetId()));
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private final Map<Integer, List<Pending>> finishing = new HashMap<>();
  private int inFlight;
  private long tick = -1;
  private RuleMetrics metrics = RuleMetrics.NONE;
  private final Thread owner;

  private record Key(int partition, long seq, String ruleArn, String targetId) {}

  private record EventKey(int partition, long seq) {}

  private static final class Held {
    final StoredEvent event;
    int remaining;

    Held(StoredEvent event) {
      this.event = event;
    }
  }

  private static final class Pending {
    final Key key;
    int attempts;
    long nextAttemptAt;
    long timer = -1;
    boolean cancelled;
    /** Whether the delivery was counted as given up (it may try its dead-letter queue more than once). */
    boolean gaveUp;

    Pending(Key key, int attempts, long nextAttemptAt) {
      this.key = key;
      this.attempts = attempts;
      this.nextAttemptAt = nextAttemptAt;
    }
  }

  /** {@code http} is the lane's client for API destinations. */
  public Deliveries(Vertx vertx, Context context, Buses buses, Clock clock, HttpCalls http) {
    this(vertx, context, buses, clock, http, DeliveryAuthorization.ALLOW_ALL);
  }

  /** As above, asking {@code authorization} whether the targets' own policies let the rules deliver ({@code --auth iam}). */
  public Deliveries(Vertx vertx, Context context, Buses buses, Clock clock, HttpCalls http, DeliveryAuthorization authorization) {
    this(vertx, context, buses, clock, new RetrySchedule(n -> ThreadLocalRandom.current().nextLong(n)), null, http,
        new TargetPermissions(authorization));
  }

  /** With {@code extra} channels tried before the built-in ones, and no API destinations (tests). */
  Deliveries(Vertx vertx, Context context, Buses buses, Clock clock, RetrySchedule schedule, List<TargetChannel> extra) {
    this(vertx, context, buses, clock, schedule, extra, null, TargetPermissions.ALLOW_ALL);
  }

  /** As above, with the targets' own policies judged by {@code permissions} (tests). */
  Deliveries(Vertx vertx, Context context, Buses buses, Clock clock, RetrySchedule schedule, TargetPermissions permissions) {
    this(vertx, context, buses, clock, schedule, null, null, permissions);
  }

  private Deliveries(Vertx vertx, Context context, Buses buses, Clock clock, RetrySchedule schedule, List<TargetChannel> extra,
      HttpCalls http, TargetPermissions permissions) {
    this.permissions = permissions;
    this.vertx = vertx;
    this.context = context;
    this.buses = buses;
    this.store = buses.store();
    this.clock = clock;
    this.schedule = schedule;
    this.queues = new SqsTargets(vertx);
    List<TargetChannel> all = new ArrayList<>();
    if (extra != null) all.addAll(extra);
    all.addAll(List.of(queues, new SnsTargets(vertx), new LambdaTargets(vertx), new BusTargets(vertx),
        new KinesisTargets(vertx), new FirehoseTargets(vertx)));
    if (http != null) all.add(new ApiDestinationTargets(vertx, clock, http));
    this.channels = List.copyOf(all);
    this.owner = Thread.currentThread();
  }

  boolean onOwnerThread() {
    Thread current = Thread.currentThread();
    if (current != owner) throw new AssertionError("delivery state of " + owner.getName() + " touched from " + current.getName());
    return true;
  }

  /** Where matches, deliveries, failed attempts and dead-letter moves are counted ({@link RuleMetrics#NONE} until set). */
  public void setMetrics(RuleMetrics metrics) {
    this.metrics = metrics;
  }

  public RuleMetrics metrics() {
    return metrics;
  }

  /** Deliveries that failed at least once and are not finished yet, by rule ARN and target id (on the lane's context). */
  public Map<String, Integer> retriesPending() {
    assert onOwnerThread();
    Map<String, Integer> byTarget = new HashMap<>();
    for (Pending p : pending.values()) {
      if (p.attempts > 0) byTarget.merge(targetKey(p.key.ruleArn(), p.key.targetId()), 1, Integer::sum);
    }
    return byTarget;
  }

  /** The key of {@link #retriesPending()}: a rule's ARN and its target's id. */
  public static String targetKey(String ruleArn, String targetId) {
    return ruleArn + "\u0000" + targetId;
  }

  /** Starts (or resumes) the deliveries of an event whose outbox entries are committed. */
  public void add(int partition, StoredEvent event, List<EventStore.PendingDelivery> deliveries) {
    assert onOwnerThread();
    EventKey ek = new EventKey(partition, event.seq());
    Held held = events.computeIfAbsent(ek, k -> new Held(event));
    for (EventStore.PendingDelivery d : deliveries) {
      Key key = new Key(partition, event.seq(), d.ruleArn(), d.targetId());
      if (pending.containsKey(key)) continue;
      Pending p = new Pending(key, d.attempts(), d.nextAttemptAt());
      pending.put(key, p);
      held.remaining++;
      if (p.attempts > 0 && p.nextAttemptAt > clock.millis()) waitForRetry(p);
      else dispatch(p);
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
      due.remove(p);
    }
    waiting.removeIf(p -> p.cancelled);
    finishing.remove(partition);
    events.keySet().removeIf(k -> k.partition() == partition);
  }

  /** Drops everything (dev-mode reset; the store is cleared by the caller). */
  public void clear() {
    assert onOwnerThread();
    for (Pending p : pending.values()) {
      p.cancelled = true;
      if (p.timer >= 0) vertx.cancelTimer(p.timer);
    }
    pending.clear();
    due.clear();
    waiting.clear();
    finishing.clear();
    events.clear();
  }

  /** How many deliveries this lane holds (delivered ones leave once their end is committed). */
  public int size() {
    return pending.size();
  }

  private void dispatch(Pending p) {
    assert onOwnerThread();
    if (p.cancelled) return;
    if (inFlight >= MAX_IN_FLIGHT) {
      waiting.add(p);
      return;
    }
    Held held = events.get(new EventKey(p.key.partition(), p.key.seq()));
    if (held == null) return;
    StoredEvent event = held.event;
    Rule rule = buses.ruleByArn(event.bus(), p.key.ruleArn());
    Target target = rule == null ? null : rule.targets().get(p.key.targetId());
    if (target == null) {
      // The rule or the target was removed since the event matched: there is nothing to deliver to.
      complete(p);
      return;
    }
    String exhausted = p.attempts == 0 ? null
        : RetrySchedule.exhausted(target, p.attempts, event.ingestedAt(), clock.millis());
    if (RetrySchedule.AGE_EXHAUSTED.equals(exhausted)) {
      deadLetter(p, rule, target, event, Outcome.serverError("CONNECTION_FAILURE", "Maximum event age exceeded."), exhausted);
      return;
    }
    TargetChannel channel = channelFor(target.arn());
    if (channel == null) {
      metrics.failed(rule, target);
      deadLetter(p, rule, target, event, Outcome.clientError("NO_RESOURCE", "Target " + target.arn() + " is not supported."), null);
      return;
    }
    String input;
    try {
      input = inputFor(rule, target, event);
    } catch (RuntimeException e) {
      // Checked when the target was put, so only a target stored by an older version gets here.
      metrics.failed(rule, target);
      deadLetter(p, rule, target, event, Outcome.clientError("SDK_CLIENT_ERROR", String.valueOf(e.getMessage())), null);
      return;
    }
    inFlight++;
    attempt(channel, rule, target, input, event).onComplete(ar -> {
      assert onOwnerThread();
      inFlight--;
      pump();
      if (p.cancelled) return;
      Outcome outcome = ar.succeeded() ? ar.result() : Outcome.serverError("SDK_CLIENT_ERROR", String.valueOf(ar.cause()));
      if (outcome.kind() == Outcome.Kind.DELIVERED) metrics.delivered(rule, target);
      else metrics.failed(rule, target);
      switch (outcome.kind()) {
        case DELIVERED -> complete(p);
        case CLIENT_ERROR -> deadLetter(p, rule, target, event, outcome, null);
        case SERVER_ERROR -> retry(p, rule, target, event, outcome);
      }
    });
  }

  /**
   * One attempt through the channel, unless the target's own policy refuses the rule ({@code --auth
   * iam}): then the refusal ({@code NO_PERMISSIONS}) is the outcome.
   */
  private Future<Outcome> attempt(TargetChannel channel, Rule rule, Target target, String input, StoredEvent event) {
    if (!permissions.judges()) return channel.deliver(target, input, event.id(), event.envelope());
    return permissions.refusal(rule, target.arn()).compose(refused -> refused != null ? Future.succeededFuture(refused)
        : channel.deliver(target, input, event.id(), event.envelope()));
  }

  private TargetChannel channelFor(String arn) {
    for (TargetChannel c : channels) if (c.serves(arn)) return c;
    return null;
  }

  private void pump() {
    while (inFlight < MAX_IN_FLIGHT && !waiting.isEmpty()) dispatch(waiting.poll());
  }

  private void retry(Pending p, Rule rule, Target target, StoredEvent event, Outcome outcome) {
    assert onOwnerThread();
    p.attempts++;
    long now = clock.millis();
    String exhausted = RetrySchedule.exhausted(target, p.attempts, event.ingestedAt(), now);
    if (exhausted != null) {
      deadLetter(p, rule, target, event, outcome, exhausted);
      return;
    }
    p.nextAttemptAt = now + schedule.delayMillis(p.attempts);
    Batch b = store.batch();
    store.putDelivery(b, p.key.partition(), p.key.seq(), p.key.ruleArn(), p.key.targetId(), p.attempts, p.nextAttemptAt);
    buses.commit(p.key.partition(), b).onComplete(ar -> {
      if (ar.failed()) LOG.log(Level.FINE, "could not record a failed attempt", ar.cause());
      waitForRetry(p);
    });
  }

  private void waitForRetry(Pending p) {
    assert onOwnerThread();
    if (p.cancelled) return;
    due.add(p);
    if (tick < 0) tick = vertx.setPeriodic(TICK_MILLIS, t -> sendDue());
  }

  /** Sends the retries whose time (by the service's clock) has come; stops ticking when none wait. */
  private void sendDue() {
    assert onOwnerThread();
    long now = clock.millis();
    while (!due.isEmpty() && due.first().nextAttemptAt <= now) dispatch(due.pollFirst());
    if (due.isEmpty() && tick >= 0) {
      vertx.cancelTimer(tick);
      tick = -1;
    }
  }

  private void deadLetter(Pending p, Rule rule, Target target, StoredEvent event, Outcome outcome, String exhausted) {
    assert onOwnerThread();
    String dlq = target.deadLetterArn();
    if (!p.gaveUp) {
      p.gaveUp = true;
      metrics.gaveUp(rule, target, dlq != null);
    }
    if (dlq == null) {
      LOG.info(() -> "EventBridge dropped event " + event.id() + " for target " + target.id() + " of " + rule.arn() + ": "
          + outcome.errorCode() + " " + outcome.errorMessage());
      complete(p);
      return;
    }
    JsonObject attributes = new JsonObject()
        .put("RULE_ARN", string(rule.arn()))
        .put("TARGET_ARN", string(target.arn()))
        .put("ERROR_CODE", string(String.valueOf(outcome.errorCode())))
        .put("ERROR_MESSAGE", string(truncate(String.valueOf(outcome.errorMessage()))));
    if (exhausted != null) {
      attributes.put("EXHAUSTED_RETRY_CONDITION", string(exhausted));
      attributes.put("RETRY_ATTEMPTS", string(Integer.toString(Math.max(0, p.attempts - 1))));
    }
    if (permissions.judges()) {
      permissions.deadLetter(rule, dlq).onComplete(ar -> {
        if (p.cancelled) return;
        if (ar.result().allowed()) {
          sendDeadLetter(p, rule, target, event, outcome, exhausted, dlq, attributes);
        } else if (ar.result().unavailable()) {
          // The queue's policy could not be read: as with an unreachable dead-letter queue, try again.
          retryDeadLetter(p, rule, target, event, outcome, exhausted);
        } else {
          // EventBridge counts it in InvocationsFailedToBeSentToDLQ and the event is gone.
          metrics.deadLetterFailed(rule, target);
          LOG.info(() -> "EventBridge could not send event " + event.id() + " of " + rule.arn() + " to the dead-letter queue "
              + dlq + ": " + ar.result().reason() + " (after " + outcome.errorCode() + " " + outcome.errorMessage() + ")");
          complete(p);
        }
      });
      return;
    }
    sendDeadLetter(p, rule, target, event, outcome, exhausted, dlq, attributes);
  }

  private void sendDeadLetter(Pending p, Rule rule, Target target, StoredEvent event, Outcome outcome, String exhausted,
      String dlq, JsonObject attributes) {
    queues.send(dlq, event.envelope(), attributes, null, null).onComplete(ar -> {
      if (p.cancelled) return;
      if (ar.succeeded() && ar.result().kind() == Outcome.Kind.DELIVERED) {
        metrics.deadLettered(rule, target);
        complete(p);
      } else {
        // The dead-letter queue is unreachable: keep the delivery and try the queue again.
        retryDeadLetter(p, rule, target, event, outcome, exhausted);
      }
    });
  }

  private void retryDeadLetter(Pending p, Rule rule, Target target, StoredEvent event, Outcome outcome, String exhausted) {
    p.timer = vertx.setTimer(DEAD_LETTER_RETRY_MILLIS, t -> {
      p.timer = -1;
      deadLetter(p, rule, target, event, outcome, exhausted);
    });
  }

  /** Finishes a delivery; those finished in one event-loop turn share one batch per partition. */
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
    Map<EventKey, Integer> finishingPerEvent = new HashMap<>();
    for (Pending p : done) {
      store.deleteDelivery(b, partition, p.key.seq(), p.key.ruleArn(), p.key.targetId());
      finishingPerEvent.merge(new EventKey(partition, p.key.seq()), 1, Integer::sum);
    }
    for (Map.Entry<EventKey, Integer> e : finishingPerEvent.entrySet()) {
      Held held = events.get(e.getKey());
      if (held == null || held.remaining <= e.getValue()) store.deleteEvent(b, partition, e.getKey().seq());
    }
    buses.commit(partition, b).onComplete(ar -> {
      assert onOwnerThread();
      if (ar.failed()) LOG.log(Level.FINE, "could not record finished deliveries", ar.cause());
      for (Pending p : done) {
        if (p.cancelled) continue;
        pending.remove(p.key);
        EventKey ek = new EventKey(partition, p.key.seq());
        Held held = events.get(ek);
        if (held != null && --held.remaining <= 0) events.remove(ek);
      }
    });
  }

  private static JsonObject string(String value) {
    return new JsonObject().put("DataType", "String").put("StringValue", value.isEmpty() ? " " : value);
  }

  private static String truncate(String s) {
    return s.length() > 1000 ? s.substring(0, 1000) : s;
  }

  /**
   * What a target receives for an event: the envelope as it was put when the target transforms
   * nothing, else what its Input, InputPath or InputTransformer makes of it ({@link TargetInput}).
   */
  static String inputFor(Rule rule, Target target, StoredEvent event) {
    JsonObject w = target.wire();
    if (!w.containsKey("Input") && !w.containsKey("InputPath") && !w.containsKey("InputTransformer")) return event.envelope();
    return TargetInput.of(w, 1).render(new JsonObject(event.envelope()), rule.arn(), rule.name(),
        java.time.Instant.ofEpochMilli(event.ingestedAt()));
  }
}
