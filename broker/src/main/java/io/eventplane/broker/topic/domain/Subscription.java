package io.eventplane.broker.topic.domain;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subscription of an endpoint to a topic. {@code attributes} holds what the subscriber set
 * (RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, DeliveryPolicy,
 * SubscriptionRoleArn); the rest of GetSubscriptionAttributes is derived. A subscription that
 * waits for its endpoint's confirmation has a token and delivers nothing.
 */
public final class Subscription {
  private final String arn;
  private final String topicArn;
  private final String protocol;
  private final String endpoint;
  private final String owner;
  private final Map<String, String> attributes;
  private String token;
  private boolean confirmed;
  private boolean authenticated;
  private FilterPolicy filter;

  public Subscription(String arn, String topicArn, String protocol, String endpoint, String owner,
      Map<String, String> attributes, String token, boolean confirmed, boolean authenticated) {
    this.arn = arn;
    this.topicArn = topicArn;
    this.protocol = protocol;
    this.endpoint = endpoint;
    this.owner = owner;
    this.attributes = new LinkedHashMap<>(attributes);
    this.token = token;
    this.confirmed = confirmed;
    this.authenticated = authenticated;
    this.filter = FilterPolicy.of(attributes.get("FilterPolicy"), attributes.get("FilterPolicyScope"));
  }

  public String arn() {
    return arn;
  }

  public String topicArn() {
    return topicArn;
  }

  public String protocol() {
    return protocol;
  }

  public String endpoint() {
    return endpoint;
  }

  public String owner() {
    return owner;
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  public String token() {
    return token;
  }

  public boolean confirmed() {
    return confirmed;
  }

  public boolean authenticated() {
    return authenticated;
  }

  public boolean rawDelivery() {
    return "true".equalsIgnoreCase(attributes.get("RawMessageDelivery"));
  }

  /** The DLQ's ARN from the RedrivePolicy, or null. */
  public String deadLetterTargetArn() {
    String policy = attributes.get("RedrivePolicy");
    if (policy == null || policy.isBlank()) return null;
    return new JsonObject(policy).getString("deadLetterTargetArn");
  }

  public FilterPolicy filter() {
    return filter;
  }

  /** A new token: the one an UnsubscribeConfirmation hands out to restore the subscription. */
  public void reissue(String newToken) {
    token = newToken;
  }

  public void confirm(boolean authenticateOnUnsubscribe) {
    confirmed = true;
    authenticated = authenticateOnUnsubscribe;
  }

  /** Sets (or with a null value removes) one attribute, already validated. */
  public void setAttribute(String name, String value) {
    if (value == null) attributes.remove(name);
    else attributes.put(name, value);
    if (name.equals("FilterPolicy") || name.equals("FilterPolicyScope")) {
      filter = FilterPolicy.of(attributes.get("FilterPolicy"), attributes.get("FilterPolicyScope"));
    }
  }

  public JsonObject toJson() {
    JsonObject attrs = new JsonObject();
    attributes.forEach(attrs::put);
    return new JsonObject().put("arn", arn).put("topicArn", topicArn).put("protocol", protocol).put("endpoint", endpoint)
        .put("owner", owner).put("attributes", attrs).put("token", token).put("confirmed", confirmed)
        .put("authenticated", authenticated);
  }

  public static Subscription fromJson(JsonObject j) {
    Map<String, String> attrs = new LinkedHashMap<>();
    j.getJsonObject("attributes", new JsonObject()).forEach(e -> attrs.put(e.getKey(), String.valueOf(e.getValue())));
    return new Subscription(j.getString("arn"), j.getString("topicArn"), j.getString("protocol"), j.getString("endpoint"),
        j.getString("owner"), attrs, j.getString("token"), j.getBoolean("confirmed", false),
        j.getBoolean("authenticated", false));
  }
}
