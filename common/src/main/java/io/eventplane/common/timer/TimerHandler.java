package io.eventplane.common.timer;

import io.vertx.core.Future;

/**
 * Runs a fired timer. The timer is removed only when the returned future succeeds, so handlers must
 * be idempotent: after a crash a timer may fire again.
 */
@FunctionalInterface
public interface TimerHandler {
  Future<Void> fire(Timer timer);
}
