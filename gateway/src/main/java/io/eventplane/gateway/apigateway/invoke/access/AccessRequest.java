package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.MultiMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the authorizers of an HTTP API need to know of one invoke request, taken by the invoke route
 * once the request has matched a route of a deployed stage. Plain values: the route builds it from
 * the HTTP request and the stage snapshot.
 *
 * @param account the API's account (its ARNs carry it)
 * @param region the API's region
 * @param apiId the API's id
 * @param stage the stage's name ({@code $default} for the default stage)
 * @param routeKey the matched route's RouteKey, e.g. {@code GET /pets/{id}} or {@code $default}
 * @param method the HTTP method as sent
 * @param rawPath the path after the stage, starting with {@code /}, still percent-encoded
 * @param rawQueryString the query string without {@code ?}, as sent ("" when none)
 * @param headers the request's headers (a Vert.x MultiMap: names case-insensitive)
 * @param pathParameters the route's path variables ({@code {id}}, {@code {proxy+}}), decoded
 * @param stageVariables the stage's StageVariables
 * @param sourceIp the client's address
 * @param requestId the id API Gateway gives the request
 * @param epochMillis when the request came, by the gateway's clock
 * @param domainName the Host the request came to
 * @param protocol the HTTP version, e.g. {@code HTTP/1.1}
 */
public record AccessRequest(String account, String region, String apiId, String stage, String routeKey,
    String method, String rawPath, String rawQueryString, MultiMap headers, Map<String, String> pathParameters,
    Map<String, String> stageVariables, String sourceIp, String requestId, long epochMillis, String domainName,
    String protocol) {

  public AccessRequest {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(apiId, "apiId");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(routeKey, "routeKey");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    Objects.requireNonNull(headers, "headers");
    rawQueryString = rawQueryString == null ? "" : rawQueryString;
    pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
    stageVariables = stageVariables == null ? Map.of() : Map.copyOf(stageVariables);
    sourceIp = sourceIp == null ? "" : sourceIp;
    requestId = requestId == null ? "" : requestId;
    domainName = domainName == null ? "" : domainName;
    protocol = protocol == null ? "HTTP/1.1" : protocol;
  }

  /**
   * The ARN an authorizer's policy is matched against (HTTP APIs call it routeArn, REST APIs
   * methodArn): {@code arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD><rawPath>}.
   */
  public String routeArn() {
    return "arn:aws:execute-api:" + region + ":" + account + ":" + apiId + "/" + stage + "/" + method + rawPath;
  }

  /** The query string's parameters, decoded, each with all its values in order. */
  public Map<String, List<String>> queryParameters() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (rawQueryString.isEmpty()) return out;
    for (String pair : rawQueryString.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return out;
  }

  /** The request's cookies, one entry per cookie, from its Cookie headers. */
  public List<String> cookies() {
    List<String> out = new ArrayList<>();
    for (String header : headers.getAll("cookie")) {
      for (String cookie : header.split(";")) {
        String trimmed = cookie.trim();
        if (!trimmed.isEmpty()) out.add(trimmed);
      }
    }
    return out;
  }

  /** A header's values joined with commas, as API Gateway folds repeated headers; null when absent. */
  public String header(String name) {
    List<String> values = headers.getAll(name);
    return values.isEmpty() ? null : String.join(",", values);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
