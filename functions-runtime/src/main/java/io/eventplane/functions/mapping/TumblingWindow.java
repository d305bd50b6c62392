package io.eventplane.functions.mapping;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The tumbling window a shard's reader is aggregating (TumblingWindowInSeconds): windows are aligned
 * on the epoch, a record belongs to the one holding its arrival time, and the state is what the
 * function returned last for the window ({@code {}} at first). Kept with the shard's checkpoint so a
 * restart goes on with the window and its state.
 *
 * @param start epoch millis, inclusive
 * @param end epoch millis, exclusive
 */
record TumblingWindow(long start, long end, JsonObject state) {
  /** Lambda's limit on a window's state per shard: a larger state terminates the window early. */
  static final int MAX_STATE_BYTES = 1024 * 1024;

  static long startOf(long arrivalMillis, int seconds) {
    long size = seconds * 1000L;
    return Math.floorDiv(arrivalMillis, size) * size;
  }

  /** The window holding a record that arrived at {@code arrivalMillis}, with an empty state. */
  static TumblingWindow of(long arrivalMillis, int seconds) {
    long start = startOf(arrivalMillis, seconds);
    return new TumblingWindow(start, start + seconds * 1000L, new JsonObject());
  }

  TumblingWindow withState(JsonObject next) {
    return new TumblingWindow(start, end, next);
  }

  /** The same window with a fresh state (after it was terminated early). */
  TumblingWindow fresh() {
    return withState(new JsonObject());
  }

  boolean oversized() {
    return state.encode().getBytes(StandardCharsets.UTF_8).length > MAX_STATE_BYTES;
  }

  /**
   * Adds the members Lambda adds to a stream event for a tumbling window (as the developer guide's
   * KinesisTimeWindowEvent shows them): window start and end in ISO-8601, the state, the shard, the
   * stream's ARN and the two flags.
   */
  JsonObject addTo(JsonObject event, String shardId, String streamArn, boolean finalInvoke, boolean terminatedEarly) {
    return event.put("window", new JsonObject().put("start", iso(start)).put("end", iso(end)))
        .put("state", state.copy())
        .put("shardId", shardId)
        .put("eventSourceARN", streamArn)
        .put("isFinalInvokeForWindow", finalInvoke)
        .put("isWindowTerminatedEarly", terminatedEarly);
  }

  /**
   * The {@code state} of a function's answer (a TimeWindowEventResponse), or null when the answer has
   * none: Lambda counts such an answer as a failed invocation.
   */
  static JsonObject stateOf(byte[] payload) {
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(new String(payload, StandardCharsets.UTF_8));
      if (parsed instanceof JsonObject answer && answer.getValue("state") instanceof JsonObject state) return state;
      return null;
    } catch (DecodeException e) {
      return null;
    }
  }

  String toJson() {
    return new JsonObject().put("start", start).put("end", end).put("state", state).encode();
  }

  /** A stored window, or null for none (an empty value: the last window was closed). */
  static TumblingWindow fromJson(String stored) {
    if (stored == null || stored.isEmpty()) return null;
    JsonObject j = new JsonObject(stored);
    return new TumblingWindow(j.getLong("start"), j.getLong("end"), j.getJsonObject("state"));
  }

  private static String iso(long millis) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis));
  }
}
