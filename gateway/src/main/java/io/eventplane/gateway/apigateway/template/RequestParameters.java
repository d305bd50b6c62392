package io.eventplane.gateway.apigateway.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The method request's parameters as mapping templates see them: one value per name (for a repeated
 * query string parameter or header the caller passes the last, as API Gateway's single-value maps hold).
 * Header names are matched without regard to case, as HTTP has them.
 *
 * @param path the path parameters of the matched resource ({@code {id}}, {@code {proxy+}} as {@code proxy})
 * @param querystring the query string parameters, decoded
 * @param header the request headers
 */
public record RequestParameters(Map<String, String> path, Map<String, String> querystring, Map<String, String> header) {
  public static final RequestParameters NONE = new RequestParameters(Map.of(), Map.of(), Map.of());

  public RequestParameters {
    path = Collections.unmodifiableMap(new LinkedHashMap<>(path == null ? Map.of() : path));
    querystring = Collections.unmodifiableMap(new LinkedHashMap<>(querystring == null ? Map.of() : querystring));
    TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (header != null) headers.putAll(header);
    header = Collections.unmodifiableMap(headers);
  }

  /** The three maps, in the order of the example output in API Gateway's reference for {@code $input.params()}. */
  Map<String, Map<String, String>> all() {
    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    all.put("path", path);
    all.put("header", header);
    all.put("querystring", querystring);
    return Collections.unmodifiableMap(all);
  }

  String find(String name) {
    if (name == null) return "";
    String value = path.get(name);
    if (value == null) value = querystring.get(name);
    if (value == null) value = header.get(name);
    return value == null ? "" : value;
  }
}
