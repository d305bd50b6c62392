package io.eventplane.eventbridge.delivery;

import io.eventplane.common.bus.Contracts;
import io.eventplane.eventbridge.domain.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SQS queue targets: SendMessage of the input, through this node's SQS service. A FIFO queue gets
 * the target's {@code SqsParameters.MessageGroupId} and the event's id as the deduplication id (so
 * a delivery repeated after a crash is deduplicated by the queue). Also sends dead letters.
 */
final class SqsTargets implements TargetChannel {
  private static final Pattern QUEUE_ARN = Pattern.compile("arn:aws[\\w-]*:sqs:[a-z0-9-]+:[0-9]{12}:[\\w-]{1,80}(\\.fifo)?");
  private static final Set<String> CLIENT_ERRORS = Set.of("QueueDoesNotExist", "InvalidParameterValue",
      "InvalidMessageContents", "MissingParameter", "AccessDenied", "InvalidAttributeName", "InvalidAttributeValue",
      "KmsAccessDenied", "KmsDisabled", "KmsNotFound", "KmsInvalidState", "UnsupportedOperation");

  private final Vertx vertx;

  SqsTargets(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public boolean serves(String arn) {
    return QUEUE_ARN.matcher(arn).matches();
  }

  @Override
  public Future<Outcome> deliver(Target target, String input, String eventId) {
    boolean fifo = target.arn().endsWith(".fifo");
    return send(target.arn(), input, null, fifo ? target.messageGroupId() : null, fifo ? eventId : null);
  }

  /** SendMessage to a queue by ARN; {@code attributes} are SQS message attributes or null. */
  Future<Outcome> send(String queueArn, String body, JsonObject attributes, String groupId, String deduplicationId) {
    if (!serves(queueArn)) return Future.succeededFuture(Outcome.clientError("NO_RESOURCE", "Not a queue ARN: " + queueArn));
    String[] ar = ServiceCalls.accountRegion(queueArn);
    String name = queueArn.substring(queueArn.lastIndexOf(':') + 1);
    JsonObject in = new JsonObject().put("QueueUrl", ServiceCalls.INTERNAL_BASE_URL + "/" + ar[0] + "/" + name)
        .put("MessageBody", body);
    if (attributes != null) in.put("MessageAttributes", attributes);
    if (groupId != null) in.put("MessageGroupId", groupId);
    if (deduplicationId != null) in.put("MessageDeduplicationId", deduplicationId);
    return ServiceCalls.call(vertx, Contracts.SQS, "SendMessage", in, ar[0], ar[1], CLIENT_ERRORS);
  }
}
