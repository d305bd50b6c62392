package io.eventplane.broker.topic.domain;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subscription attributes SNS lets a subscriber set, their checks, and what
 * GetSubscriptionAttributes lists, as SNS lists them: always Owner, Endpoint, Protocol, TopicArn,
 * SubscriptionArn, SubscriptionPrincipal, PendingConfirmation, ConfirmationWasAuthenticated and
 * RawMessageDelivery ({@code false} unless set); FilterPolicy with its FilterPolicyScope only once a
 * non-empty policy is set; the other settable attributes only when set; HTTP/S subscriptions also
 * their EffectiveDeliveryPolicy.
 *
 * <p>The same check words its refusal two ways: SetSubscriptionAttributes names the attribute
 * ({@code Invalid parameter: RawMessageDelivery: ...}), Subscribe prefixes the reason with the
 * member it came in ({@code Invalid parameter: Attributes Reason: RawMessageDelivery: ...}).
 */
public final class SubscriptionAttributes {
  private static final Set<String> SETTABLE = Set.of("DeliveryPolicy", "FilterPolicy", "FilterPolicyScope",
      "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy");
  /** Listed only when set, after the ones always listed. */
  private static final List<String> LISTED_WHEN_SET = List.of("RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy");
  private static final Set<String> RAW_PROTOCOLS = Set.of("sqs", "http", "https", "firehose");
  private static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=UTF-8";

  /** Where an attribute came from, which decides how a refusal is worded. */
  public enum Via {
    SUBSCRIBE("Attributes Reason: "),
    SET("");

    final String prefix;

    Via(String prefix) {
      this.prefix = prefix;
    }
  }

  private SubscriptionAttributes() {}

  /**
   * Checks one attribute for a subscription of this protocol on this topic.
   *
   * @param others the subscription's other attributes (a FilterPolicy is checked in its scope)
   */
  public static void validate(String name, String value, String protocol, Topic topic, Map<String, String> others, Via via) {
    if (!SETTABLE.contains(name)) throw TopicErrors.invalidParameter("AttributeName");
    if (value == null) throw TopicErrors.invalidParameter("AttributeValue");
    String p = via.prefix;
    switch (name) {
      case "RawMessageDelivery" -> {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw TopicErrors.invalidParameter(p + "RawMessageDelivery: Invalid value [" + value + "]. Must be true or false.");
        }
        if (value.equalsIgnoreCase("true") && !RAW_PROTOCOLS.contains(protocol)) {
          throw TopicErrors.invalidParameter(p + "Delivery protocol [" + protocol + "] does not support raw message delivery.");
        }
      }
      case "FilterPolicyScope" -> FilterPolicy.validateScope(value, p);
      case "FilterPolicy" -> FilterPolicy.validate(value,
          others.getOrDefault("FilterPolicyScope", FilterPolicy.MESSAGE_ATTRIBUTES), p);
      case "RedrivePolicy" -> validateRedrivePolicy(value, topic, p);
      case "DeliveryPolicy" -> {
        if (!value.isEmpty()) {
          JsonObject policy = JsonText.require("DeliveryPolicy", value, p);
          if (policy.getValue("healthyRetryPolicy") instanceof JsonObject r) RetryPolicy.validate(r);
        }
      }
      case "ReplayPolicy" -> throw TopicErrors.invalidParameter(p + "ReplayPolicy: message archiving and replay are not supported");
      default -> { }
    }
  }

  /** The value as SNS keeps it: RawMessageDelivery in lower case ({@code TrUe} is {@code true}). */
  public static String normalize(String name, String value) {
    return name.equals("RawMessageDelivery") && value != null ? value.toLowerCase(java.util.Locale.ROOT) : value;
  }

  private static void validateRedrivePolicy(String value, Topic topic, String prefix) {
    if (value.isEmpty()) return;
    JsonObject policy = JsonText.require("RedrivePolicy", value, prefix);
    String target = policy.getValue("deadLetterTargetArn") instanceof String s ? s : null;
    String[] arn = target == null ? null : target.split(":", -1);
    if (arn == null || arn.length != 6 || !arn[0].equals("arn") || !arn[2].equals("sqs") || arn[5].isEmpty()) {
      throw TopicErrors.invalidParameter(prefix + "RedrivePolicy: deadLetterTargetArn is an invalid arn");
    }
    if (topic.fifo() && !arn[5].endsWith(".fifo")) {
      throw TopicErrors.invalidParameter(prefix + "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.");
    }
    if (!topic.fifo() && arn[5].endsWith(".fifo")) {
      throw TopicErrors.invalidParameter(prefix + "RedrivePolicy: must use a standard queue as DLQ for a standard Subscription to a standard Topic.");
    }
  }

  /** The IAM identity that subscribed: the account's root, as GetCallerIdentity names callers here. */
  public static String principal(Subscription s) {
    return "arn:aws:iam::" + s.owner() + ":root";
  }

  /** What GetSubscriptionAttributes answers. */
  public static Map<String, String> describe(Subscription s, Topic topic) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("ConfirmationWasAuthenticated", Boolean.toString(confirmationWasAuthenticated(s)));
    out.put("Endpoint", s.endpoint());
    String filter = s.attributes().get("FilterPolicy");
    if (filter != null && !filter.isBlank()) {
      out.put("FilterPolicy", filter);
      out.put("FilterPolicyScope", s.attributes().getOrDefault("FilterPolicyScope", FilterPolicy.MESSAGE_ATTRIBUTES));
    }
    out.put("Owner", s.owner());
    out.put("PendingConfirmation", Boolean.toString(!s.confirmed()));
    out.put("Protocol", s.protocol());
    out.put("RawMessageDelivery", Boolean.toString(s.rawDelivery()));
    out.put("SubscriptionArn", s.arn());
    out.put("SubscriptionPrincipal", principal(s));
    out.put("TopicArn", s.topicArn());
    for (String name : LISTED_WHEN_SET) {
      String v = s.attributes().get(name);
      if (v != null && !v.isEmpty()) out.put(name, v);
    }
    String delivery = s.attributes().get("DeliveryPolicy");
    if (s.protocol().startsWith("http")) {
      if (delivery != null && !delivery.isEmpty()) out.put("DeliveryPolicy", subscriptionPolicy(new JsonObject(delivery)).encode());
      out.put("EffectiveDeliveryPolicy", effectiveHttpPolicy(s, topic).encode());
    } else if (delivery != null && !delivery.isEmpty()) {
      out.put("DeliveryPolicy", delivery);
    }
    return out;
  }

  /**
   * True for a subscription that needed no confirmation (SQS, Lambda, ...: it never had a token)
   * and for one confirmed with AuthenticateOnUnsubscribe.
   */
  static boolean confirmationWasAuthenticated(Subscription s) {
    return s.authenticated() || s.confirmed() && s.token() == null;
  }

  /** The retry policy of an HTTP/S subscription: its own, else its topic's, else SNS's default. */
  public static RetryPolicy httpRetryPolicy(Subscription s, Topic topic) {
    String own = s.attributes().get("DeliveryPolicy");
    if (own != null && !own.isEmpty() && new JsonObject(own).getValue("healthyRetryPolicy") instanceof JsonObject r) {
      return RetryPolicy.fromHealthyRetryPolicy(r);
    }
    return RetryPolicy.fromHealthyRetryPolicy(TopicAttributes.httpRetryPolicy(topic, s.protocol()));
  }

  /**
   * The Content-Type of an HTTP/S notification: the subscription's requestPolicy, else the
   * topic's defaultRequestPolicy, else {@code text/plain; charset=UTF-8}.
   */
  public static String contentType(Subscription s, Topic topic) {
    String own = s.attributes().get("DeliveryPolicy");
    if (own != null && !own.isEmpty() && new JsonObject(own).getValue("requestPolicy") instanceof JsonObject r
        && r.getValue("headerContentType") instanceof String type) {
      return type;
    }
    JsonObject topicPolicy = TopicAttributes.httpRequestPolicy(topic, s.protocol());
    if (topicPolicy != null && topicPolicy.getValue("headerContentType") instanceof String type) return type;
    return DEFAULT_CONTENT_TYPE;
  }

  /** A subscription's DeliveryPolicy as SNS lists it back: every part named, absent ones null. */
  private static JsonObject subscriptionPolicy(JsonObject given) {
    return new JsonObject()
        .put("healthyRetryPolicy", given.getValue("healthyRetryPolicy"))
        .put("sicklyRetryPolicy", given.getValue("sicklyRetryPolicy"))
        .put("throttlePolicy", given.getValue("throttlePolicy"))
        .put("requestPolicy", given.getValue("requestPolicy"))
        .put("guaranteed", given.getValue("guaranteed") instanceof Boolean b ? b : Boolean.FALSE);
  }

  private static JsonObject effectiveHttpPolicy(Subscription s, Topic topic) {
    String own = s.attributes().get("DeliveryPolicy");
    JsonObject given = own != null && !own.isEmpty() ? new JsonObject(own) : new JsonObject();
    RetryPolicy r = httpRetryPolicy(s, topic);
    return new JsonObject()
        .put("healthyRetryPolicy", RetryPolicy.describe(r))
        .put("sicklyRetryPolicy", given.getValue("sicklyRetryPolicy"))
        .put("throttlePolicy", given.getValue("throttlePolicy"))
        .put("requestPolicy", new JsonObject().put("headerContentType", contentType(s, topic)))
        .put("guaranteed", given.getValue("guaranteed") instanceof Boolean b ? b : Boolean.FALSE);
  }
}
