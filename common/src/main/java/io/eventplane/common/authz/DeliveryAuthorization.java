package io.eventplane.common.authz;

import io.vertx.core.Future;

/**
 * Whether a service may deliver to another service's resource on its own behalf, as AWS decides it:
 * the destination's resource-based policy must allow the sending service's principal
 * ({@code sns.amazonaws.com}, {@code s3.amazonaws.com}, {@code events.amazonaws.com}) the action, with
 * the condition keys {@code aws:SourceArn} (the topic, bucket or rule that sends) and
 * {@code aws:SourceAccount} (its account). An SNS subscription's queue, an S3 notification's queue,
 * topic or function, an EventBridge rule's SQS, SNS or Lambda target all ask here before they deliver.
 *
 * <p>Only {@code --auth iam} judges: in the other modes every delivery is allowed ({@link #ALLOW_ALL}).
 * The node provides its one instance in {@code NodeResources}.
 */
public interface DeliveryAuthorization {
  /** Allows everything: the modes that do not authorize. */
  DeliveryAuthorization ALLOW_ALL = new DeliveryAuthorization() {
    @Override
    public Future<Verdict> authorize(Delivery delivery) {
      return Future.succeededFuture(Verdict.ALLOWED);
    }

    @Override
    public boolean judges() {
      return false;
    }
  };

  /**
   * One delivery to judge.
   *
   * @param servicePrincipal the sending service's principal, {@code sns.amazonaws.com}
   * @param action the action on the destination, {@code sqs:SendMessage}, {@code sns:Publish},
   *     {@code lambda:InvokeFunction}
   * @param destinationArn the queue, topic or function (qualified or not)
   * @param sourceArn the sending topic, bucket or rule ({@code aws:SourceArn})
   * @param sourceAccount the account owning the source ({@code aws:SourceAccount})
   */
  record Delivery(String servicePrincipal, String action, String destinationArn, String sourceArn, String sourceAccount) {}

  /**
   * The answer.
   *
   * @param allowed whether the destination's policy allows the delivery
   * @param reason why not, in words for logs and error messages (null when allowed)
   * @param unavailable whether the refusal is only that the destination's policy could not be read
   *     (its service did not answer): no judgement of the policy, so a sender with an outbox tries
   *     again later rather than drop
   */
  record Verdict(boolean allowed, String reason, boolean unavailable) {
    public static final Verdict ALLOWED = new Verdict(true, null, false);

    public static Verdict denied(String reason) {
      return new Verdict(false, reason, false);
    }

    /** Refused because the destination's policy could not be read. */
    public static Verdict unavailable(String reason) {
      return new Verdict(false, "the destination's policy could not be read: " + reason, true);
    }
  }

  /**
   * Judges a delivery; never fails (a policy that cannot be read is {@link Verdict#unavailable}). The
   * answer's callbacks run on the caller's context: at once, in the same turn, when the destination's
   * policy is known.
   */
  Future<Verdict> authorize(Delivery delivery);

  /** False when every delivery is allowed without looking (the modes that do not authorize). */
  boolean judges();
}
