package io.eventplane.functions.domain;

import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * A function's configuration for asynchronous invocation (Put/UpdateFunctionEventInvokeConfig):
 * how often a failed event is retried, how old it may get, and where invocation records go.
 *
 * @param maximumRetryAttempts 0-2, null for the default (2)
 * @param maximumEventAgeSeconds 60-21600, null for the default (6 hours)
 * @param onSuccess the destination ARN for successful invocations, or null
 * @param onFailure the destination ARN for events that gave up, or null
 * @param lastModified epoch millis
 */
public record EventInvokeConfig(Integer maximumRetryAttempts, Integer maximumEventAgeSeconds, String onSuccess,
    String onFailure, long lastModified) {
  public static final int DEFAULT_RETRIES = 2;
  public static final int DEFAULT_MAX_AGE_SECONDS = 21_600;
  /** What an async invocation uses when the function has no configuration. */
  public static final EventInvokeConfig DEFAULTS = new EventInvokeConfig(null, null, null, null, 0);

  public int retries() {
    return maximumRetryAttempts == null ? DEFAULT_RETRIES : maximumRetryAttempts;
  }

  public long maxAgeMillis() {
    return (maximumEventAgeSeconds == null ? DEFAULT_MAX_AGE_SECONDS : maximumEventAgeSeconds) * 1000L;
  }

  /** The FunctionEventInvokeConfig shape of the API reference. */
  public JsonObject output(String functionArn) {
    JsonObject out = new JsonObject().put("LastModified", lastModified / 1000.0).put("FunctionArn", functionArn + ":$LATEST");
    if (maximumRetryAttempts != null) out.put("MaximumRetryAttempts", maximumRetryAttempts);
    if (maximumEventAgeSeconds != null) out.put("MaximumEventAgeInSeconds", maximumEventAgeSeconds);
    JsonObject destinations = new JsonObject();
    destinations.put("OnSuccess", onSuccess == null ? new JsonObject() : new JsonObject().put("Destination", onSuccess));
    destinations.put("OnFailure", onFailure == null ? new JsonObject() : new JsonObject().put("Destination", onFailure));
    return out.put("DestinationConfig", destinations);
  }

  public JsonObject toJson() {
    return new JsonObject().put("retries", maximumRetryAttempts).put("maxAge", maximumEventAgeSeconds)
        .put("onSuccess", onSuccess).put("onFailure", onFailure).put("modified", lastModified);
  }

  public static EventInvokeConfig fromJson(JsonObject j) {
    return new EventInvokeConfig(j.getInteger("retries"), j.getInteger("maxAge"), j.getString("onSuccess"),
        j.getString("onFailure"), j.getLong("modified", 0L));
  }

  public EventInvokeConfig touched(Clock clock) {
    return new EventInvokeConfig(maximumRetryAttempts, maximumEventAgeSeconds, onSuccess, onFailure, clock.millis());
  }
}
