package io.eventplane.gateway.apigateway.invoke;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What an HTTP API answers for a Lambda function's response to a proxy event, as the developer
 * guide's "Working with AWS Lambda proxy integrations for HTTP APIs" describes it: {@code statusCode},
 * {@code headers}, {@code multiValueHeaders} (format 1.0), {@code cookies} (format 2.0, each a
 * Set-Cookie header), {@code body} and {@code isBase64Encoded}. In format 2.0 a function that returns
 * valid JSON without a {@code statusCode} gets 200, {@code application/json} and that JSON as the body
 * (a JSON string's text as it is). Anything API Gateway cannot read is a 500 Internal Server Error.
 */
public final class LambdaProxyResponses {
  private LambdaProxyResponses() {}

  public static InvokeResponse map(byte[] payload, String payloadFormatVersion) {
    Object value;
    try {
      value = payload.length == 0 ? null : Json.decodeValue(io.vertx.core.buffer.Buffer.buffer(payload));
    } catch (DecodeException e) {
      return InvokeResponse.internalError();
    }
    boolean v2 = "2.0".equals(payloadFormatVersion);
    if (value instanceof JsonObject response && response.containsKey("statusCode")) return structured(response, v2);
    if (!v2 || value == null) return InvokeResponse.internalError();
    // The body is the function's response as it wrote it; a JSON string's text without its quotes.
    byte[] body = value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : payload;
    return new InvokeResponse(200, List.of(Map.entry("Content-Type", "application/json")), body);
  }

  private static InvokeResponse structured(JsonObject response, boolean v2) {
    int status;
    Object code = response.getValue("statusCode");
    if (code instanceof Number n) {
      status = n.intValue();
    } else if (code instanceof String s && s.matches("\\d{3}")) {
      status = Integer.parseInt(s);
    } else {
      return InvokeResponse.internalError();
    }
    if (status < 100 || status > 599) return InvokeResponse.internalError();
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    try {
      JsonObject single = response.getJsonObject("headers");
      JsonObject multi = v2 ? null : response.getJsonObject("multiValueHeaders");
      if (multi != null) {
        for (String name : multi.fieldNames()) {
          JsonArray values = multi.getJsonArray(name);
          for (int i = 0; values != null && i < values.size(); i++) headers.add(Map.entry(name, text(values.getValue(i))));
        }
      }
      if (single != null) {
        for (String name : single.fieldNames()) {
          if (multi != null && multi.containsKey(name)) continue;
          Object v = single.getValue(name);
          if (v != null) headers.add(Map.entry(name, text(v)));
        }
      }
      if (v2) {
        JsonArray cookies = response.getJsonArray("cookies");
        for (int i = 0; cookies != null && i < cookies.size(); i++) headers.add(Map.entry("Set-Cookie", text(cookies.getValue(i))));
      }
    } catch (ClassCastException e) {
      return InvokeResponse.internalError();
    }
    Object rawBody = response.getValue("body");
    byte[] body;
    if (rawBody == null) {
      body = new byte[0];
    } else if (Boolean.TRUE.equals(response.getValue("isBase64Encoded"))) {
      try {
        body = Base64.getDecoder().decode(text(rawBody));
      } catch (IllegalArgumentException e) {
        return InvokeResponse.internalError();
      }
    } else {
      body = (rawBody instanceof String s ? s : Json.encode(rawBody)).getBytes(StandardCharsets.UTF_8);
    }
    boolean typed = headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("content-type"));
    if (!typed) headers.add(0, Map.entry("Content-Type", "application/json"));
    return new InvokeResponse(status, headers, body);
  }

  private static String text(Object v) {
    return v instanceof String s ? s : String.valueOf(v);
  }
}
