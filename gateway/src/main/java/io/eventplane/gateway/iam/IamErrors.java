package io.eventplane.gateway.iam;

import io.eventplane.gateway.error.ErrorTable;

/** IAM error codes and their HTTP status, from the {@code error} traits of botocore's IAM model (2010-05-08). */
public final class IamErrors {
  public static final ErrorTable TABLE = ErrorTable.builder("")
      .code("NoSuchEntity", 404)
      .code("EntityAlreadyExists", 409)
      .code("DeleteConflict", 409)
      .code("LimitExceeded", 409)
      .code("MalformedPolicyDocument", 400)
      .code("InvalidInput", 400)
      .code("ValidationError", 400)
      .code("ConcurrentModification", 409)
      .code("UnmodifiableEntity", 400)
      .code("ServiceFailure", 500)
      .code("InvalidAction", 400)
      .code("MissingParameter", 400)
      .code("MalformedQueryString", 400)
      .code("RequestEntityTooLarge", 413)
      .code("ServiceUnavailable", 503)
      .renamed("InternalFailure", 500, "ServiceFailure")
      .build();

  private IamErrors() {}
}
