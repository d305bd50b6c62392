package io.eventplane.eventbridge.transform;

import io.eventplane.eventbridge.domain.EventsErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Kinesis target's {@code KinesisParameters.PartitionKeyPath}: a JSON path into the event (the
 * same subset as InputPath) whose value is the record's partition key. Immutable.
 */
public final class PartitionKeyPath {
  private final JsonPath path;

  private PartitionKeyPath(JsonPath path) {
    this.path = path;
  }

  /** The path; an {@link IllegalArgumentException} when it is not one. */
  public static PartitionKeyPath parse(String text) {
    return new PartitionKeyPath(JsonPath.parse(text));
  }

  /**
   * Checks, as PutTargets does, that the path is one EventBridge can evaluate (its presence and
   * length are the model's, checked with the other members).
   */
  public static void check(String id, String text) {
    try {
      JsonPath.parse(text);
    } catch (IllegalArgumentException e) {
      throw EventsErrors.validation("PartitionKeyPath for target " + id + " is invalid.");
    }
  }

  /**
   * The partition key for {@code event}: a string as it is, another JSON value as its JSON text,
   * or null when the path selects nothing (or null, or an empty array of a wildcard).
   */
  public String select(JsonObject event) {
    Object v = path.select(event);
    if (v == JsonPath.MISSING || v == null) return null;
    if (v instanceof JsonArray a && a.isEmpty()) return null;
    if (v instanceof String s) return s.isEmpty() ? null : s;
    if (v instanceof JsonObject o) return o.encode();
    if (v instanceof JsonArray a) return a.encode();
    return String.valueOf(v);
  }
}
