package io.eventplane.eventbridge.domain;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event bus (its rules live beside it, in the same partition). Immutable; changes make a new
 * value. {@code kmsKeyIdentifier}, {@code deadLetterArn} and {@code policy} (the resource policy
 * as DescribeEventBus shows it, JSON text) are null when unset.
 */
public record EventBus(BusRef ref, String description, long createdAt, long modifiedAt, Map<String, String> tags,
    String kmsKeyIdentifier, String deadLetterArn, String policy) {
  public EventBus {
    Objects.requireNonNull(ref, "ref");
    tags = Map.copyOf(tags == null ? Map.of() : tags);
  }

  public EventBus(BusRef ref, String description, long createdAt, long modifiedAt, Map<String, String> tags) {
    this(ref, description, createdAt, modifiedAt, tags, null, null, null);
  }

  public String name() {
    return ref.name();
  }

  public String arn() {
    return ref.arn();
  }

  public EventBus withTags(Map<String, String> newTags) {
    return new EventBus(ref, description, createdAt, modifiedAt, newTags, kmsKeyIdentifier, deadLetterArn, policy);
  }

  /** UpdateEventBus: what the call gives replaces what the bus had. */
  public EventBus withSettings(String newDescription, String newKmsKeyIdentifier, String newDeadLetterArn, long now) {
    return new EventBus(ref, newDescription, createdAt, now, tags, newKmsKeyIdentifier, newDeadLetterArn, policy);
  }

  /** The bus with this resource policy (null: none). */
  public EventBus withPolicy(String newPolicy, long now) {
    return new EventBus(ref, description, createdAt, now, tags, kmsKeyIdentifier, deadLetterArn, newPolicy);
  }

  public JsonObject toJson() {
    JsonObject tagJson = new JsonObject();
    new java.util.TreeMap<>(tags).forEach(tagJson::put);
    JsonObject j = new JsonObject().put("account", ref.account()).put("region", ref.region()).put("name", ref.name())
        .put("description", description).put("createdAt", createdAt).put("modifiedAt", modifiedAt).put("tags", tagJson);
    if (kmsKeyIdentifier != null) j.put("kmsKeyIdentifier", kmsKeyIdentifier);
    if (deadLetterArn != null) j.put("deadLetterArn", deadLetterArn);
    if (policy != null) j.put("policy", policy);
    return j;
  }

  public static EventBus fromJson(JsonObject j) {
    Map<String, String> tags = new LinkedHashMap<>();
    j.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    return new EventBus(new BusRef(j.getString("account"), j.getString("region"), j.getString("name")),
        j.getString("description"), j.getLong("createdAt"), j.getLong("modifiedAt"), tags,
        j.getString("kmsKeyIdentifier"), j.getString("deadLetterArn"), j.getString("policy"));
  }
}
