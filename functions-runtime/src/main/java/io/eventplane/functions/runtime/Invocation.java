package io.eventplane.functions.runtime;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;

/**
 * One invocation on its way through an instance: what the Runtime API hands the worker, and the
 * result the caller waits for. Lives on the function service's context.
 *
 * @param clientContext the base64 X-Amz-Client-Context, or null
 */
public final class Invocation {
  private final String requestId;
  private final byte[] payload;
  private final String clientContext;
  private final String qualifier;
  private final Promise<InvocationResult> result = Promise.promise();
  private final StringBuilder log = new StringBuilder();
  private long startedNanos;
  private long deadlineMillis;

  public Invocation(String requestId, byte[] payload, String clientContext) {
    this(requestId, payload, clientContext, null);
  }

  /** @param qualifier the alias or version the caller named (null: none), which AWS/Lambda's metrics name */
  public Invocation(String requestId, byte[] payload, String clientContext, String qualifier) {
    this.requestId = requestId;
    this.payload = payload;
    this.clientContext = clientContext;
    this.qualifier = qualifier;
  }

  /** The alias or version the caller named, or null. */
  public String qualifier() {
    return qualifier;
  }

  public String requestId() {
    return requestId;
  }

  public byte[] payload() {
    return payload;
  }

  public String clientContext() {
    return clientContext;
  }

  public Future<InvocationResult> result() {
    return result.future();
  }

  void started(long nanos, long deadlineMillis) {
    this.startedNanos = nanos;
    this.deadlineMillis = deadlineMillis;
  }

  long startedNanos() {
    return startedNanos;
  }

  long deadlineMillis() {
    return deadlineMillis;
  }

  boolean done() {
    return result.future().isComplete();
  }

  void log(String line) {
    log.append(line).append('\n');
  }

  String logText() {
    return log.toString();
  }

  void complete(byte[] response, String functionError) {
    result.tryComplete(new InvocationResult(response, functionError, log.toString()));
  }

  /** An error the platform reports in the function's place (timeout, crash), as AWS words it. */
  void fail(String errorType, String message) {
    String json = new io.vertx.core.json.JsonObject().put("errorType", errorType).put("errorMessage", message).encode();
    complete(json.getBytes(StandardCharsets.UTF_8), InvocationResult.UNHANDLED);
  }

  /** Fails an invocation that never reached an instance (the caller sees an API error, not a function error). */
  void reject(Throwable cause) {
    result.tryFail(cause);
  }
}
