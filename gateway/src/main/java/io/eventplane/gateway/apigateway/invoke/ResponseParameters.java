package io.eventplane.gateway.apigateway.invoke;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP API integration's {@code ResponseParameters} ("Transforming API responses" in the developer
 * guide's parameter mapping page): keyed by the status code the integration answered, each entry
 * {@code overwrite:statuscode}, or {@code append:}, {@code overwrite:} or {@code remove:header.<name>},
 * with a value from {@code $response.header.<name>}, {@code $response.body.<JSON path>},
 * {@code $context.<variable>}, {@code $stageVariables.<name>} or static text ({@link ParameterMapping}
 * evaluates them, against the integration's answer as it came). Reserved headers (the page's list)
 * are left alone. Applied to the integration's answer, not to API Gateway's own.
 */
final class ResponseParameters {
  private static final List<String> RESERVED = List.of("authorization", "connection", "content-encoding", "content-length",
      "content-location", "forwarded", "keep-alive", "origin", "proxy-authenticate", "proxy-authorization", "te", "trailers",
      "transfer-encoding", "upgrade", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "via");

  private ResponseParameters() {}

  static InvokeResponse apply(JsonObject integration, InvokeResponse answer, ParameterMapping mapping) {
    JsonObject all = integration.getJsonObject("ResponseParameters");
    if (all == null) return answer;
    JsonObject forStatus = all.getJsonObject(String.valueOf(answer.status()));
    if (forStatus == null || forStatus.isEmpty()) return answer;
    ParameterMapping values = mapping.withResponse(answer);
    int status = answer.status();
    List<Map.Entry<String, String>> headers = new ArrayList<>(answer.headers());
    // Removals, then overwrites, then appends: one entry's order in the map does not change the outcome.
    for (String action : new String[] {"remove", "overwrite", "append"}) {
      for (String key : forStatus.fieldNames()) {
        int colon = key.indexOf(':');
        if (colon < 0 || !key.substring(0, colon).equalsIgnoreCase(action)) continue;
        String where = key.substring(colon + 1);
        String value = values.evaluate(String.valueOf(forStatus.getValue(key)));
        if (where.equalsIgnoreCase("statuscode")) {
          if (action.equals("overwrite")) status = statusOf(value, status);
          continue;
        }
        if (!where.regionMatches(true, 0, "header.", 0, "header.".length())) continue;
        String name = where.substring("header.".length());
        if (reserved(name)) continue;
        if (!action.equals("append")) headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
        if (!action.equals("remove")) headers.add(Map.entry(name, value));
      }
    }
    return new InvokeResponse(status, headers, answer.body());
  }

  private static int statusOf(String value, int otherwise) {
    try {
      int status = Integer.parseInt(value.trim());
      return status >= 200 && status <= 599 ? status : otherwise;
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static boolean reserved(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return RESERVED.contains(lower) || lower.startsWith("access-control-") || lower.startsWith("apigw-")
        || lower.startsWith("x-amz-") || lower.startsWith("x-amzn-");
  }
}
