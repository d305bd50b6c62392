package io.eventplane.logs.domain;

import io.vertx.core.json.JsonObject;

/**
 * One event of a log stream as CloudWatch Logs keeps it.
 *
 * @param timestamp when it was logged, milliseconds since the epoch
 * @param ingestionTime when the node stored it
 * @param message the text, newlines included (one LambdaLogger call can be many lines)
 */
public record LogEvent(long timestamp, long ingestionTime, String message) {
  /** What PutLogEvents counts for an event: its UTF-8 bytes plus 26 (the 1 MB response limit counts the same way). */
  public int size() {
    return io.eventplane.common.text.Utf8.length(message) + 26;
  }

  public JsonObject output() {
    return new JsonObject().put("timestamp", timestamp).put("message", message).put("ingestionTime", ingestionTime);
  }
}
