package io.eventplane.common.error;

/** Thrown by domain code to fail an operation with an AWS error. */
public class ServiceException extends RuntimeException {
  private final ServiceError error;

  public ServiceException(ServiceError error) {
    super(error.code() + ": " + error.message(), null, false, false);
    this.error = error;
  }

  public ServiceException(String code, String message) {
    this(ServiceError.sender(code, message));
  }

  public ServiceError error() {
    return error;
  }
}
