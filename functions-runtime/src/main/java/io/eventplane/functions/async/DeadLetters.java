package io.eventplane.functions.async;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Where asynchronous invocations end: an event that exhausted its attempts goes to the function's
 * dead-letter queue or topic (DeadLetterConfig.TargetArn) with the attributes Lambda adds
 * (RequestID, ErrorCode, ErrorMessage); invocation records go to the on-success and on-failure
 * destinations (a queue, a topic, or another function invoked asynchronously). All through this
 * node's services on the event bus.
 */
public final class DeadLetters {
  private static final String INTERNAL = "http://eventplane.internal";
  private static final long TIMEOUT_MILLIS = 15_000;

  private final Vertx vertx;

  public DeadLetters(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> send(String targetArn, AsyncEvent event, int errorCode, String errorMessage) {
    String[] arn = targetArn.split(":", 6);
    if (arn.length < 6) return Future.failedFuture("not an ARN: " + targetArn);
    String service = arn[2];
    String region = arn[3];
    String account = arn[4];
    String name = arn[5];
    String body = new String(event.payload(), StandardCharsets.UTF_8);
    JsonObject attributes = new JsonObject()
        .put("RequestID", new JsonObject().put("DataType", "String").put("StringValue", event.requestId()))
        .put("ErrorCode", new JsonObject().put("DataType", "Number").put("StringValue", Integer.toString(errorCode)))
        .put("ErrorMessage", new JsonObject().put("DataType", "String").put("StringValue", truncate(errorMessage)));
    RequestContext context = new RequestContext(account, region, Ids.uuid(), INTERNAL);
    ApiRequest request = service.equals("sqs")
        ? new ApiRequest("SendMessage", new JsonObject().put("QueueUrl", INTERNAL + "/" + account + "/" + name)
            .put("MessageBody", body.isEmpty() ? "{}" : body).put("MessageAttributes", attributes), context)
        : new ApiRequest("Publish", new JsonObject().put("TopicArn", targetArn)
            .put("Message", body.isEmpty() ? "{}" : body).put("MessageAttributes", attributes), context);
    String address = service.equals("sqs") ? Contracts.SQS : Contracts.SNS;
    return vertx.eventBus().<ApiReply>request(address, request, new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS))
        .compose(m -> m.body().succeeded() ? Future.<Void>succeededFuture()
            : Future.failedFuture(m.body().error().code() + ": " + m.body().error().message()));
  }

  /** Sends an invocation record to a destination: the record is the message body, or the function's event. */
  public Future<Void> record(String destinationArn, JsonObject record) {
    String[] arn = destinationArn.split(":", 7);
    if (arn.length < 6) return Future.failedFuture("not an ARN: " + destinationArn);
    String service = arn[2];
    RequestContext context = new RequestContext(arn[4], arn[3], Ids.uuid(), INTERNAL);
    ApiRequest request;
    String address;
    switch (service) {
      case "sqs" -> {
        request = new ApiRequest("SendMessage", new JsonObject().put("QueueUrl", INTERNAL + "/" + arn[4] + "/" + arn[5])
            .put("MessageBody", record.encode()), context);
        address = Contracts.SQS;
      }
      case "sns" -> {
        request = new ApiRequest("Publish", new JsonObject().put("TopicArn", destinationArn).put("Message", record.encode()), context);
        address = Contracts.SNS;
      }
      case "lambda" -> {
        request = new ApiRequest("Invoke", new JsonObject().put("FunctionName", destinationArn).put("InvocationType", "Event")
            .put("Payload", record.encode().getBytes(StandardCharsets.UTF_8)), context);
        address = Contracts.LAMBDA;
      }
      default -> {
        return Future.failedFuture("unsupported destination " + destinationArn);
      }
    }
    return vertx.eventBus().<ApiReply>request(address, request, new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS))
        .compose(m -> m.body().succeeded() ? Future.<Void>succeededFuture()
            : Future.failedFuture(m.body().error().code() + ": " + m.body().error().message()));
  }

  private static String truncate(String s) {
    if (s == null || s.isEmpty()) return "(none)";
    return s.length() > 1000 ? s.substring(0, 1000) : s;
  }
}
