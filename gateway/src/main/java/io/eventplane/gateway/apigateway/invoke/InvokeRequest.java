package io.eventplane.gateway.apigateway.invoke;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request to an HTTP API's invoke URL as the invoke plane sees it, apart from Vert.x: the API it
 * names, the path after the API (stage included, still percent-encoded), the raw query string, the
 * headers in their order (repeats kept), the body, and what the request context reports.
 *
 * @param path the path after the API id, for example {@code /prod/orders/1}, or {@code /} when empty
 * @param rawQuery the query string without {@code ?}, empty when none
 * @param domainName the host the client addressed (requestContext.domainName)
 * @param timeEpochMillis when the request arrived
 */
public record InvokeRequest(String apiId, String method, String path, String rawQuery, List<Map.Entry<String, String>> headers,
    byte[] body, String sourceIp, String protocol, String domainName, String requestId, long timeEpochMillis) {
  public InvokeRequest {
    headers = List.copyOf(headers);
    body = body == null ? new byte[0] : body;
    rawQuery = rawQuery == null ? "" : rawQuery;
  }

  /**
   * The request as it reached the edge, with what API Gateway's edge adds for the integration, as
   * AWS's events show: X-Forwarded-For (the client's address appended), -Port and -Proto.
   */
  public static InvokeRequest of(HttpServerRequest request, InvokeRoute.Target target, byte[] body, String requestId,
      long timeEpochMillis) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    request.headers().forEach(h -> headers.add(Map.entry(h.getKey(), h.getValue())));
    SocketAddress remote = request.remoteAddress();
    String client = remote == null ? "" : remote.hostAddress();
    String forwardedFor = request.getHeader("X-Forwarded-For");
    headers.removeIf(h -> h.getKey().equalsIgnoreCase("X-Forwarded-For"));
    headers.add(Map.entry("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client));
    if (request.getHeader("X-Forwarded-Port") == null && request.localAddress() != null) {
      headers.add(Map.entry("X-Forwarded-Port", String.valueOf(request.localAddress().port())));
    }
    if (request.getHeader("X-Forwarded-Proto") == null) headers.add(Map.entry("X-Forwarded-Proto", request.scheme()));
    String protocol = switch (request.version()) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_2 -> "HTTP/2.0";
      default -> "HTTP/1.1";
    };
    return new InvokeRequest(target.apiId(), request.method().name(), target.path(), request.query(), headers, body, client,
        protocol, InvokeRoute.domainName(authority(request)), requestId, timeEpochMillis);
  }

  /** The host the client addressed: the Host header, or HTTP/2's :authority. */
  public static String authority(HttpServerRequest request) {
    String host = request.getHeader("Host");
    if (host == null && request.authority() != null) host = request.authority().toString();
    return host;
  }

  /** Every value of a header (case-insensitive), in order. */
  public List<String> headerValues(String name) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) if (h.getKey().equalsIgnoreCase(name)) values.add(h.getValue());
    return values;
  }

  /** The header's values comma-joined, or null when absent. */
  public String header(String name) {
    List<String> values = headerValues(name);
    return values.isEmpty() ? null : String.join(",", values);
  }

  public String contentType() {
    String type = header("content-type");
    return type == null ? null : type.toLowerCase(Locale.ROOT);
  }
}
