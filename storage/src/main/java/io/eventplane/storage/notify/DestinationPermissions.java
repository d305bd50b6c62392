package io.eventplane.storage.notify;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.authz.DeliveryAuthorization.Delivery;
import io.eventplane.common.authz.DeliveryAuthorization.Verdict;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Whether S3 may send a bucket's events to a destination, as AWS decides it: the destination's own
 * resource policy must allow the service principal {@code s3.amazonaws.com} the destination's action
 * (a queue policy {@code sqs:SendMessage}, a topic policy {@code sns:Publish}, a function permission
 * {@code lambda:InvokeFunction}), usually conditioned on {@code aws:SourceArn} (the bucket's ARN) and
 * {@code aws:SourceAccount} (the bucket owner's account). EventBridge-enabled notifications need no
 * policy. The node's {@link DeliveryAuthorization} judges (only {@code --auth iam} does; otherwise
 * {@link #judges()} is false and nobody asks).
 *
 * <p>One instance per lane; answers complete on the lane's context, whichever thread read the policy.
 */
public final class DestinationPermissions {
  /** The service principal S3 sends as. */
  public static final String S3_PRINCIPAL = "s3.amazonaws.com";

  private final DeliveryAuthorization authorization;
  private final Context lane;

  public DestinationPermissions(DeliveryAuthorization authorization, Context lane) {
    this.authorization = authorization;
    this.lane = lane;
  }

  /** False when every destination is allowed without looking (the modes that do not authorize). */
  public boolean judges() {
    return authorization.judges();
  }

  /**
   * The action S3 needs on a destination of that kind ({@code QUEUE}, {@code TOPIC}, {@code FUNCTION}),
   * or null for a kind that needs no resource policy (EventBridge).
   */
  static String actionOf(String kind) {
    return switch (kind) {
      case "QUEUE" -> "sqs:SendMessage";
      case "TOPIC" -> "sns:Publish";
      case "FUNCTION" -> "lambda:InvokeFunction";
      default -> null;
    };
  }

  /**
   * Whether the destination's policy lets S3 send the bucket's events there; never fails (a policy
   * that cannot be read refuses as {@link Verdict#unavailable()}). Completes on the lane's context.
   *
   * @param bucketAccount the bucket owner's account ({@code aws:SourceAccount}); null when unknown
   */
  public Future<Verdict> check(String kind, String destinationArn, String bucket, String bucketAccount) {
    String action = actionOf(kind);
    if (action == null || !authorization.judges()) return Future.succeededFuture(Verdict.ALLOWED);
    Future<Verdict> verdict;
    try {
      verdict = authorization.authorize(new Delivery(S3_PRINCIPAL, action, destinationArn, "arn:aws:s3:::" + bucket,
          bucketAccount));
    } catch (RuntimeException e) {
      verdict = Future.succeededFuture(Verdict.unavailable(destinationArn + ": " + e));
    }
    Promise<Verdict> onLane = Promise.promise();
    verdict.onComplete(ar -> {
      Verdict v = ar.succeeded() && ar.result() != null ? ar.result()
          : Verdict.unavailable(destinationArn + ": " + ar.cause());
      if (Vertx.currentContext() == lane) onLane.complete(v);
      else lane.runOnContext(x -> onLane.complete(v));
    });
    return onLane.future();
  }
}
