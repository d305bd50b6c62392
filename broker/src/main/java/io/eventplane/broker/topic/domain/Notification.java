package io.eventplane.broker.topic.domain;

import io.vertx.core.json.JsonObject;

/**
 * A message a topic has accepted and must deliver: a published notification, the
 * confirmation request of a new HTTP/S subscription, or the notice that one was deleted. Persisted with its pending deliveries in
 * the publish's write batch and deleted with the last of them.
 *
 * @param seq the partition-wide sequence that orders the topic's messages (a FIFO topic's
 *     SequenceNumber)
 * @param perProtocol with MessageStructure=json, the message per protocol ({@code default},
 *     {@code sqs}, {@code http}, ...); else null
 * @param attributes message attributes as {@code {name: {DataType, StringValue|BinaryValue}}}
 * @param baseUrl where the publisher reached us, for the URLs in the envelope
 * @param token and {@code subscriptionArn}: a confirmation request's; else null
 */
public record Notification(long seq, String type, String messageId, String topicArn, String subject, String message,
    JsonObject perProtocol, JsonObject attributes, long timestamp, String groupId, String deduplicationId,
    String baseUrl, String token, String subscriptionArn) {

  public static final String NOTIFICATION = "Notification";
  public static final String SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation";
  /** Sent to an HTTP/S endpoint when its subscription is deleted; its SubscribeURL restores it. */
  public static final String UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation";

  /** The message text a protocol's endpoints get. */
  public String messageFor(String protocol) {
    if (perProtocol == null) return message;
    String specific = perProtocol.getValue(protocol) instanceof String s ? s : null;
    return specific != null ? specific : perProtocol.getString("default");
  }

  /** A FIFO topic's sequence number: 20 digits, increasing per topic. */
  public String sequenceNumber() {
    return String.format("%020d", seq);
  }

  /** A SubscriptionConfirmation or an UnsubscribeConfirmation: a token and a SubscribeURL, never dead-lettered. */
  public boolean isConfirmation() {
    return SUBSCRIPTION_CONFIRMATION.equals(type) || UNSUBSCRIBE_CONFIRMATION.equals(type);
  }

  public JsonObject toJson() {
    return new JsonObject().put("seq", seq).put("type", type).put("messageId", messageId).put("topicArn", topicArn)
        .put("subject", subject).put("message", message).put("perProtocol", perProtocol).put("attributes", attributes)
        .put("timestamp", timestamp).put("groupId", groupId).put("deduplicationId", deduplicationId)
        .put("baseUrl", baseUrl).put("token", token).put("subscriptionArn", subscriptionArn);
  }

  public static Notification fromJson(JsonObject j) {
    return new Notification(j.getLong("seq"), j.getString("type"), j.getString("messageId"), j.getString("topicArn"),
        j.getString("subject"), j.getString("message"), j.getJsonObject("perProtocol"), j.getJsonObject("attributes"),
        j.getLong("timestamp"), j.getString("groupId"), j.getString("deduplicationId"), j.getString("baseUrl"),
        j.getString("token"), j.getString("subscriptionArn"));
  }
}
