package io.eventplane.functions.mapping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The event Lambda hands a function for a batch of SQS messages: {@code Records[]} with the
 * message's id, receipt handle, body, system attributes, message attributes (Lambda's lower-case
 * shape), MD5s, {@code eventSource}, {@code eventSourceARN} and {@code awsRegion}, built from the
 * ReceiveMessage output.
 */
final class SqsEvents {
  private SqsEvents() {}

  static JsonObject event(List<JsonObject> messages, String queueArn, String region) {
    JsonArray records = new JsonArray();
    for (JsonObject m : messages) records.add(record(m, queueArn, region));
    return new JsonObject().put("Records", records);
  }

  static JsonObject record(JsonObject m, String queueArn, String region) {
    JsonObject attributes = new JsonObject();
    for (Map.Entry<String, Object> e : m.getJsonObject("Attributes", new JsonObject())) {
      if (!e.getKey().equals("DeadLetterQueueSourceArn")) attributes.put(e.getKey(), String.valueOf(e.getValue()));
    }
    JsonObject messageAttributes = new JsonObject();
    for (Map.Entry<String, Object> e : m.getJsonObject("MessageAttributes", new JsonObject())) {
      JsonObject v = (JsonObject) e.getValue();
      JsonObject out = new JsonObject();
      if (v.getString("StringValue") != null) out.put("stringValue", v.getString("StringValue"));
      if (v.getString("BinaryValue") != null) out.put("binaryValue", v.getString("BinaryValue"));
      out.put("stringListValues", new JsonArray()).put("binaryListValues", new JsonArray()).put("dataType", v.getString("DataType"));
      messageAttributes.put(e.getKey(), out);
    }
    JsonObject record = new JsonObject()
        .put("messageId", m.getString("MessageId"))
        .put("receiptHandle", m.getString("ReceiptHandle"))
        .put("body", m.getString("Body"))
        .put("attributes", attributes)
        .put("messageAttributes", messageAttributes)
        .put("md5OfBody", m.getString("MD5OfBody"));
    if (m.getString("MD5OfMessageAttributes") != null) record.put("md5OfMessageAttributes", m.getString("MD5OfMessageAttributes"));
    return record.put("eventSource", "aws:sqs").put("eventSourceARN", queueArn).put("awsRegion", region);
  }
}
