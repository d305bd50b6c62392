package io.eventplane.eventbridge.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * API destinations' InvocationRateLimitPerSecond, per lane: at most {@code limit} requests start
 * in one second of the service's clock; the excess waits, in order, for the next seconds (it is
 * never dropped). A short timer looks at the clock only while requests wait, so a test that moves
 * the injected clock releases the next second's share. Runs on the lane's context.
 */
final class RateLimits {
  private static final long POLL_MILLIS = 20;

  private final Vertx vertx;
  private final Clock clock;
  private final Map<String, Window> windows = new HashMap<>();
  private long timer = -1;

  private static final class Window {
    long second = Long.MIN_VALUE;
    int started;
    int limit;
    final ArrayDeque<Promise<Void>> waiting = new ArrayDeque<>();
  }

  RateLimits(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /** Completes when a request to {@code key} may start under {@code limit} per second. */
  Future<Void> acquire(String key, int limit) {
    Window w = windows.computeIfAbsent(key, k -> new Window());
    w.limit = limit;
    roll(w);
    if (w.waiting.isEmpty() && w.started < limit) {
      w.started++;
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    w.waiting.add(p);
    if (timer < 0) timer = vertx.setPeriodic(POLL_MILLIS, t -> release());
    return p.future();
  }

  private void roll(Window w) {
    long second = Math.floorDiv(clock.millis(), 1000L);
    if (second != w.second) {
      w.second = second;
      w.started = 0;
    }
  }

  private void release() {
    boolean anyWaiting = false;
    for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
      Window w = it.next();
      roll(w);
      while (!w.waiting.isEmpty() && w.started < w.limit) {
        w.started++;
        w.waiting.poll().complete();
      }
      if (!w.waiting.isEmpty()) anyWaiting = true;
      else if (w.started == 0) it.remove();
    }
    if (!anyWaiting && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
