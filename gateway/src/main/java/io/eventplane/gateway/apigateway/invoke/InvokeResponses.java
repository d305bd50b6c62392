package io.eventplane.gateway.apigateway.invoke;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes an {@link InvokeResponse} to the socket, repeated headers (Set-Cookie) each on its own line. */
public final class InvokeResponses {
  private InvokeResponses() {}

  public static void send(HttpServerRequest request, InvokeResponse reply) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) return;
    response.setStatusCode(reply.status());
    Map<String, List<String>> byName = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> h : reply.headers()) {
      String name = h.getKey();
      if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")) continue;
      byName.computeIfAbsent(name, k -> new ArrayList<>()).add(h.getValue());
    }
    byName.forEach((name, values) -> response.putHeader(name, values));
    response.end(Buffer.buffer(reply.body()));
  }
}
