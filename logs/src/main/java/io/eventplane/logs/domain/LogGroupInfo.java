package io.eventplane.logs.domain;

import io.vertx.core.json.JsonObject;

/**
 * A log group as one node keeps it: the same group can have streams on several nodes.
 *
 * @param retentionInDays PutRetentionPolicy's value, or null (never expire)
 */
public record LogGroupInfo(String name, long creationTime, long storedBytes, Integer retentionInDays) {
  public LogGroupInfo(String name, long creationTime, long storedBytes) {
    this(name, creationTime, storedBytes, null);
  }

  public JsonObject toJson() {
    JsonObject out = new JsonObject().put("logGroupName", name).put("creationTime", creationTime).put("storedBytes", storedBytes);
    if (retentionInDays != null) out.put("retentionInDays", retentionInDays);
    return out;
  }

  public static LogGroupInfo fromJson(JsonObject json) {
    return new LogGroupInfo(json.getString("logGroupName"), json.getLong("creationTime"), json.getLong("storedBytes"),
        json.getInteger("retentionInDays"));
  }

  /** The group as the cluster shows it: created when its first node created it, holding what all hold. */
  public LogGroupInfo merge(LogGroupInfo other) {
    return new LogGroupInfo(name, Math.min(creationTime, other.creationTime), storedBytes + other.storedBytes,
        retentionInDays != null ? retentionInDays : other.retentionInDays);
  }
}
