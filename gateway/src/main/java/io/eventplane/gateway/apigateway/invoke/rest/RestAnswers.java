package io.eventplane.gateway.apigateway.invoke.rest;

import io.eventplane.gateway.apigateway.invoke.InvokeResponse;

/**
 * The answers a REST API's stage gives itself (its "gateway responses"): {@code {"message": ...}}
 * with the {@code x-amzn-ErrorType} header, as API Gateway's REST APIs send them.
 */
public final class RestAnswers {
  private RestAnswers() {}

  public static InvokeResponse error(int status, String type, String message) {
    return InvokeResponse.message(status, message).withHeader("x-amzn-ErrorType", type);
  }

  /** Unknown resource or method: the famous answer of REST APIs. */
  public static InvokeResponse missingToken() {
    return error(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  }

  /** A stage the REST API does not have (or no stage in the path): API Gateway's 403, not a 404. */
  public static InvokeResponse forbidden() {
    return error(403, "ForbiddenException", "Forbidden");
  }

  /** REST APIs write "server error" in lower case, unlike HTTP APIs. */
  public static InvokeResponse internalError() {
    return error(500, "InternalServerErrorException", "Internal server error");
  }

  /** A Lambda proxy integration whose function failed or answered what cannot be read. */
  public static InvokeResponse badGateway() {
    return error(502, "InternalServerErrorException", "Internal server error");
  }

  public static InvokeResponse timedOut() {
    return error(504, "IntegrationTimeout", "Endpoint request timed out");
  }
}
