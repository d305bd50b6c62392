package io.eventplane.gateway.http;

import io.eventplane.gateway.WireResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** Writes {@link WireResponse}s to the socket; the one place where codecs meet Vert.x. */
final class Replies {
  private Replies() {}

  static void send(HttpServerRequest request, WireResponse reply) {
    send(request, reply, false);
  }

  /** @param closeConnection for answers sent before the body was read that the client may not send */
  static void send(HttpServerRequest request, WireResponse reply, boolean closeConnection) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) return;
    response.setStatusCode(reply.status()).putHeader("Content-Type", reply.contentType());
    reply.headers().forEach(response::putHeader);
    // HTTP/2 has no Connection header: a stream ends, the connection stays. That includes the answer
    // to an h2c upgrade request (Java's HttpClient sends one first), which goes out on stream 1.
    String upgrade = request.getHeader("Upgrade");
    boolean close = closeConnection && request.version() != io.vertx.core.http.HttpVersion.HTTP_2
        && (upgrade == null || !upgrade.toLowerCase(java.util.Locale.ROOT).contains("h2c"));
    if (close) response.putHeader("Connection", "close");
    io.vertx.core.Future<Void> written = reply.binary() != null
        ? response.end(io.vertx.core.buffer.Buffer.buffer(reply.binary()))
        : response.end(reply.body());
    written.onComplete(done -> {
      if (close) request.connection().close();
    });
  }
}
