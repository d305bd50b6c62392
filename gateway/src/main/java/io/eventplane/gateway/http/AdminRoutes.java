package io.eventplane.gateway.http;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.gateway.WireResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Eventplane's own endpoints under {@code /_eventplane/}: a health check for probes, in dev mode
 * only a reset that wipes all state between test runs, and what SNS recorded instead of sending
 * (mobile push and SMS messages), gathered from every node.
 */
final class AdminRoutes {
  static final String PREFIX = "/_eventplane/";
  /** Where SNS envelopes' SigningCertURL points: {@code <prefix><certificate id>.pem}. */
  static final String SIGNING_CERT_PREFIX = PREFIX + "sns/SimpleNotificationService-";
  private static final String JSON = "application/json";
  /** Where GetFunction's Code.Location points: {@code <prefix><account>/<function>?region=<region>&sha=<digest>}. */
  static final String CODE_PREFIX = PREFIX + "lambda/code/";
  /** {@code GET} (list) or {@code DELETE} (clear) the messages published to platform endpoints: {@code ?accountId=&region=&endpointArn=}. */
  static final String PUSH_MESSAGES = PREFIX + "sns/platform-endpoint-messages";
  /** {@code GET} (list) or {@code DELETE} (clear) the SMS messages: {@code ?accountId=&region=&phoneNumber=}. */
  static final String SMS_MESSAGES = PREFIX + "sns/sms-messages";

  private final boolean devMode;
  private final int maxRequestBytes;
  private final ServiceBus bus;
  private final java.util.function.Supplier<io.eventplane.common.blob.BlobStore> blobs;
  /** Where another node copies an object's body to this one (it replicates the bucket's partition). */
  static final String BLOBS_PREFIX = PREFIX + "s3/blobs/";

  AdminRoutes(boolean devMode, int maxRequestBytes, ServiceBus bus,
      java.util.function.Supplier<io.eventplane.common.blob.BlobStore> blobs) {
    this.devMode = devMode;
    this.maxRequestBytes = maxRequestBytes;
    this.bus = bus;
    this.blobs = blobs;
  }

  void handle(HttpServerRequest request, RequestContext context) {
    String path = request.path();
    if (path.equals(PREFIX + "health")) {
      if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
        health(request, context);
      } else {
        Replies.send(request, error(405, "MethodNotAllowed", "Use GET."));
      }
    } else if (path.equals(PREFIX + "reset")) {
      reset(request, context);
    } else if (path.equals(PREFIX + "cluster")) {
      cluster(request, context);
    } else if (path.startsWith(BLOBS_PREFIX)) {
      blob(request, path.substring(BLOBS_PREFIX.length()));
    } else if (path.startsWith(CODE_PREFIX) && request.method() == HttpMethod.GET) {
      functionCode(request, context, path.substring(CODE_PREFIX.length()));
    } else if (path.equals(PUSH_MESSAGES)) {
      recordedMessages(request, context, "endpoint", "endpointArn", "platform_endpoint_messages", "TargetArn");
    } else if (path.equals(SMS_MESSAGES)) {
      recordedMessages(request, context, "sms", "phoneNumber", "sms_messages", "PhoneNumber");
    } else if (path.startsWith(SIGNING_CERT_PREFIX) && path.endsWith(".pem")) {
      signingCertificate(request, context, path.substring(SIGNING_CERT_PREFIX.length(), path.length() - 4));
    } else {
      Replies.send(request, error(404, "NotFound", "No such endpoint: " + path));
    }
  }

  /** A replica's end of blob replication: PUT stores the body under the id, DELETE drops it. */
  private void blob(HttpServerRequest request, String id) {
    io.eventplane.common.blob.BlobStore store = blobs.get();
    if (store == null || id.isEmpty() || !id.matches("[0-9a-f]{32}")) {
      Replies.send(request, error(404, "NotFound", "No such blob endpoint."));
      return;
    }
    if (request.method() == HttpMethod.PUT) {
      store.receive(id, request).onComplete(done -> Replies.send(request, done.succeeded()
          ? json(200, new JsonObject().put("stored", id))
          : error(500, "InternalFailure", String.valueOf(done.cause().getMessage())), done.failed()));
    } else if (request.method() == HttpMethod.DELETE) {
      store.delete(id).onComplete(done -> Replies.send(request, json(200, new JsonObject().put("deleted", id))));
    } else if (request.method() == HttpMethod.GET && request.getParam("length", "").matches("\\d{1,18}")) {
      sendBlob(request, store, id, Long.parseLong(request.getParam("length")));
    } else {
      Replies.send(request, error(405, "MethodNotAllowed", "Use PUT, DELETE, or GET with a length."));
    }
  }

  /** Another node copying an object of a bucket this node owns (CopyObject across nodes) reads its blob here. */
  private void sendBlob(HttpServerRequest request, io.eventplane.common.blob.BlobStore store, String id, long length) {
    store.read(id, 0, length).onComplete(opened -> {
      if (opened.failed()) {
        Replies.send(request, error(404, "NotFound", "No such blob."));
        return;
      }
      io.vertx.core.file.AsyncFile file = opened.result();
      request.response().putHeader("Content-Length", Long.toString(length)).putHeader("Content-Type", "application/octet-stream");
      file.pipeTo(request.response()).onComplete(done -> file.close());
    });
  }

  /** A function's deployment package, for the Code.Location that GetFunction hands out. */
  private void functionCode(HttpServerRequest request, RequestContext context, String rest) {
    String[] parts = rest.split("/", 2);
    String sha = request.getParam("sha");
    if (parts.length != 2 || sha == null) {
      Replies.send(request, error(404, "NotFound", "No such package."));
      return;
    }
    String region = request.getParam("region", context.region());
    JsonObject in = new JsonObject().put("Account", parts[0]).put("Region", region).put("FunctionName", parts[1])
        .put("Sha", sha);
    bus.call(Contracts.LAMBDA, new ApiRequest("eventplane:GetCode", in, context)).onComplete(done -> {
      if (done.succeeded() && done.result().succeeded()) {
        Replies.send(request, io.eventplane.gateway.WireResponse.ofBytes(200, "application/zip",
            done.result().output().getBinary("ZipFile"), java.util.Map.of()));
      } else {
        Replies.send(request, error(404, "NotFound", "No such package."));
      }
    });
  }

  private void reset(HttpServerRequest request, RequestContext context) {
    if (request.method() != HttpMethod.POST) {
      Replies.send(request, error(405, "MethodNotAllowed", "Use POST."));
    } else if (!devMode) {
      Replies.send(request, error(403, "AccessDenied", "Reset is only available in dev mode."));
    } else {
      // Read (and cap) the unused body so the connection stays in step for the next request.
      // The node's admin service resets every service of the server's list, cluster-wide.
      CappedBody.read(request, maxRequestBytes)
          .compose(body -> bus.call(Contracts.ADMIN, new ApiRequest("Reset", new JsonObject(), context)))
          .onComplete(done -> {
            if (done.failed() && done.cause() instanceof CappedBody.TooLarge tooLarge) {
              Replies.send(request, error(413, "RequestEntityTooLarge", "The reset request body is too large."),
                  tooLarge.closeConnection);
            } else if (done.failed()) {
              Replies.send(request, error(500, "InternalFailure", String.valueOf(done.cause().getMessage())));
            } else if (done.result().succeeded()) {
              bus.everythingReset();
              Replies.send(request, json(200, new JsonObject().put("reset", true)));
            } else {
              Replies.send(request, error(500, done.result().error().code(), done.result().error().message()));
            }
          });
    }
  }

  /** 200 when the node serves: standalone once started, clustered once it has taken up its partitions. */
  private void health(HttpServerRequest request, RequestContext context) {
    bus.call(Contracts.ADMIN, new ApiRequest("Health", new JsonObject(), context)).onComplete(done -> {
      if (done.succeeded() && done.result().succeeded()) {
        JsonObject out = done.result().output();
        Replies.send(request, json(out.getBoolean("ready", true) ? 200 : 503, out));
      } else {
        Replies.send(request, json(503, new JsonObject().put("status", "starting").put("ready", false)));
      }
    });
  }

  private void cluster(HttpServerRequest request, RequestContext context) {
    if (request.method() != HttpMethod.GET) {
      Replies.send(request, error(405, "MethodNotAllowed", "Use GET."));
      return;
    }
    bus.call(Contracts.ADMIN, new ApiRequest("DescribeCluster", new JsonObject(), context)).onComplete(done -> {
      if (done.succeeded() && done.result().succeeded()) {
        Replies.send(request, json(200, done.result().output()));
      } else {
        String message = done.failed() ? String.valueOf(done.cause().getMessage()) : done.result().error().message();
        Replies.send(request, error(500, "InternalFailure", message));
      }
    });
  }

  /**
   * The push or SMS messages SNS recorded for an account and region (default: the request's),
   * optionally of one endpoint or phone number: GET lists them grouped by target,
   * {@code {"<key>": {"<target>": [message, ...]}, "region": ...}}; DELETE clears them (204).
   */
  private void recordedMessages(HttpServerRequest request, RequestContext context, String kind, String targetParam,
      String key, String targetField) {
    boolean clear = request.method() == HttpMethod.DELETE;
    if (!clear && request.method() != HttpMethod.GET) {
      Replies.send(request, error(405, "MethodNotAllowed", "Use GET or DELETE."));
      return;
    }
    String region = request.getParam("region", context.region());
    JsonObject in = new JsonObject().put("kind", kind).put("accountId", request.getParam("accountId", context.accountId()))
        .put("region", region).put("target", request.getParam(targetParam)).put("clear", clear);
    bus.call(Contracts.SNS, new ApiRequest("eventplane:SentMessages", in, context)).onComplete(done -> {
      if (done.failed() || !done.result().succeeded()) {
        String message = done.failed() ? String.valueOf(done.cause().getMessage()) : done.result().error().message();
        Replies.send(request, error(500, "InternalFailure", message));
      } else if (clear) {
        Replies.send(request, WireResponse.of(204, JSON, ""));
      } else {
        JsonObject byTarget = new JsonObject();
        for (Object o : done.result().output().getJsonArray("messages")) {
          JsonObject m = (JsonObject) o;
          String target = m.getString(targetField);
          if (!byTarget.containsKey(target)) byTarget.put(target, new io.vertx.core.json.JsonArray());
          byTarget.getJsonArray(target).add(m);
        }
        Replies.send(request, json(200, new JsonObject().put(key, byTarget).put("region", region)));
      }
    });
  }

  /** The certificate an SNS envelope's signature verifies with, from whichever node holds it. */
  private void signingCertificate(HttpServerRequest request, RequestContext context, String id) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      Replies.send(request, error(405, "MethodNotAllowed", "Use GET."));
      return;
    }
    bus.call(Contracts.SNS, new ApiRequest("eventplane:SigningCert", new JsonObject().put("id", id), context))
        .onComplete(done -> {
          String pem = done.succeeded() && done.result().succeeded() ? done.result().output().getString("pem") : null;
          if (pem == null) {
            Replies.send(request, error(404, "NotFound", "No such signing certificate: " + id));
          } else {
            Replies.send(request, WireResponse.of(200, "application/x-x509-ca-cert", pem));
          }
        });
  }

  private static WireResponse json(int status, JsonObject body) {
    return WireResponse.of(status, JSON, body.encode());
  }

  private static WireResponse error(int status, String type, String message) {
    return json(status, new JsonObject().put("__type", type).put("message", message));
  }
}
