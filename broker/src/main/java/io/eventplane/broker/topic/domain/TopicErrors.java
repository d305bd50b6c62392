package io.eventplane.broker.topic.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;

/** The SNS errors the topic service raises, with SNS's own wording where it is known. */
public final class TopicErrors {
  private TopicErrors() {}

  public static ServiceException topicNotFound() {
    return new ServiceException(ServiceError.sender("NotFound", "Topic does not exist"));
  }

  public static ServiceException subscriptionNotFound() {
    return new ServiceException(ServiceError.sender("NotFound", "Subscription does not exist"));
  }

  public static ServiceException resourceNotFound() {
    return new ServiceException(ServiceError.sender("ResourceNotFound", "Resource does not exist"));
  }

  /** SNS words every parameter error "Invalid parameter: <what>". */
  public static ServiceException invalidParameter(String what) {
    return new ServiceException(ServiceError.sender("InvalidParameter", "Invalid parameter: " + what));
  }

  public static ServiceException invalidParameterValue(String what) {
    return new ServiceException(ServiceError.sender("ParameterValueInvalid", what));
  }

  public static ServiceException missing(String parameter) {
    return new ServiceException(ServiceError.sender("InvalidParameter",
        "1 validation error detected: Value null at '" + lowerFirst(parameter) + "' failed to satisfy constraint: Member must not be null"));
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
