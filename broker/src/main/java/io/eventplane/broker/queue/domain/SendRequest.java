package io.eventplane.broker.queue.domain;

import io.eventplane.common.text.Utf8;
import java.util.Map;

/**
 * One message to send, already checked for well-formedness; queue-specific rules apply in {@link Sending}.
 *
 * @param systemAttributes the MessageSystemAttributes the caller sent (they alone make up
 *     MD5OfMessageSystemAttributes)
 * @param traceHeader the call's X-Amzn-Trace-Id header, or null: the message's AWSTraceHeader
 *     unless its system attributes name one (they win, as on SQS)
 */
public record SendRequest(
    String body,
    Integer delaySeconds,
    Map<String, AttributeValue> messageAttributes,
    Map<String, AttributeValue> systemAttributes,
    String deduplicationId,
    String groupId,
    String traceHeader) {
  public static final String AWS_TRACE_HEADER = "AWSTraceHeader";

  public SendRequest {
    messageAttributes = messageAttributes == null ? Map.of() : messageAttributes;
    systemAttributes = systemAttributes == null ? Map.of() : systemAttributes;
  }

  /** The system attributes the message keeps: those sent, and the trace header when they name none. */
  public Map<String, AttributeValue> storedSystemAttributes() {
    if (traceHeader == null || systemAttributes.containsKey(AWS_TRACE_HEADER)) return systemAttributes;
    Map<String, AttributeValue> out = new java.util.LinkedHashMap<>(systemAttributes);
    out.put(AWS_TRACE_HEADER, new AttributeValue("String", traceHeader, null));
    return out;
  }

  /** Size counted against MaximumMessageSize: body plus message attribute names, types and values. */
  public int size() {
    int n = Utf8.length(body);
    for (Map.Entry<String, AttributeValue> e : messageAttributes.entrySet()) n += Utf8.length(e.getKey()) + e.getValue().size();
    return n;
  }
}
