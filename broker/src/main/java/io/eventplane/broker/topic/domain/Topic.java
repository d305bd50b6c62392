package io.eventplane.broker.topic.domain;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A topic: its settable attributes, tags, permissions (AddPermission labels) and subscriptions.
 * Everything about a topic lives in its partition, subscriptions included, so one node decides
 * about a topic and its deliveries.
 */
public final class Topic {
  private final TopicArn arn;
  private final long createdAt;
  private final Map<String, String> attributes;
  private final Map<String, String> tags;
  private final Map<String, JsonObject> permissions;
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  /**
   * HTTP/S subscriptions deleted by Unsubscribe, by ARN, with the token of their
   * UnsubscribeConfirmation: ConfirmSubscription with that token restores one, as on SNS.
   */
  /** Unsubscribed HTTP/S subscriptions kept restorable at most, per topic (the oldest go first). */
  static final int DEACTIVATED_KEPT = 100;

  private final Map<String, Subscription> deactivated = new LinkedHashMap<>();
  private long subscriptionsDeleted;

  public Topic(TopicArn arn, long createdAt, Map<String, String> attributes, Map<String, String> tags,
      Map<String, JsonObject> permissions, long subscriptionsDeleted) {
    this.arn = arn;
    this.createdAt = createdAt;
    this.attributes = new LinkedHashMap<>(attributes);
    this.tags = new LinkedHashMap<>(tags);
    this.permissions = new LinkedHashMap<>(permissions);
    this.subscriptionsDeleted = subscriptionsDeleted;
  }

  public TopicArn arn() {
    return arn;
  }

  public String arnString() {
    return arn.toString();
  }

  public String name() {
    return arn.name();
  }

  public String accountId() {
    return arn.accountId();
  }

  public long createdAt() {
    return createdAt;
  }

  public boolean fifo() {
    return "true".equalsIgnoreCase(attributes.get("FifoTopic"));
  }

  public boolean contentBasedDeduplication() {
    return "true".equalsIgnoreCase(attributes.get("ContentBasedDeduplication"));
  }

  /** "1" or "2": which hash the envelope's signature uses. */
  public String signatureVersion() {
    return attributes.getOrDefault("SignatureVersion", "1");
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  public Map<String, String> tags() {
    return tags;
  }

  public Map<String, JsonObject> permissions() {
    return permissions;
  }

  public Map<String, Subscription> subscriptions() {
    return subscriptions;
  }

  public Map<String, Subscription> deactivated() {
    return deactivated;
  }

  /**
   * Keeps an unsubscribed HTTP/S subscription aside, restorable through its UnsubscribeConfirmation's
   * SubscribeURL; only the latest {@link #DEACTIVATED_KEPT} are kept, so a topic whose endpoints
   * come and go does not grow without bound.
   */
  public void deactivate(Subscription sub) {
    deactivated.remove(sub.arn());
    deactivated.put(sub.arn(), sub);
    var oldest = deactivated.keySet().iterator();
    while (deactivated.size() > DEACTIVATED_KEPT) {
      oldest.next();
      oldest.remove();
    }
  }

  public long subscriptionsDeleted() {
    return subscriptionsDeleted;
  }

  public void countDeletedSubscription() {
    subscriptionsDeleted++;
  }

  public JsonObject toJson() {
    JsonObject attrs = new JsonObject();
    attributes.forEach(attrs::put);
    JsonObject tagJson = new JsonObject();
    tags.forEach(tagJson::put);
    JsonObject perms = new JsonObject();
    permissions.forEach(perms::put);
    return new JsonObject().put("arn", arn.toString()).put("createdAt", createdAt).put("attributes", attrs)
        .put("tags", tagJson).put("permissions", perms).put("subscriptionsDeleted", subscriptionsDeleted);
  }

  public static Topic fromJson(JsonObject j) {
    Map<String, String> attrs = new LinkedHashMap<>();
    j.getJsonObject("attributes", new JsonObject()).forEach(e -> attrs.put(e.getKey(), String.valueOf(e.getValue())));
    Map<String, String> tags = new LinkedHashMap<>();
    j.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    Map<String, JsonObject> perms = new LinkedHashMap<>();
    j.getJsonObject("permissions", new JsonObject()).forEach(e -> perms.put(e.getKey(), (JsonObject) e.getValue()));
    return new Topic(TopicArn.parse(j.getString("arn")), j.getLong("createdAt"), attrs, tags, perms,
        j.getLong("subscriptionsDeleted", 0L));
  }
}
