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

  /** A message published to the topic was committed; {@code bytes} its size (body and attributes). */
  default void published(Topic topic, long bytes) {}

  /**
   * A subscription's filter policy refused a published message: by its body, by its attributes, or
   * (an attribute policy) because the message had no attributes.
   */
  default void filteredOut(Topic topic, Subscription sub, boolean bodyScope, boolean noAttributes) {}

  /** SNS stopped trying to deliver the message (retries used up, or a client error): to the DLQ if it has one. */
  default void gaveUp(Topic topic, Subscription sub) {}

  /** The message could not be moved to the subscription's dead-letter queue and is gone (its policy refused). */
  default void deadLetterFailed(Topic topic, Subscription sub) {}

  /** Both recorders (the node's Prometheus meters and CloudWatch's AWS/SNS counts), {@code a} first. */
  static DeliveryMetrics both(DeliveryMetrics a, DeliveryMetrics b) {
    if (a == NONE) return b;
    if (b == NONE) return a;
    return new DeliveryMetrics() {
      @Override
      public void delivered(Topic topic, Subscription sub) {
        a.delivered(topic, sub);
        b.delivered(topic, sub);
      }

      @Override
      public void failed(Topic topic, Subscription sub) {
        a.failed(topic, sub);
        b.failed(topic, sub);
      }

      @Override
      public void deadLettered(Topic topic, Subscription sub) {
        a.deadLettered(topic, sub);
        b.deadLettered(topic, sub);
      }

      @Override
      public void published(Topic topic, long bytes) {
        a.published(topic, bytes);
        b.published(topic, bytes);
      }

      @Override
      public void filteredOut(Topic topic, Subscription sub, boolean bodyScope, boolean noAttributes) {
        a.filteredOut(topic, sub, bodyScope, noAttributes);
        b.filteredOut(topic, sub, bodyScope, noAttributes);
      }

      @Override
      public void gaveUp(Topic topic, Subscription sub) {
        a.gaveUp(topic, sub);
        b.gaveUp(topic, sub);
      }

      @Override
      public void deadLetterFailed(Topic topic, Subscription sub) {
        a.deadLetterFailed(topic, sub);
        b.deadLetterFailed(topic, sub);
      }
    };
  }
}
