package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.topic.domain.Envelope;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.broker.topic.mobile.MobileState;
import io.eventplane.broker.topic.mobile.Recorded;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SMS subscriptions: accepted and listed as SNS accepts them (a phone number, no confirmation),
 * with every notification recorded instead of sent (no SMS gateway exists here): durably, in the
 * topic's partition, listed at {@code /_eventplane/sns/sms-messages}.
 */
public final class SmsChannel implements DeliveryChannel {
  /**
   * A phone number as SNS takes one for an SMS subscription: an optional plus, then digits that
   * single separators ({@code / - .}) may split ({@code +12/34-567.890}); not {@code +15--5...},
   * a trailing or leading separator, or letters.
   */
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9]+([/.-][0-9]+)*");

  private final MobileState mobile;

  public SmsChannel(MobileState mobile) {
    this.mobile = mobile;
  }

  @Override
  public Set<String> protocols() {
    return Set.of("sms");
  }

  @Override
  public boolean acceptsEndpoint(String protocol, String endpoint) {
    return PHONE.matcher(endpoint).matches();
  }

  @Override
  public Future<DeliveryOutcome> deliver(Topic topic, Subscription s, Notification n) {
    JsonObject sms = new JsonObject().put("MessageId", n.messageId()).put("Message", n.messageFor(s.protocol()))
        .put("TopicArn", n.topicArn()).put("SubscriptionArn", s.arn()).put("Timestamp", Envelope.timestamp(n.timestamp()));
    if (n.subject() != null) sms.put("Subject", n.subject());
    if (n.attributes() != null && !n.attributes().isEmpty()) sms.put("MessageAttributes", n.attributes());
    return mobile.record(Topics.partitionOf(topic.arn()), Recorded.sms(topic.accountId(), topic.arn().region(), s.endpoint(), sms))
        .map(v -> DeliveryOutcome.delivered())
        .otherwise(e -> DeliveryOutcome.serverError("InternalError", String.valueOf(e.getMessage())));
  }
}
