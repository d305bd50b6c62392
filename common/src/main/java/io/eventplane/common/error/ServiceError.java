package io.eventplane.common.error;

import java.util.Objects;

/**
 * An AWS API error as the domain knows it: the error code from the service's API reference (for
 * example {@code QueueDoesNotExist}) and a message. No HTTP here: each wire protocol maps the code
 * to its status and wire form in one place in the gateway.
 */
public record ServiceError(String code, String message, Fault fault) {
  public ServiceError {
    Objects.requireNonNull(code, "code");
    message = message == null ? "" : message;
    Objects.requireNonNull(fault, "fault");
  }

  public static ServiceError sender(String code, String message) {
    return new ServiceError(code, message, Fault.SENDER);
  }

  /** Retryable: the resource's partition is between owners (failover, rebalancing) or its replicas lag. */
  public static ServiceError unavailable(String message) {
    return new ServiceError("ServiceUnavailable", message, Fault.RECEIVER);
  }

  public static ServiceError internal(String message) {
    return new ServiceError("InternalFailure", message, Fault.RECEIVER);
  }
}
