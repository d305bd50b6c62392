package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The answer API Gateway sends instead of calling the integration: a status, a JSON body
 * {@code {"message":"..."}} and any extra headers (a JWT authorizer's {@code www-authenticate}).
 * The invoke route writes it as it is, with {@code content-type: application/json}.
 */
public record Refusal(int status, String message, Map<String, String> headers) {
  public static final Refusal UNAUTHORIZED = new Refusal(401, "Unauthorized", Map.of());
  public static final Refusal FORBIDDEN = new Refusal(403, "Forbidden", Map.of());
  public static final Refusal INTERNAL_ERROR = new Refusal(500, "Internal Server Error", Map.of());

  public Refusal {
    headers = Map.copyOf(headers);
  }

  /** The body as API Gateway writes it: {@code {"message":"Unauthorized"}}. */
  public String body() {
    return new JsonObject().put("message", message).encode();
  }
}
