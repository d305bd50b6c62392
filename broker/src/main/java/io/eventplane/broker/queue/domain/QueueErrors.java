package io.eventplane.broker.queue.domain;

import io.eventplane.common.error.ServiceException;

/** The SQS errors of the API reference, with the messages SQS gives. */
public final class QueueErrors {
  private QueueErrors() {}

  public static ServiceException queueDoesNotExist() {
    return new ServiceException("QueueDoesNotExist", "The specified queue does not exist.");
  }

  public static ServiceException invalidParameter(String name, Object value, String reason) {
    return new ServiceException("InvalidParameterValue",
        "Value " + value + " for parameter " + name + " is invalid. Reason: " + reason);
  }

  public static ServiceException invalidParameter(String message) {
    return new ServiceException("InvalidParameterValue", message);
  }

  public static ServiceException missingParameter(String name) {
    return new ServiceException("MissingParameter", "The request must contain the parameter " + name + ".");
  }

  public static ServiceException invalidAttributeName(String name) {
    return new ServiceException("InvalidAttributeName", "Unknown Attribute " + name + ".");
  }

  public static ServiceException invalidAttributeValue(String name, String reason) {
    return new ServiceException("InvalidAttributeValue",
        "Invalid value for the parameter " + name + "." + (reason == null ? "" : " Reason: " + reason));
  }

  public static ServiceException receiptHandleInvalid(String handle) {
    return new ServiceException("ReceiptHandleIsInvalid",
        "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
  }
}
