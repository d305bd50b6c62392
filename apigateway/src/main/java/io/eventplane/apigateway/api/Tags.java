package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Tags as API Gateway checks them: at most 50, keys of 1-128 characters not starting {@code aws:}, values up to 256. */
final class Tags {
  static final int MAX = 50;

  private Tags() {}

  static JsonObject check(JsonObject tags) {
    if (tags.size() > MAX) throw badRequest("Too many tags: at most " + MAX + " are allowed per resource");
    for (Map.Entry<String, Object> e : tags) {
      String k = e.getKey();
      if (k.isEmpty() || k.length() > 128) throw badRequest("Tag keys must be between 1 and 128 characters");
      if (k.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) throw badRequest("Tag keys cannot start with 'aws:'");
      if (((String) e.getValue()).length() > 256) throw badRequest("Tag values must be at most 256 characters");
    }
    return tags.copy();
  }
}
