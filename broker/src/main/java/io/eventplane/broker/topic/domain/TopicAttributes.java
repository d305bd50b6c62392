package io.eventplane.broker.topic.domain;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The topic attributes SNS lets a caller set, their checks, and what GetTopicAttributes shows. */
public final class TopicAttributes {
  private static final Set<String> SETTABLE = Set.of("DeliveryPolicy", "DisplayName", "Policy", "TracingConfig",
      "KmsMasterKeyId", "SignatureVersion", "ContentBasedDeduplication", "FifoTopic", "ArchivePolicy",
      "FifoThroughputScope", "DataProtectionPolicy",
      "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate", "ApplicationFailureFeedbackRoleArn",
      "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
      "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn",
      "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate", "SQSFailureFeedbackRoleArn",
      "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate", "FirehoseFailureFeedbackRoleArn");
  /** FIFO-only attributes. */
  private static final Set<String> FIFO_ONLY = Set.of("ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope");

  private TopicAttributes() {}

  /**
   * Checks one attribute as CreateTopic or SetTopicAttributes gets it.
   *
   * @param creating FifoTopic may only be given at creation
   */
  public static void validate(String name, String value, boolean fifo, boolean creating) {
    if (!SETTABLE.contains(name)) throw TopicErrors.invalidParameter("AttributeName");
    if (value == null) throw TopicErrors.invalidParameter("AttributeValue");
    if (FIFO_ONLY.contains(name) && !fifo && !(name.equals("ContentBasedDeduplication") && "false".equals(value))) {
      throw TopicErrors.invalidParameter("Attributes Reason: " + name + " is only valid for FIFO topics");
    }
    switch (name) {
      case "FifoTopic" -> {
        if (!creating) throw TopicErrors.invalidParameter("AttributeName");
        if (!value.equals("true") && !value.equals("false")) throw TopicErrors.invalidParameter("Attributes Reason: FifoTopic");
      }
      case "ContentBasedDeduplication" -> {
        if (!value.equals("true") && !value.equals("false")) {
          throw TopicErrors.invalidParameter("Attributes Reason: ContentBasedDeduplication");
        }
      }
      case "SignatureVersion" -> {
        if (!value.equals("1") && !value.equals("2")) {
          throw TopicErrors.invalidParameter("Attributes Reason: SignatureVersion must be 1 or 2");
        }
      }
      case "TracingConfig" -> {
        if (!value.equals("Active") && !value.equals("PassThrough")) {
          throw TopicErrors.invalidParameter("Attributes Reason: TracingConfig must be Active or PassThrough");
        }
      }
      case "FifoThroughputScope" -> {
        if (!value.equals("Topic") && !value.equals("MessageGroup")) {
          throw TopicErrors.invalidParameter("Attributes Reason: FifoThroughputScope must be Topic or MessageGroup");
        }
      }
      case "DisplayName" -> {
        if (value.length() > 100) throw TopicErrors.invalidParameter("DisplayName");
      }
      case "DeliveryPolicy" -> validateDeliveryPolicy(value);
      case "Policy", "DataProtectionPolicy", "ArchivePolicy" -> {
        if (!value.isEmpty()) parseObject(name, value);
      }
      default -> { }
    }
  }

  /** A topic's DeliveryPolicy: per protocol, only {@code http}/{@code https} are read. */
  static void validateDeliveryPolicy(String value) {
    if (value.isEmpty()) return;
    JsonObject policy = parseObject("DeliveryPolicy", value);
    for (String protocol : new String[] {"http", "https"}) {
      JsonObject p = policy.getValue(protocol) instanceof JsonObject o ? o : null;
      if (p != null && p.getValue("defaultHealthyRetryPolicy") instanceof JsonObject r) RetryPolicy.validate(r);
    }
  }

  static JsonObject parseObject(String name, String value) {
    try {
      return new JsonObject(value);
    } catch (DecodeException | ClassCastException e) {
      throw TopicErrors.invalidParameter("Attributes Reason: " + name + ": failed to parse JSON");
    }
  }

  /** The HTTP retry policy a topic gives its HTTP/S subscriptions, or null for the default. */
  public static JsonObject httpRetryPolicy(Topic topic, String protocol) {
    JsonObject p = httpPart(topic, protocol);
    return p != null && p.getValue("defaultHealthyRetryPolicy") instanceof JsonObject r ? r : null;
  }

  /** The request policy (headerContentType) a topic gives its HTTP/S subscriptions, or null. */
  public static JsonObject httpRequestPolicy(Topic topic, String protocol) {
    JsonObject p = httpPart(topic, protocol);
    return p != null && p.getValue("defaultRequestPolicy") instanceof JsonObject r ? r : null;
  }

  private static JsonObject httpPart(Topic topic, String protocol) {
    String value = topic.attributes().get("DeliveryPolicy");
    if (value == null || value.isEmpty()) return null;
    JsonObject policy = new JsonObject(value);
    return policy.getValue(protocol) instanceof JsonObject o ? o
        : policy.getValue("http") instanceof JsonObject h ? h : null;
  }

  /**
   * A topic's DeliveryPolicy as SNS lists it back: each protocol's part with
   * {@code disableSubscriptionOverrides} (false unless given) after the policies, parts set to
   * null left out.
   */
  static String listedDeliveryPolicy(String value) {
    JsonObject given = new JsonObject(value);
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : given) {
      out.put(e.getKey(), e.getValue() instanceof JsonObject part ? listedPart(part) : e.getValue());
    }
    return out.encode();
  }

  private static JsonObject listedPart(JsonObject part) {
    JsonObject out = new JsonObject();
    for (String key : new String[] {"defaultHealthyRetryPolicy", "defaultSicklyRetryPolicy", "defaultThrottlePolicy"}) {
      if (part.getValue(key) != null) out.put(key, part.getValue(key));
    }
    out.put("disableSubscriptionOverrides", part.getValue("disableSubscriptionOverrides") instanceof Boolean b ? b : Boolean.FALSE);
    if (part.getValue("defaultRequestPolicy") != null) out.put("defaultRequestPolicy", part.getValue("defaultRequestPolicy"));
    for (Map.Entry<String, Object> e : part) {
      if (!out.containsKey(e.getKey()) && e.getValue() != null) out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /**
   * What SNS delivers to HTTP/S endpoints with: the topic's policy over SNS's defaults, every
   * retry field named (a topic without a DeliveryPolicy shows the defaults).
   */
  static String effectiveDeliveryPolicy(Topic t) {
    JsonObject http = httpPart(t, "http");
    JsonObject part = new JsonObject()
        .put("defaultHealthyRetryPolicy", RetryPolicy.describe(RetryPolicy.fromHealthyRetryPolicy(httpRetryPolicy(t, "http"))));
    if (http != null && http.getValue("defaultSicklyRetryPolicy") != null) part.put("defaultSicklyRetryPolicy", http.getValue("defaultSicklyRetryPolicy"));
    if (http != null && http.getValue("defaultThrottlePolicy") != null) part.put("defaultThrottlePolicy", http.getValue("defaultThrottlePolicy"));
    part.put("disableSubscriptionOverrides", http != null && http.getValue("disableSubscriptionOverrides") instanceof Boolean b ? b : Boolean.FALSE);
    JsonObject request = httpRequestPolicy(t, "http");
    part.put("defaultRequestPolicy", request != null ? request : new JsonObject().put("headerContentType", "text/plain; charset=UTF-8"));
    return new JsonObject().put("http", part).encode();
  }

  /** Everything GetTopicAttributes answers. */
  public static Map<String, String> describe(Topic t) {
    Map<String, String> out = new LinkedHashMap<>();
    long confirmed = t.subscriptions().values().stream().filter(Subscription::confirmed).count();
    out.put("Policy", t.attributes().getOrDefault("Policy", defaultPolicy(t)));
    out.put("Owner", t.accountId());
    out.put("SubscriptionsPending", Long.toString(t.subscriptions().size() - confirmed));
    out.put("TopicArn", t.arnString());
    out.put("EffectiveDeliveryPolicy", effectiveDeliveryPolicy(t));
    out.put("SubscriptionsConfirmed", Long.toString(confirmed));
    out.put("DisplayName", t.attributes().getOrDefault("DisplayName", ""));
    out.put("SubscriptionsDeleted", Long.toString(t.subscriptionsDeleted()));
    if (t.fifo()) {
      out.put("FifoTopic", "true");
      out.put("ContentBasedDeduplication", Boolean.toString(t.contentBasedDeduplication()));
    }
    String delivery = t.attributes().get("DeliveryPolicy");
    if (delivery != null && !delivery.isEmpty()) out.put("DeliveryPolicy", listedDeliveryPolicy(delivery));
    for (Map.Entry<String, String> e : t.attributes().entrySet()) {
      if (!out.containsKey(e.getKey()) && !e.getKey().equals("FifoTopic") && !e.getKey().equals("DeliveryPolicy")) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  static String defaultPolicy(Topic t) {
    String arn = t.arnString();
    return new JsonObject().put("Version", "2008-10-17").put("Id", "__default_policy_ID")
        .put("Statement", new io.vertx.core.json.JsonArray().add(new JsonObject()
            .put("Sid", "__default_statement_ID").put("Effect", "Allow")
            .put("Principal", new JsonObject().put("AWS", "*"))
            .put("Action", new io.vertx.core.json.JsonArray().add("SNS:GetTopicAttributes").add("SNS:SetTopicAttributes")
                .add("SNS:AddPermission").add("SNS:RemovePermission").add("SNS:DeleteTopic").add("SNS:Subscribe")
                .add("SNS:ListSubscriptionsByTopic").add("SNS:Publish"))
            .put("Resource", arn)
            .put("Condition", new JsonObject().put("StringEquals", new JsonObject().put("AWS:SourceOwner", t.accountId())))))
        .encode();
  }
}
