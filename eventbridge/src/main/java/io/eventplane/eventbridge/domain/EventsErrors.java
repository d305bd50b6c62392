package io.eventplane.eventbridge.domain;

import io.eventplane.common.error.ServiceException;

/** EventBridge's errors in its own words (codes and messages as AWS answers them; no HTTP here). */
public final class EventsErrors {
  private EventsErrors() {}

  public static ServiceException busNotFound(String name) {
    return new ServiceException("ResourceNotFoundException", "Event bus " + name + " does not exist.");
  }

  public static ServiceException busExists(String name) {
    return new ServiceException("ResourceAlreadyExistsException", "Event bus " + name + " already exists.");
  }

  public static ServiceException ruleNotFound(String rule, String bus) {
    return new ServiceException("ResourceNotFoundException", "Rule " + rule + " does not exist on EventBus " + bus + ".");
  }

  public static ServiceException validation(String message) {
    return new ServiceException("ValidationException", message);
  }

  public static ServiceException invalidPattern(String reason) {
    return new ServiceException("InvalidEventPatternException", "Event pattern is not valid. Reason: " + reason);
  }

  /** AWS's words for every quota (targets per rule, buses per account, ...). */
  public static ServiceException limitExceeded() {
    return new ServiceException("LimitExceededException", "The requested resource exceeds the maximum number allowed.");
  }

  public static ServiceException resourceNotFound(String message) {
    return new ServiceException("ResourceNotFoundException", message);
  }
}
