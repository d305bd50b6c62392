package io.eventplane.gateway.console;

import io.eventplane.gateway.s3.S3Protocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/**
 * What the bucket page's delete form does, through S3's DeleteObject (a version's when the form
 * names one), only when confirmed. Answers where to go next: the object's folder with
 * {@code deleted=} or {@code failed=}.
 */
final class BucketActions {
  private BucketActions() {}

  static Future<String> delete(Caller caller, String bucket, MultiMap form) {
    String key = form.get("key");
    if (key == null || key.isEmpty() || !key.equals(form.get("confirm"))) {
      return Future.succeededFuture(withQuery(BucketPage.href(bucket, key == null ? null : BucketPage.parentOf(key)),
          "failed=" + Html.url("Not deleted: the delete was not confirmed.")));
    }
    String back = BucketPage.href(bucket, BucketPage.parentOf(key));
    JsonObject in = new JsonObject().put("Bucket", bucket).put("Key", key);
    String version = form.get("version");
    if (version != null && !version.isEmpty()) in.put("VersionId", version);
    return caller.call(S3Protocol.BINDING, "DeleteObject", in)
        .map(out -> withQuery(back, "deleted=" + Html.url(key + (version == null || version.isEmpty() ? "" : " version " + version))))
        .recover(e -> e instanceof ConsoleFailure f
            ? Future.succeededFuture(withQuery(back, "failed=" + Html.url(f.error.code() + ": " + f.error.message())))
            : Future.failedFuture(e));
  }

  /** A page's address with one more query parameter. */
  static String withQuery(String href, String query) {
    return href + (href.contains("?") ? "&" : "?") + query;
  }
}
