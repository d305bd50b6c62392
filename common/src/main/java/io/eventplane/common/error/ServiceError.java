package io.eventplane.common.error;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An AWS API error as the domain knows it: the error code from the service's API reference (for
 * example {@code QueueDoesNotExist}) and a message. No HTTP here: each wire protocol maps the code
 * to its status and wire form in one place in the gateway.
 */
public record ServiceError(String code, String message, Fault fault, JsonObject details) {
  public ServiceError {
    Objects.requireNonNull(code, "code");
    message = message == null ? "" : message;
    Objects.requireNonNull(fault, "fault");
  }

  public ServiceError(String code, String message, Fault fault) {
    this(code, message, fault, null);
  }

  /**
   * The same error with more members for the error body (Lambda's TooManyRequestsException
   * carries {@code Reason} and {@code retryAfterSeconds}); protocols that have no place for them
   * ignore them.
   */
  public ServiceError with(JsonObject moreMembers) {
    return new ServiceError(code, message, fault, moreMembers);
  }

  public static ServiceError sender(String code, String message) {
    return new ServiceError(code, message, Fault.SENDER);
  }

  /** Retryable: the resource's partition is between owners (failover, rebalancing) or its replicas lag. */
  /** The code of {@link #unavailable}: a node cannot serve the request right now, another attempt may. */
  public static final String UNAVAILABLE_CODE = "ServiceUnavailable";

  public static ServiceError unavailable(String message) {
    return new ServiceError(UNAVAILABLE_CODE, message, Fault.RECEIVER);
  }

  public static ServiceError internal(String message) {
    return new ServiceError("InternalFailure", message, Fault.RECEIVER);
  }
}
