package io.eventplane.functions.mapping;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lambda's poller of one SQS event source mapping: {@link EventSourceMapping#pollers()} loops, each
 * long-polling the queue (20 s), gathering up to BatchSize messages within the batching window,
 * invoking the function synchronously with the batch and deleting what it processed: all of the
 * batch on success, all but the reported items with ReportBatchItemFailures, nothing when the
 * invocation fails (the messages come back after the queue's visibility timeout and reach its
 * dead-letter queue through its redrive policy). A FIFO queue's order holds because SQS hands out
 * no message of a group while another of the group is in flight.
 */
final class SqsPoller implements SourcePoller {
  private static final System.Logger LOG = System.getLogger(SqsPoller.class.getName());
  private static final String INTERNAL = "http://eventplane.internal";
  private static final int LONG_POLL_SECONDS = 20;
  private static final long BACKOFF_MILLIS = 1000;

  private final Vertx vertx;
  private final EventSourceMapping mapping;
  private final String lambdaAddress;
  private boolean stopped;

  /** @param lambdaAddress where the function is invoked (the lane that owns it) */
  SqsPoller(Vertx vertx, EventSourceMapping mapping, String lambdaAddress) {
    this.lambdaAddress = lambdaAddress;
    this.vertx = vertx;
    this.mapping = mapping;
  }

  EventSourceMapping mapping() {
    return mapping;
  }

  @Override
  public void start() {
    for (int i = 0; i < mapping.pollers(); i++) poll();
  }

  /** Stops taking new batches; a batch in flight finishes. */
  @Override
  public void stop() {
    stopped = true;
  }

  private void poll() {
    if (stopped) return;
    long windowEnds = System.currentTimeMillis() + mapping.maximumBatchingWindowSeconds() * 1000L;
    gather(new ArrayList<>(), windowEnds).onComplete(ar -> {
      if (stopped) {
        // Received after the mapping was disabled or deleted: hand the messages back at once.
        if (ar.succeeded() && !ar.result().isEmpty()) release(ar.result());
        return;
      }
      if (ar.failed()) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: receive from {1} failed: {2}", mapping.uuid(), mapping.eventSourceArn(),
            ar.cause().getMessage());
        vertx.setTimer(BACKOFF_MILLIS, t -> poll());
        return;
      }
      List<JsonObject> batch = ar.result();
      if (batch.isEmpty()) {
        poll();
        return;
      }
      process(batch).onComplete(done -> {
        if (done.failed() || !done.result()) vertx.setTimer(BACKOFF_MILLIS, t -> poll());
        else poll();
      });
    });
  }

  /** Receives until the batch is full, the window is over, or (without a window) one receive returned messages. */
  private Future<List<JsonObject>> gather(List<JsonObject> batch, long windowEnds) {
    int want = Math.min(10, mapping.batchSize() - batch.size());
    long left = windowEnds - System.currentTimeMillis();
    int wait = batch.isEmpty() ? LONG_POLL_SECONDS : (int) Math.max(0, Math.min(LONG_POLL_SECONDS, left / 1000));
    JsonObject input = new JsonObject().put("QueueUrl", queueUrl()).put("MaxNumberOfMessages", want)
        .put("WaitTimeSeconds", wait).put("AttributeNames", new JsonArray().add("All"))
        .put("MessageAttributeNames", new JsonArray().add("All"));
    return sqs("ReceiveMessage", input, (LONG_POLL_SECONDS + 15) * 1000L).compose(out -> {
      JsonArray messages = out.getJsonArray("Messages", new JsonArray());
      for (Object m : messages) batch.add((JsonObject) m);
      boolean full = batch.size() >= mapping.batchSize();
      boolean windowOver = System.currentTimeMillis() >= windowEnds;
      if (stopped || full || windowOver || (batch.isEmpty() && messages.isEmpty())) return Future.succeededFuture(batch);
      if (mapping.maximumBatchingWindowSeconds() == 0 && !batch.isEmpty()) return Future.succeededFuture(batch);
      return gather(batch, windowEnds);
    });
  }

  /** Invokes the function with the batch; completes with whether the invocation succeeded. */
  private Future<Boolean> process(List<JsonObject> batch) {
    JsonObject event = SqsEvents.event(batch, mapping.eventSourceArn(), mapping.queueRegion());
    return MappedInvoke.invoke(vertx, lambdaAddress, mapping, event)
        .compose(reply -> {
          if (!reply.succeeded()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: invoke failed: {1}", mapping.uuid(), reply.error().message());
            return Future.succeededFuture(false);
          }
          JsonObject out = reply.output();
          if (out.getString("FunctionError") != null) return Future.succeededFuture(false);
          Set<String> ids = new HashSet<>();
          for (JsonObject msg : batch) ids.add(msg.getString("MessageId"));
          Set<String> failed = mapping.reportBatchItemFailures() ? failures(out.getBinary("Payload", new byte[0]), ids) : Set.of();
          if (failed == null) return Future.succeededFuture(false);
          List<JsonObject> done = new ArrayList<>();
          for (JsonObject msg : batch) if (!failed.contains(msg.getString("MessageId"))) done.add(msg);
          return delete(done).map(v -> true);
        });
  }

  /**
   * The item identifiers (message ids, or a stream's sequence numbers) a ReportBatchItemFailures
   * response names; null when the response is not a valid one (not JSON, an item without a known
   * identifier), which fails the whole batch, as Lambda's documentation of partial batch responses says.
   */
  static Set<String> failures(byte[] payload, Set<String> ids) {
    String text = new String(payload, StandardCharsets.UTF_8).trim();
    // An empty or null response, an object without the list, or an empty list: the whole batch succeeded.
    if (text.isEmpty() || text.equals("null")) return Set.of();
    JsonObject response;
    try {
      response = new JsonObject(text);
    } catch (RuntimeException invalid) {
      return null;
    }
    Object items = response.getValue("batchItemFailures");
    if (items == null) return Set.of();
    if (!(items instanceof JsonArray list)) return null;
    Set<String> out = new HashSet<>();
    for (Object o : list) {
      if (!(o instanceof JsonObject item) || !(item.getValue("itemIdentifier") instanceof String id) || !ids.contains(id)) {
        return null;
      }
      out.add(id);
    }
    return out;
  }

  private Future<Void> delete(List<JsonObject> messages) {
    List<Future<JsonObject>> all = new ArrayList<>();
    for (int i = 0; i < messages.size(); i += 10) {
      JsonArray entries = new JsonArray();
      for (int j = i; j < Math.min(messages.size(), i + 10); j++) {
        entries.add(new JsonObject().put("Id", Integer.toString(j)).put("ReceiptHandle", messages.get(j).getString("ReceiptHandle")));
      }
      all.add(sqs("DeleteMessageBatch", new JsonObject().put("QueueUrl", queueUrl()).put("Entries", entries), 15_000));
    }
    return Future.join(all).mapEmpty();
  }

  private void release(List<JsonObject> messages) {
    for (int i = 0; i < messages.size(); i += 10) {
      JsonArray entries = new JsonArray();
      for (int j = i; j < Math.min(messages.size(), i + 10); j++) {
        entries.add(new JsonObject().put("Id", Integer.toString(j)).put("ReceiptHandle", messages.get(j).getString("ReceiptHandle"))
            .put("VisibilityTimeout", 0));
      }
      sqs("ChangeMessageVisibilityBatch", new JsonObject().put("QueueUrl", queueUrl()).put("Entries", entries), 15_000);
    }
  }

  private String queueUrl() {
    return INTERNAL + "/" + mapping.queueAccount() + "/" + mapping.queueName();
  }

  private Future<JsonObject> sqs(String operation, JsonObject input, long timeoutMillis) {
    RequestContext context = new RequestContext(mapping.queueAccount(), mapping.queueRegion(), Ids.uuid(), INTERNAL);
    return vertx.eventBus().<ApiReply>request(Contracts.SQS, new ApiRequest(operation, input, context),
            new DeliveryOptions().setSendTimeout(timeoutMillis))
        .compose(m -> m.body().succeeded() ? Future.succeededFuture(m.body().output())
            : Future.failedFuture(m.body().error().code() + ": " + m.body().error().message()));
  }
}
