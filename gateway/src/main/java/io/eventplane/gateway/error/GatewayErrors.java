package io.eventplane.gateway.error;

import io.eventplane.common.error.ServiceError;

/** The errors the gateway itself raises before a request reaches a service. */
public final class GatewayErrors {
  private GatewayErrors() {}

  public static ServiceError requestTooLarge(long maxBytes) {
    return ServiceError.sender("RequestEntityTooLarge", "Request body must be at most " + maxBytes + " bytes.");
  }

  public static ServiceError unparsableJson(String why) {
    return ServiceError.sender("SerializationException", "Could not parse the request body as a JSON object: " + why);
  }

  public static ServiceError malformedQuery(String why) {
    return ServiceError.sender("MalformedQueryString", why);
  }

  /** As SQS words it over Query (LocalStack's AWS-validated test_invalid_action_raises_exception). */
  public static ServiceError unknownOperation(String operation) {
    return ServiceError.sender("InvalidAction", "The action " + operation + " is not valid for this endpoint.");
  }

  public static ServiceError missingAction() {
    return ServiceError.sender("InvalidAction", "The request names no action: send X-Amz-Target or an Action parameter.");
  }

  public static ServiceError missingParameter(String name) {
    return ServiceError.sender("MissingParameter", "The request must contain the parameter " + name + ".");
  }
}
