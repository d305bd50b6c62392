package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * An HTTP API's route keys: {@code $default}, or a method ({@code ANY} or one of HTTP's) and a
 * path of literal segments and {@code {parameter}}s, with a greedy {@code {proxy+}} only last.
 */
public final class RouteKeys {
  public static final Set<String> METHODS = Set.of("ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
  private static final Pattern PARAMETER = Pattern.compile("\\{[A-Za-z0-9._-]+\\+?}");
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%-]+");

  private RouteKeys() {}

  /** The key if it is valid, else BadRequestException. */
  public static String check(String key) {
    if (key.equals("$default")) return key;
    int space = key.indexOf(' ');
    if (space < 0 || !METHODS.contains(key.substring(0, space))) throw invalid(key);
    String path = key.substring(space + 1);
    if (!path.startsWith("/")) throw invalid(key);
    if (path.equals("/")) return key;
    String[] segments = path.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (s.isEmpty()) throw invalid(key);
      if (s.startsWith("{")) {
        if (!PARAMETER.matcher(s).matches()) throw invalid(key);
        if (s.endsWith("+}") && i != segments.length - 1) throw invalid(key);
      } else if (!LITERAL.matcher(s).matches() || s.contains("{") || s.contains("}")) {
        throw invalid(key);
      }
    }
    return key;
  }

  private static RuntimeException invalid(String key) {
    return badRequest("Unable to create route " + key + ". The route key is invalid.");
  }
}
