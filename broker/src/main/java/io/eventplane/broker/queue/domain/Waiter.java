package io.eventplane.broker.queue.domain;

import java.util.function.Consumer;

/** A long-polling receive parked on a queue until a message becomes visible or its wait ends. */
final class Waiter {
  /** Retries the receive; the argument says whether it may park again. */
  final Consumer<Boolean> retry;
  final long deadline;
  long timerId = -1;
  boolean done;

  Waiter(Consumer<Boolean> retry, long deadline) {
    this.retry = retry;
    this.deadline = deadline;
  }
}
