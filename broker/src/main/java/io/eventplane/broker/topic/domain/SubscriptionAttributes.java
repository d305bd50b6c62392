package io.eventplane.broker.topic.domain;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The subscription attributes SNS lets a subscriber set, their checks, and GetSubscriptionAttributes. */
public final class SubscriptionAttributes {
  private static final Set<String> SETTABLE = Set.of("DeliveryPolicy", "FilterPolicy", "FilterPolicyScope",
      "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy");

  private SubscriptionAttributes() {}

  /**
   * Checks one attribute for a subscription of this protocol on this topic.
   *
   * @param others the subscription's other attributes (a FilterPolicy is checked in its scope)
   */
  public static void validate(String name, String value, String protocol, Topic topic, Map<String, String> others) {
    if (!SETTABLE.contains(name)) throw TopicErrors.invalidParameter("AttributeName");
    if (value == null) throw TopicErrors.invalidParameter("AttributeValue");
    switch (name) {
      case "RawMessageDelivery" -> {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw TopicErrors.invalidParameter("Attributes Reason: RawMessageDelivery: Invalid value [" + value
              + "]. Must be true or false.");
        }
        if (value.equalsIgnoreCase("true") && !Set.of("sqs", "http", "https", "firehose").contains(protocol)) {
          throw TopicErrors.invalidParameter("Attributes Reason: Delivery protocol [" + protocol
              + "] does not support raw message delivery.");
        }
      }
      case "FilterPolicyScope" -> FilterPolicy.validateScope(value);
      case "FilterPolicy" -> FilterPolicy.validate(value,
          others.getOrDefault("FilterPolicyScope", FilterPolicy.MESSAGE_ATTRIBUTES));
      case "RedrivePolicy" -> validateRedrivePolicy(value, topic);
      case "DeliveryPolicy" -> {
        if (!value.isEmpty()) {
          JsonObject policy = TopicAttributes.parseObject("DeliveryPolicy", value);
          if (policy.getValue("healthyRetryPolicy") instanceof JsonObject r) RetryPolicy.validate(r);
        }
      }
      case "ReplayPolicy" -> throw TopicErrors.invalidParameter("ReplayPolicy: message archiving and replay are not supported");
      default -> { }
    }
  }

  private static void validateRedrivePolicy(String value, Topic topic) {
    if (value.isEmpty()) return;
    JsonObject policy = TopicAttributes.parseObject("RedrivePolicy", value);
    String target = policy.getValue("deadLetterTargetArn") instanceof String s ? s : null;
    String[] arn = target == null ? null : target.split(":", -1);
    if (arn == null || arn.length != 6 || !arn[0].equals("arn") || !arn[2].equals("sqs") || arn[5].isEmpty()) {
      throw TopicErrors.invalidParameter("RedrivePolicy: deadLetterTargetArn is invalid");
    }
    if (topic.fifo() != arn[5].endsWith(".fifo")) {
      throw TopicErrors.invalidParameter("RedrivePolicy: must use a " + (topic.fifo() ? "FIFO" : "standard")
          + " queue as DLQ for a " + (topic.fifo() ? "FIFO" : "standard") + " topic");
    }
  }

  /** What GetSubscriptionAttributes answers. */
  public static Map<String, String> describe(Subscription s, Topic topic) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("Owner", s.owner());
    out.put("RawMessageDelivery", Boolean.toString(s.rawDelivery()));
    out.put("TopicArn", s.topicArn());
    out.put("Endpoint", s.endpoint());
    out.put("Protocol", s.protocol());
    out.put("PendingConfirmation", Boolean.toString(!s.confirmed()));
    out.put("ConfirmationWasAuthenticated", Boolean.toString(s.authenticated()));
    out.put("SubscriptionArn", s.arn());
    if (s.protocol().startsWith("http")) {
      out.put("EffectiveDeliveryPolicy", effectiveHttpPolicy(s, topic).encode());
    }
    for (Map.Entry<String, String> e : s.attributes().entrySet()) {
      if (!out.containsKey(e.getKey())) out.put(e.getKey(), e.getValue());
    }
    if (s.attributes().containsKey("FilterPolicy") && !s.attributes().containsKey("FilterPolicyScope")) {
      out.put("FilterPolicyScope", FilterPolicy.MESSAGE_ATTRIBUTES);
    }
    return out;
  }

  /** The retry policy of an HTTP/S subscription: its own, else its topic's, else SNS's default. */
  public static RetryPolicy httpRetryPolicy(Subscription s, Topic topic) {
    String own = s.attributes().get("DeliveryPolicy");
    if (own != null && !own.isEmpty() && new JsonObject(own).getValue("healthyRetryPolicy") instanceof JsonObject r) {
      return RetryPolicy.fromHealthyRetryPolicy(r);
    }
    return RetryPolicy.fromHealthyRetryPolicy(TopicAttributes.httpRetryPolicy(topic, s.protocol()));
  }

  private static JsonObject effectiveHttpPolicy(Subscription s, Topic topic) {
    RetryPolicy r = httpRetryPolicy(s, topic);
    return new JsonObject().put("healthyRetryPolicy", new JsonObject().put("minDelayTarget", r.minDelaySeconds())
        .put("maxDelayTarget", r.maxDelaySeconds()).put("numRetries", r.numRetries())
        .put("numMaxDelayRetries", r.numMaxDelayRetries()).put("numNoDelayRetries", r.numNoDelayRetries())
        .put("numMinDelayRetries", r.numMinDelayRetries()).put("backoffFunction", r.backoffFunction()));
  }
}
