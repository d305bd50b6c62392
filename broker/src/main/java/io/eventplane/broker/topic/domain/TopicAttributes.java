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
  private static final String DEFAULT_DELIVERY_POLICY = "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,"
      + "\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,"
      + "\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},\"disableSubscriptionOverrides\":false,"
      + "\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}";

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
    String value = topic.attributes().get("DeliveryPolicy");
    if (value == null || value.isEmpty()) return null;
    JsonObject policy = new JsonObject(value);
    JsonObject p = policy.getValue(protocol) instanceof JsonObject o ? o
        : policy.getValue("http") instanceof JsonObject h ? h : null;
    return p != null && p.getValue("defaultHealthyRetryPolicy") instanceof JsonObject r ? r : null;
  }

  /** Everything GetTopicAttributes answers. */
  public static Map<String, String> describe(Topic t) {
    Map<String, String> out = new LinkedHashMap<>();
    long confirmed = t.subscriptions().values().stream().filter(Subscription::confirmed).count();
    out.put("Policy", t.attributes().getOrDefault("Policy", defaultPolicy(t)));
    out.put("Owner", t.accountId());
    out.put("SubscriptionsPending", Long.toString(t.subscriptions().size() - confirmed));
    out.put("TopicArn", t.arnString());
    out.put("EffectiveDeliveryPolicy", t.attributes().getOrDefault("DeliveryPolicy", DEFAULT_DELIVERY_POLICY));
    out.put("SubscriptionsConfirmed", Long.toString(confirmed));
    out.put("DisplayName", t.attributes().getOrDefault("DisplayName", ""));
    out.put("SubscriptionsDeleted", Long.toString(t.subscriptionsDeleted()));
    if (t.fifo()) {
      out.put("FifoTopic", "true");
      out.put("ContentBasedDeduplication", Boolean.toString(t.contentBasedDeduplication()));
    }
    for (Map.Entry<String, String> e : t.attributes().entrySet()) {
      if (!out.containsKey(e.getKey()) && !e.getKey().equals("FifoTopic")) out.put(e.getKey(), e.getValue());
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
