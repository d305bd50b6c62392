package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The event a Lambda REQUEST authorizer of an HTTP API receives, in the two shapes of the guide's
 * "Working with AWS Lambda authorizers for HTTP APIs": payload format 2.0 ({@code routeArn},
 * {@code identitySource} as a list, lower-case headers, {@code requestContext.http}) and 1.0
 * ({@code methodArn}, {@code identitySource} and {@code authorizationToken} as one comma-joined
 * string, REST-style {@code requestContext}). Members without a value are left out, as AWS does.
 */
final class AuthorizerEvents {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private AuthorizerEvents() {}

  static JsonObject version2(AccessRequest request, List<String> identityValues) {
    JsonObject event = new JsonObject()
        .put("version", "2.0")
        .put("type", "REQUEST")
        .put("routeArn", request.routeArn())
        .put("identitySource", new JsonArray(List.copyOf(identityValues)))
        .put("routeKey", request.routeKey())
        .put("rawPath", request.rawPath())
        .put("rawQueryString", request.rawQueryString());
    List<String> cookies = request.cookies();
    if (!cookies.isEmpty()) event.put("cookies", new JsonArray(cookies));
    JsonObject headers = new JsonObject();
    for (String name : request.headers().names()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("cookie") || headers.containsKey(lower)) continue;
      headers.put(lower, request.header(name));
    }
    event.put("headers", headers);
    Map<String, List<String>> query = request.queryParameters();
    if (!query.isEmpty()) {
      JsonObject parameters = new JsonObject();
      query.forEach((name, values) -> parameters.put(name, String.join(",", values)));
      event.put("queryStringParameters", parameters);
    }
    event.put("requestContext", new JsonObject()
        .put("accountId", request.account())
        .put("apiId", request.apiId())
        .put("domainName", request.domainName())
        .put("domainPrefix", domainPrefix(request.domainName()))
        .put("http", new JsonObject()
            .put("method", request.method())
            .put("path", request.rawPath())
            .put("protocol", request.protocol())
            .put("sourceIp", request.sourceIp())
            .put("userAgent", orEmpty(request.header("user-agent"))))
        .put("requestId", request.requestId())
        .put("routeKey", request.routeKey())
        .put("stage", request.stage())
        .put("time", TIME.format(Instant.ofEpochMilli(request.epochMillis())))
        .put("timeEpoch", request.epochMillis()));
    if (!request.pathParameters().isEmpty()) event.put("pathParameters", new JsonObject(copy(request.pathParameters())));
    if (!request.stageVariables().isEmpty()) event.put("stageVariables", new JsonObject(copy(request.stageVariables())));
    return event;
  }

  static JsonObject version1(AccessRequest request, List<String> identityValues) {
    String identity = String.join(",", identityValues);
    String resource = resource(request.routeKey());
    JsonObject headers = new JsonObject();
    JsonObject multiHeaders = new JsonObject();
    for (String name : request.headers().names()) {
      if (headers.containsKey(name)) continue;
      List<String> values = request.headers().getAll(name);
      headers.put(name, values.get(values.size() - 1));
      multiHeaders.put(name, new JsonArray(List.copyOf(values)));
    }
    JsonObject event = new JsonObject()
        .put("version", "1.0")
        .put("type", "REQUEST")
        .put("methodArn", request.routeArn())
        .put("identitySource", identity)
        .put("authorizationToken", identity)
        .put("resource", resource)
        .put("path", request.rawPath())
        .put("httpMethod", request.method())
        .put("headers", headers)
        .put("multiValueHeaders", multiHeaders);
    Map<String, List<String>> query = request.queryParameters();
    if (!query.isEmpty()) {
      JsonObject single = new JsonObject();
      JsonObject multi = new JsonObject();
      query.forEach((name, values) -> {
        single.put(name, values.get(values.size() - 1));
        multi.put(name, new JsonArray(List.copyOf(values)));
      });
      event.put("queryStringParameters", single).put("multiValueQueryStringParameters", multi);
    } else {
      event.putNull("queryStringParameters").putNull("multiValueQueryStringParameters");
    }
    event.put("pathParameters", request.pathParameters().isEmpty() ? null : new JsonObject(copy(request.pathParameters())));
    event.put("stageVariables", request.stageVariables().isEmpty() ? null : new JsonObject(copy(request.stageVariables())));
    event.put("requestContext", new JsonObject()
        .put("accountId", request.account())
        .put("apiId", request.apiId())
        .put("domainName", request.domainName())
        .put("domainPrefix", domainPrefix(request.domainName()))
        .put("extendedRequestId", request.requestId())
        .put("httpMethod", request.method())
        .put("identity", new JsonObject()
            .put("sourceIp", request.sourceIp())
            .put("userAgent", orEmpty(request.header("user-agent"))))
        // the guide's 1.0 example: stage "test", path "/request" (no stage in it, unlike REST APIs)
        .put("path", request.rawPath())
        .put("protocol", request.protocol())
        .put("requestId", request.requestId())
        .put("requestTime", TIME.format(Instant.ofEpochMilli(request.epochMillis())))
        .put("requestTimeEpoch", request.epochMillis())
        .put("resourceId", request.routeKey())
        .put("resourcePath", resource)
        .put("stage", request.stage()));
    return event;
  }

  /** The resource of a RouteKey: {@code GET /pets/{id}} gives {@code /pets/{id}}; {@code $default} itself. */
  private static String resource(String routeKey) {
    int space = routeKey.indexOf(' ');
    return space < 0 ? routeKey : routeKey.substring(space + 1);
  }

  private static String domainPrefix(String domainName) {
    String host = domainName;
    int colon = host.indexOf(':');
    if (colon >= 0) host = host.substring(0, colon);
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static Map<String, Object> copy(Map<String, String> map) {
    return new LinkedHashMap<>(map);
  }
}
