package io.eventplane.gateway.lambda;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of Lambda's REST-JSON API: its method and path (as the API reference gives them,
 * with {@code {Name}} labels), the status of its success, and how big its body may be.
 */
record LambdaRoute(String operation, String method, String template, int successStatus, int maxBodyBytes,
    Pattern pattern, List<String> labels) {
  /** What CreateFunction and UpdateFunctionCode take: a 50 MB package, base64 in JSON. */
  static final int CODE_BODY = 69_905_067;
  /** Invoke's synchronous payload limit. */
  static final int INVOKE_BODY = 6_291_456;
  static final int SMALL_BODY = 1_048_576;

  static LambdaRoute of(String operation, String method, String template, int status, int maxBody) {
    List<String> labels = new java.util.ArrayList<>();
    StringBuilder regex = new StringBuilder();
    Matcher m = Pattern.compile("\\{([A-Za-z]+)}").matcher(template);
    int at = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(at, m.start()))).append("([^/]+)");
      labels.add(m.group(1));
      at = m.end();
    }
    regex.append(Pattern.quote(template.substring(at))).append("/?");
    return new LambdaRoute(operation, method, template, status, maxBody, Pattern.compile(regex.toString()), List.copyOf(labels));
  }

  /** The labels' values (still percent-encoded) if the path is this route's, else null. */
  Map<String, String> match(String method, String path) {
    if (!this.method.equals(method)) return null;
    Matcher m = pattern.matcher(path);
    if (!m.matches()) return null;
    Map<String, String> values = new java.util.LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) values.put(labels.get(i), m.group(i + 1));
    return values;
  }
}
