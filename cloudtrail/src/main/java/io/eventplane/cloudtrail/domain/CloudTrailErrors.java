package io.eventplane.cloudtrail.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;

/** CloudTrail's errors, with the codes of its service model (all client errors, 400). */
public final class CloudTrailErrors {
  private CloudTrailErrors() {}

  public static ServiceException lookupAttributes(String message) {
    return new ServiceException(ServiceError.sender("InvalidLookupAttributesException", message));
  }

  public static ServiceException timeRange(String message) {
    return new ServiceException(ServiceError.sender("InvalidTimeRangeException", message));
  }

  public static ServiceException maxResults(String message) {
    return new ServiceException(ServiceError.sender("InvalidMaxResultsException", message));
  }

  public static ServiceException nextToken(String message) {
    return new ServiceException(ServiceError.sender("InvalidNextTokenException", message));
  }

  public static ServiceException eventCategory(String message) {
    return new ServiceException(ServiceError.sender("InvalidEventCategoryException", message));
  }
}
