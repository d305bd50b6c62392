package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.domain.TopicArn;
import io.eventplane.broker.topic.domain.TopicErrors;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading an SNS request's members, with SNS's errors for missing or mistyped ones. */
final class Inputs {
  private Inputs() {}

  static String required(JsonObject in, String name) {
    Object v = in.getValue(name);
    if (v == null) throw TopicErrors.missing(name);
    if (!(v instanceof String s)) throw TopicErrors.invalidParameter(name);
    return s;
  }

  static String optional(JsonObject in, String name) {
    Object v = in.getValue(name);
    if (v == null) return null;
    if (!(v instanceof String s)) throw TopicErrors.invalidParameter(name);
    return s;
  }

  static Map<String, String> stringMap(JsonObject in, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    Object v = in.getValue(name);
    if (v == null) return out;
    if (!(v instanceof JsonObject map)) throw TopicErrors.invalidParameter(name);
    for (Map.Entry<String, Object> e : map) {
      if (!(e.getValue() instanceof String s)) throw TopicErrors.invalidParameter(name);
      out.put(e.getKey(), s);
    }
    return out;
  }

  /**
   * A topic ARN member as SNS checks it: present, at least the six elements of an ARN, an SNS
   * topic, and in the caller's region (SNS refuses cross-region calls as an invalid TopicArn).
   */
  static TopicArn topicArn(JsonObject in, String member, RequestContext ctx) {
    Object v = in.getValue(member);
    if (v == null) throw TopicErrors.noValue(member);
    if (!(v instanceof String s)) throw TopicErrors.invalidParameter(member);
    return topicArn(s, member, ctx);
  }

  static TopicArn topicArn(String arn, String member, RequestContext ctx) {
    int elements = elements(arn);
    if (elements < 6) throw tooFewElements(member, elements);
    TopicArn parsed = TopicArn.parse(arn);
    if (parsed == null || !parsed.region().equals(ctx.region())) throw TopicErrors.invalidParameter(member);
    return parsed;
  }

  /**
   * The topic a SubscriptionArn member names. Six elements are a topic's ARN without the
   * subscription's id; text that is no ARN at all (the "pending confirmation" Subscribe answers
   * for an unconfirmed endpoint) is refused for its element count, as SNS does.
   */
  static TopicArn subscriptionTopic(JsonObject in, RequestContext ctx) {
    return subscriptionTopic(in, ctx.region());
  }

  /** @param region the caller's region (an unsigned call's is its ARN's, as the gateway sets it) */
  private static TopicArn subscriptionTopic(JsonObject in, String region) {
    Object v = in.getValue("SubscriptionArn");
    if (v == null) throw TopicErrors.noValue("SubscriptionArn");
    if (!(v instanceof String arn)) throw TopicErrors.invalidParameter("SubscriptionArn");
    int elements = elements(arn);
    if (elements < 6) throw tooFewElements("SubscriptionArn", elements);
    if (elements == 6) throw TopicErrors.invalidParameter("SubscriptionId");
    TopicArn topic = elements == 7 ? TopicArn.ofSubscription(arn) : null;
    if (topic == null || region != null && !topic.region().equals(region)) throw TopicErrors.invalidParameter("SubscriptionArn");
    return topic;
  }

  private static int elements(String arn) {
    return arn.split(":", -1).length;
  }

  private static io.eventplane.common.error.ServiceException tooFewElements(String member, int elements) {
    return TopicErrors.invalidParameter(member + " Reason: An ARN must have at least 6 elements, not " + elements);
  }

  /** Tags as SNS sends them: a list of {Key, Value}; a key given twice is refused. */
  static Map<String, String> tags(JsonObject in) {
    Map<String, String> out = new LinkedHashMap<>();
    Object v = in.getValue("Tags");
    if (v == null) return out;
    if (!(v instanceof JsonArray list)) throw TopicErrors.invalidParameter("Tags");
    for (Object item : list) {
      if (!(item instanceof JsonObject tag) || !(tag.getValue("Key") instanceof String key)) {
        throw TopicErrors.invalidParameter("Tags");
      }
      Object value = tag.getValue("Value");
      if (value != null && !(value instanceof String)) throw TopicErrors.invalidParameter("Tags");
      if (out.put(key, value == null ? "" : (String) value) != null) {
        throw TopicErrors.invalidParameter("Duplicated keys are not allowed.");
      }
    }
    return out;
  }

  static java.util.List<String> stringList(JsonObject in, String name) {
    Object v = in.getValue(name);
    if (v == null) return java.util.List.of();
    if (!(v instanceof JsonArray list)) throw TopicErrors.invalidParameter(name);
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String s)) throw TopicErrors.invalidParameter(name);
      out.add(s);
    }
    return out;
  }
}
