package io.eventplane.gateway.apigateway.invoke.rest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which resource and method of a REST API's deployment serve a request, as the REST API developer
 * guide's "Set up a method" describes: a path part is literal, {@code {name}} (one segment) or
 * {@code {name+}} (one or more segments, only last); literal parts win over variables, variables
 * over greedy ones, tried segment by segment; a method matches its own HTTP method before {@code ANY}.
 * No match is REST APIs' famous 403 {@code {"message":"Missing Authentication Token"}}.
 */
public final class RestResourceMatch {
  /** The resource (as GetResource answers it, methods embedded), its method, and the path parameters. */
  public record Match(JsonObject resource, JsonObject method, Map<String, String> pathParameters) {
    public String resourcePath() {
      return resource.getString("path");
    }
  }

  private RestResourceMatch() {}

  /** The match for {@code method} on {@code path} (the path after the stage, still percent-encoded), or null. */
  public static Match select(JsonArray resources, String httpMethod, String path) {
    String[] segments = segments(path);
    Match best = null;
    int[] bestRank = null;
    if (resources == null) return null;
    for (int i = 0; i < resources.size(); i++) {
      JsonObject resource = resources.getJsonObject(i);
      Map<String, String> parameters = new LinkedHashMap<>();
      int[] rank = matches(segments(resource.getString("path", "/")), segments, parameters);
      if (rank == null) continue;
      JsonObject methods = resource.getJsonObject("resourceMethods", new JsonObject());
      JsonObject method = methods.getJsonObject(httpMethod);
      if (method == null) method = methods.getJsonObject("ANY");
      if (method == null) continue;
      if (bestRank == null || better(rank, bestRank)) {
        best = new Match(resource, method, parameters);
        bestRank = rank;
      }
    }
    return best;
  }

  /** Per segment 0 literal, 1 variable, 2 greedy; null when the template does not match. */
  private static int[] matches(String[] template, String[] path, Map<String, String> parameters) {
    int[] rank = new int[Math.max(template.length, 1)];
    for (int t = 0; t < template.length; t++) {
      String part = template[t];
      boolean variable = part.startsWith("{") && part.endsWith("}");
      if (variable && part.endsWith("+}")) {
        if (t != template.length - 1 || path.length <= t) return null;
        String[] rest = java.util.Arrays.copyOfRange(path, t, path.length);
        parameters.put(part.substring(1, part.length() - 2), decode(String.join("/", rest)));
        rank[t] = 2;
        return rank;
      }
      if (t >= path.length) return null;
      if (variable) {
        if (path[t].isEmpty()) return null;
        parameters.put(part.substring(1, part.length() - 1), decode(path[t]));
        rank[t] = 1;
      } else if (!part.equals(path[t])) {
        return null;
      }
    }
    return template.length == path.length ? rank : null;
  }

  private static boolean better(int[] a, int[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) if (a[i] != b[i]) return a[i] < b[i];
    return a.length > b.length;
  }

  private static String[] segments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
