package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * An HTTP API's CorsConfiguration as AWS checks it: lists of strings, methods among HTTP's
 * (or {@code *}), MaxAge from -1 to 86400 seconds, and no credentials allowed for any origin.
 */
final class Cors {
  private static final Set<String> METHODS = Set.of("*", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
  private static final Set<String> MEMBERS = Set.of("AllowCredentials", "AllowHeaders", "AllowMethods", "AllowOrigins",
      "ExposeHeaders", "MaxAge");

  private Cors() {}

  static JsonObject check(JsonObject cors) {
    JsonObject out = new JsonObject();
    for (String member : cors.fieldNames()) {
      if (!MEMBERS.contains(member)) throw badRequest("Invalid CORS configuration: unknown member '" + Inputs.wire(member) + "'");
    }
    Boolean credentials = Inputs.bool(cors, "AllowCredentials");
    if (credentials != null) out.put("AllowCredentials", credentials);
    for (String list : new String[] {"AllowHeaders", "AllowMethods", "AllowOrigins", "ExposeHeaders"}) {
      JsonArray a = Inputs.stringList(cors, list);
      if (a != null) out.put(list, a);
    }
    JsonArray methods = out.getJsonArray("AllowMethods");
    if (methods != null) {
      for (Object m : methods) {
        if (!METHODS.contains(((String) m).toUpperCase(java.util.Locale.ROOT))) {
          throw badRequest("Invalid CORS configuration: unsupported method " + m + " in allowMethods");
        }
      }
    }
    Integer maxAge = Inputs.integer(cors, "MaxAge");
    if (maxAge != null) {
      if (maxAge < -1 || maxAge > 86400) throw badRequest("Invalid CORS configuration: maxAge must be between -1 and 86400");
      out.put("MaxAge", maxAge);
    }
    JsonArray origins = out.getJsonArray("AllowOrigins");
    if (Boolean.TRUE.equals(credentials) && origins != null && origins.contains("*")) {
      throw badRequest("allow-credentials is not supported when allow-origins contains '*'");
    }
    return out;
  }
}
