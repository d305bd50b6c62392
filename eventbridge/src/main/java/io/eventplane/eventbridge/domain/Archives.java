package io.eventplane.eventbridge.domain;

import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.event.ruler.Machine;

/**
 * The archives and replays of the buses one lane owns, each archive's pattern compiled once (when
 * it is created, updated or loaded). One instance per lane, touched only on the lane's context
 * (checked under {@code assert}); store reads run on a worker. Archives and replays are named per
 * account and region but live in their bus's partition, so only the owner of that partition holds
 * them: a call by name is asked of every lane ({@code eventplane:ArchiveCall}) and answered by the
 * one that holds the name.
 */
public final class Archives {
  private final Vertx vertx;
  private final EventStore store;
  /** By account \0 region \0 name: listings come out in name order per account and region. */
  private final TreeMap<String, Archive> archives = new TreeMap<>();
  private final Map<String, Machine> patterns = new HashMap<>();
  private final TreeMap<String, Replay> replays = new TreeMap<>();
  private final Thread owner;

  public Archives(Vertx vertx, EventStore store) {
    this.vertx = vertx;
    this.store = store;
    this.owner = Thread.currentThread();
  }

  boolean onOwnerThread() {
    Thread current = Thread.currentThread();
    if (current != owner) throw new AssertionError("archive state of " + owner.getName() + " touched from " + current.getName());
    return true;
  }

  public static String key(String account, String region, String name) {
    return account + "\0" + region + "\0" + name;
  }

  /** Reads the partition's archives and replays; completes on the lane's context. */
  public Future<EventStore.ArchiveSnapshot> load(int partition) {
    assert onOwnerThread();
    return vertx.executeBlocking(() -> store.loadArchives(partition)).map(s -> {
      assert onOwnerThread();
      for (Archive a : s.archives()) put(a);
      for (Replay r : s.replays()) putReplay(r);
      return s;
    });
  }

  public void unload(int partition) {
    assert onOwnerThread();
    archives.values().removeIf(a -> {
      if (a.bus().partition() != partition) return false;
      patterns.remove(key(a.account(), a.region(), a.name()));
      return true;
    });
    replays.values().removeIf(r -> r.bus().partition() == partition);
  }

  public void clear() {
    assert onOwnerThread();
    archives.clear();
    patterns.clear();
    replays.clear();
  }

  public Archive get(String account, String region, String name) {
    assert onOwnerThread();
    return archives.get(key(account, region, name));
  }

  /** Puts an archive in memory (its pattern validated before), compiling its pattern. */
  public void put(Archive a) {
    assert onOwnerThread();
    String k = key(a.account(), a.region(), a.name());
    Archive old = archives.put(k, a);
    if (old == null || !java.util.Objects.equals(old.eventPattern(), a.eventPattern())) {
      patterns.remove(k);
      if (a.eventPattern() != null) {
        Machine m = new Machine();
        try {
          m.addRule(a.name(), a.eventPattern());
        } catch (Exception e) {
          throw new IllegalStateException("a stored archive pattern does not compile: " + a.arn(), e);
        }
        patterns.put(k, m);
      }
    }
  }

  public void remove(Archive a) {
    assert onOwnerThread();
    String k = key(a.account(), a.region(), a.name());
    archives.remove(k);
    patterns.remove(k);
  }

  /** The archives of an account and region held here. */
  public List<Archive> list(String account, String region) {
    assert onOwnerThread();
    List<Archive> out = new ArrayList<>();
    for (Archive a : archives.values()) if (a.account().equals(account) && a.region().equals(region)) out.add(a);
    return out;
  }

  /** The archives of a bus that keep the event (all without a pattern). */
  public List<Archive> archiving(BusRef bus, String envelope) {
    assert onOwnerThread();
    List<Archive> out = new ArrayList<>();
    for (Map.Entry<String, Archive> e : archives.entrySet()) {
      Archive a = e.getValue();
      if (!a.bus().equals(bus)) continue;
      Machine m = patterns.get(e.getKey());
      try {
        if (m == null || !m.rulesForJSONEvent(envelope).isEmpty()) out.add(a);
      } catch (Exception ex) {
        throw new IllegalArgumentException("not a JSON event: " + ex.getMessage(), ex);
      }
    }
    return out;
  }

  /** The archives held here that keep events for a limited time. */
  public List<Archive> withRetention() {
    assert onOwnerThread();
    List<Archive> out = new ArrayList<>();
    for (Archive a : archives.values()) if (a.retentionDays() > 0) out.add(a);
    return out;
  }

  public Replay replay(String account, String region, String name) {
    assert onOwnerThread();
    return replays.get(key(account, region, name));
  }

  public void putReplay(Replay r) {
    assert onOwnerThread();
    replays.put(key(r.account(), r.region(), r.name()), r);
  }

  public List<Replay> replays(String account, String region) {
    assert onOwnerThread();
    List<Replay> out = new ArrayList<>();
    for (Replay r : replays.values()) if (r.account().equals(account) && r.region().equals(region)) out.add(r);
    return out;
  }

  /** Replays still running in the partition (resumed when the partition is taken). */
  public List<Replay> activeReplays(int partition) {
    assert onOwnerThread();
    List<Replay> out = new ArrayList<>();
    for (Replay r : replays.values()) if (r.bus().partition() == partition && r.active()) out.add(r);
    return out;
  }

  public EventStore store() {
    return store;
  }
}
