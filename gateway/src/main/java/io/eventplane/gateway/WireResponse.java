package io.eventplane.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP answer as a wire protocol renders it, before it meets a socket. Codecs return these so
 * they can be tested without a server, and the HTTP layer writes them in one place.
 *
 * @param headers extra headers besides Content-Type (the request id, x-amzn-query-error ...)
 */
public record WireResponse(int status, String contentType, String body, Map<String, String> headers, byte[] binary) {
  public static final String JSON_1_0 = "application/x-amz-json-1.0";
  public static final String JSON_1_1 = "application/x-amz-json-1.1";
  public static final String XML = "text/xml";
  public static final String JSON = "application/json";

  public WireResponse {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  public WireResponse(int status, String contentType, String body, Map<String, String> headers) {
    this(status, contentType, body, headers, null);
  }

  /** An answer whose body is bytes as the service gave them (Lambda's Invoke payload). */
  public static WireResponse ofBytes(int status, String contentType, byte[] body, Map<String, String> headers) {
    return new WireResponse(status, contentType, "", headers, body);
  }

  public static WireResponse of(int status, String contentType, String body) {
    return new WireResponse(status, contentType, body, Map.of());
  }

  public WireResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new WireResponse(status, contentType, body, more, binary);
  }
}
