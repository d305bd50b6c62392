package io.eventplane.gateway.http;

import io.eventplane.common.blob.Blob;
import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.auth.AuthErrors;
import io.eventplane.gateway.auth.ChunkSignatures;
import io.eventplane.gateway.authz.ApiCall;
import io.eventplane.gateway.binding.RestXmlBinding;
import io.eventplane.gateway.s3.AwsChunkedDecoder;
import io.eventplane.gateway.s3.S3Protocol;
import io.eventplane.gateway.s3.S3Request;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * S3 over HTTP. Metadata goes to the storage service on the event bus like any call; bodies do not:
 * an upload streams from the socket into a blob of this node's {@link BlobStore} (aws-chunked
 * bodies decoded on the way) and only the blob's id and digests travel to the service; a download
 * gets the blob ranges from the service and streams them from disk to the socket. Nothing is held
 * whole in memory, whatever the object's size.
 */
final class S3Route {
  /** S3's largest single PUT. */
  static final long MAX_PUT = 5L * 1024 * 1024 * 1024;
  /** XML request bodies (DeleteObjects of 1,000 long keys is the largest). */
  private static final int MAX_XML = 2 * 1024 * 1024;
  private static final Map<String, String> RESPONSE_OVERRIDES = Map.of("response-content-type", "Content-Type",
      "response-content-language", "Content-Language", "response-expires", "Expires",
      "response-cache-control", "Cache-Control", "response-content-disposition", "Content-Disposition",
      "response-content-encoding", "Content-Encoding");

  private static final String S3_SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you "
      + "provided. Check your key and signing method.";

  private final ServiceBus bus;
  private final RestXmlBinding s3;
  private final Supplier<BlobStore> blobs;
  /** Null standalone: every bucket's bodies are on this node. */
  private final S3Forwarder forwarder;
  private final S3PostUpload post;

  private final RouteAuthorization authorization;

  /**
   * @param auth verifies browser uploads' form signatures when the mode verifies signatures; null otherwise
   * @param authorization checks the caller's identity policies in iam mode
   */
  S3Route(ServiceBus bus, RestXmlBinding s3, Supplier<BlobStore> blobs, S3Forwarder forwarder, RequestAuth auth,
      RouteAuthorization authorization) {
    this.authorization = authorization;
    this.bus = bus;
    this.s3 = s3;
    this.blobs = blobs;
    this.forwarder = forwarder;
    this.post = new S3PostUpload(bus, s3, blobs, auth, authorization);
  }

  /**
   * @param chunks the chunk signatures a verified request's {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}
   *     body must carry, or null (unsigned chunks, a whole-payload hash, auth off)
   */
  void handle(HttpServerRequest request, RequestContext context, ChunkSignatures chunks) {
    request.pause();
    S3Request r = S3Request.of(request.method().name(), request.path(), request.getHeader(HttpHeaders.HOST), request.params(),
        request.headers());
    if (r.operation() == null) {
      fail(request, r, context, ServiceError.sender("MethodNotAllowed", "The specified method is not allowed against this resource."));
      return;
    }
    if (r.operation().equals("Unsupported")) {
      fail(request, r, context, new ServiceError("NotImplemented",
          "A header you provided implies functionality that is not implemented", io.eventplane.common.error.Fault.RECEIVER));
      return;
    }
    ServiceError expired = presignedExpiry(request);
    if (expired == null) expired = PayloadHash.malformed(request.getHeader("x-amz-content-sha256"));
    if (expired != null) {
      fail(request, r, context, expired);
      return;
    }
    JsonObject input = S3Protocol.input(r).put("SourceIp", remoteIp(request));
    if (authorization.enabled() && context.caller() != null && !r.operation().equals("DeleteObjects")) {
      // DeleteObjects is authorized once its XML body names the keys (call).
      authorization.check("s3", AuthErrors.Family.S3, ApiCall.of(r.operation(), input), context, AuditCallers.of(request))
          .onComplete(done -> {
            if (done.failed()) {
              refuse(request, context, ServiceError.internal("The authorization failed."), 500);
            } else if (done.result() != null) {
              refuse(request, context, done.result().error(), done.result().status());
            } else {
              authorized(request, r, input, context, chunks);
            }
          });
      return;
    }
    authorized(request, r, input, context, chunks);
  }

  private void authorized(HttpServerRequest request, S3Request r, JsonObject input, RequestContext context, ChunkSignatures chunks) {
    boolean body = r.operation().equals("PutObject") || r.operation().equals("UploadPart") || r.operation().equals("GetObject")
        || r.operation().equals("PostObject");
    if (body && forwarder != null && !S3Forwarder.isForwarded(request)) {
      locateThen(request, r, input, context, chunks);
    } else {
      dispatch(request, r, input, context, chunks);
    }
  }

  /** A request refused before it is handled (its signature): S3's error, the body drained unless the client waits for 100-continue. */
  void refuse(HttpServerRequest request, RequestContext context, ServiceError error, int status) {
    S3Request r = S3Request.of(request.method().name(), request.path(), request.getHeader(HttpHeaders.HOST), request.params(),
        request.headers());
    WireResponse answer = RequestAuth.withStatus(error(r, error, context), status);
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      Replies.send(request, answer, true);
      return;
    }
    request.resume();
    CappedBody.read(request, 64 * 1024 * 1024).onComplete(ignored -> Replies.send(request, answer, ignored.failed()));
  }

  private void dispatch(HttpServerRequest request, S3Request r, JsonObject input, RequestContext context, ChunkSignatures chunks) {
    switch (r.operation()) {
      case "PutObject", "UploadPart" -> upload(request, r, input, context, chunks);
      case "GetObject", "HeadObject" -> download(request, r, input, context);
      case "PostObject" -> post.handle(request, r, input, context);
      default -> call(request, r, input, context);
    }
  }

  /** Clustered: a request with a body runs at the node that keeps its bucket's bodies, forwarded there over HTTP. */
  private void locateThen(HttpServerRequest request, S3Request r, JsonObject input, RequestContext context,
      ChunkSignatures chunks) {
    JsonObject where = new JsonObject().put("Bucket", r.bucket());
    bus.call(s3, new ApiRequest("eventplane:Locate", where, context)).onComplete(located -> {
      ApiReply reply = located.succeeded() ? located.result() : ApiReply.failed(ServiceError.internal("The call failed."));
      if (!reply.succeeded()) {
        failBeforeBody(request, r, context, reply.error());
      } else if (reply.output().getBoolean("Local", false)) {
        dispatch(request, r, input, context, chunks);
      } else {
        // The owner verifies the forwarded request's signature (its chunks too) itself.
        forwarder.forward(request, reply.output().getString("Url")).onFailure(e -> {
          if (!request.response().headWritten()) {
            Replies.send(request, error(r, ServiceError.unavailable("The bucket's node did not answer: " + e.getMessage()),
                context), true);
          } else {
            request.response().reset();
          }
        });
      }
    });
  }

  /** A call without a streamed body: an XML document (read within a cap) or nothing. */
  private void call(HttpServerRequest request, S3Request r, JsonObject input, RequestContext context) {
    int cap = S3Protocol.hasXmlBody(r.operation()) ? MAX_XML : 64 * 1024;
    request.resume();
    CappedBody.read(request, cap).onComplete(read -> {
      if (read.failed()) {
        boolean tooLarge = read.cause() instanceof CappedBody.TooLarge;
        ServiceError e = tooLarge ? S3Errors.malformedXml() : ServiceError.internal("Could not read the body.");
        Replies.send(request, error(r, e, context), tooLarge && ((CappedBody.TooLarge) read.cause()).closeConnection);
        return;
      }
      String declared = request.getHeader("x-amz-content-sha256");
      ServiceError mismatch = PayloadHash.isHash(declared) ? PayloadHash.mismatch(declared, PayloadHash.digest(read.result())) : null;
      if (mismatch != null) {
        Replies.send(request, error(r, mismatch, context));
        return;
      }
      try {
        S3Protocol.readXmlBody(r.operation(), read.result(), input);
      } catch (ServiceException e) {
        Replies.send(request, error(r, e.error(), context));
        return;
      }
      if (authorization.enabled() && context.caller() != null && r.operation().equals("DeleteObjects")) {
        authorization.check("s3", AuthErrors.Family.S3, ApiCall.of(r.operation(), input), context, AuditCallers.of(request))
            .onComplete(done -> {
              if (done.failed()) {
                Replies.send(request, error(r, ServiceError.internal("The authorization failed."), context));
              } else if (done.result() != null) {
                Replies.send(request, RequestAuth.withStatus(error(r, done.result().error(), context), done.result().status()));
              } else {
                forward(request, r, input, context);
              }
            });
        return;
      }
      forward(request, r, input, context);
    });
  }

  private void forward(HttpServerRequest request, S3Request r, JsonObject input, RequestContext context) {
    bus.call(s3, new ApiRequest(r.operation(), input, context), AuditCallers.of(request)).onComplete(done -> {
      ApiReply reply = done.succeeded() ? done.result() : ApiReply.failed(ServiceError.internal("The call failed."));
      Replies.send(request, reply.succeeded() ? success(r, reply.output(), context) : error(r, reply.error(), context));
    });
  }

  private WireResponse success(S3Request r, JsonObject out, RequestContext context) {
    String xml = S3Protocol.xmlOutput(r.operation(), out);
    int status = switch (r.operation()) {
      case "DeleteObject", "DeleteBucket", "AbortMultipartUpload", "DeleteObjectTagging", "DeleteBucketCors",
          "DeleteBucketTagging", "DeleteBucketPolicy", "DeleteBucketEncryption", "DeleteBucketOwnershipControls",
          "DeletePublicAccessBlock", "DeleteBucketLifecycle", "DeleteBucketReplication" -> 204;
      // 202 when an archived object's restore starts, 200 when a restored copy is already there.
      case "RestoreObject" -> out.getInteger("HttpStatus", 200);
      default -> 200;
    };
    WireResponse response = xml == null ? WireResponse.of(status, "application/xml", "")
        : WireResponse.of(status, "application/xml", xml);
    if (r.operation().equals("GetBucketPolicy")) response = WireResponse.of(200, "application/json", out.getString("Policy"));
    response = withCors(withIds(response, context), out);
    if (r.operation().equals("CreateBucket")) response = response.withHeader("Location", out.getString("Location"));
    if (r.operation().equals("HeadBucket")) {
      response = response.withHeader("x-amz-bucket-region", out.getString("BucketRegion"))
          .withHeader("x-amz-bucket-arn", "arn:aws:s3:::" + r.bucket());
    }
    if (r.operation().equals("GetObjectAttributes")) response = response.withHeader("Last-Modified", out.getString("LastModified"));
    if (r.operation().equals("CopyObject") || r.operation().equals("CompleteMultipartUpload")) {
      response = checksumHeaders(response, out);
    }
    if (out.getString("Expiration") != null) response = response.withHeader("x-amz-expiration", out.getString("Expiration"));
    if (out.getString("TransitionDefaultMinimumObjectSize") != null) {
      response = response.withHeader("x-amz-transition-default-minimum-object-size",
          out.getString("TransitionDefaultMinimumObjectSize"));
    }
    return versionHeaders(response, out);
  }

  /**
   * PutObject and UploadPart: the service first says the write may go ahead (the bucket or upload
   * exists, a condition holds), then the body streams into a blob, then the service commits it.
   */
  private void upload(HttpServerRequest request, S3Request r, JsonObject input, RequestContext context, ChunkSignatures chunks) {
    String prepare = r.operation().equals("PutObject") ? "eventplane:PrepareWrite" : "eventplane:PreparePart";
    bus.call(s3, new ApiRequest(prepare, input, context)).onComplete(prepared -> {
      ApiReply p = prepared.succeeded() ? prepared.result() : ApiReply.failed(ServiceError.internal("The call failed."));
      if (!p.succeeded()) {
        failBeforeBody(request, r, context, p.error());
        return;
      }
      BlobStore store = blobs.get();
      if (store == null) {
        failBeforeBody(request, r, context, ServiceError.internal("This node stores no objects."));
        return;
      }
      String checksum = input.getString("ChecksumAlgorithm");
      if (checksum != null && !java.util.Set.of("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256").contains(checksum)) {
        failBeforeBody(request, r, context, ServiceError.sender("InvalidRequest",
            "Value for x-amz-checksum-algorithm header is invalid."));
        return;
      }
      if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) request.response().writeContinue();
      AwsChunkedDecoder chunked = isAwsChunked(request) ? new AwsChunkedDecoder(request, chunks) : null;
      String declaredHash = request.getHeader("x-amz-content-sha256");
      PayloadHash hashed = chunked == null && PayloadHash.isHash(declaredHash) ? PayloadHash.of(request) : null;
      ReadStream<Buffer> body = chunked != null ? chunked : hashed != null ? hashed : request;
      store.write(body, checksum, MAX_PUT).onComplete(written -> {
        if (written.failed()) {
          Throwable e = written.cause();
          ServiceError error = e instanceof BlobStore.TooLarge
              ? ServiceError.sender("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
              : e instanceof AwsChunkedDecoder.Malformed
                  ? ServiceError.sender("IncompleteBody", "The request body terminated unexpectedly: " + e.getMessage())
                  : e instanceof AwsChunkedDecoder.SignatureMismatch
                      ? ServiceError.sender("SignatureDoesNotMatch", S3_SIGNATURE_MISMATCH)
                      : ServiceError.internal("Could not store the body: " + e.getMessage());
          WireResponse answer = error(r, error, context);
          Replies.send(request, e instanceof AwsChunkedDecoder.SignatureMismatch ? RequestAuth.withStatus(answer, 403) : answer, true);
          return;
        }
        Blob blob = written.result();
        ServiceError mismatch = hashed == null ? null : PayloadHash.mismatch(declaredHash, hashed.digest());
        if (mismatch != null) {
          store.delete(blob.id());
          Replies.send(request, error(r, mismatch, context));
          return;
        }
        input.put("Blob", blob.toJson());
        if (chunked != null) {
          chunked.trailers().forEach((name, value) -> {
            if (name.startsWith("x-amz-checksum-")) {
              input.put("Checksum" + name.substring("x-amz-checksum-".length()).toUpperCase(Locale.ROOT), value);
            }
          });
        }
        String declared = request.getHeader("x-amz-decoded-content-length");
        if (chunked != null && declared != null && !declared.trim().equals(Long.toString(blob.size()))) {
          store.delete(blob.id());
          Replies.send(request, error(r, ServiceError.sender("IncompleteBody",
              "You did not provide the number of bytes specified by the Content-Length HTTP header"), context));
          return;
        }
        bus.call(s3, new ApiRequest(r.operation(), input, context), AuditCallers.of(request)).onComplete(done -> {
          ApiReply reply = done.succeeded() ? done.result() : ApiReply.failed(ServiceError.internal("The call failed."));
          if (!reply.succeeded()) {
            Replies.send(request, error(r, reply.error(), context));
            return;
          }
          WireResponse ok = withCors(withIds(WireResponse.of(200, "application/xml", ""), context), reply.output())
              .withHeader("ETag", reply.output().getString("ETag"));
          if (reply.output().getString("Expiration") != null) {
            ok = ok.withHeader("x-amz-expiration", reply.output().getString("Expiration"));
          }
          Replies.send(request, versionHeaders(checksumHeaders(ok, reply.output()), reply.output()));
        });
      });
    });
  }

  private static boolean isAwsChunked(HttpServerRequest request) {
    String sha = request.getHeader("x-amz-content-sha256");
    String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
    return (sha != null && sha.startsWith("STREAMING-"))
        || (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
  }

  /** GetObject and HeadObject: headers from the metadata, then (GET) the blob ranges, one after the other. */
  private void download(HttpServerRequest request, S3Request r, JsonObject input, RequestContext context) {
    request.resume();
    boolean head = request.method() == HttpMethod.HEAD;
    bus.call(s3, new ApiRequest(r.operation(), input, context), AuditCallers.of(request)).onComplete(done -> {
      ApiReply reply = done.succeeded() ? done.result() : ApiReply.failed(ServiceError.internal("The call failed."));
      if (!reply.succeeded()) {
        Replies.send(request, error(r, reply.error(), context));
        return;
      }
      JsonObject out = reply.output();
      HttpServerResponse response = request.response();
      response.putHeader("x-amz-request-id", context.requestId()).putHeader("x-amz-id-2", RestXmlBinding.hostId(context.requestId()));
      response.putHeader("ETag", out.getString("ETag")).putHeader("Last-Modified", out.getString("LastModified"));
      out.getJsonObject("CorsHeaders", new JsonObject()).forEach(e -> response.putHeader(e.getKey(), String.valueOf(e.getValue())));
      if (out.getString("VersionId") != null) response.putHeader("x-amz-version-id", out.getString("VersionId"));
      if (out.getBoolean("NotModified", false)) {
        response.setStatusCode(304).end();
        return;
      }
      out.getJsonObject("Headers", new JsonObject()).forEach(e -> response.putHeader(e.getKey(), String.valueOf(e.getValue())));
      out.getJsonObject("Metadata", new JsonObject()).forEach(e -> response.putHeader("x-amz-meta-" + e.getKey(),
          String.valueOf(e.getValue())));
      RESPONSE_OVERRIDES.forEach((param, header) -> {
        String v = request.getParam(param);
        if (v != null) response.putHeader(header, v);
      });
      response.putHeader("Accept-Ranges", "bytes");
      if (out.getString("StorageClass") != null) response.putHeader("x-amz-storage-class", out.getString("StorageClass"));
      if (out.getString("Expiration") != null) response.putHeader("x-amz-expiration", out.getString("Expiration"));
      if (out.getString("Restore") != null) response.putHeader("x-amz-restore", out.getString("Restore"));
      if (out.getValue("TagCount") != null) response.putHeader("x-amz-tagging-count", String.valueOf(out.getValue("TagCount")));
      if (out.getValue("PartsCount") != null) response.putHeader("x-amz-mp-parts-count", String.valueOf(out.getValue("PartsCount")));
      for (String a : new String[] {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"}) {
        String v = out.getString("Checksum" + a);
        if (v != null) response.putHeader("x-amz-checksum-" + a.toLowerCase(Locale.ROOT), v);
      }
      if (out.getString("ChecksumType") != null) response.putHeader("x-amz-checksum-type", out.getString("ChecksumType"));
      if (out.getString("ContentRange") != null) response.putHeader("Content-Range", out.getString("ContentRange"));
      response.setStatusCode(out.getBoolean("Partial", false) ? 206 : 200);
      long length = out.getLong("ContentLength");
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
      if (head || length == 0) {
        response.end();
        return;
      }
      BlobStore store = blobs.get();
      streamSegments(store, out.getJsonArray("Segments", new JsonArray()), 0, response);
    });
  }

  private void streamSegments(BlobStore store, JsonArray segments, int index, HttpServerResponse response) {
    if (index == segments.size()) {
      response.end();
      return;
    }
    JsonObject s = segments.getJsonObject(index);
    store.read(s.getString("Blob"), s.getLong("Offset"), s.getLong("Length"))
        .compose(file -> file.pipe().endOnSuccess(false).to(response).eventually(() -> file.close()))
        .onComplete(piped -> {
          if (piped.succeeded()) {
            streamSegments(store, segments, index + 1, response);
          } else {
            // The status line is gone: all that is left is to cut the body short.
            response.reset();
          }
        });
  }

  private static WireResponse checksumHeaders(WireResponse response, JsonObject out) {
    WireResponse r = response;
    for (String a : new String[] {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"}) {
      String v = out.getString("Checksum" + a);
      if (v != null) r = r.withHeader("x-amz-checksum-" + a.toLowerCase(Locale.ROOT), v);
    }
    return r;
  }

  /** The CORS headers the service found for a browser's request (a preflight's answer, or an allowed actual request's). */
  private static WireResponse withCors(WireResponse response, JsonObject out) {
    WireResponse r = response;
    JsonObject cors = out.getJsonObject("CorsHeaders");
    if (cors != null) for (var e : cors) r = r.withHeader(e.getKey(), String.valueOf(e.getValue()));
    return r;
  }

  /** The version an operation wrote, read, deleted or copied from, as S3's headers say it. */
  private static WireResponse versionHeaders(WireResponse response, JsonObject out) {
    WireResponse r = response;
    if (out.getString("VersionId") != null) r = r.withHeader("x-amz-version-id", out.getString("VersionId"));
    if (out.getBoolean("DeleteMarker", false)) r = r.withHeader("x-amz-delete-marker", "true");
    if (out.getString("CopySourceVersionId") != null) {
      r = r.withHeader("x-amz-copy-source-version-id", out.getString("CopySourceVersionId"));
    }
    return r;
  }

  private static WireResponse withIds(WireResponse r, RequestContext context) {
    return r.withHeader("x-amz-request-id", context.requestId()).withHeader("x-amz-id-2", RestXmlBinding.hostId(context.requestId()));
  }

  /** An error before the body was read: the client waiting for 100-continue sends none, others are drained. */
  private void failBeforeBody(HttpServerRequest request, S3Request r, RequestContext context, ServiceError error) {
    boolean expectsContinue = "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
    if (expectsContinue) {
      Replies.send(request, error(r, error, context), true);
      return;
    }
    fail(request, r, context, error);
  }

  /** An error for a request whose body is read and dropped first, so the connection stays usable. */
  private void fail(HttpServerRequest request, S3Request r, RequestContext context, ServiceError error) {
    request.resume();
    CappedBody.read(request, 64 * 1024 * 1024).onComplete(ignored -> Replies.send(request, error(r, error, context),
        ignored.failed()));
  }

  /** The error detail in which the service sends an actual request's CORS headers (headers, not XML elements). */
  private static final String CORS_ERROR_MEMBER = "eventplane:CorsHeaders";

  /**
   * The error document; an error's {@code Headers} member (a delete marker's, say) and the CORS
   * headers of a browser's request go out as response headers, not XML elements.
   */
  private WireResponse error(S3Request r, ServiceError error, RequestContext context) {
    JsonObject cors = error.details() == null ? null : error.details().getJsonObject(CORS_ERROR_MEMBER);
    JsonObject headers = error.details() == null ? null : error.details().getJsonObject("Headers");
    ServiceError shown = error;
    if (cors != null || headers != null) {
      JsonObject details = error.details().copy();
      details.remove(CORS_ERROR_MEMBER);
      details.remove("Headers");
      shown = error.with(details.isEmpty() ? null : details);
    }
    WireResponse response = s3.error(shown, context.requestId(), r.resource(), "HEAD".equals(r.method()));
    if (headers != null) {
      for (Map.Entry<String, Object> h : headers) {
        if (h.getValue() != null) response = response.withHeader(h.getKey(), String.valueOf(h.getValue()));
      }
    }
    return cors == null ? response : withCors(response, new JsonObject().put("CorsHeaders", cors));
  }

  private static final java.time.format.DateTimeFormatter AMZ_DATE =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);

  /**
   * A presigned URL past its {@code X-Amz-Date + X-Amz-Expires} is AccessDenied, as on S3 (the
   * signature itself is checked once access keys exist).
   */
  static ServiceError presignedExpiry(HttpServerRequest request) {
    String date = request.getParam("X-Amz-Date");
    String expires = request.getParam("X-Amz-Expires");
    if (date == null || expires == null) return null;
    java.time.Instant signed;
    long seconds;
    try {
      signed = java.time.Instant.from(AMZ_DATE.parse(date));
      seconds = Long.parseLong(expires);
    } catch (RuntimeException e) {
      return ServiceError.sender("AuthorizationQueryParametersError", "X-Amz-Date must be in the ISO8601 Long Format "
          + "\"yyyyMMdd'T'HHmmss'Z'\" and X-Amz-Expires a number of seconds");
    }
    if (seconds < 1 || seconds > 604_800) {
      return ServiceError.sender("AuthorizationQueryParametersError",
          "X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    java.time.Instant now = java.time.Instant.now();
    if (now.isAfter(signed.plusSeconds(seconds))) {
      return new ServiceError("AccessDenied", "Request has expired", io.eventplane.common.error.Fault.SENDER,
          new JsonObject().put("X-Amz-Expires", expires).put("Expires", signed.plusSeconds(seconds).toString())
              .put("ServerTime", now.toString()));
    }
    return null;
  }

  private static String remoteIp(HttpServerRequest request) {
    return request.remoteAddress() == null ? "127.0.0.1" : request.remoteAddress().hostAddress();
  }

  /** The gateway's own S3 errors. */
  private static final class S3Errors {
    static ServiceError malformedXml() {
      return ServiceError.sender("MalformedXML",
          "The XML you provided was not well-formed or did not validate against our published schema");
    }
  }
}
