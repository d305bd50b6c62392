package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.Delivery;
import io.eventplane.broker.queue.domain.Queue;
import io.eventplane.broker.queue.domain.QueueAttributes;
import io.eventplane.broker.queue.domain.ReceiveRequest;
import io.eventplane.broker.queue.domain.Receiving;
import io.eventplane.broker.queue.domain.SendRequest;
import io.eventplane.broker.queue.domain.SendResult;
import io.eventplane.broker.queue.domain.Sending;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility(Batch). */
final class MessageOperations {
  private final QueueOperations queueOps;
  private final Sending sending;
  private final Receiving receiving;

  MessageOperations(QueueOperations queueOps, Sending sending, Receiving receiving) {
    this.queueOps = queueOps;
    this.sending = sending;
    this.receiving = receiving;
  }

  Future<JsonObject> sendMessage(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    SendRequest r = MessageInputs.sendRequest(in, in.string(MessageInputs.TRACE_HEADER_MEMBER));
    return sending.send(q, List.of(r)).map(results -> {
      Object result = results.get(0);
      if (result instanceof ServiceException e) throw e;
      return sendResult((SendResult) result, new JsonObject());
    });
  }

  private static JsonObject sendResult(SendResult r, JsonObject out) {
    out.put("MD5OfMessageBody", r.md5OfBody()).put("MessageId", r.messageId());
    if (r.md5OfMessageAttributes() != null) out.put("MD5OfMessageAttributes", r.md5OfMessageAttributes());
    if (r.md5OfSystemAttributes() != null) out.put("MD5OfMessageSystemAttributes", r.md5OfSystemAttributes());
    if (r.sequenceNumber() != null) out.put("SequenceNumber", r.sequenceNumber());
    return out;
  }

  Future<JsonObject> sendMessageBatch(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    List<Inputs> entries = BatchEntries.validate(in, "SendMessageBatchRequestEntry");
    String traceHeader = in.string(MessageInputs.TRACE_HEADER_MEMBER);
    List<String> ids = new ArrayList<>();
    List<SendRequest> requests = new ArrayList<>();
    JsonArray failed = new JsonArray();
    long total = 0;
    for (Inputs e : entries) {
      String id = e.string("Id");
      try {
        SendRequest r = MessageInputs.sendRequest(e, traceHeader);
        total += r.size();
        ids.add(id);
        requests.add(r);
      } catch (ServiceException ex) {
        failed.add(BatchEntries.entryFailure(id, ex));
      }
    }
    sending.checkBatch(q, requests);
    if (total > QueueAttributes.MAX_MESSAGE_SIZE) {
      throw new ServiceException("BatchRequestTooLong",
          "Batch requests cannot be longer than " + QueueAttributes.MAX_MESSAGE_SIZE + " bytes. You have sent " + total + " bytes.");
    }
    return sending.send(q, requests).map(results -> {
      JsonArray successful = new JsonArray();
      for (int i = 0; i < results.size(); i++) {
        Object r = results.get(i);
        if (r instanceof ServiceException ex) failed.add(BatchEntries.failure(ids.get(i), ex));
        else successful.add(sendResult((SendResult) r, new JsonObject().put("Id", ids.get(i))));
      }
      return BatchEntries.result(successful, failed);
    });
  }

  Future<JsonObject> receiveMessage(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    Integer max = in.integer("MaxNumberOfMessages", 1, 10, "Must be between 1 and 10, if provided.");
    Integer visibility = in.integer("VisibilityTimeout", 0, 43_200);
    Integer wait = in.integer("WaitTimeSeconds", 0, 20, "Must be >= 0 and <= 20, if provided.");
    String attemptId = in.string("ReceiveRequestAttemptId");
    if (attemptId != null && !attemptId.matches("[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}")) {
      throw io.eventplane.broker.queue.domain.QueueErrors.invalidParameter("ReceiveRequestAttemptId", attemptId,
          "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    }
    LinkedHashSet<String> systemNames = new LinkedHashSet<>(in.stringList("AttributeNames"));
    systemNames.addAll(in.stringList("MessageSystemAttributeNames"));
    for (String n : systemNames) {
      if (!MessageOutputs.isSystemAttribute(n) && !QueueAttributes.isKnown(n)) {
        throw new ServiceException("InvalidAttributeName", "Unknown Attribute " + n + ".");
      }
    }
    List<String> attributeNames = in.stringList("MessageAttributeNames");
    ReceiveRequest r = new ReceiveRequest(max == null ? 1 : max, visibility, wait, attemptId);
    List<String> sys = new ArrayList<>(systemNames);
    return receiving.receive(q, r).map(deliveries -> {
      JsonArray messages = new JsonArray();
      for (Delivery d : deliveries) messages.add(MessageOutputs.message(d, sys, attributeNames));
      JsonObject out = new JsonObject();
      if (!messages.isEmpty()) out.put("Messages", messages);
      else receiving.answeredEmpty(q);
      return out;
    });
  }

  Future<JsonObject> deleteMessage(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    return receiving.delete(q, in.requireString("ReceiptHandle")).map(new JsonObject());
  }

  Future<JsonObject> deleteMessageBatch(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    List<Inputs> entries = BatchEntries.validate(in, "DeleteMessageBatchRequestEntry");
    return perEntry(entries, e -> receiving.delete(q, e.requireString("ReceiptHandle")));
  }

  Future<JsonObject> changeMessageVisibility(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    String handle = in.requireString("ReceiptHandle");
    int timeout = in.requireInteger("VisibilityTimeout", 0, 43_200);
    return receiving.changeVisibility(q, handle, timeout).map(new JsonObject());
  }

  Future<JsonObject> changeMessageVisibilityBatch(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    List<Inputs> entries = BatchEntries.validate(in, "ChangeMessageVisibilityBatchRequestEntry");
    return perEntry(entries, e -> receiving.changeVisibility(q, e.requireString("ReceiptHandle"),
        e.requireInteger("VisibilityTimeout", 0, 43_200)));
  }

  private interface EntryAction {
    Future<Void> apply(Inputs entry);
  }

  private static Future<JsonObject> perEntry(List<Inputs> entries, EntryAction action) {
    List<Future<Void>> futures = new ArrayList<>();
    for (Inputs e : entries) {
      Future<Void> f;
      try {
        f = action.apply(e);
      } catch (ServiceException ex) {
        f = Future.failedFuture(ex);
      }
      futures.add(f);
    }
    return Future.join(futures).transform(ignored -> {
      JsonArray successful = new JsonArray();
      JsonArray failed = new JsonArray();
      for (int i = 0; i < entries.size(); i++) {
        String id = entries.get(i).string("Id");
        Future<Void> f = futures.get(i);
        if (f.succeeded()) successful.add(new JsonObject().put("Id", id));
        else if (f.cause() instanceof ServiceException ex) failed.add(BatchEntries.failure(id, ex));
        else return Future.failedFuture(f.cause());
      }
      return Future.succeededFuture(BatchEntries.result(successful, failed));
    });
  }
}
