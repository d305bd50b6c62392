package io.eventplane.gateway.console;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bucket pages' paths: {@code buckets} (the list), {@code buckets/<name>} (browse), and its
 * {@code /upload} (POST, multipart), {@code /object} (download), {@code /delete} (GET asks, POST
 * deletes). Uploads and downloads carry bodies, which live on the bucket's node: clustered, the
 * request goes there ({@link ConsoleCalls#bodiesElsewhere}), as S3's own requests do, its session
 * cookie with it (sealed with the cluster's key, every node opens it).
 */
final class BucketRoutes {
  private static final Pattern BUCKET = Pattern.compile("buckets/(" + BucketPage.NAME + ")(?:/(upload|object|delete))?");

  private BucketRoutes() {}

  static void route(ConsoleRoute console, ConsoleCalls calls, HttpServerRequest request, Caller as, String rest) {
    HttpMethod method = request.method();
    if (rest.equals("buckets")) {
      if (method != HttpMethod.GET) {
        ConsoleRoute.methodNotAllowed(request, "GET");
        return;
      }
      ConsoleRoute.page(request, 200, BucketListPage.render(as, request.getParam("token"))
          .map(body -> Layout.page("Buckets", Layout.Section.BUCKETS, as.banner() + body)));
      return;
    }
    Matcher m = BUCKET.matcher(rest);
    if (!m.matches()) {
      request.resume();
      ConsoleRoute.notFound(request);
      return;
    }
    String bucket = m.group(1);
    String action = m.group(2) == null ? "" : m.group(2);
    switch (method.name() + " " + action) {
      case "GET " -> ConsoleRoute.page(request, 200, BucketPage.render(as, bucket, request.params())
          .map(body -> Layout.page("Bucket " + bucket, Layout.Section.BUCKETS, as.banner() + body)));
      case "POST upload" -> new BucketUpload(calls, request, as, bucket).start();
      case "GET object" -> {
        String key = request.getParam("key");
        if (key == null || key.isEmpty()) {
          missingKey(request);
        } else {
          ObjectDownload.start(calls, request, as, bucket, key, request.getParam("version"));
        }
      }
      case "GET delete" -> {
        String key = request.getParam("key");
        if (key == null || key.isEmpty()) {
          missingKey(request);
        } else {
          ConsoleRoute.page(request, 200, Future.succeededFuture(Layout.page("Delete " + key + "?", Layout.Section.BUCKETS,
              BucketPage.deleteConfirmation(as, bucket, key, request.getParam("version")))));
        }
      }
      case "POST delete" -> console.withForm(request, as, form -> BucketActions.delete(as, bucket, form)
          .onComplete(location -> {
            if (location.succeeded()) ConsoleRoute.redirect(request, location.result());
            else ConsoleRoute.page(request, 200, Future.failedFuture(location.cause()));
          }));
      default -> ConsoleRoute.methodNotAllowed(request, action.isEmpty() || action.equals("object") ? "GET"
          : action.equals("delete") ? "GET, POST" : "POST");
    }
  }

  private static void missingKey(HttpServerRequest request) {
    ConsoleRoute.page(request, 400, Future.succeededFuture(Layout.error("No object named", "InvalidRequest",
        "Name the object with the key query parameter.")));
  }
}
