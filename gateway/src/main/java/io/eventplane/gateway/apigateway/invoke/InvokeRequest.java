package io.eventplane.gateway.apigateway.invoke;

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

  /** Every value of a header (case-insensitive), in order. */
  List<String> headerValues(String name) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) if (h.getKey().equalsIgnoreCase(name)) values.add(h.getValue());
    return values;
  }

  /** The header's values comma-joined, or null when absent. */
  String header(String name) {
    List<String> values = headerValues(name);
    return values.isEmpty() ? null : String.join(",", values);
  }

  String contentType() {
    String type = header("content-type");
    return type == null ? null : type.toLowerCase(Locale.ROOT);
  }
}
