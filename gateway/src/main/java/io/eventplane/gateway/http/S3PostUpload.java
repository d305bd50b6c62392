package io.eventplane.gateway.http;

import io.eventplane.common.blob.Blob;
import io.eventplane.gateway.auth.AuthErrors;
import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.RestXmlBinding;
import io.eventplane.gateway.s3.S3PostForm;
import io.eventplane.gateway.s3.S3Protocol;
import io.eventplane.gateway.s3.S3Request;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Browser uploads (POST Object): a multipart/form-data body whose fields say what a PUT's headers
 * say and whose one file is the object. Vert.x decodes the form; the file part streams straight
 * into a blob (digests computed on the way, never whole in memory); once the body has ended, the
 * fields and the blob go to the service, which checks the policy and commits the object. When the
 * mode verifies signatures, a form that came without a signed request has its own signature checked
 * first ({@link RequestAuth#verifyForm}: the policy signed with the form's credential), and the
 * object is written as that signer.
 *
 * <p>Vert.x hands over the form's fields when the body ends, so fields after the file count too
 * (S3 ignores them): a difference only for forms that break S3's rule that the file comes last.
 */
final class S3PostUpload {
  private final ServiceBus bus;
  private final RestXmlBinding s3;
  private final Supplier<BlobStore> blobs;
  /** Verifies the form's signature (a context without a verified caller) when the mode verifies signatures; else null. */
  private final RequestAuth auth;
  private final RouteAuthorization authorization;

  S3PostUpload(ServiceBus bus, RestXmlBinding s3, Supplier<BlobStore> blobs, RequestAuth auth, RouteAuthorization authorization) {
    this.auth = auth;
    this.authorization = authorization;
    this.bus = bus;
    this.s3 = s3;
    this.blobs = blobs;
  }

  void handle(HttpServerRequest request, S3Request r, JsonObject input, RequestContext context) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      reply(request, r, context, new ServiceError("PreconditionFailed", "At least one of the pre-conditions you specified did not "
          + "hold", Fault.SENDER, new JsonObject().put("Condition", "Bucket POST must be of the enclosure-type multipart/form-data")),
          true);
      return;
    }
    BlobStore store = blobs.get();
    if (store == null) {
      reply(request, r, context, ServiceError.internal("This node stores no objects."), true);
      return;
    }
    // The bucket first, so that a form for a bucket that does not exist is not read at all.
    bus.call(s3, new ApiRequest("HeadBucket", new JsonObject().put("Bucket", r.bucket()), context)).onComplete(head -> {
      ApiReply h = head.succeeded() ? head.result() : ApiReply.failed(ServiceError.internal("The call failed."));
      if (!h.succeeded()) {
        reply(request, r, context, h.error(), true);
      } else {
        receive(request, r, input, context, store);
      }
    });
  }

  private void receive(HttpServerRequest request, S3Request r, JsonObject input, RequestContext context, BlobStore store) {
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) request.response().writeContinue();
    Promise<Void> ended = Promise.promise();
    Promise<Blob> written = Promise.promise();
    int[] files = {0};
    String[] filename = {null};
    request.setExpectMultipart(true);
    request.uploadHandler(upload -> {
      if (++files[0] > 1) {
        upload.handler(ignored -> {});
        return;
      }
      filename[0] = upload.filename();
      store.write(upload, null, S3Route.MAX_PUT).onComplete(done -> {
        if (done.succeeded()) {
          written.complete(done.result());
        } else {
          // The rest of the body will not be read: answer now and close the connection.
          Throwable e = done.cause();
          reply(request, r, context, e instanceof BlobStore.TooLarge
              ? ServiceError.sender("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
              : ServiceError.internal("Could not store the body: " + e.getMessage()), true);
          written.fail(e);
        }
      });
    });
    request.exceptionHandler(e -> {
      // Vert.x refuses a field past its size limit: S3 words that as fields before the file too large.
      reply(request, r, context, ServiceError.sender("MaxPostPreDataLengthExceeded",
          "Your POST request fields preceding the upload file were too large."), true);
      written.tryFail(e);
      ended.tryFail(e);
    });
    request.endHandler(v -> ended.tryComplete());
    request.resume();
    ended.future().onSuccess(v -> {
      if (files[0] != 1) {
        written.future().onSuccess(blob -> store.delete(blob.id()));
        reply(request, r, context, new ServiceError("InvalidArgument", "POST requires exactly one file upload per request.",
            Fault.SENDER, new JsonObject().put("ArgumentName", "file").put("ArgumentValue", Integer.toString(files[0]))), false);
        return;
      }
      written.future().onSuccess(blob -> commit(request, r, input, context, store, blob, filename[0]));
    });
  }

  private void commit(HttpServerRequest request, S3Request r, JsonObject input, RequestContext context, BlobStore store,
      Blob blob, String filename) {
    JsonObject post;
    try {
      post = S3PostForm.input(r.bucket(), request.formAttributes(), filename);
    } catch (ServiceException e) {
      store.delete(blob.id());
      reply(request, r, context, e.error(), false);
      return;
    }
    post.put("SourceIp", input.getString("SourceIp")).put("Blob", blob.toJson());
    if (auth == null || context.caller() != null) {
      authorizeAndUpload(request, r, context, post, store, blob);
      return;
    }
    java.util.Map<String, String> fields = new java.util.HashMap<>();
    post.getJsonObject("Fields").forEach(e -> fields.put(e.getKey(), String.valueOf(e.getValue())));
    auth.verifyForm(fields, context, signer -> authorizeAndUpload(request, r, signer, post, store, blob), (error, status) -> {
      store.delete(blob.id());
      Replies.send(request, RequestAuth.withStatus(s3.error(error, context.requestId(), r.resource(), false), status));
    });
  }

  /**
   * In iam mode, the form's signer needs s3:PutObject on the object the form names (known only now that
   * the form is read); a denial discards the stored body.
   */
  private void authorizeAndUpload(HttpServerRequest request, S3Request r, RequestContext context, JsonObject post,
      BlobStore store, Blob blob) {
    if (authorization == null || !authorization.enabled() || context.caller() == null) {
      upload(request, r, context, post);
      return;
    }
    JsonObject call = new JsonObject().put("Bucket", r.bucket()).put("Key", post.getString("Key"));
    authorization.check("s3", AuthErrors.Family.S3, io.eventplane.gateway.authz.ApiCall.of("PostObject", call), context,
        AuditCallers.of(request)).onComplete(done -> {
          if (done.succeeded() && done.result() == null) {
            upload(request, r, context, post);
            return;
          }
          store.delete(blob.id());
          if (done.failed()) {
            reply(request, r, context, ServiceError.internal("The authorization failed."), false);
          } else {
            Replies.send(request, RequestAuth.withStatus(s3.error(done.result().error(), context.requestId(), r.resource(), false),
                done.result().status()));
          }
        });
  }

  /** The form's object to the service (which checks the policy's expiry and conditions) as {@code context}'s caller. */
  private void upload(HttpServerRequest request, S3Request r, RequestContext context, JsonObject post) {
    bus.call(s3, new ApiRequest("PostObject", post, context), AuditCallers.of(request)).onComplete(done -> {
      ApiReply reply = done.succeeded() ? done.result() : ApiReply.failed(ServiceError.internal("The call failed."));
      if (!reply.succeeded()) {
        reply(request, r, context, reply.error(), false);
        return;
      }
      Replies.send(request, success(request, r, post, reply.output(), context));
    });
  }

  /** 204 by default, 200 or 201 (with a PostResponse document) as {@code success_action_status} asks, or a 303 redirect. */
  private static WireResponse success(HttpServerRequest request, S3Request r, JsonObject post, JsonObject out,
      RequestContext context) {
    JsonObject fields = post.getJsonObject("Fields");
    String key = post.getString("Key");
    String etag = out.getString("ETag");
    String location = objectUrl(request, r.bucket(), key);
    String redirect = fields.getString("success_action_redirect", fields.getString("redirect"));
    WireResponse response;
    if (redirect != null && isHttpUrl(redirect)) {
      String target = redirect + (redirect.contains("?") ? "&" : "?") + "bucket=" + encode(r.bucket()) + "&key=" + encode(key)
          + "&etag=" + encode(etag);
      response = WireResponse.of(303, "application/xml", "").withHeader("Location", target);
    } else {
      String status = fields.getString("success_action_status", "204");
      response = switch (status) {
        case "200" -> WireResponse.of(200, "application/xml", "");
        case "201" -> WireResponse.of(201, "application/xml", S3Protocol.xmlOutput("PostObject", new JsonObject()
            .put("Location", location).put("Bucket", r.bucket()).put("Key", key).put("ETag", etag)));
        default -> WireResponse.of(204, "application/xml", "");
      };
      response = response.withHeader("Location", location);
    }
    return response.withHeader("ETag", etag).withHeader("x-amz-request-id", context.requestId())
        .withHeader("x-amz-id-2", RestXmlBinding.hostId(context.requestId()));
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI u = new URI(url);
      return u.getScheme() != null && (u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
          && u.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** The object's URL as the client addressed the bucket (virtual-hosted or path-style). */
  private static String objectUrl(HttpServerRequest request, String bucket, String key) {
    String host = request.getHeader(HttpHeaders.HOST);
    String scheme = request.isSSL() ? "https" : "http";
    boolean virtual = S3Request.virtualHostBucket(host) != null;
    return scheme + "://" + host + "/" + (virtual ? "" : bucket + "/") + encode(key);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void reply(HttpServerRequest request, S3Request r, RequestContext context, ServiceError error, boolean close) {
    Replies.send(request, s3.error(error, context.requestId(), r.resource(), false), close);
  }
}
