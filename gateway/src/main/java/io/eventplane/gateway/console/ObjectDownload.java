package io.eventplane.gateway.console;

import io.eventplane.gateway.s3.S3Protocol;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * An object's download from the bucket page: S3's GetObject as the caller (a version's when named),
 * its body streamed from the blob store as S3 streams it, sent as an attachment
 * ({@code Content-Disposition} with the key's last part as the file name) so a browser saves it and
 * never renders a stored page on the console's origin (also {@code nosniff} and a sandboxing CSP).
 */
final class ObjectDownload {
  private ObjectDownload() {}

  static void start(ConsoleCalls calls, HttpServerRequest request, Caller as, String bucket, String key, String versionId) {
    request.pause();
    calls.bodiesElsewhere(request, bucket, as.context()).onComplete(where -> {
      if (where.succeeded() && where.result() != null) {
        calls.forward(request, where.result()).onFailure(e -> {
          if (!request.response().headWritten()) {
            request.resume();
            ConsoleRoute.page(request, 502, Future.succeededFuture(Layout.error("Not downloaded", "ServiceUnavailable",
                "The bucket's node did not answer: " + e.getMessage())));
          } else {
            request.response().reset();
          }
        });
        return;
      }
      request.resume();
      JsonObject in = new JsonObject().put("Bucket", bucket).put("Key", key);
      if (versionId != null && !versionId.isEmpty()) in.put("VersionId", versionId);
      as.call(S3Protocol.BINDING, "GetObject", in).onComplete(got -> {
        if (got.failed()) {
          ConsoleRoute.page(request, 200, Future.failedFuture(got.cause()));
          return;
        }
        JsonObject out = got.result();
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) return;
        JsonObject headers = out.getJsonObject("Headers", new JsonObject());
        response.setStatusCode(200)
            .putHeader("Content-Type", headers.getString("Content-Type", "application/octet-stream"))
            .putHeader("Content-Length", Long.toString(out.getLong("ContentLength", 0L)))
            .putHeader("Content-Disposition", disposition(key))
            .putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff")
            .putHeader("Content-Security-Policy", "sandbox; default-src 'none'");
        if (out.getString("ETag") != null) response.putHeader("ETag", out.getString("ETag"));
        if (out.getString("VersionId") != null) response.putHeader("x-amz-version-id", out.getString("VersionId"));
        calls.writeObject(out, response).onFailure(e -> response.reset());
      });
    });
  }

  /**
   * {@code attachment} with the key's last part as the file name: an ASCII fallback (quotes and
   * backslashes replaced) and the exact name percent-encoded in UTF-8 (RFC 6266, RFC 8187).
   */
  static String disposition(String key) {
    String path = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    // S3's folders are "/"; a backslash is part of a key's name.
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty()) name = "object";
    StringBuilder ascii = new StringBuilder();
    for (char c : name.toCharArray()) ascii.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\' ? '_' : c);
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + Html.url(name).replace("*", "%2A");
  }
}
