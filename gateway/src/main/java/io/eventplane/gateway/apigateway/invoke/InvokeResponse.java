package io.eventplane.gateway.apigateway.invoke;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An invoke URL's answer: status, headers (a name may repeat, as Set-Cookie does) and body bytes;
 * and the fixed answers API Gateway gives itself ({@code {"message":"Not Found"}} and the like).
 */
public record InvokeResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
  public InvokeResponse {
    headers = List.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  /** API Gateway's own answer: {@code {"message": ...}} as JSON. */
  public static InvokeResponse message(int status, String message) {
    byte[] body = new JsonObject().put("message", message).encode().getBytes(StandardCharsets.UTF_8);
    return new InvokeResponse(status, List.of(Map.entry("Content-Type", "application/json")), body);
  }

  public static InvokeResponse notFound() {
    return message(404, "Not Found");
  }

  public static InvokeResponse internalError() {
    return message(500, "Internal Server Error");
  }

  public static InvokeResponse unavailable() {
    return message(503, "Service Unavailable");
  }

  public static InvokeResponse tooLarge() {
    return message(413, "Request Entity Too Large");
  }

  /** The value of the first header of that name (case-insensitive), or null. */
  public String header(String name) {
    for (Map.Entry<String, String> h : headers) if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
    return null;
  }

  /** The same answer with one more header. */
  public InvokeResponse withHeader(String name, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(headers);
    more.add(Map.entry(name, value));
    return new InvokeResponse(status, more, body);
  }
}
