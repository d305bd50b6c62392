package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.Md5Digests;
import io.eventplane.broker.queue.domain.PeekedMessage;
import io.eventplane.broker.queue.domain.Peeking;
import io.eventplane.broker.queue.domain.Queue;
import io.eventplane.broker.queue.domain.StoredMessage;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code eventplane:PeekMessages}: the console's read-only look at a queue (input {@code QueueUrl},
 * {@code MaxNumberOfMessages} 1 to 100, default 10). Answers {@code Messages} shaped like
 * ReceiveMessage's, without receipt handles, with {@code Status} (VISIBLE, IN_FLIGHT, DELAYED).
 * Not in the SQS wire model: only Eventplane's own callers (the console) reach it.
 */
final class PeekOperations {
  private final QueueOperations queueOps;
  private final Peeking peeking;

  PeekOperations(QueueOperations queueOps, Peeking peeking) {
    this.queueOps = queueOps;
    this.peeking = peeking;
  }

  Future<JsonObject> peekMessages(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    Integer max = in.integer("MaxNumberOfMessages", 1, 100);
    return peeking.peek(q, max == null ? 10 : max).map(peeked -> {
      JsonArray messages = new JsonArray();
      for (PeekedMessage p : peeked) messages.add(message(p));
      return new JsonObject().put("Messages", messages);
    });
  }

  private static JsonObject message(PeekedMessage p) {
    StoredMessage m = p.message();
    JsonObject attributes = new JsonObject()
        .put("SentTimestamp", Long.toString(m.sentTimestamp()))
        .put("ApproximateReceiveCount", Integer.toString(p.facts().receiveCount()));
    if (m.groupId() != null) attributes.put("MessageGroupId", m.groupId());
    if (m.deadLetterSourceArn() != null) attributes.put("DeadLetterQueueSourceArn", m.deadLetterSourceArn());
    JsonObject out = new JsonObject()
        .put("MessageId", m.messageId())
        .put("MD5OfBody", Md5Digests.ofBody(m.body()))
        .put("Body", m.body())
        .put("Status", p.facts().status().name())
        .put("VisibleAt", p.facts().visibleAt())
        .put("Attributes", attributes);
    if (!m.messageAttributes().isEmpty()) {
      JsonObject values = new JsonObject();
      m.messageAttributes().forEach((k, v) -> values.put(k, MessageOutputs.attributeValue(v)));
      out.put("MessageAttributes", values);
    }
    return out;
  }
}
