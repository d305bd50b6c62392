package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.queue.domain.QueueArn;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Sends a message to a queue through the SQS service of this node, which runs it at the queue's
 * owner: what a topic's SQS subscriptions and the subscriptions' dead-letter queues use. SQS's
 * answer is classified as SNS classifies it: a queue that is gone or a message it refuses is a
 * client-side error, anything else (no owner yet, a timeout) a server-side one.
 *
 * <p>Sends to the same queue that arrive in the same event-loop turn travel together as one
 * SendMessageBatch (up to 10 entries and 1 MiB): under fan-out load that is one request and one
 * store commit at the queue's owner for up to ten deliveries. Entries keep their order, so a FIFO
 * queue gets them in the order they were sent.
 */
public final class QueueSender {
  private static final long TIMEOUT_MILLIS = 15_000;
  private static final Set<String> CLIENT_ERRORS = Set.of("QueueDoesNotExist", "InvalidParameterValue",
      "InvalidMessageContents", "MissingParameter", "AccessDenied", "InvalidAttributeName", "InvalidAttributeValue",
      "KmsAccessDenied", "KmsDisabled", "KmsNotFound", "KmsInvalidState", "UnsupportedOperation");

  private static final int MAX_ENTRIES = 10;
  private static final int MAX_BATCH_BYTES = 1_048_576;

  private final Vertx vertx;
  private final String internalBaseUrl;
  /** Sends waiting for the end of this event-loop turn, by queue ARN; touched on one context only. */
  private final Map<String, List<Waiting>> waiting = new HashMap<>();

  private record Waiting(JsonObject entry, int bytes, Promise<DeliveryOutcome> outcome) {}

  public QueueSender(Vertx vertx, String internalBaseUrl) {
    this.vertx = vertx;
    this.internalBaseUrl = internalBaseUrl;
  }

  /**
   * Like {@link #send}, but coalesced with the other sends to the same queue of this event-loop
   * turn. Call on the sender's context.
   */
  public Future<DeliveryOutcome> sendBatched(String queueArn, String body, JsonObject attributes, String groupId,
      String deduplicationId) {
    JsonObject entry = new JsonObject().put("MessageBody", body);
    if (attributes != null && !attributes.isEmpty()) entry.put("MessageAttributes", attributes);
    if (groupId != null) entry.put("MessageGroupId", groupId);
    if (deduplicationId != null) entry.put("MessageDeduplicationId", deduplicationId);
    Promise<DeliveryOutcome> outcome = Promise.promise();
    List<Waiting> queue = waiting.get(queueArn);
    if (queue == null) {
      queue = new ArrayList<>();
      waiting.put(queueArn, queue);
      vertx.getOrCreateContext().runOnContext(v -> flush(queueArn));
    }
    queue.add(new Waiting(entry, body.length() * 3 + 512, outcome));
    return outcome.future();
  }

  private void flush(String queueArn) {
    List<Waiting> all = waiting.remove(queueArn);
    if (all == null) return;
    List<Waiting> chunk = new ArrayList<>();
    int bytes = 0;
    for (Waiting w : all) {
      if (!chunk.isEmpty() && (chunk.size() == MAX_ENTRIES || bytes + w.bytes() > MAX_BATCH_BYTES)) {
        sendChunk(queueArn, chunk);
        chunk = new ArrayList<>();
        bytes = 0;
      }
      chunk.add(w);
      bytes += w.bytes();
    }
    sendChunk(queueArn, chunk);
  }

  private void sendChunk(String queueArn, List<Waiting> chunk) {
    if (chunk.size() == 1) {
      JsonObject e = chunk.get(0).entry();
      send(queueArn, e.getString("MessageBody"), e.getJsonObject("MessageAttributes"), e.getString("MessageGroupId"),
          e.getString("MessageDeduplicationId")).onComplete(chunk.get(0).outcome());
      return;
    }
    QueueArn arn = QueueArn.parse(queueArn);
    if (arn == null) {
      chunk.forEach(w -> w.outcome().complete(DeliveryOutcome.clientError("InvalidParameter", "not a queue ARN: " + queueArn)));
      return;
    }
    JsonArray entries = new JsonArray();
    for (int i = 0; i < chunk.size(); i++) entries.add(chunk.get(i).entry().copy().put("Id", Integer.toString(i)));
    JsonObject input = new JsonObject().put("QueueUrl", internalBaseUrl + "/" + arn.accountId() + "/" + arn.name())
        .put("Entries", entries);
    call(arn, "SendMessageBatch", input).onComplete(ar -> {
      if (ar.failed()) {
        chunk.forEach(w -> w.outcome().complete(DeliveryOutcome.serverError("ServiceUnavailable", String.valueOf(ar.cause().getMessage()))));
        return;
      }
      ApiReply reply = ar.result();
      if (!reply.succeeded()) {
        DeliveryOutcome all = classify(reply.error().code(), reply.error().message());
        chunk.forEach(w -> w.outcome().complete(all));
        return;
      }
      for (Object o : reply.output().getJsonArray("Successful", new JsonArray())) {
        chunk.get(Integer.parseInt(((JsonObject) o).getString("Id"))).outcome().tryComplete(DeliveryOutcome.delivered());
      }
      for (Object o : reply.output().getJsonArray("Failed", new JsonArray())) {
        JsonObject f = (JsonObject) o;
        chunk.get(Integer.parseInt(f.getString("Id"))).outcome().tryComplete(classify(f.getString("Code"), f.getString("Message")));
      }
      chunk.forEach(w -> w.outcome().tryComplete(DeliveryOutcome.serverError("InternalError", "no result for the entry")));
    });
  }

  private Future<ApiReply> call(QueueArn arn, String operation, JsonObject input) {
    RequestContext context = new RequestContext(arn.accountId(), arn.region(), Ids.uuid(), internalBaseUrl);
    return vertx.eventBus().<ApiReply>request(Contracts.SQS, new ApiRequest(operation, input, context),
        new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS)).map(m -> m.body());
  }

  private static DeliveryOutcome classify(String code, String message) {
    return CLIENT_ERRORS.contains(code) ? DeliveryOutcome.clientError(code, message) : DeliveryOutcome.serverError(code, message);
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
    return call(arn, "SendMessage", input)
        .map(reply -> reply.succeeded() ? DeliveryOutcome.delivered()
            : classify(reply.error().code(), reply.error().message()))
        .otherwise(failure -> DeliveryOutcome.serverError("ServiceUnavailable", String.valueOf(failure.getMessage())));
  }
}
