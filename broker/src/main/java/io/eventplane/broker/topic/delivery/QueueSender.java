package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.queue.domain.QueueArn;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Sends a message to a queue through the SQS service of this node, which runs it at the queue's
 * owner: what a topic's SQS subscriptions and the subscriptions' dead-letter queues use. SQS's
 * answer is classified as SNS classifies it: a queue that is gone or a message it refuses is a
 * client-side error, anything else (no owner yet, a timeout) a server-side one.
 */
public final class QueueSender {
  private static final long TIMEOUT_MILLIS = 15_000;
  private static final Set<String> CLIENT_ERRORS = Set.of("QueueDoesNotExist", "InvalidParameterValue",
      "InvalidMessageContents", "MissingParameter", "AccessDenied", "InvalidAttributeName", "InvalidAttributeValue",
      "KmsAccessDenied", "KmsDisabled", "KmsNotFound", "KmsInvalidState", "UnsupportedOperation");

  private final Vertx vertx;
  private final String internalBaseUrl;

  public QueueSender(Vertx vertx, String internalBaseUrl) {
    this.vertx = vertx;
    this.internalBaseUrl = internalBaseUrl;
  }

  /**
   * @param attributes SQS message attributes ({@code {name: {DataType, StringValue|BinaryValue}}}), or null
   * @param groupId and {@code deduplicationId}: for FIFO queues, else null
   */
  public Future<DeliveryOutcome> send(String queueArn, String body, JsonObject attributes, String groupId,
      String deduplicationId) {
    QueueArn arn = QueueArn.parse(queueArn);
    if (arn == null) return Future.succeededFuture(DeliveryOutcome.clientError("InvalidParameter", "not a queue ARN: " + queueArn));
    JsonObject input = new JsonObject()
        .put("QueueUrl", internalBaseUrl + "/" + arn.accountId() + "/" + arn.name())
        .put("MessageBody", body);
    if (attributes != null && !attributes.isEmpty()) input.put("MessageAttributes", attributes);
    if (groupId != null) input.put("MessageGroupId", groupId);
    if (deduplicationId != null) input.put("MessageDeduplicationId", deduplicationId);
    RequestContext context = new RequestContext(arn.accountId(), arn.region(), Ids.uuid(), internalBaseUrl);
    return vertx.eventBus().<ApiReply>request(Contracts.SQS, new ApiRequest("SendMessage", input, context),
            new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS))
        .map(message -> {
          ApiReply reply = message.body();
          if (reply.succeeded()) return DeliveryOutcome.delivered();
          String code = reply.error().code();
          return CLIENT_ERRORS.contains(code)
              ? DeliveryOutcome.clientError(code, reply.error().message())
              : DeliveryOutcome.serverError(code, reply.error().message());
        })
        .otherwise(failure -> DeliveryOutcome.serverError("ServiceUnavailable", String.valueOf(failure.getMessage())));
  }
}
