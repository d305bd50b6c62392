package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;

/**
 * Counts what happens to a subscription's deliveries, as CloudWatch's AWS/SNS metrics do
 * (NumberOfNotificationsDelivered, NumberOfNotificationsFailed, NumberOfNotificationsRedrivenToDlq).
 * Called on the lane that owns the topic when an attempt's outcome is known. {@link #NONE} with
 * {@code --metrics off}: nothing is recorded.
 */
public interface DeliveryMetrics {
  DeliveryMetrics NONE = new DeliveryMetrics() {
    @Override
    public void delivered(Topic topic, Subscription sub) {}

    @Override
    public void failed(Topic topic, Subscription sub) {}

    @Override
    public void deadLettered(Topic topic, Subscription sub) {}
  };

  /** The endpoint took the message. */
  void delivered(Topic topic, Subscription sub);

  /** One attempt failed (every failed attempt counts, retried or not). */
  void failed(Topic topic, Subscription sub);

  /** The message reached the subscription's dead-letter queue. */
  void deadLettered(Topic topic, Subscription sub);
}
