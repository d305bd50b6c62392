package io.eventplane.identity.policy;

import io.eventplane.common.error.ServiceException;

/** IAM's {@code MalformedPolicyDocument} error, with the message IAM gives for the fault found. */
public final class MalformedPolicyDocumentException extends ServiceException {
  public MalformedPolicyDocumentException(String message) {
    super("MalformedPolicyDocument", message);
  }
}
