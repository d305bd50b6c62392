package io.eventplane.common.cluster.replication;

import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Fails owner commits whose replicas did not confirm them in time. The check runs once a second,
 * but only while some commit waits: an idle node sets no timer at all (an idle cluster's CPU is
 * mostly wake-ups, docs/benchmarks.md). Commits arm it from any thread; the check runs on a timer.
 *
 * <p>No waiting commit is missed: a commit records itself before it asks for the check, and the
 * check clears its armed flag before it looks, so a commit it did not see arms a new one.
 */
final class CommitDeadlines {
  static final long CHECK_MILLIS = 1000;

  private final Vertx vertx;
  private final Supplier<? extends Collection<? extends Owner>> owners;
  private final LongSupplier clock;
  private final AtomicBoolean armed = new AtomicBoolean();
  private volatile boolean closed;
  private volatile long timer = -1;

  /** What holds waiting commits: an owned partition. */
  interface Owner {
    /** Fails the commits whose deadline is at or before {@code now}; whether commits still wait. */
    boolean expire(long now);
  }

  CommitDeadlines(Vertx vertx, Supplier<? extends Collection<? extends Owner>> owners) {
    this(vertx, owners, System::currentTimeMillis);
  }

  CommitDeadlines(Vertx vertx, Supplier<? extends Collection<? extends Owner>> owners, LongSupplier clock) {
    this.vertx = vertx;
    this.owners = owners;
    this.clock = clock;
  }

  /** A commit waits for its replicas: make sure a check comes. Cheap when one is already armed. */
  void waiting() {
    if (closed || armed.get() || !armed.compareAndSet(false, true)) return;
    timer = vertx.setTimer(CHECK_MILLIS, t -> check());
  }

  private void check() {
    if (closed) return;
    armed.set(false);
    long now = clock.getAsLong();
    boolean stillWaiting = false;
    for (Owner o : owners.get()) stillWaiting |= o.expire(now);
    if (stillWaiting) waiting();
  }

  void close() {
    closed = true;
    vertx.cancelTimer(timer);
  }

  /** For tests: whether a check is due. */
  boolean armed() {
    return armed.get();
  }
}
