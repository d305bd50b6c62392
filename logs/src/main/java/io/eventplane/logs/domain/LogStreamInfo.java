package io.eventplane.logs.domain;

import io.vertx.core.json.JsonObject;

/** A log stream as DescribeLogStreams shows it (without the ARN, which needs the caller's region). */
public record LogStreamInfo(String name, long creationTime, Long firstEventTimestamp, Long lastEventTimestamp,
    Long lastIngestionTime) {

  public JsonObject toJson() {
    JsonObject out = new JsonObject().put("logStreamName", name).put("creationTime", creationTime);
    if (firstEventTimestamp != null) out.put("firstEventTimestamp", firstEventTimestamp);
    if (lastEventTimestamp != null) out.put("lastEventTimestamp", lastEventTimestamp);
    if (lastIngestionTime != null) out.put("lastIngestionTime", lastIngestionTime);
    return out;
  }

  public static LogStreamInfo fromJson(JsonObject json) {
    return new LogStreamInfo(json.getString("logStreamName"), json.getLong("creationTime"),
        json.getLong("firstEventTimestamp"), json.getLong("lastEventTimestamp"), json.getLong("lastIngestionTime"));
  }
}
