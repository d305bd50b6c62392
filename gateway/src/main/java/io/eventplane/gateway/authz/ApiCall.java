package io.eventplane.gateway.authz;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An API call as the gateway has parsed it, which is all the action table needs: the operation, its
 * canonical input members, and for REST protocols the HTTP method and path (API Gateway's management
 * API authorizes the method on the path itself).
 *
 * @param method the HTTP method, or null where the protocol does not need it
 * @param path the request path without its query, or null where the protocol does not need it
 */
public record ApiCall(String operation, JsonObject input, String method, String path) {
  public ApiCall {
    Objects.requireNonNull(operation, "operation");
    input = input == null ? new JsonObject() : input;
  }

  public static ApiCall of(String operation, JsonObject input) {
    return new ApiCall(operation, input, null, null);
  }

  /** A string member, or null when absent or not a string. */
  String string(String member) {
    return input.getValue(member) instanceof String s && !s.isEmpty() ? s : null;
  }
}
