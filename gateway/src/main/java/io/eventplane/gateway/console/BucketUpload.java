package io.eventplane.gateway.console;

import io.eventplane.gateway.s3.S3Protocol;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The bucket page's upload form (multipart/form-data: a folder field and one file): the file
 * streams into a blob on the bucket's node (never whole in memory), then S3's PutObject commits it
 * as the caller, so the object's notifications, audit record and metrics are a PUT's. The object's
 * key is the folder followed by the file's name; its content type is the one the browser sent.
 * The form's fields (the CSRF token among them) are read when the body has ended; a refused upload's
 * blob is deleted.
 */
final class BucketUpload {
  private final ConsoleCalls calls;
  private final HttpServerRequest request;
  private final Caller as;
  private final String bucket;

  BucketUpload(ConsoleCalls calls, HttpServerRequest request, Caller as, String bucket) {
    this.calls = calls;
    this.request = request;
    this.as = as;
    this.bucket = bucket;
  }

  void start() {
    request.pause();
    String type = request.getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      refuse(400, "InvalidForm", "An upload is sent as multipart/form-data.");
      return;
    }
    calls.bodiesElsewhere(request, bucket, as.context()).onComplete(where -> {
      if (where.succeeded() && where.result() != null) {
        calls.forward(request, where.result()).onFailure(e -> {
          if (!request.response().headWritten()) refuse(502, "ServiceUnavailable", "The bucket's node did not answer: " + e.getMessage());
          else request.response().reset();
        });
        return;
      }
      // The bucket first, so that an upload to a bucket that is not there is not read at all.
      as.call(S3Protocol.BINDING, "HeadBucket", new JsonObject().put("Bucket", bucket)).onComplete(head -> {
        if (head.failed()) {
          request.response().putHeader("Connection", "close");
          ConsoleRoute.page(request, 200, Future.failedFuture(head.cause()));
        } else {
          receive();
        }
      });
    });
  }

  private void receive() {
    Promise<Void> ended = Promise.promise();
    Promise<JsonObject> written = Promise.promise();
    String[] file = {null, null};
    int[] files = {0};
    request.setExpectMultipart(true);
    request.uploadHandler(upload -> {
      if (++files[0] > 1) {
        // One file per upload: a second part is read and dropped.
        upload.handler(ignored -> {});
        return;
      }
      file[0] = upload.filename();
      file[1] = upload.contentType();
      calls.writeBlob(upload).onComplete(done -> {
        if (done.succeeded()) {
          written.complete(done.result());
        } else {
          written.fail(done.cause());
          // The rest of the body will not be read: say so now and close the connection.
          boolean tooLarge = done.cause() instanceof io.eventplane.common.blob.BlobStore.TooLarge;
          request.response().putHeader("Connection", "close");
          back(tooLarge ? "EntityTooLarge: Your proposed upload exceeds the maximum allowed size" : "Not uploaded: "
              + done.cause().getMessage(), null);
        }
      });
    });
    request.exceptionHandler(ended::tryFail);
    request.endHandler(v -> ended.tryComplete());
    request.resume();
    ended.future().onComplete(end -> {
      if (end.failed()) {
        refuse(400, "InvalidForm", "The upload could not be read: " + end.cause().getMessage());
        return;
      }
      if (files[0] == 0) {
        back("Not uploaded: choose a file.", null);
        return;
      }
      written.future().onSuccess(blob -> commit(blob, file[0], file[1]));
    });
  }

  private void commit(JsonObject blob, String filename, String contentType) {
    io.vertx.core.MultiMap form = request.formAttributes();
    String prefix = form.get("prefix") == null ? "" : form.get("prefix");
    String name = baseName(filename);
    if (as.session() != null && !ConsoleSessions.csrfMatches(as.session(), form.get("csrf"))) {
      drop(blob);
      ConsoleRoute.page(request, 403, Future.succeededFuture(Layout.error("Refused", "InvalidCsrfToken",
          "The form is not from this console session: reload the page and try again.")));
      return;
    }
    if (name.isEmpty()) {
      drop(blob);
      back("Not uploaded: choose a file.", prefix);
      return;
    }
    String key = prefix + name;
    JsonObject in = new JsonObject().put("Bucket", bucket).put("Key", key).put("Blob", blob)
        .put("SourceIp", request.remoteAddress() == null ? "127.0.0.1" : request.remoteAddress().hostAddress());
    if (contentType != null && !contentType.isEmpty()) in.put("ContentType", contentType);
    as.call(S3Protocol.BINDING, "PutObject", in).onComplete(put -> {
      if (put.succeeded()) {
        ConsoleRoute.redirect(request, BucketActions.withQuery(BucketPage.href(bucket, prefix), "uploaded=" + Html.url(key)));
      } else {
        drop(blob);
        if (put.cause() instanceof ConsoleFailure f) back(f.error.code() + ": " + f.error.message(), prefix);
        else ConsoleRoute.page(request, 200, Future.failedFuture(put.cause()));
      }
    });
  }

  private void drop(JsonObject blob) {
    String id = blob.getString("id");
    if (id != null) calls.dropBlob(id);
  }

  /** Back to the bucket's page (at the folder) saying why nothing was uploaded. */
  private void back(String failed, String prefix) {
    ConsoleRoute.redirect(request, BucketActions.withQuery(BucketPage.href(bucket, prefix), "failed=" + Html.url(failed)));
  }

  private void refuse(int status, String code, String message) {
    request.response().putHeader("Connection", "close");
    ConsoleRoute.page(request, status, Future.succeededFuture(Layout.error("Not uploaded", code, message)));
  }

  /** The file's own name: browsers send no path, but a name with one keeps only its last part. */
  static String baseName(String filename) {
    if (filename == null) return "";
    int cut = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
    return filename.substring(cut + 1).trim();
  }
}
