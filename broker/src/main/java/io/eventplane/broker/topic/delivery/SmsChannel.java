package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.RetryPolicy;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.vertx.core.Future;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * SMS subscriptions: accepted and listed as SNS accepts them (a phone number, no confirmation),
 * with every notification recorded in the log instead of sent, since no SMS gateway exists here.
 */
public final class SmsChannel implements DeliveryChannel {
  private static final Logger LOG = Logger.getLogger(SmsChannel.class.getName());
  /**
   * A phone number as SNS takes one for an SMS subscription: an optional plus, then digits that
   * single separators ({@code / - .}) may split ({@code +12/34-567.890}); not {@code +15--5...},
   * a trailing or leading separator, or letters.
   */
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9]+([/.-][0-9]+)*");

  @Override
  public Set<String> protocols() {
    return Set.of("sms");
  }

  @Override
  public boolean acceptsEndpoint(String protocol, String endpoint) {
    return PHONE.matcher(endpoint).matches();
  }

  @Override
  public boolean needsConfirmation(String protocol) {
    return false;
  }

  @Override
  public RetryPolicy retryPolicy(Subscription subscription, Topic topic) {
    return RetryPolicy.AWS_MANAGED;
  }

  @Override
  public Future<DeliveryOutcome> deliver(Topic topic, Subscription s, Notification n) {
    LOG.log(Level.INFO, "SMS to {0} not sent (no SMS gateway): message {1} of {2}",
        new Object[] {s.endpoint(), n.messageId(), n.topicArn()});
    return Future.succeededFuture(DeliveryOutcome.delivered());
  }
}
