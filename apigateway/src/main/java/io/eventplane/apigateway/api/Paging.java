package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The Get* list calls' pages: {@code MaxResults} items (all when not given) from after
 * {@code NextToken}, answered as {@code {Items, NextToken}} with the token only when more follow.
 * The token is opaque to the caller: the base64 of the last item's sort key.
 */
final class Paging {
  private Paging() {}

  /** A page of {@code items}, which are in {@code key} order. */
  static JsonObject page(JsonObject in, List<JsonObject> items, String key) {
    Integer max = Inputs.integer(in, "MaxResults");
    if (max != null && max < 1) throw badRequest("Invalid value for maxResults: must be a positive number");
    String token = Inputs.string(in, "NextToken");
    String after = null;
    if (token != null) {
      try {
        after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw badRequest("Invalid nextToken specified");
      }
    }
    JsonArray out = new JsonArray();
    String last = null;
    boolean more = false;
    for (JsonObject item : items) {
      String k = item.getString(key);
      if (after != null && k.compareTo(after) <= 0) continue;
      if (max != null && out.size() >= max) {
        more = true;
        break;
      }
      out.add(item);
      last = k;
    }
    JsonObject page = new JsonObject().put("Items", out);
    if (more) page.put("NextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    return page;
  }
}
