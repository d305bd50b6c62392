package io.eventplane.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a cap without ever holding more than the cap: an oversized
 * Content-Length fails before any byte is read, and a chunked body fails as soon as it crosses the
 * cap. Must be called from the request handler, before it returns, so no chunk is missed.
 */
final class CappedBody {
  private CappedBody() {}

  /** The body was over the cap; {@code closeConnection} when the client may not have sent it. */
  static final class TooLarge extends RuntimeException {
    final boolean closeConnection;

    TooLarge(boolean closeConnection) {
      super("request body over the cap", null, false, false);
      this.closeConnection = closeConnection;
    }
  }

  static Future<Buffer> read(HttpServerRequest request, int maxBytes) {
    Promise<Buffer> result = Promise.promise();
    // After a 413 the rest of the body is read and dropped, so the client can read our answer
    // (closing with unread input makes TCP reset the connection and lose it) and keep the
    // connection; past this much we stop being polite and close.
    long drainLimit = Math.max(4L * maxBytes, 16L << 20);
    boolean expectsContinue = "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
    long declared = declaredLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
    if (declared > maxBytes) {
      // A client waiting for 100-continue sends no body after a final status, so close instead.
      result.fail(new TooLarge(expectsContinue || declared > drainLimit));
      request.handler(chunk -> {});
      return result.future();
    }
    // Held in an array so the handler can drop the partial body once it is over the cap.
    Buffer[] body = {Buffer.buffer(declared > 0 ? (int) declared : 1024)};
    long[] seen = {0};
    request.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] <= maxBytes) {
        body[0].appendBuffer(chunk);
      } else {
        body[0] = null;
        if (!result.tryFail(new TooLarge(false)) && seen[0] > drainLimit) request.connection().close();
      }
    });
    request.endHandler(v -> {
      if (body[0] != null) result.tryComplete(body[0]);
    });
    request.exceptionHandler(result::tryFail);
    if (expectsContinue) request.response().writeContinue();
    return result.future();
  }

  /** The Content-Length, or -1 when absent (chunked) or unreadable. */
  private static long declaredLength(String header) {
    if (header == null) return -1;
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
