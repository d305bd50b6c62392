package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.RetryPolicy;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.vertx.core.Future;

/**
 * Delivers to the endpoints of one subscription protocol. Adding a protocol is one
 * implementation registered with {@link Deliveries}.
 */
public interface DeliveryChannel {
  /** The protocols this channel serves ({@code sqs}, {@code http}, {@code https}, ...). */
  java.util.Set<String> protocols();

  /** Whether an endpoint is well-formed for the protocol (Subscribe's check). */
  boolean acceptsEndpoint(String protocol, String endpoint);

  /** Whether a new subscription waits for its endpoint's confirmation: only HTTP/S (and email) endpoints do. */
  default boolean needsConfirmation(String protocol) {
    return false;
  }

  /** The AWS-managed policy, which SNS applies to every endpoint but HTTP/S ones. */
  default RetryPolicy retryPolicy(Subscription subscription, Topic topic) {
    return RetryPolicy.AWS_MANAGED;
  }

  /** One attempt; never fails: every failure is a {@link DeliveryOutcome}. */
  Future<DeliveryOutcome> deliver(Topic topic, Subscription subscription, Notification notification);
}
