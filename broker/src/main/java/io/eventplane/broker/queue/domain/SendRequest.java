package io.eventplane.broker.queue.domain;

import io.eventplane.common.text.Utf8;
import java.util.Map;

/** One message to send, already checked for well-formedness; queue-specific rules apply in {@link Sending}. */
public record SendRequest(
    String body,
    Integer delaySeconds,
    Map<String, AttributeValue> messageAttributes,
    Map<String, AttributeValue> systemAttributes,
    String deduplicationId,
    String groupId) {
  public SendRequest {
    messageAttributes = messageAttributes == null ? Map.of() : messageAttributes;
    systemAttributes = systemAttributes == null ? Map.of() : systemAttributes;
  }

  /** Size counted against MaximumMessageSize: body plus message attribute names, types and values. */
  public int size() {
    int n = Utf8.length(body);
    for (Map.Entry<String, AttributeValue> e : messageAttributes.entrySet()) n += Utf8.length(e.getKey()) + e.getValue().size();
    return n;
  }
}
