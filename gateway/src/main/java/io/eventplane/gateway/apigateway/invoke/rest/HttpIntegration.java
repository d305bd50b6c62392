package io.eventplane.gateway.apigateway.invoke.rest;

import io.eventplane.gateway.apigateway.invoke.InvokeRequest;
import io.eventplane.gateway.apigateway.invoke.InvokeResponse;
import io.eventplane.gateway.apigateway.template.RenderedTemplate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HTTP and HTTP_PROXY integrations of REST APIs. The integration's {@code uri} takes
 * {@code {name}} from the integration request's path parameters (the method's path parameters,
 * and what {@code requestParameters} map to {@code integration.request.path.name}) and
 * {@code ${stageVariables.x}}; the method is the integration's {@code httpMethod} (ANY: the
 * request's). HTTP_PROXY passes the request's headers (not Host nor hop-by-hop), query string and
 * body, and gives back the endpoint's answer as it is. HTTP sends the mapped body and only the
 * headers and query string parameters {@code requestParameters} map
 * ({@code integration.request.header.X}: {@code 'static'} or {@code method.request.*}), then the
 * answer goes through the integration responses. A connection that fails is 500 Internal server error.
 */
final class HttpIntegration {
  private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "expect");

  private final Vertx vertx;
  private HttpClient client;

  HttpIntegration(Vertx vertx) {
    this.vertx = vertx;
  }

  private synchronized HttpClient client() {
    if (client == null) client = vertx.createHttpClient();
    return client;
  }

  Future<InvokeResponse> proxy(InvokeRequest request, JsonObject integration, Map<String, String> pathParameters,
      Map<String, String> stageVariables) {
    Mapped mapped = map(request, integration, pathParameters, stageVariables);
    if (mapped == null) return Future.succeededFuture(RestAnswers.internalError());
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (Map.Entry<String, String> h : request.headers()) {
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) headers.add(h);
    }
    headers.removeIf(h -> mapped.headers().containsKey(h.getKey().toLowerCase(Locale.ROOT)));
    mapped.headers().forEach((k, v) -> headers.add(Map.entry(k, v)));
    String query = join(mapped.query(), request.rawQuery());
    return send(mapped, headers, query, request.body(), integration)
        .map(answer -> new InvokeResponse(answer.status(), answer.headerList(), answer.body()))
        .recover(failure -> Future.succeededFuture(RestAnswers.internalError()));
  }

  Future<AwsServiceCalls.Answer> call(InvokeRequest request, JsonObject integration, Map<String, String> pathParameters,
      Map<String, String> stageVariables, RenderedTemplate rendered) {
    Mapped mapped = map(request, integration, pathParameters, stageVariables);
    if (mapped == null) return Future.failedFuture(new IllegalArgumentException("the integration's URI is not a URL"));
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    mapped.headers().forEach((k, v) -> headers.add(Map.entry(k, v)));
    rendered.overrides().requestHeaders().forEach((k, values) -> values.forEach(v -> headers.add(Map.entry(k, v))));
    if (headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("content-type")) && request.contentType() != null) {
      headers.add(Map.entry("Content-Type", request.contentType()));
    }
    byte[] body = rendered.body() == null ? new byte[0] : rendered.body().getBytes(StandardCharsets.UTF_8);
    return send(mapped, headers, mapped.query(), body, integration).map(r -> {
      Map<String, String> byName = new HashMap<>();
      r.headerList().forEach(h -> byName.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
      return new AwsServiceCalls.Answer(r.status(), byName.get("content-type"), new String(r.body(), StandardCharsets.UTF_8),
          byName, false, null);
    });
  }

  private record Mapped(URI target, String method, String path, String query, Map<String, String> headers) {}

  private record Reply(int status, List<Map.Entry<String, String>> headerList, byte[] body) {}

  private Mapped map(InvokeRequest request, JsonObject integration, Map<String, String> pathParameters,
      Map<String, String> stageVariables) {
    Map<String, String> path = new LinkedHashMap<>(pathParameters);
    Map<String, String> headers = new LinkedHashMap<>();
    StringBuilder query = new StringBuilder();
    JsonObject parameters = integration.getJsonObject("requestParameters", new JsonObject());
    for (String key : parameters.fieldNames()) {
      String value = source(String.valueOf(parameters.getValue(key)), request, pathParameters, stageVariables);
      if (value == null) continue;
      if (key.startsWith("integration.request.path.")) {
        path.put(key.substring("integration.request.path.".length()), value);
      } else if (key.startsWith("integration.request.header.")) {
        headers.put(key.substring("integration.request.header.".length()).toLowerCase(Locale.ROOT), value);
      } else if (key.startsWith("integration.request.querystring.")) {
        query.append(query.length() > 0 ? "&" : "")
            .append(URLEncoder.encode(key.substring("integration.request.querystring.".length()), StandardCharsets.UTF_8))
            .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    String uri = integration.getString("uri", "");
    for (Map.Entry<String, String> v : stageVariables.entrySet()) uri = uri.replace("${stageVariables." + v.getKey() + "}", v.getValue());
    for (Map.Entry<String, String> p : path.entrySet()) {
      String encoded = URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
      uri = uri.replace("{" + p.getKey() + "+}", encoded).replace("{" + p.getKey() + "}", encoded);
    }
    URI target;
    try {
      target = URI.create(uri);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (target.getHost() == null) return null;
    String method = integration.getString("httpMethod");
    if (method == null || method.equals("ANY")) method = request.method();
    String targetPath = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    return new Mapped(target, method, targetPath, join(target.getRawQuery() == null ? "" : target.getRawQuery(), query.toString()),
        headers);
  }

  private static String source(String source, InvokeRequest request, Map<String, String> pathParameters,
      Map<String, String> stageVariables) {
    if (source.length() >= 2 && source.startsWith("'") && source.endsWith("'")) return source.substring(1, source.length() - 1);
    if (source.startsWith("method.request.path.")) return pathParameters.get(source.substring("method.request.path.".length()));
    if (source.startsWith("method.request.header.")) return request.header(source.substring("method.request.header.".length()));
    if (source.startsWith("method.request.querystring.")) {
      List<String> values = io.eventplane.gateway.apigateway.invoke.QueryStrings.parse(request.rawQuery())
          .get(source.substring("method.request.querystring.".length()));
      return values == null ? null : values.get(values.size() - 1);
    }
    if (source.startsWith("stageVariables.")) return stageVariables.get(source.substring("stageVariables.".length()));
    if (source.equals("context.requestId")) return request.requestId();
    return null;
  }

  private static String join(String a, String b) {
    if (a == null || a.isEmpty()) return b == null ? "" : b;
    if (b == null || b.isEmpty()) return a;
    return a + "&" + b;
  }

  private Future<Reply> send(Mapped mapped, List<Map.Entry<String, String>> headers, String query, byte[] body,
      JsonObject integration) {
    boolean tls = "https".equalsIgnoreCase(mapped.target().getScheme());
    int port = mapped.target().getPort() > 0 ? mapped.target().getPort() : tls ? 443 : 80;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(mapped.method())).setHost(mapped.target().getHost())
        .setPort(port).setSsl(tls).setURI(mapped.path() + (query.isEmpty() ? "" : "?" + query))
        .setTimeout(integration.getInteger("timeoutInMillis", 29_000));
    headers.forEach(h -> options.addHeader(h.getKey(), h.getValue()));
    return client().request(options)
        .compose(out -> out.send(Buffer.buffer(body)))
        .compose(in -> in.body().map(b -> {
          List<Map.Entry<String, String>> back = new ArrayList<>();
          in.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) back.add(Map.entry(h.getKey(), h.getValue()));
          });
          return new Reply(in.statusCode(), back, b.getBytes());
        }));
  }
}
