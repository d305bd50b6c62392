package io.eventplane.gateway.apigateway.invoke;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The event an HTTP API hands a Lambda function through an AWS_PROXY integration, in payload format
 * 2.0 and 1.0 exactly as the developer guide's "Working with AWS Lambda proxy integrations for HTTP
 * APIs" shows them. Format 2.0 lower-cases header names, comma-joins repeated headers and query
 * parameters, moves the Cookie header to {@code cookies} and leaves out what is empty; format 1.0
 * gives every member (null when empty), single values (the last one) and the multiValue* maps.
 * Bodies of other than text-like content types are base64-encoded with {@code isBase64Encoded}.
 */
public final class LambdaProxyEvents {
  static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private LambdaProxyEvents() {}

  /** What a stage and route add to a request: where the event's context members come from. */
  record Scope(String accountId, String stage, RouteSelection.Match match, Map<String, String> stageVariables) {}

  /** Payload format 2.0; {@code authorizer} (nullable) becomes {@code requestContext.authorizer}. */
  static JsonObject v2(InvokeRequest request, Scope scope, JsonObject authorizer) {
    JsonObject event = new JsonObject().put("version", "2.0").put("routeKey", scope.match().routeKey())
        .put("rawPath", request.path()).put("rawQueryString", request.rawQuery());
    List<String> cookies = cookies(request);
    if (!cookies.isEmpty()) event.put("cookies", new JsonArray(cookies));
    JsonObject headers = new JsonObject();
    for (Map.Entry<String, List<String>> h : headersByName(request).entrySet()) {
      if (h.getKey().equals("cookie")) continue;
      headers.put(h.getKey(), String.join(",", h.getValue()));
    }
    event.put("headers", headers);
    Map<String, List<String>> query = QueryStrings.parse(request.rawQuery());
    if (!query.isEmpty()) {
      JsonObject parameters = new JsonObject();
      query.forEach((name, values) -> parameters.put(name, String.join(",", values)));
      event.put("queryStringParameters", parameters);
    }
    JsonObject context = new JsonObject().put("accountId", scope.accountId()).put("apiId", request.apiId());
    if (authorizer != null) context.put("authorizer", authorizer);
    context.put("domainName", request.domainName()).put("domainPrefix", domainPrefix(request.domainName()))
        .put("http", new JsonObject().put("method", request.method()).put("path", request.path())
            .put("protocol", request.protocol()).put("sourceIp", request.sourceIp())
            .put("userAgent", request.header("user-agent") == null ? "" : request.header("user-agent")))
        .put("requestId", request.requestId()).put("routeKey", scope.match().routeKey()).put("stage", scope.stage())
        .put("time", REQUEST_TIME.format(Instant.ofEpochMilli(request.timeEpochMillis())))
        .put("timeEpoch", request.timeEpochMillis());
    event.put("requestContext", context);
    boolean binary = request.body().length > 0 && !isText(request.contentType());
    if (request.body().length > 0) event.put("body", body(request, binary));
    if (!scope.match().pathParameters().isEmpty()) event.put("pathParameters", new JsonObject(new LinkedHashMap<>(scope.match().pathParameters())));
    event.put("isBase64Encoded", binary);
    if (!scope.stageVariables().isEmpty()) event.put("stageVariables", new JsonObject(new LinkedHashMap<>(scope.stageVariables())));
    return event;
  }

  /** Payload format 1.0; {@code authorizer} (nullable) becomes {@code requestContext.authorizer}. */
  static JsonObject v1(InvokeRequest request, Scope scope, JsonObject authorizer) {
    String routeKey = scope.match().routeKey();
    String resource = routeKey.equals("$default") ? "$default" : routeKey.substring(routeKey.indexOf(' ') + 1);
    JsonObject event = new JsonObject().put("version", "1.0").put("resource", resource).put("path", request.path())
        .put("httpMethod", request.method());
    JsonObject headers = new JsonObject();
    JsonObject multiHeaders = new JsonObject();
    for (Map.Entry<String, List<String>> h : headersByName(request).entrySet()) {
      headers.put(h.getKey(), h.getValue().get(h.getValue().size() - 1));
      multiHeaders.put(h.getKey(), new JsonArray(new ArrayList<>(h.getValue())));
    }
    event.put("headers", headers).put("multiValueHeaders", multiHeaders);
    putQueryParameters(event, request.rawQuery());
    String userAgent = request.header("user-agent");
    JsonObject identity = new JsonObject().putNull("accessKey").putNull("accountId").putNull("caller")
        .putNull("cognitoAuthenticationProvider").putNull("cognitoAuthenticationType").putNull("cognitoIdentityId")
        .putNull("cognitoIdentityPoolId").putNull("principalOrgId").put("sourceIp", request.sourceIp()).putNull("user")
        .put("userAgent", userAgent == null ? "" : userAgent).putNull("userArn");
    JsonObject context = new JsonObject().put("accountId", scope.accountId()).put("apiId", request.apiId())
        .put("authorizer", authorizer != null ? authorizer : new JsonObject().putNull("claims").putNull("scopes"))
        .put("domainName", request.domainName()).put("domainPrefix", domainPrefix(request.domainName()))
        .put("extendedRequestId", request.requestId()).put("httpMethod", request.method()).put("identity", identity)
        .put("path", request.path()).put("protocol", request.protocol()).put("requestId", request.requestId())
        .put("requestTime", REQUEST_TIME.format(Instant.ofEpochMilli(request.timeEpochMillis())))
        .put("requestTimeEpoch", request.timeEpochMillis()).put("resourceId", scope.match().route().getString("RouteId"))
        .put("resourcePath", resource).put("stage", scope.stage());
    event.put("requestContext", context);
    event.put("pathParameters", scope.match().pathParameters().isEmpty() ? null
        : new JsonObject(new LinkedHashMap<>(scope.match().pathParameters())));
    event.put("stageVariables", scope.stageVariables().isEmpty() ? null : new JsonObject(new LinkedHashMap<>(scope.stageVariables())));
    boolean binary = request.body().length > 0 && !isText(request.contentType());
    event.put("body", request.body().length == 0 ? null : body(request, binary));
    event.put("isBase64Encoded", binary);
    return event;
  }

  /**
   * Whether API Gateway passes a body of this content type as text: {@code text/*} and the JSON,
   * XML and JavaScript types; anything else (form posts and a missing type included) goes base64.
   */
  public static boolean isText(String contentType) {
    if (contentType == null) return false;
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
        || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
        || type.equals("application/x-javascript");
  }

  private static String body(InvokeRequest request, boolean binary) {
    return binary ? Base64.getEncoder().encodeToString(request.body()) : new String(request.body(), StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> headersByName(InvokeRequest request) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      byName.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
    }
    return byName;
  }

  private static List<String> cookies(InvokeRequest request) {
    List<String> cookies = new ArrayList<>();
    for (String header : request.headerValues("cookie")) {
      for (String cookie : header.split(";")) if (!cookie.isBlank()) cookies.add(cookie.trim());
    }
    return cookies;
  }

  private static String domainPrefix(String domainName) {
    if (domainName == null) return null;
    int dot = domainName.indexOf('.');
    return dot < 0 ? domainName : domainName.substring(0, dot);
  }

  /**
   * The query string as proxy events of format 1.0 (and REST APIs' proxy events) carry it:
   * {@code queryStringParameters} with each name's last value and {@code multiValueQueryStringParameters}
   * with all of them, both null when there is no query.
   */
  public static void putQueryParameters(JsonObject event, String rawQuery) {
    Map<String, List<String>> query = QueryStrings.parse(rawQuery);
    if (query.isEmpty()) {
      event.putNull("queryStringParameters").putNull("multiValueQueryStringParameters");
      return;
    }
    JsonObject single = new JsonObject();
    JsonObject multi = new JsonObject();
    query.forEach((name, values) -> {
      single.put(name, values.get(values.size() - 1));
      multi.put(name, new JsonArray(new ArrayList<>(values)));
    });
    event.put("queryStringParameters", single).put("multiValueQueryStringParameters", multi);
  }
}
