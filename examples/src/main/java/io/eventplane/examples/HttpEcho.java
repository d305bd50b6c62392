package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function behind an HTTP API route (Lambda proxy integration) that answers with what it
 * received. The request's {@code x-echo-mode} header picks the answer: none returns the event as it
 * is (plain JSON: payload format 2.0 makes it a 200 application/json answer); {@code proxy} a
 * structured response (status from {@code x-echo-status}, default 201; a header, a multi-valued
 * header, two cookies, the event as JSON in the body); {@code string} the text
 * {@code Hello from Lambda!}; {@code base64} three bytes, base64-encoded; {@code fail} an error;
 * {@code sleep} waits {@code x-echo-sleep} milliseconds first.
 */
public class HttpEcho implements RequestHandler<Map<String, Object>, Object> {
  @Override
  public Object handleRequest(Map<String, Object> event, Context context) {
    String mode = header(event, "x-echo-mode");
    if ("sleep".equals(mode)) {
      try {
        Thread.sleep(Long.parseLong(header(event, "x-echo-sleep")));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return event;
    }
    if ("fail".equals(mode)) throw new IllegalStateException("asked to fail");
    if ("string".equals(mode)) return "Hello from Lambda!";
    if ("base64".equals(mode)) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("statusCode", 200);
      out.put("headers", Map.of("content-type", "application/octet-stream"));
      out.put("isBase64Encoded", true);
      out.put("body", "AAEC");
      return out;
    }
    if ("proxy".equals(mode)) {
      String status = header(event, "x-echo-status");
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("statusCode", status == null ? 201 : Integer.parseInt(status));
      out.put("headers", Map.of("x-echoed", "yes", "content-type", "application/json"));
      out.put("multiValueHeaders", Map.of("x-multi", List.of("a", "b")));
      out.put("cookies", List.of("a=1; Path=/", "b=2"));
      out.put("body", json(event));
      out.put("isBase64Encoded", false);
      return out;
    }
    return event;
  }

  private static String header(Map<String, Object> event, String name) {
    if (!(event.get("headers") instanceof Map<?, ?> headers)) return null;
    for (Map.Entry<?, ?> h : headers.entrySet()) {
      if (String.valueOf(h.getKey()).equalsIgnoreCase(name)) return String.valueOf(h.getValue());
    }
    return null;
  }

  /** JSON text of a value made of maps, lists, strings, numbers, booleans and nulls. */
  static String json(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) out.append(',');
        first = false;
        write(String.valueOf(e.getKey()), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) out.append(',');
        write(list.get(i), out);
      }
      out.append(']');
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      out.append('"');
      for (char c : value.toString().toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
          }
        }
      }
      out.append('"');
    }
  }
}
