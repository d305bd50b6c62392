package io.eventplane.gateway.apigateway.invoke;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an HTTP API picks the route of a request, as the developer guide's "Working with routes for
 * HTTP APIs" describes it: the most specific path wins (a literal segment before a {@code {param}},
 * a {@code {param}} before a greedy {@code {proxy+}}), a route for the request's method before
 * {@code ANY} on the same path, and {@code $default} only when no other route matches. Paths match
 * case-sensitively; a greedy variable takes one or more segments.
 */
final class RouteSelection {
  /** A chosen route and the values of its path variables (decoded). */
  record Match(JsonObject route, Map<String, String> pathParameters) {
    String routeKey() {
      return route.getString("RouteKey");
    }
  }

  private record Candidate(JsonObject route, String method, String[] segments) {}

  private static final Comparator<Candidate> SPECIFIC_FIRST = (a, b) -> {
    int n = Math.min(a.segments.length, b.segments.length);
    for (int i = 0; i < n; i++) {
      int c = Integer.compare(rank(a.segments[i]), rank(b.segments[i]));
      if (c != 0) return c;
    }
    int c = Integer.compare(b.segments.length, a.segments.length);
    if (c != 0) return c;
    return Boolean.compare(a.method.equals("ANY"), b.method.equals("ANY"));
  };

  private final List<Candidate> candidates = new ArrayList<>();
  private final JsonObject defaultRoute;

  RouteSelection(JsonArray routes) {
    JsonObject fallback = null;
    for (int i = 0; routes != null && i < routes.size(); i++) {
      JsonObject route = routes.getJsonObject(i);
      String key = route.getString("RouteKey", "");
      if (key.equals("$default")) {
        fallback = route;
        continue;
      }
      int space = key.indexOf(' ');
      if (space < 0) continue;
      String path = key.substring(space + 1);
      candidates.add(new Candidate(route, key.substring(0, space), segments(path)));
    }
    candidates.sort(SPECIFIC_FIRST);
    this.defaultRoute = fallback;
  }

  /** The route serving {@code method path} (the path after the stage, still percent-encoded), or null. */
  Match select(String method, String path) {
    String[] requested = segments(path);
    for (Candidate c : candidates) {
      if (!c.method.equals("ANY") && !c.method.equals(method)) continue;
      Map<String, String> parameters = match(c.segments, requested);
      if (parameters != null) return new Match(c.route, parameters);
    }
    return defaultRoute == null ? null : new Match(defaultRoute, Map.of());
  }

  private static Map<String, String> match(String[] template, String[] requested) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (rank(t) == 2) {
        if (i >= requested.length) return null;
        String rest = String.join("/", java.util.Arrays.copyOfRange(requested, i, requested.length));
        if (rest.isEmpty()) return null;
        parameters.put(t.substring(1, t.length() - 2), decode(rest));
        return parameters;
      }
      if (i >= requested.length) return null;
      String r = requested[i];
      if (rank(t) == 1) {
        if (r.isEmpty()) return null;
        parameters.put(t.substring(1, t.length() - 1), decode(r));
      } else if (!t.equals(r)) {
        return null;
      }
    }
    return template.length == requested.length ? parameters : null;
  }

  /** 0 for a literal segment, 1 for {@code {param}}, 2 for a greedy {@code {proxy+}}. */
  private static int rank(String segment) {
    if (!segment.startsWith("{")) return 0;
    return segment.endsWith("+}") ? 2 : 1;
  }

  private static String[] segments(String path) {
    if (path.isEmpty() || path.equals("/")) return new String[0];
    return (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }
}
