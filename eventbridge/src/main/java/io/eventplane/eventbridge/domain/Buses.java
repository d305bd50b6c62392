package io.eventplane.eventbridge.domain;

import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The event buses (with their rules and each bus's {@link BusMatcher}) of the partitions one lane
 * of this node owns. One instance per lane; every method runs on the lane's context (checked under
 * {@code assert}); store reads run on a worker and resume on the lane. A change is applied in
 * memory first and then committed (so the next request on the lane sees it, in the order the
 * partition's writer keeps); the caller answers once the commit is durable (and replicated).
 */
public final class Buses {
  private final Vertx vertx;
  private final Context context;
  private final EventStore store;
  /** By ARN, so listings come out in name order per account and region. */
  private final TreeMap<String, EventBus> buses = new TreeMap<>();
  private final Map<BusRef, TreeMap<String, Rule>> rules = new HashMap<>();
  private final Map<BusRef, BusMatcher> matchers = new HashMap<>();
  private final Map<Integer, Set<BusRef>> byPartition = new HashMap<>();
  private final Map<Integer, Long> lastSequence = new HashMap<>();
  private final Thread owner;

  public Buses(Vertx vertx, Context context, EventStore store) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.owner = Thread.currentThread();
  }

  boolean onOwnerThread() {
    Thread current = Thread.currentThread();
    if (current != owner) throw new AssertionError("bus state of " + owner.getName() + " touched from " + current.getName());
    return true;
  }

  public EventStore store() {
    return store;
  }

  /** Reads a partition from the store; completes on this context with its outbox. */
  public Future<EventStore.Snapshot> load(int partition) {
    assert onOwnerThread();
    return vertx.executeBlocking(() -> store.load(partition)).map(snapshot -> {
      assert onOwnerThread();
      byPartition.computeIfAbsent(partition, p -> new HashSet<>());
      for (EventBus b : snapshot.buses()) put(b);
      for (Rule r : snapshot.rules()) putRule(r);
      lastSequence.put(partition, snapshot.lastSequence());
      return snapshot;
    });
  }

  public void unload(int partition) {
    assert onOwnerThread();
    Set<BusRef> refs = byPartition.remove(partition);
    if (refs != null) {
      for (BusRef ref : refs) {
        buses.remove(ref.arn());
        rules.remove(ref);
        matchers.remove(ref);
      }
    }
    lastSequence.remove(partition);
  }

  public EventBus get(BusRef ref) {
    assert onOwnerThread();
    return buses.get(ref.arn());
  }

  /** The bus, or ResourceNotFoundException; the default bus is made (in memory; see {@link #materialise}). */
  public EventBus require(BusRef ref) {
    EventBus bus = get(ref);
    if (bus == null) throw EventsErrors.busNotFound(ref.name());
    return bus;
  }

  /**
   * The default bus exists in every account and region without being created: the first call that
   * needs it stores it (so its creation time stays put) and completes once that is durable.
   */
  public Future<EventBus> materialise(BusRef ref, long now) {
    assert onOwnerThread();
    EventBus bus = get(ref);
    if (bus != null || !ref.isDefault()) return bus != null ? Future.succeededFuture(bus) : Future.failedFuture(EventsErrors.busNotFound(ref.name()));
    EventBus created = new EventBus(ref, null, now, now, Map.of());
    Batch b = store.batch();
    store.putBus(b, created);
    put(created);
    return commit(ref.partition(), b).map(v -> created);
  }

  /** The buses of an account and region held here. */
  public List<EventBus> list(String account, String region) {
    assert onOwnerThread();
    List<EventBus> out = new ArrayList<>();
    for (EventBus b : buses.values()) {
      if (b.ref().account().equals(account) && b.ref().region().equals(region)) out.add(b);
    }
    return out;
  }

  public void put(EventBus bus) {
    assert onOwnerThread();
    buses.put(bus.arn(), bus);
    byPartition.computeIfAbsent(bus.ref().partition(), p -> new HashSet<>()).add(bus.ref());
    rules.computeIfAbsent(bus.ref(), r -> new TreeMap<>());
    matchers.computeIfAbsent(bus.ref(), r -> new BusMatcher());
  }

  public void remove(BusRef ref) {
    assert onOwnerThread();
    buses.remove(ref.arn());
    rules.remove(ref);
    matchers.remove(ref);
    Set<BusRef> refs = byPartition.get(ref.partition());
    if (refs != null) refs.remove(ref);
  }

  /** Every rule of the buses held here. */
  public List<Rule> allRules() {
    assert onOwnerThread();
    List<Rule> all = new ArrayList<>();
    for (TreeMap<String, Rule> byName : rules.values()) all.addAll(byName.values());
    return all;
  }

  /** The bus's rules by name (empty for an unknown bus). */
  public TreeMap<String, Rule> rules(BusRef ref) {
    assert onOwnerThread();
    TreeMap<String, Rule> r = rules.get(ref);
    return r == null ? new TreeMap<>() : r;
  }

  public Rule rule(BusRef ref, String name) {
    return rules(ref).get(name);
  }

  /** Puts a rule in memory, keeping the bus's matcher in step with it. */
  public void putRule(Rule rule) {
    assert onOwnerThread();
    TreeMap<String, Rule> r = rules.computeIfAbsent(rule.bus(), b -> new TreeMap<>());
    BusMatcher matcher = matchers.computeIfAbsent(rule.bus(), b -> new BusMatcher());
    Rule old = r.put(rule.name(), rule);
    if (old != null) matcher.remove(old);
    matcher.add(rule);
  }

  public void removeRule(Rule rule) {
    assert onOwnerThread();
    TreeMap<String, Rule> r = rules.get(rule.bus());
    if (r == null) return;
    Rule old = r.remove(rule.name());
    BusMatcher matcher = matchers.get(rule.bus());
    if (old != null && matcher != null) matcher.remove(old);
  }

  /** The enabled rules of the bus whose patterns match the envelope, by one pass of the bus's machine. */
  public List<Rule> matching(BusRef ref, String envelope) {
    assert onOwnerThread();
    BusMatcher matcher = matchers.get(ref);
    if (matcher == null || matcher.isEmpty()) return List.of();
    TreeMap<String, Rule> r = rules(ref);
    List<Rule> out = new ArrayList<>();
    for (String name : matcher.matches(envelope)) {
      Rule rule = r.get(name);
      if (rule != null) out.add(rule);
    }
    return out;
  }

  /** A rule by ARN among this lane's buses, or null. */
  public Rule ruleByArn(BusRef bus, String ruleArn) {
    String prefix = bus.ruleArn("");
    return ruleArn.startsWith(prefix) ? rule(bus, ruleArn.substring(prefix.length())) : null;
  }

  public long nextSequence(int partition) {
    assert onOwnerThread();
    long next = lastSequence.getOrDefault(partition, 0L) + 1;
    lastSequence.put(partition, next);
    return next;
  }

  public Future<Void> commit(int partition, Batch b) {
    assert onOwnerThread();
    return store.commit(partition, b, context);
  }

  /** Forgets everything held here and deletes its keys (dev-mode reset). */
  public Future<Void> clear() {
    assert onOwnerThread();
    List<Future<Void>> all = new ArrayList<>();
    for (int partition : new ArrayList<>(byPartition.keySet())) {
      Batch b = store.batch();
      store.clearPartition(b, partition);
      all.add(commit(partition, b));
    }
    // Sequences go on rising (see Topics.clear): a delivery still in flight must not find a new event under its number.
    buses.clear();
    rules.clear();
    matchers.clear();
    byPartition.values().forEach(Set::clear);
    return Future.all(all).mapEmpty();
  }
}
