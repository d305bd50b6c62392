package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.AttributeValue;
import io.eventplane.broker.queue.domain.Delivery;
import io.eventplane.broker.queue.domain.Md5Digests;
import io.eventplane.broker.queue.domain.StoredMessage;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A received message in the ReceiveMessage output shape, with the system and message attributes asked for. */
final class MessageOutputs {
  private static final Set<String> SYSTEM_ATTRIBUTES = Set.of(
      "SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp", "SequenceNumber",
      "MessageDeduplicationId", "MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn");

  private MessageOutputs() {}

  static JsonObject message(Delivery d, List<String> systemNames, List<String> attributeNames) {
    StoredMessage m = d.message();
    JsonObject out = new JsonObject()
        .put("MessageId", m.messageId())
        .put("ReceiptHandle", d.receiptHandle())
        .put("MD5OfBody", Md5Digests.ofBody(m.body()))
        .put("Body", m.body());
    JsonObject attrs = systemAttributes(d, systemNames);
    if (!attrs.isEmpty()) out.put("Attributes", attrs);
    List<String> filter = attributeNames.stream().filter(MessageOutputs::isWellFormedFilter).toList();
    Map<String, AttributeValue> selected = selectAttributes(m.messageAttributes(), filter);
    if (!selected.isEmpty()) {
      out.put("MD5OfMessageAttributes", Md5Digests.ofAttributes(selected));
      JsonObject values = new JsonObject();
      selected.forEach((k, v) -> values.put(k, attributeValue(v)));
      out.put("MessageAttributes", values);
    } else if (!filter.isEmpty() && !m.messageAttributes().isEmpty()) {
      // Names asked for that the message does not have: SQS answers an empty map (and no digest).
      out.put("MessageAttributes", new JsonObject());
    }
    return out;
  }

  static JsonObject attributeValue(AttributeValue v) {
    JsonObject j = new JsonObject().put("DataType", v.dataType());
    if (v.isBinary()) j.put("BinaryValue", Base64.getEncoder().encodeToString(v.binaryValue()));
    else j.put("StringValue", v.stringValue());
    return j;
  }

  private static JsonObject systemAttributes(Delivery d, List<String> names) {
    JsonObject out = new JsonObject();
    if (names.isEmpty()) return out;
    boolean all = names.contains("All");
    StoredMessage m = d.message();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("SenderId", m.senderId());
    values.put("SentTimestamp", Long.toString(m.sentTimestamp()));
    values.put("ApproximateReceiveCount", Integer.toString(d.receiveCount()));
    values.put("ApproximateFirstReceiveTimestamp", Long.toString(d.firstReceiveTimestamp()));
    values.put("SequenceNumber", d.sequenceNumber());
    values.put("MessageDeduplicationId", d.fifo() ? m.deduplicationId() : null);
    values.put("MessageGroupId", m.groupId());
    AttributeValue trace = m.systemAttributes().get("AWSTraceHeader");
    values.put("AWSTraceHeader", trace == null ? null : trace.stringValue());
    values.put("DeadLetterQueueSourceArn", m.deadLetterSourceArn());
    values.forEach((k, v) -> {
      if (v != null && (all || names.contains(k))) out.put(k, v);
    });
    return out;
  }

  static boolean isSystemAttribute(String name) {
    return SYSTEM_ATTRIBUTES.contains(name) || "All".equals(name);
  }

  /**
   * Whether a MessageAttributeNames entry could name attributes at all: a name no attribute can
   * have ("AWS.", "..foo") is ignored, as SQS ignores it (no error, and no empty map answered).
   */
  private static boolean isWellFormedFilter(String n) {
    if (n.equals("All") || n.equals("*") || n.equals(".*")) return true;
    String name = n.endsWith(".*") ? n.substring(0, n.length() - 2) : n;
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return !name.isEmpty() && !name.startsWith(".") && !name.endsWith(".") && !name.contains("..")
        && !lower.startsWith("aws.") && !lower.startsWith("amazon.");
  }

  /**
   * The message attributes MessageAttributeNames asks for: "All", ".*" and "*" name every one,
   * "prefix.*" those whose name starts with "prefix" ("Hel.*" takes "Hello" and "Help.Me", as SQS
   * does), anything else one exact name.
   */
  private static Map<String, AttributeValue> selectAttributes(Map<String, AttributeValue> attrs, List<String> names) {
    if (attrs.isEmpty() || names.isEmpty()) return Map.of();
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (Map.Entry<String, AttributeValue> e : attrs.entrySet()) {
      for (String n : names) {
        if (n.equals("All") || n.equals(".*") || n.equals("*") || n.equals(e.getKey())
            || (n.endsWith(".*") && e.getKey().startsWith(n.substring(0, n.length() - 2)))) {
          out.put(e.getKey(), e.getValue());
          break;
        }
      }
    }
    return out;
  }
}
