package io.eventplane.broker.queue.domain;

/**
 * A message on its way from one queue to another (dead-letter move, redrive), with its size for
 * the target's limits and the receives it already had: a dead-lettered message keeps its
 * ApproximateReceiveCount in the dead-letter queue, as on SQS; a redrive starts it afresh.
 */
public record MovedMessage(StoredMessage message, int size, int receiveCount) {
  public MovedMessage(StoredMessage message, int size) {
    this(message, size, 0);
  }
}
