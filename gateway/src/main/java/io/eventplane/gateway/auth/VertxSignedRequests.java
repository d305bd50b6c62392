package io.eventplane.gateway.auth;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a Vert.x request into the verifier's {@link SignedRequest}: the path and query as sent
 * (Vert.x does not decode them), headers read through the request's case-insensitive map, and
 * HTTP/2's {@code :authority} standing in for a missing {@code host}.
 */
public final class VertxSignedRequests {
  private VertxSignedRequests() {}

  /** The lower-case hex SHA-256 of a buffered body, as SigV4 signs it. */
  public static String sha256Hex(io.vertx.core.buffer.Buffer body) {
    return Crypto.sha256Hex(body);
  }

  /**
   * @param bodySha256 the body's hex SHA-256 for requests that do not declare it (a buffered body's
   *     hash); null for a streamed body
   */
  public static SignedRequest of(HttpServerRequest request, Supplier<String> bodySha256) {
    String rawQuery = request.query();
    SignedRequest.Headers headers = name -> {
      List<String> values = request.headers().getAll(name);
      if (values.isEmpty() && name.equals("host") && request.authority() != null) {
        return List.of(request.authority().toString());
      }
      return values;
    };
    return new SignedRequest(request.method().name(), request.path(), rawQuery == null ? "" : rawQuery, headers, bodySha256);
  }
}
