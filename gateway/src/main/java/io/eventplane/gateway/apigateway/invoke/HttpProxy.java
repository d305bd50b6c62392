package io.eventplane.gateway.apigateway.invoke;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HTTP_PROXY integrations of HTTP APIs: the request goes to the integration's URL with the route's
 * method (or the integration's), its headers (not Host nor hop-by-hop ones), its query string and
 * body; {@code {name}} in the URL takes the route's path variable ({@code {proxy}} the greedy one's
 * value). Request parameters change it as the developer guide's parameter mapping says
 * ({@code overwrite:path}, {@code append:/overwrite:/remove:} of {@code header.x} and
 * {@code querystring.x}). The endpoint's answer is passed back as it is; no answer within the
 * integration's timeout is 503, a failed connection 500.
 */
final class HttpProxy {
  private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "expect");

  private final HttpClient client;

  HttpProxy(HttpClient client) {
    this.client = client;
  }

  Future<InvokeResponse> forward(InvokeRequest request, JsonObject integration, RouteSelection.Match match,
      ParameterMapping mapping) {
    String uri = integration.getString("IntegrationUri", "");
    for (Map.Entry<String, String> p : match.pathParameters().entrySet()) {
      uri = uri.replace("{" + p.getKey() + "}", p.getValue()).replace("{" + p.getKey() + "+}", p.getValue());
    }
    URI target;
    try {
      target = URI.create(uri);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(InvokeResponse.internalError());
    }
    if (target.getHost() == null) return Future.succeededFuture(InvokeResponse.internalError());
    String method = integration.getString("IntegrationMethod");
    if (method == null || method.equals("ANY")) method = request.method();
    String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    StringBuilder query = new StringBuilder(target.getRawQuery() == null ? "" : target.getRawQuery());
    if (!request.rawQuery().isEmpty()) query.append(query.length() > 0 ? "&" : "").append(request.rawQuery());
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (Map.Entry<String, String> h : request.headers()) {
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) headers.add(h);
    }
    JsonObject parameters = integration.getJsonObject("RequestParameters");
    if (parameters != null) {
      for (String key : parameters.fieldNames()) {
        String value = mapping.evaluate(String.valueOf(parameters.getValue(key)));
        int colon = key.indexOf(':');
        if (colon < 0) continue;
        String action = key.substring(0, colon);
        String where = key.substring(colon + 1);
        if (where.equals("path") && action.equals("overwrite")) {
          path = value.startsWith("/") ? value : "/" + value;
        } else if (where.startsWith("header.")) {
          String name = where.substring("header.".length());
          if (!action.equals("append")) headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
          if (!action.equals("remove")) headers.add(Map.entry(name, value));
        } else if (where.startsWith("querystring.")) {
          String name = where.substring("querystring.".length());
          String encoded = java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8);
          if (!action.equals("append")) query = withoutParameter(query.toString(), encoded);
          if (!action.equals("remove")) {
            query.append(query.length() > 0 ? "&" : "").append(encoded).append('=')
                .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
          }
        }
      }
    }
    boolean tls = "https".equalsIgnoreCase(target.getScheme());
    int port = target.getPort() > 0 ? target.getPort() : tls ? 443 : 80;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost(target.getHost())
        .setPort(port).setSsl(tls).setURI(path + (query.length() > 0 ? "?" + query : ""))
        .setTimeout(integration.getInteger("TimeoutInMillis", 30_000));
    headers.forEach(h -> options.addHeader(h.getKey(), h.getValue()));
    return client.request(options)
        .compose(out -> out.send(Buffer.buffer(request.body())))
        .compose(in -> in.body().map(body -> {
          List<Map.Entry<String, String>> back = new ArrayList<>();
          in.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) back.add(Map.entry(h.getKey(), h.getValue()));
          });
          return ResponseParameters.apply(integration, new InvokeResponse(in.statusCode(), back, body.getBytes()), mapping);
        }))
        .recover(failure -> Future.succeededFuture(isTimeout(failure) ? InvokeResponse.unavailable() : InvokeResponse.internalError()));
  }

  private static boolean isTimeout(Throwable failure) {
    return failure instanceof java.util.concurrent.TimeoutException || failure.getClass().getSimpleName().contains("Timeout");
  }

  private static StringBuilder withoutParameter(String query, String encodedName) {
    StringBuilder out = new StringBuilder();
    for (String pair : query.split("&")) {
      if (pair.isEmpty() || pair.equals(encodedName) || pair.startsWith(encodedName + "=")) continue;
      out.append(out.length() > 0 ? "&" : "").append(pair);
    }
    return out;
  }
}
