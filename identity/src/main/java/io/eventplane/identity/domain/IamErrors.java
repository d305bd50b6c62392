package io.eventplane.identity.domain;

import io.eventplane.common.error.ServiceException;

/** IAM's errors, worded as IAM words them. */
public final class IamErrors {
  private IamErrors() {}

  public static ServiceException noSuchEntity(String message) {
    return new ServiceException("NoSuchEntity", message);
  }

  /** IAM's validation error: {@code 1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: ...}. */
  public static ServiceException validation(String value, String member, String constraint) {
    return new ServiceException("ValidationError", "1 validation error detected: Value '" + value + "' at '" + member
        + "' failed to satisfy constraint: " + constraint);
  }

  /**
   * IAM's validation error as it words it for the policy calls (recorded against IAM in 2026):
   * {@code 1 validation error detected: Value at 'member' failed to satisfy constraint: ...}, without the value.
   */
  public static ServiceException validationAt(String member, String constraint) {
    return new ServiceException("ValidationError", "1 validation error detected: Value at '" + member
        + "' failed to satisfy constraint: " + constraint);
  }

  public static ServiceException alreadyExists(String roleName) {
    return new ServiceException("EntityAlreadyExists", "Role with name " + roleName + " already exists.");
  }

  public static ServiceException deleteConflict(String message) {
    return new ServiceException("DeleteConflict", message);
  }

  public static ServiceException invalidInput(String message) {
    return new ServiceException("InvalidInput", message);
  }
}
