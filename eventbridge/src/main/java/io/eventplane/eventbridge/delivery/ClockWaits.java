package io.eventplane.eventbridge.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.PriorityQueue;

/**
 * Waits for a time of the service's clock: an API destination's request whose start time (handed
 * out by the destination's owner under its rate limit) is still ahead. A short timer looks at the
 * clock only while something waits, so a test that moves the injected clock releases the next
 * second's share. Runs on the lane's context.
 */
final class ClockWaits {
  private static final long POLL_MILLIS = 20;

  private record Waiting(long at, Promise<Void> promise) {}

  private final Vertx vertx;
  private final Clock clock;
  private final PriorityQueue<Waiting> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private long timer = -1;

  ClockWaits(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /** Completes once the service's clock reads {@code at} (epoch millis) or later. */
  Future<Void> until(long at) {
    if (clock.millis() >= at) return Future.succeededFuture();
    Promise<Void> p = Promise.promise();
    waiting.add(new Waiting(at, p));
    if (timer < 0) timer = vertx.setPeriodic(POLL_MILLIS, t -> release());
    return p.future();
  }

  private void release() {
    long now = clock.millis();
    while (!waiting.isEmpty() && waiting.peek().at <= now) waiting.poll().promise.complete();
    if (waiting.isEmpty() && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
