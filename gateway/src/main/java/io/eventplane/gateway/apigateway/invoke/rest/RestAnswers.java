package io.eventplane.gateway.apigateway.invoke.rest;

import io.eventplane.gateway.apigateway.invoke.InvokeResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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

  /** A Lambda authorizer's 401: the identity source missing, not matching its validation expression, or "Unauthorized" thrown. */
  public static InvokeResponse unauthorized() {
    return error(401, "UnauthorizedException", "Unauthorized");
  }

  /** An authorizer's policy with a Deny statement for the method: REST APIs write "Message" with a capital M here. */
  public static InvokeResponse explicitDeny() {
    return accessDenied("User is not authorized to access this resource with an explicit deny in an identity-based policy");
  }

  /** An authorizer's policy without an Allow statement for the method. */
  public static InvokeResponse implicitDeny() {
    return accessDenied("User is not authorized to access this resource");
  }

  /** An authorizer that failed, timed out or answered no policy: {@code {"message": null}}. */
  public static InvokeResponse authorizerConfigurationError() {
    return json(500, new JsonObject().putNull("message")).withHeader("x-amzn-ErrorType", "AuthorizerConfigurationException");
  }

  private static InvokeResponse accessDenied(String message) {
    return json(403, new JsonObject().put("Message", message)).withHeader("x-amzn-ErrorType", "AccessDeniedException");
  }

  private static InvokeResponse json(int status, JsonObject body) {
    return new InvokeResponse(status, List.of(Map.entry("Content-Type", "application/json")),
        body.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static InvokeResponse timedOut() {
    return error(504, "IntegrationTimeout", "Endpoint request timed out");
  }
}
