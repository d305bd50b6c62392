package io.eventplane.eventbridge.domain;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An event bus (its rules live beside it, in the same partition). Immutable; changes make a new value. */
public record EventBus(BusRef ref, String description, long createdAt, long modifiedAt, Map<String, String> tags) {
  public EventBus {
    Objects.requireNonNull(ref, "ref");
    tags = Map.copyOf(tags == null ? Map.of() : tags);
  }

  public String name() {
    return ref.name();
  }

  public String arn() {
    return ref.arn();
  }

  public EventBus withTags(Map<String, String> newTags) {
    return new EventBus(ref, description, createdAt, modifiedAt, newTags);
  }

  public JsonObject toJson() {
    JsonObject tagJson = new JsonObject();
    new java.util.TreeMap<>(tags).forEach(tagJson::put);
    return new JsonObject().put("account", ref.account()).put("region", ref.region()).put("name", ref.name())
        .put("description", description).put("createdAt", createdAt).put("modifiedAt", modifiedAt).put("tags", tagJson);
  }

  public static EventBus fromJson(JsonObject j) {
    Map<String, String> tags = new LinkedHashMap<>();
    j.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    return new EventBus(new BusRef(j.getString("account"), j.getString("region"), j.getString("name")),
        j.getString("description"), j.getLong("createdAt"), j.getLong("modifiedAt"), tags);
  }
}
