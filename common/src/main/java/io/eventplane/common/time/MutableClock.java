package io.eventplane.common.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that tests move by hand; starts at the system time. Thread-safe.
 *
 * <p>A service that waits for a time of this clock with a timer (a scheduled rule's next firing,
 * say) cannot learn from its timer that a test moved the clock: it listens with {@link #onAdvance}
 * and looks again. Listeners run on the thread that advances, so they should only hand over.
 */
public final class MutableClock extends Clock {
  private final AtomicLong millis;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public MutableClock() {
    this(System.currentTimeMillis());
  }

  public MutableClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  public void advance(Duration d) {
    millis.addAndGet(d.toMillis());
    for (Runnable listener : listeners) listener.run();
  }

  /** Runs {@code listener} after every {@link #advance}; the returned action stops it. */
  public Runnable onAdvance(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
