package io.eventplane.broker.queue.domain;

import java.util.Map;
import java.util.Objects;

/**
 * A message as persisted: what a receive returns besides the delivery state.
 *
 * @param deadLetterSourceArn the queue a message came from when a DLQ received it, else null
 */
public record StoredMessage(
    String messageId,
    String body,
    long sentTimestamp,
    String senderId,
    String groupId,
    String deduplicationId,
    Map<String, AttributeValue> messageAttributes,
    Map<String, AttributeValue> systemAttributes,
    String deadLetterSourceArn) {
  public StoredMessage {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(body, "body");
    messageAttributes = messageAttributes == null ? Map.of() : messageAttributes;
    systemAttributes = systemAttributes == null ? Map.of() : systemAttributes;
  }

  public StoredMessage withDeadLetterSource(String arn, long sentAt) {
    return new StoredMessage(messageId, body, sentAt, senderId, groupId, deduplicationId, messageAttributes, systemAttributes, arn);
  }
}
