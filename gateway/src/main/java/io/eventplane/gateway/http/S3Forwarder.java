package io.eventplane.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Set;

/**
 * Forwards an S3 request whose body lives on another node (its bucket's owner) to that node's HTTP
 * port, streaming the request body there and the response back: bytes travel between nodes over
 * HTTP, never over the event bus. The forwarded request is marked, so the owner handles it itself.
 */
final class S3Forwarder {
  /** Marks a request one node forwarded to another. */
  static final String FORWARDED = "x-eventplane-forwarded";
  /** Connection-level headers, which are per hop. */
  private static final Set<String> HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade", "expect",
      "http2-settings", "te", "trailer", "proxy-connection");

  private final HttpClient http;

  S3Forwarder(Vertx vertx) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setIdleTimeout(60).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(32));
  }

  static boolean isForwarded(HttpServerRequest request) {
    return request.getHeader(FORWARDED) != null;
  }

  /** Sends the (paused) request to {@code baseUrl}; completes once the answer is relayed. */
  Future<Void> forward(HttpServerRequest request, String baseUrl) {
    HttpServerResponse response = request.response();
    RequestOptions options = new RequestOptions().setMethod(request.method()).setAbsoluteURI(baseUrl + request.uri());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (var e : request.headers()) {
      if (!HOP.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) headers.add(e.getKey(), e.getValue());
    }
    headers.set(FORWARDED, "1");
    options.setHeaders(headers);
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) response.writeContinue();
    return http.request(options).compose(out -> {
      // The Host the client signed (SigV4 signs it): the owner verifies the signature again.
      if (request.authority() != null) out.authority(request.authority());
      if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) out.setChunked(true);
      return out.send(request);
    }).compose(in -> {
      response.setStatusCode(in.statusCode());
      for (var e : in.headers()) {
        if (!HOP.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) response.headers().add(e.getKey(), e.getValue());
      }
      if (in.getHeader(HttpHeaders.CONTENT_LENGTH) == null) response.setChunked(true);
      return in.pipeTo(response);
    });
  }
}
