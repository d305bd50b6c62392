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

  public static ServiceException applicationNotFound() {
    return new ServiceException(ServiceError.sender("NotFound", "PlatformApplication does not exist"));
  }

  public static ServiceException endpointNotFound() {
    return new ServiceException(ServiceError.sender("NotFound", "Endpoint does not exist"));
  }

  public static ServiceException endpointDisabled() {
    return new ServiceException(ServiceError.sender("EndpointDisabled", "Endpoint is disabled"));
  }

  /**
   * A member that breaks its shape's constraint (pattern, length, enum), as SNS's request
   * validation words it. Phone numbers are sensitive members: their value is left out.
   */
  public static ServiceException constraint(String path, String value, String constraint) {
    String shown = value == null ? "" : "'" + value + "' ";
    return new ServiceException(ServiceError.sender("ValidationError",
        "1 validation error detected: Value " + shown + "at '" + lowerFirst(path) + "' failed to satisfy constraint: " + constraint));
  }

  /** SNS words every parameter error "Invalid parameter: <what>". */
  public static ServiceException invalidParameter(String what) {
    return new ServiceException(ServiceError.sender("InvalidParameter", "Invalid parameter: " + what));
  }

  public static ServiceException invalidParameterValue(String what) {
    return new ServiceException(ServiceError.sender("ParameterValueInvalid", what));
  }

  /**
   * A member the request model requires is absent: SNS's request validation names it by its
   * path ({@code name}, {@code publishBatchRequestEntries.1.member.message}) as a ValidationError.
   */
  public static ServiceException missing(String path) {
    return new ServiceException(ServiceError.sender("ValidationError",
        "1 validation error detected: Value null at '" + lowerFirst(path) + "' failed to satisfy constraint: Member must not be null"));
  }

  /** The ARN members SNS checks itself (TopicArn, SubscriptionArn) say so as an InvalidParameter. */
  public static ServiceException noValue(String parameter) {
    return invalidParameter(parameter + " Reason: no value for required parameter");
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
