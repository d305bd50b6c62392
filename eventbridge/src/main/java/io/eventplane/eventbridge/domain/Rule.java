package io.eventplane.eventbridge.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A rule of a bus: its event pattern and/or schedule expression, state, and its targets in the
 * order they were first put. Immutable; every change makes a new value.
 */
public record Rule(BusRef bus, String name, String eventPattern, String scheduleExpression, String state,
    String description, String roleArn, String createdBy, Map<String, String> tags, Map<String, Target> targets) {
  public static final String ENABLED = "ENABLED";
  public static final String DISABLED = "DISABLED";
  public static final String ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
  public static final List<String> STATES = List.of(DISABLED, ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS);

  public Rule {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    tags = Map.copyOf(tags == null ? Map.of() : tags);
    targets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets == null ? Map.of() : targets));
  }

  public String arn() {
    return bus.ruleArn(name);
  }

  /** Whether events are matched against it (a disabled rule matches nothing). */
  public boolean enabled() {
    return !DISABLED.equals(state);
  }

  public Rule withState(String newState) {
    return new Rule(bus, name, eventPattern, scheduleExpression, newState, description, roleArn, createdBy, tags, targets);
  }

  public Rule withTags(Map<String, String> newTags) {
    return new Rule(bus, name, eventPattern, scheduleExpression, state, description, roleArn, createdBy, newTags, targets);
  }

  public Rule withTargets(Map<String, Target> newTargets) {
    return new Rule(bus, name, eventPattern, scheduleExpression, state, description, roleArn, createdBy, tags, newTargets);
  }

  public JsonObject toJson() {
    JsonArray targetJson = new JsonArray();
    for (Target t : targets.values()) targetJson.add(t.toJson());
    JsonObject tagJson = new JsonObject();
    new java.util.TreeMap<>(tags).forEach(tagJson::put);
    return new JsonObject().put("account", bus.account()).put("region", bus.region()).put("bus", bus.name())
        .put("name", name).put("eventPattern", eventPattern).put("scheduleExpression", scheduleExpression)
        .put("state", state).put("description", description).put("roleArn", roleArn).put("createdBy", createdBy)
        .put("tags", tagJson).put("targets", targetJson);
  }

  public static Rule fromJson(JsonObject j) {
    Map<String, String> tags = new LinkedHashMap<>();
    j.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    Map<String, Target> targets = new LinkedHashMap<>();
    for (Object o : j.getJsonArray("targets", new JsonArray())) {
      Target t = Target.of((JsonObject) o);
      targets.put(t.id(), t);
    }
    return new Rule(new BusRef(j.getString("account"), j.getString("region"), j.getString("bus")), j.getString("name"),
        j.getString("eventPattern"), j.getString("scheduleExpression"), j.getString("state"), j.getString("description"),
        j.getString("roleArn"), j.getString("createdBy"), tags, targets);
  }
}
