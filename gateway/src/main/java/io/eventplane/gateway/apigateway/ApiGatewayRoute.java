package io.eventplane.gateway.apigateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of API Gateway's REST-JSON API: its method and path (with {@code {Member}} labels
 * named as the input members they fill) and the status of its success.
 */
public record ApiGatewayRoute(String operation, String method, String template, int successStatus, Pattern pattern,
    List<String> labels) {

  public static ApiGatewayRoute of(String operation, String method, String template, int status) {
    List<String> labels = new ArrayList<>();
    StringBuilder regex = new StringBuilder();
    Matcher m = Pattern.compile("\\{([A-Za-z]+)}").matcher(template);
    int at = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(at, m.start()))).append("([^/]+)");
      labels.add(m.group(1));
      at = m.end();
    }
    regex.append(Pattern.quote(template.substring(at))).append("/?");
    return new ApiGatewayRoute(operation, method, template, status, Pattern.compile(regex.toString()), List.copyOf(labels));
  }

  /** The labels' values (still percent-encoded) if the request is this route's, else null. */
  public Map<String, String> match(String method, String path) {
    if (!this.method.equals(method)) return null;
    Matcher m = pattern.matcher(path);
    if (!m.matches()) return null;
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) values.put(labels.get(i), m.group(i + 1));
    return values;
  }
}
