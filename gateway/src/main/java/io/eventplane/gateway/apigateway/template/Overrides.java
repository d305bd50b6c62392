package io.eventplane.gateway.apigateway.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What a template set in {@code $context.requestOverride} and {@code $context.responseOverride}
 * ("Use a mapping template to override an API's request and response parameters and status codes"):
 * these replace the integration request's headers, path and query string parameters, or the method
 * response's headers and status. A header set to a list ({@code ["a", "b"]}) is a multi-value header.
 *
 * @param requestHeaders {@code $context.requestOverride.header.*}
 * @param requestPath {@code $context.requestOverride.path.*}
 * @param requestQuerystring {@code $context.requestOverride.querystring.*}
 * @param responseHeaders {@code $context.responseOverride.header.*}
 * @param responseStatus {@code $context.responseOverride.status}, if set
 */
public record Overrides(Map<String, List<String>> requestHeaders, Map<String, List<String>> requestPath,
    Map<String, List<String>> requestQuerystring, Map<String, List<String>> responseHeaders, OptionalInt responseStatus) {
  public static final Overrides NONE = new Overrides(Map.of(), Map.of(), Map.of(), Map.of(), OptionalInt.empty());

  public Overrides {
    requestHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(requestHeaders));
    requestPath = Collections.unmodifiableMap(new LinkedHashMap<>(requestPath));
    requestQuerystring = Collections.unmodifiableMap(new LinkedHashMap<>(requestQuerystring));
    responseHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(responseHeaders));
  }

  /** Reads the override maps of a rendered {@code $context}. */
  static Overrides of(Map<String, Object> context) {
    Map<?, ?> request = asMap(context.get("requestOverride"));
    Map<?, ?> response = asMap(context.get("responseOverride"));
    return new Overrides(values(request.get("header")), values(request.get("path")), values(request.get("querystring")),
        values(response.get("header")), status(response.get("status")));
  }

  private static OptionalInt status(Object value) {
    if (value == null || "".equals(value)) return OptionalInt.empty();
    try {
      int status = value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
      if (status < 100 || status > 599) throw new TemplateException("$context.responseOverride.status out of range: " + value);
      return OptionalInt.of(status);
    } catch (NumberFormatException e) {
      throw new TemplateException("$context.responseOverride.status is not a status code: " + value, e);
    }
  }

  private static Map<String, List<String>> values(Object map) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    asMap(map).forEach((k, v) -> {
      if (k == null || v == null) return;
      List<String> list = new ArrayList<>();
      if (v instanceof Iterable<?> many) many.forEach(x -> { if (x != null) list.add(x.toString()); });
      else list.add(v.toString());
      out.put(k.toString(), Collections.unmodifiableList(list));
    });
    return out;
  }

  private static Map<?, ?> asMap(Object value) {
    return value instanceof Map<?, ?> m ? m : Map.of();
  }
}
