package io.eventplane.functions.async;

import io.eventplane.functions.domain.Function;
import io.vertx.core.json.JsonObject;

/**
 * An Event invocation waiting in its function's asynchronous queue.
 *
 * @param attempts how many times it has been tried so far
 * @param nextAttemptAt when it may be tried next (epoch millis)
 */
record AsyncEvent(String accountId, String region, String functionName, String version, String requestId, byte[] payload,
    long enqueuedAt, int attempts, long nextAttemptAt) {

  AsyncEvent retried(long at) {
    return new AsyncEvent(accountId, region, functionName, version, requestId, payload, enqueuedAt, attempts + 1, at);
  }

  AsyncEvent throttled(long at) {
    return new AsyncEvent(accountId, region, functionName, version, requestId, payload, enqueuedAt, attempts, at);
  }

  JsonObject toJson() {
    return new JsonObject().put("account", accountId).put("region", region).put("function", functionName).put("version", version)
        .put("requestId", requestId)
        .put("payload", payload).put("enqueuedAt", enqueuedAt).put("attempts", attempts)
        .put("nextAttemptAt", nextAttemptAt);
  }

  static AsyncEvent fromJson(JsonObject j) {
    return new AsyncEvent(j.getString("account"), j.getString("region"), j.getString("function"), j.getString("version", Function.LATEST),
        j.getString("requestId"),
        j.getBinary("payload"), j.getLong("enqueuedAt"), j.getInteger("attempts"), j.getLong("nextAttemptAt"));
  }
}
