package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * The REST API's list calls' pages: {@code limit} items (default 25, at most 500) from after
 * {@code position}, answered as {@code {items, position}} with the position only when more follow.
 * The position is opaque to the caller: the base64 of the last item's sort key.
 */
final class RestPaging {
  static final int DEFAULT_LIMIT = 25;
  static final int MAX_LIMIT = 500;

  private RestPaging() {}

  /** A page of {@code items}, which are in {@code key} order. */
  static JsonObject page(JsonObject in, List<JsonObject> items, Function<JsonObject, String> key) {
    Integer limit = RestInputs.integer(in, "limit");
    if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
      throw badRequest("Invalid value for limit: must be between 1 and " + MAX_LIMIT);
    }
    int max = limit == null ? DEFAULT_LIMIT : limit;
    String position = RestInputs.string(in, "position");
    String after = null;
    if (position != null) {
      try {
        after = new String(Base64.getUrlDecoder().decode(position), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw badRequest("Invalid position parameter");
      }
    }
    JsonArray out = new JsonArray();
    String last = null;
    boolean more = false;
    for (JsonObject item : items) {
      String k = key.apply(item);
      if (after != null && k.compareTo(after) <= 0) continue;
      if (out.size() >= max) {
        more = true;
        break;
      }
      out.add(item);
      last = k;
    }
    JsonObject page = new JsonObject().put("items", out);
    if (more) page.put("position", Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    return page;
  }

  static JsonObject page(JsonObject in, List<JsonObject> items, String key) {
    return page(in, items, item -> item.getString(key));
  }
}
