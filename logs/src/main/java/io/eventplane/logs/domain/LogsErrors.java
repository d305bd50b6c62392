package io.eventplane.logs.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;

/** The errors of CloudWatch Logs, as its API reference names them. */
public final class LogsErrors {
  private LogsErrors() {}

  public static ServiceException invalidParameter(String message) {
    return new ServiceException(ServiceError.sender("InvalidParameterException", message));
  }

  /** The validation message AWS services give for a member outside its constraint. */
  public static ServiceException constraint(String member, Object value, String constraint) {
    return invalidParameter("1 validation error detected: Value '" + value + "' at '" + member
        + "' failed to satisfy constraint: " + constraint);
  }

  public static ServiceException groupNotFound() {
    return new ServiceException(ServiceError.sender("ResourceNotFoundException", "The specified log group does not exist."));
  }

  public static ServiceException streamNotFound() {
    return new ServiceException(ServiceError.sender("ResourceNotFoundException", "The specified log stream does not exist."));
  }

  public static ServiceException invalidToken() {
    return invalidParameter("The specified nextToken is invalid.");
  }
}
