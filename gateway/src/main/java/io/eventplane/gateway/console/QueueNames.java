package io.eventplane.gateway.console;

/** SQS operations the console calls that are Eventplane's own, not on the wire. */
final class QueueNames {
  /** The broker's read-only peek ({@code io.eventplane.broker.queue.api.QueueApi#PEEK_MESSAGES}; the gateway does not see the broker). */
  static final String PEEK = "eventplane:PeekMessages";

  private QueueNames() {}
}
