package io.eventplane.functions.runtime;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node-wide limit on function instances, shared by the {@link Instances} of every Lambda lane
 * (each lane runs its own functions' instances on its own context). Thread-safe: a lane takes a
 * slot before it launches an instance and gives it back when the instance is gone; when the node
 * is full, a lane without an idle instance of its own asks the other lanes to end one of theirs.
 * Instance ids are drawn here too, so two lanes never name an instance (and its pipe) alike.
 */
public final class InstanceSlots {
  private final int limit;
  private final AtomicInteger used = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private final List<Instances> lanes = new CopyOnWriteArrayList<>();

  public InstanceSlots(int limit) {
    if (limit < 1) throw new IllegalArgumentException("the instance limit must be >= 1: " + limit);
    this.limit = limit;
  }

  /** Takes a slot for a new instance; false when the node runs (or launches) {@code limit} already. */
  boolean tryTake() {
    while (true) {
      int now = used.get();
      if (now >= limit) return false;
      if (used.compareAndSet(now, now + 1)) return true;
    }
  }

  /** Gives back the slot of an instance that is gone (or never started). */
  void give() {
    used.decrementAndGet();
  }

  /** The instances running or launching on this node, all lanes together. */
  public int used() {
    return used.get();
  }

  String nextId() {
    return Long.toHexString(System.currentTimeMillis()) + Long.toHexString(ids.incrementAndGet());
  }

  void join(Instances lane) {
    lanes.add(lane);
  }

  void leave(Instances lane) {
    lanes.remove(lane);
  }

  /**
   * Asks the other lanes, one after another, to end their longest idle instance; completes with
   * whether one did (its slot is free then, unless another lane took it meanwhile).
   */
  Future<Boolean> evictElsewhere(Instances self) {
    Future<Boolean> evicted = Future.succeededFuture(false);
    for (Instances lane : lanes) {
      if (lane == self) continue;
      evicted = evicted.compose(done -> done ? Future.succeededFuture(true) : lane.evictIdleFromAnotherLane());
    }
    return evicted;
  }
}
