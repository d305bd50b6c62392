package io.eventplane.gateway.console;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A console form's fields ({@code application/x-www-form-urlencoded}), read within a cap. The
 * console's forms are small: a test message of at most SQS's 1 MiB, percent-encoded (three bytes a
 * byte at worst), fits.
 */
final class Forms {
  static final int MAX_BYTES = 3 * 1_048_576 + 4_096;

  private Forms() {}

  /** The fields, or a failed future when the body is too large or not a form. */
  static Future<MultiMap> read(HttpServerRequest request) {
    String type = request.getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return Future.failedFuture("The console's forms are sent as application/x-www-form-urlencoded.");
    }
    Promise<MultiMap> done = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_BYTES) {
        done.tryFail("The form is larger than " + MAX_BYTES + " bytes.");
        request.pause();
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(done::tryFail);
    request.endHandler(v -> done.tryComplete(parse(body.toString(StandardCharsets.UTF_8))));
    // A caller that looked something up first paused the request: the body flows from here.
    request.resume();
    return done.future();
  }

  static MultiMap parse(String encoded) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    if (encoded.isEmpty()) return out;
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.add(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // A malformed escape: the field is skipped, and the action reports what is missing.
      }
    }
    return out;
  }
}
