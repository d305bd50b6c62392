package io.eventplane.cloudwatch.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;

/**
 * CloudWatch's errors by their Query codes (the codes SDKs report: the JSON and CBOR protocols
 * carry them in {@code x-amzn-query-error}); all the client's fault, 400.
 */
public final class CloudWatchErrors {
  private CloudWatchErrors() {}

  public static ServiceException invalid(String message) {
    return new ServiceException(ServiceError.sender("InvalidParameterValue", message));
  }

  public static ServiceException missing(String parameter) {
    return new ServiceException(ServiceError.sender("MissingParameter", "The parameter " + parameter + " is required."));
  }

  public static ServiceException missingWith(String message) {
    return new ServiceException(ServiceError.sender("MissingParameter", message));
  }

  public static ServiceException combination(String message) {
    return new ServiceException(ServiceError.sender("InvalidParameterCombination", message));
  }

  public static ServiceException invalidNextToken() {
    return new ServiceException(ServiceError.sender("InvalidNextToken", "The service cannot interpret the NextToken."));
  }
}
