package io.eventplane.functions.domain;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonObject;

/** The Lambda API's errors, with the messages the real service gives. */
public final class FunctionErrors {
  private FunctionErrors() {}

  public static ServiceException notFound(String arn) {
    return new ServiceException("ResourceNotFoundException", "Function not found: " + arn);
  }

  public static ServiceException exists(String name) {
    return new ServiceException("ResourceConflictException", "Function already exist: " + name);
  }

  public static ServiceException invalid(String message) {
    return new ServiceException("InvalidParameterValueException", message);
  }

  /** A request member outside its declared constraint: Lambda's model validation. */
  public static ServiceException validation(String value, String member, String constraint) {
    return new ServiceException("ValidationException", "1 validation error detected: Value '" + value + "' at '"
        + member + "' failed to satisfy constraint: " + constraint);
  }

  public static ServiceException badPayload(String detail) {
    return new ServiceException("InvalidRequestContentException", "Could not parse request body into json: " + detail);
  }

  public static ServiceException payloadTooLarge(long limit) {
    return new ServiceException("RequestTooLargeException",
        "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
  }

  public static ServiceException preconditionFailed() {
    return new ServiceException("PreconditionFailedException",
        "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
  }

  /** A throttle: reason is ReservedFunctionConcurrentInvocationLimitExceeded or ConcurrentInvocationLimitExceeded. */
  public static ServiceException throttled(String reason) {
    return new ServiceException(new ServiceError("TooManyRequestsException", "Rate Exceeded.", Fault.SENDER,
        new JsonObject().put("Reason", reason).put("retryAfterSeconds", "1")));
  }
}
