package io.eventplane.firehose.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;

/** Firehose's errors, with the codes of its service model (all client errors, 400). */
public final class FirehoseErrors {
  private FirehoseErrors() {}

  public static ServiceException notFound(String name, String account) {
    return new ServiceException(ServiceError.sender("ResourceNotFoundException",
        "Firehose " + name + " under account " + account + " not found."));
  }

  public static ServiceException exists(String name, String account) {
    return new ServiceException(ServiceError.sender("ResourceInUseException",
        "Firehose " + name + " under accountId " + account + " already exists"));
  }

  public static ServiceException invalidArgument(String message) {
    return new ServiceException(ServiceError.sender("InvalidArgumentException", message));
  }

  public static ServiceException concurrentModification(String message) {
    return new ServiceException(ServiceError.sender("ConcurrentModificationException", message));
  }

  public static ServiceException limitExceeded(String message) {
    return new ServiceException(ServiceError.sender("LimitExceededException", message));
  }

  /** A model constraint the request breaks, as AWS's front end reports it. */
  public static ServiceException validation(String message) {
    return new ServiceException(ServiceError.sender("ValidationException", message));
  }
}
