package io.eventplane.eventbridge.delivery;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.authz.DeliveryAuthorization.Delivery;
import io.eventplane.common.authz.DeliveryAuthorization.Verdict;
import io.eventplane.eventbridge.domain.Rule;
import io.vertx.core.Future;

/**
 * Whether EventBridge may deliver a rule's event to a target on its own behalf, as AWS decides it
 * ({@code --auth iam}): an SQS queue's policy must allow {@code events.amazonaws.com}
 * {@code sqs:SendMessage}, an SNS topic's policy {@code sns:Publish}, a Lambda function's permissions
 * {@code lambda:InvokeFunction}, with {@code aws:SourceArn} the rule and {@code aws:SourceAccount} its
 * account. A target's dead-letter queue needs the same {@code sqs:SendMessage} grant ("Using dead-letter
 * queues to process undelivered events"). A refusal is a failed invocation EventBridge does not retry:
 * {@code NO_PERMISSIONS}.
 *
 * <p>Other targets (streams, delivery streams, buses, API destinations, log groups) are authorized on
 * AWS by the target's {@code RoleArn}, which EventBridge assumes; they are not judged here.
 */
final class TargetPermissions {
  /** EventBridge's service principal. */
  static final String PRINCIPAL = "events.amazonaws.com";
  /** The ERROR_CODE of a dead-lettered event whose target refused EventBridge. */
  static final String NO_PERMISSIONS = "NO_PERMISSIONS";
  static final TargetPermissions ALLOW_ALL = new TargetPermissions(DeliveryAuthorization.ALLOW_ALL);

  private static final Future<Outcome> NONE = Future.succeededFuture();

  private final DeliveryAuthorization authorization;

  TargetPermissions(DeliveryAuthorization authorization) {
    this.authorization = authorization;
  }

  /** False when every delivery is allowed without asking: callers skip the check. */
  boolean judges() {
    return authorization.judges();
  }

  /**
   * The refusal of a delivery to the target (a client-side {@code NO_PERMISSIONS} outcome), or null
   * when it may go or its kind is not judged by a resource policy. A policy that could not be read is
   * a server-side error, retried by the target's RetryPolicy. Completes on the caller's context.
   */
  Future<Outcome> refusal(Rule rule, String targetArn) {
    String action = actionFor(targetArn);
    if (action == null) return NONE;
    return authorization.authorize(delivery(rule, action, targetArn))
        .map(v -> {
          if (v.allowed()) return null;
          return v.unavailable() ? Outcome.serverError("INTERNAL_ERROR", v.reason()) : Outcome.clientError(NO_PERMISSIONS, v.reason());
        });
  }

  /** Whether the rule may send to a target's dead-letter queue. */
  Future<Verdict> deadLetter(Rule rule, String queueArn) {
    return authorization.authorize(delivery(rule, "sqs:SendMessage", queueArn));
  }

  /** The action a target must allow EventBridge by its own policy, or null when no resource policy governs it. */
  static String actionFor(String targetArn) {
    String service = ServiceCalls.service(targetArn);
    if (service == null) return null;
    return switch (service) {
      case "sqs" -> "sqs:SendMessage";
      case "sns" -> "sns:Publish";
      case "lambda" -> "lambda:InvokeFunction";
      default -> null;
    };
  }

  private static Delivery delivery(Rule rule, String action, String destination) {
    return new Delivery(PRINCIPAL, action, destination, rule.arn(), ServiceCalls.accountRegion(rule.arn())[0]);
  }
}
