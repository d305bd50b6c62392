package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.authz.DeliveryAuthorization.Delivery;
import io.eventplane.common.authz.DeliveryAuthorization.Verdict;
import io.vertx.core.Future;

/**
 * Whether SNS may deliver a topic's notification to a subscribed queue or function, as AWS decides it
 * ({@code --auth iam}): the queue's policy must allow {@code sns.amazonaws.com} {@code sqs:SendMessage},
 * the function's permissions {@code lambda:InvokeFunction}, with {@code aws:SourceArn} the topic and
 * {@code aws:SourceAccount} its account. The same holds for the subscription's dead-letter queue ("Amazon
 * SNS dead-letter queues": its policy must let the topic send). A refusal is a client-side error, which
 * SNS does not retry. Other protocols (HTTP/S, SMS, mobile push) are not governed by a resource policy.
 *
 * <p>When the node does not authorize ({@link DeliveryAuthorization#judges()} false) nothing is asked.
 */
public final class DeliveryPermissions {
  /** SNS's service principal. */
  public static final String PRINCIPAL = "sns.amazonaws.com";
  /** Every delivery allowed (the modes that do not authorize; unit tests). */
  public static final DeliveryPermissions ALLOW_ALL = new DeliveryPermissions(DeliveryAuthorization.ALLOW_ALL);

  private static final Future<DeliveryOutcome> NONE = Future.succeededFuture();

  private final DeliveryAuthorization authorization;

  public DeliveryPermissions(DeliveryAuthorization authorization) {
    this.authorization = authorization;
  }

  /** False when every delivery is allowed without asking: callers skip the check. */
  public boolean judges() {
    return authorization.judges();
  }

  /**
   * The refusal of a delivery to the subscription's endpoint (a client-side error in the endpoint's
   * service's words: SQS's {@code AccessDenied}, Lambda's {@code AccessDeniedException}), or null when it
   * may go (or its protocol needs no permission). A policy that could not be read is a server-side
   * error, retried by the subscription's retry policy. Completes on the caller's context.
   */
  public Future<DeliveryOutcome> refusal(Topic topic, Subscription sub) {
    String action = actionFor(sub.protocol());
    if (action == null) return NONE;
    String code = action.startsWith("sqs:") ? "AccessDenied" : "AccessDeniedException";
    return authorization.authorize(delivery(topic, action, sub.endpoint())).map(v -> {
      if (v.allowed()) return null;
      return v.unavailable() ? DeliveryOutcome.serverError("ServiceUnavailable", v.reason()) : DeliveryOutcome.clientError(code, v.reason());
    });
  }

  /** Whether the topic may send to a subscription's dead-letter queue. */
  public Future<Verdict> deadLetter(Topic topic, String queueArn) {
    return authorization.authorize(delivery(topic, "sqs:SendMessage", queueArn));
  }

  /** The action a protocol's endpoint must allow SNS, or null when no resource policy governs it. */
  static String actionFor(String protocol) {
    return switch (protocol) {
      case "sqs" -> "sqs:SendMessage";
      case "lambda" -> "lambda:InvokeFunction";
      default -> null;
    };
  }

  private static Delivery delivery(Topic topic, String action, String destination) {
    return new Delivery(PRINCIPAL, action, destination, topic.arnString(), topic.arn().accountId());
  }
}
