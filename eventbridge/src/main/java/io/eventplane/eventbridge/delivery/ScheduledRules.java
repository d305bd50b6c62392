package io.eventplane.eventbridge.delivery;

import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.eventplane.common.time.MutableClock;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.Envelope;
import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.StoredEvent;
import io.eventplane.eventbridge.domain.Target;
import io.eventplane.eventbridge.schedule.ScheduleExpression;
import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduled rules of one lane's partitions, fired at each tick of their
 * {@code ScheduleExpression}: a "Scheduled Event" (source {@code aws.events}, resources the rule's
 * ARN, detail {@code {}}, time the tick) goes to the rule's own targets, not through the bus's
 * patterns. The lane that owns the partition fires, so a tick fires once across the cluster.
 *
 * <p>Each firing writes, in one batch, the event, one pending delivery per target and the rule's
 * last fired tick ({@code S} key); the deliveries start once that batch is durable, as a
 * PutEvents' do. So a restart or a failover neither repeats a tick (the new owner starts after the
 * stored tick, even if its clock lags the old owner's) nor replays the ticks that fell while no
 * node owned the partition (it starts after now, as EventBridge does not replay missed ticks).
 * While a lane owns a rule, every tick fires, also when the clock jumps past several (at most
 * {@value #MAX_TICKS} per rule at once; older ones are skipped, logged).
 *
 * <p>A rate rule counts its periods from when it was put or last enabled (AWS: "A rate expression
 * starts when you create the scheduled event rule"); a PutRule that keeps the expression and the
 * enabled state keeps the count. A disabled rule has no {@code S} key and does not fire.
 *
 * <p>One Vert.x timer per lane, for the earliest next firing, and none while the lane has no
 * enabled scheduled rule. Time is the service's clock: a test clock ({@link MutableClock}) tells
 * the lane when it is moved, since a timer cannot know. Everything runs on the lane's context.
 */
public final class ScheduledRules {
  private static final Logger LOG = Logger.getLogger(ScheduledRules.class.getName());
  static final int MAX_TICKS = 60;
  /** A wall clock may be set while a timer waits: look again at least this often. */
  private static final long MAX_WAIT_MILLIS = 3_600_000;
  private static final long RETRY_MILLIS = 1_000;

  private final Vertx vertx;
  private final Context context;
  private final Buses buses;
  private final EventStore store;
  private final Deliveries deliveries;
  private final Clock clock;
  private final Map<Key, Entry> entries = new HashMap<>();
  private final TreeSet<Entry> byNext = new TreeSet<>(Comparator.comparingLong((Entry e) -> e.next)
      .thenComparing(e -> e.key.bus().arn()).thenComparing(e -> e.key.rule()));
  /** The partitions loaded here: a firing committed after its partition left starts no delivery here. */
  private final Set<Integer> held = new HashSet<>();
  private final Runnable stopListening;
  private final Thread owner;
  private long timer = -1;
  private long timerAt = Long.MAX_VALUE;

  private record Key(BusRef bus, String rule) {}

  private static final class Entry {
    final Key key;
    final ScheduleExpression expression;
    final long start;
    Long lastFired;
    /** The next tick (epoch millis), or Long.MAX_VALUE when none is left. */
    long next = Long.MAX_VALUE;
    boolean firing;
    boolean paused;

    Entry(Key key, ScheduleExpression expression, long start, Long lastFired) {
      this.key = key;
      this.expression = expression;
      this.start = start;
      this.lastFired = lastFired;
    }

    /** The first tick after {@code after}, or Long.MAX_VALUE. */
    long after(long after) {
      Optional<Instant> n = expression.next(Instant.ofEpochMilli(start), Instant.ofEpochMilli(after));
      return n.map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
    }
  }

  public ScheduledRules(Vertx vertx, Context context, Buses buses, Deliveries deliveries, Clock clock) {
    this.vertx = vertx;
    this.context = context;
    this.buses = buses;
    this.store = buses.store();
    this.deliveries = deliveries;
    this.clock = clock;
    this.owner = Thread.currentThread();
    this.stopListening = clock instanceof MutableClock moved
        ? moved.onAdvance(() -> context.runOnContext(v -> fireDue()))
        : () -> {};
  }

  boolean onOwnerThread() {
    Thread current = Thread.currentThread();
    if (current != owner) throw new AssertionError("schedule state of " + owner.getName() + " touched from " + current.getName());
    return true;
  }

  /**
   * Records, in {@code b} (the batch that writes {@code rule}), what a PutRule, EnableRule or
   * DisableRule does to the rule's schedule, and applies it here; {@code old} is the rule before
   * (null for a new one).
   */
  public void ruleChanged(Batch b, Rule old, Rule rule) {
    assert onOwnerThread();
    Key key = new Key(rule.bus(), rule.name());
    if (rule.scheduleExpression() == null || !rule.enabled()) {
      if (old != null && old.scheduleExpression() != null) store.deleteSchedule(b, rule.bus(), rule.name());
      drop(key);
      return;
    }
    Entry current = entries.get(key);
    boolean continues = current != null && old != null && old.enabled()
        && rule.scheduleExpression().equals(old.scheduleExpression());
    if (continues) return;
    long now = clock.millis();
    store.putSchedule(b, rule.bus(), rule.name(), now, null);
    schedule(new Entry(key, ScheduleExpression.parse(rule.scheduleExpression()), now, null), now);
    arm();
  }

  /** Records, in {@code b} (the batch that deletes the rule), that the rule's schedule is gone. */
  public void ruleDeleted(Batch b, Rule rule) {
    assert onOwnerThread();
    if (rule.scheduleExpression() != null) store.deleteSchedule(b, rule.bus(), rule.name());
    drop(new Key(rule.bus(), rule.name()));
  }

  /**
   * Takes on the enabled scheduled rules of a partition just loaded: each continues after its last
   * fired tick or now, whichever is later. A rule without a stored start (put by a version that did
   * not fire schedules) starts now.
   */
  public Future<Void> load(int partition, List<Rule> rules) {
    assert onOwnerThread();
    return vertx.executeBlocking(() -> store.loadSchedules(partition)).map(states -> {
      assert onOwnerThread();
      held.add(partition);
      Map<Key, EventStore.ScheduleState> byKey = new HashMap<>();
      for (EventStore.ScheduleState s : states) byKey.put(new Key(s.bus(), s.rule()), s);
      long now = clock.millis();
      for (Rule rule : rules) {
        if (rule.scheduleExpression() == null || !rule.enabled()) continue;
        Key key = new Key(rule.bus(), rule.name());
        EventStore.ScheduleState s = byKey.get(key);
        ScheduleExpression expression;
        try {
          expression = ScheduleExpression.parse(rule.scheduleExpression());
        } catch (RuntimeException e) {
          LOG.warning(() -> "EventBridge rule " + rule.arn() + " has a schedule expression that no longer parses");
          continue;
        }
        Entry entry = new Entry(key, expression, s == null ? now : s.start(), s == null ? null : s.lastFired());
        long cursor = entry.lastFired == null ? now : Math.max(entry.lastFired, now);
        schedule(entry, cursor);
      }
      arm();
      return null;
    });
  }

  /** Forgets a partition this node no longer owns. */
  public void unload(int partition) {
    assert onOwnerThread();
    held.remove(partition);
    for (Entry e : new ArrayList<>(entries.values())) if (e.key.bus().partition() == partition) drop(e.key);
    arm();
  }

  /** Forgets everything (dev-mode reset; the store is cleared by the caller). */
  public void clear() {
    assert onOwnerThread();
    entries.clear();
    byNext.clear();
    arm();
  }

  /** Stops the timer and the clock listener (the lane stops). */
  public void close() {
    stopListening.run();
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
  }

  /** How many enabled scheduled rules this lane times. */
  public int size() {
    return entries.size();
  }

  private void schedule(Entry entry, long cursor) {
    drop(entry.key);
    entries.put(entry.key, entry);
    entry.next = entry.after(cursor);
    if (entry.next != Long.MAX_VALUE) byNext.add(entry);
  }

  private void drop(Key key) {
    Entry e = entries.remove(key);
    if (e != null) byNext.remove(e);
  }

  /** Keeps one timer at the earliest next firing; none when nothing waits. */
  private void arm() {
    Entry first = null;
    for (Entry e : byNext) {
      if (!e.firing && !e.paused) {
        first = e;
        break;
      }
    }
    long at = first == null ? Long.MAX_VALUE : first.next;
    if (at == timerAt && timer >= 0) return;
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
    timerAt = at;
    if (at == Long.MAX_VALUE) return;
    long delay = Math.max(1, Math.min(MAX_WAIT_MILLIS, at - clock.millis()));
    timer = vertx.setTimer(delay, id -> {
      timer = -1;
      timerAt = Long.MAX_VALUE;
      fireDue();
    });
  }

  /** Fires every rule whose next tick has come (by the service's clock), then re-arms. */
  private void fireDue() {
    assert onOwnerThread();
    long now = clock.millis();
    List<Entry> due = new ArrayList<>();
    for (Entry e : byNext) {
      if (e.next > now) break;
      if (!e.firing && !e.paused) due.add(e);
    }
    for (Entry e : due) fire(e, now);
    arm();
  }

  private void fire(Entry entry, long now) {
    List<Long> ticks = new ArrayList<>();
    for (long t = entry.next; t <= now; t = entry.after(t)) ticks.add(t);
    if (ticks.size() > MAX_TICKS) {
      int skipped = ticks.size() - MAX_TICKS;
      LOG.info(() -> "EventBridge rule " + entry.key.bus().ruleArn(entry.key.rule()) + " skips " + skipped
          + " ticks the clock jumped past");
      ticks = ticks.subList(skipped, ticks.size());
    }
    Rule rule = buses.rule(entry.key.bus(), entry.key.rule());
    if (rule == null || ticks.isEmpty()) {
      drop(entry.key);
      return;
    }
    int partition = entry.key.bus().partition();
    long last = ticks.get(ticks.size() - 1);
    Batch b = store.batch();
    List<StoredEvent> events = new ArrayList<>();
    List<List<EventStore.PendingDelivery>> pending = new ArrayList<>();
    if (!rule.targets().isEmpty()) {
      for (long tick : ticks) {
        long seq = buses.nextSequence(partition);
        String id = Ids.uuid();
        String envelope = Envelope.of(id, "Scheduled Event", "aws.events", entry.key.bus().account(),
            Instant.ofEpochMilli(tick), entry.key.bus().region(), new JsonArray().add(rule.arn()), new JsonObject());
        StoredEvent event = new StoredEvent(seq, entry.key.bus(), id, envelope, now);
        List<EventStore.PendingDelivery> ds = new ArrayList<>();
        for (Target t : rule.targets().values()) {
          ds.add(new EventStore.PendingDelivery(seq, rule.arn(), t.id(), 0, 0));
          store.putDelivery(b, partition, seq, rule.arn(), t.id(), 0, 0);
        }
        store.putEvent(b, partition, event);
        store.putSequence(b, partition, seq);
        events.add(event);
        pending.add(ds);
      }
    }
    store.putSchedule(b, entry.key.bus(), entry.key.rule(), entry.start, last);
    entry.firing = true;
    int fired = ticks.size();
    buses.commit(partition, b).onComplete(ar -> {
      assert onOwnerThread();
      entry.firing = false;
      boolean current = entries.get(entry.key) == entry;
      if (ar.succeeded()) {
        if (held.contains(partition)) {
          for (int i = 0; i < fired; i++) deliveries.metrics().matched(rule);
          for (int i = 0; i < events.size(); i++) deliveries.add(partition, events.get(i), pending.get(i));
        }
        if (current) {
          byNext.remove(entry);
          entry.lastFired = last;
          entry.next = entry.after(last);
          if (entry.next != Long.MAX_VALUE) byNext.add(entry);
          else entries.remove(entry.key);
        }
      } else if (current) {
        // Not durable, so not fired: the same ticks are tried again shortly (the partition may be moving).
        LOG.log(Level.FINE, "could not record a firing of " + rule.arn(), ar.cause());
        entry.paused = true;
        vertx.setTimer(RETRY_MILLIS, id -> {
          entry.paused = false;
          fireDue();
        });
      }
      arm();
    });
  }
}
