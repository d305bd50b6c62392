package io.eventplane.broker.queue.domain;

import io.vertx.core.Future;
import java.util.List;

/**
 * Queues by ARN wherever they live: in a partition of this node or of another. What one queue's
 * operations need of another (a dead-letter queue's type and allow policy, moving messages into
 * it, a redrive back) goes through here; the implementation calls the local registry or forwards
 * to the partition's owner.
 */
public interface QueueDirectory {
  /** The queue's facts, or null when no such queue exists. */
  Future<QueueFacts> facts(String arn);

  /**
   * Appends moved messages to the queue, durably (and replicated) when the future completes; fails
   * with QueueDoesNotExist when the queue is gone.
   */
  Future<Void> enqueueMoved(String arn, List<MovedMessage> messages);

  /** The names of the queues, in every partition, that name this queue as their dead-letter queue, sorted. */
  Future<List<String>> deadLetterSourceNames(String dlqArn);

  /** The names of an account's queues with the prefix (null for all), from every partition, sorted. */
  Future<List<String>> queueNames(String account, String region, String prefix);
}
