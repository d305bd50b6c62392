package io.eventplane.gateway.http;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.apigateway.invoke.InvokeRequest;
import io.eventplane.gateway.apigateway.invoke.InvokeResponse;
import io.eventplane.gateway.apigateway.invoke.InvokeResponses;
import io.eventplane.gateway.apigateway.invoke.InvokeRoute;
import io.eventplane.gateway.auth.AuthErrors;
import io.eventplane.gateway.auth.VertxSignedRequests;
import io.eventplane.gateway.error.GatewayErrors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.binding.ProtocolBinding;
import io.eventplane.gateway.binding.ProtocolBindings;
import io.eventplane.gateway.binding.QueryBinding;
import io.eventplane.gateway.binding.RestJsonBinding;
import io.eventplane.gateway.binding.RestXmlBinding;
import java.util.List;
import java.util.Optional;

/**
 * Sorts each request into Eventplane's own endpoints, AWS JSON ({@code X-Amz-Target} or a
 * {@code x-amz-json} body) or AWS Query (everything else, which answers InvalidAction when it
 * names no action), reads the body within the cap, verifies the request's Signature Version 4 when
 * the auth mode says so ({@link RequestAuth}), and writes whatever the protocol answers.
 * Every path ends in a response: failures become AWS errors in the caller's protocol.
 */
final class RequestRouter implements Handler<HttpServerRequest> {
  private static final System.Logger LOG = System.getLogger(RequestRouter.class.getName());

  private final int maxRequestBytes;
  private final RequestContexts contexts;
  private final AdminRoutes admin;
  private MetricsRoute metrics = new MetricsRoute(io.eventplane.common.metrics.NodeMetrics.NONE, null);
  private final JsonRoute json;
  private final QueryRoute query;
  private final RestJsonRoute rest;
  private final List<RestJsonBinding> restServices;
  private final S3Route s3;
  private final List<JsonBinding> jsonServices;
  private final SubscribeToShardRoute subscriptions;
  private final InvokeRoute invoke;
  /** The web console under /_eventplane/console/; null without a Vert.x (routing unit tests). */
  private final io.eventplane.gateway.console.ConsoleRoute console;
  /** Signature Version 4 on every AWS API request; null in auth mode off. */
  private final RequestAuth auth;
  /** The time of invoke requests. */
  private final java.time.Clock clock;
  /** Checks the blob copies other nodes send when signatures are verified; null otherwise. */
  private final io.eventplane.common.secret.NodeRequestSigner nodeSigner;
  /** A queue URL's path: {@code /<account>/<queue>}. */
  private static final java.util.regex.Pattern QUEUE_PATH = java.util.regex.Pattern.compile("/\\d{12}/[^/]+/?");

  RequestRouter(EventplaneConfig config, ServiceBus bus, RequestContexts contexts, List<ProtocolBinding> bindings,
      java.util.function.Supplier<io.eventplane.common.blob.BlobStore> blobs, io.vertx.core.Vertx vertx, java.time.Clock clock,
      io.eventplane.gateway.auth.CredentialSource credentials) {
    this.clock = clock;
    this.auth = RequestAuth.of(config.authMode().verifiesSignatures(), credentials, clock);
    this.nodeSigner = io.eventplane.common.secret.NodeRequestSigner.of(config, clock);
    this.maxRequestBytes = config.maxRequestBytes();
    this.contexts = contexts;
    this.admin = new AdminRoutes(config.devMode(), config.maxRequestBytes(), bus, blobs);
    boolean authorizes = vertx != null && config.authMode().authorizes();
    io.eventplane.gateway.authz.ResourcePolicies resourcePolicies = authorizes
        ? io.eventplane.gateway.authz.NodeAuthorizer.resourcePolicies(vertx, bus::callService) : null;
    RouteAuthorization authorization = new RouteAuthorization(authorizes
        ? io.eventplane.gateway.authz.NodeAuthorizer.of(vertx, bus::callService) : null,
        authorizes ? new io.eventplane.gateway.authz.ResourceAuthorizer(resourcePolicies) : null, clock);
    if (authorizes) bus.policyChanges(new io.eventplane.gateway.authz.PolicyChangeNotices(vertx, resourcePolicies));
    this.json = new JsonRoute(bus, ProtocolBindings.ofType(bindings, JsonBinding.class), authorization);
    this.jsonServices = ProtocolBindings.ofType(bindings, JsonBinding.class);
    this.subscriptions = new SubscribeToShardRoute(bus, vertx, authorization);
    this.invoke = vertx == null ? null : new InvokeRoute(vertx, bus::callService, clock, config.apiGatewayThrottle());
    List<RestXmlBinding> s3Bindings = ProtocolBindings.ofType(bindings, RestXmlBinding.class);
    ConsoleObjects consoleObjects = vertx == null || s3Bindings.isEmpty() ? null : new ConsoleObjects(bus, s3Bindings.get(0), blobs,
        config.cluster().enabled() ? new S3Forwarder(vertx) : null);
    this.console = vertx == null ? null : new io.eventplane.gateway.console.ConsoleRoute(vertx,
        new io.eventplane.gateway.console.ConsoleCalls() {
          @Override
          public Future<io.eventplane.common.bus.ApiReply> call(ProtocolBinding service, io.eventplane.common.bus.ApiRequest request,
              io.eventplane.common.audit.AuditCaller caller) {
            if (!authorization.enabled() || request.context().caller() == null) return bus.call(service, request, caller);
            // iam: the console's call is authorized as the signed-in identity's SDK call would be.
            return authorization.checkConsole(service.signingName(), io.eventplane.gateway.authz.ApiCall.of(
                    io.eventplane.gateway.console.ConsoleRoute.authorizedAs(request.operation()), request.input()),
                    request.context(), caller)
                .compose(denial -> denial != null ? Future.succeededFuture(io.eventplane.common.bus.ApiReply.failed(denial.error()))
                    : bus.call(service, request, caller));
          }

          @Override
          public Future<io.eventplane.common.bus.ApiReply> node(String address, io.eventplane.common.bus.ApiRequest request) {
            return bus.call(address, request);
          }

          @Override
          public Future<String> bodiesElsewhere(HttpServerRequest request, String bucket,
              io.eventplane.common.bus.RequestContext context) {
            return consoleObjects == null ? Future.succeededFuture() : consoleObjects.bodiesElsewhere(request, bucket, context);
          }

          @Override
          public Future<Void> forward(HttpServerRequest request, String baseUrl) {
            return consoleObjects == null ? Future.failedFuture("no S3 on this node") : consoleObjects.forward(request, baseUrl);
          }

          @Override
          public Future<io.vertx.core.json.JsonObject> writeBlob(io.vertx.core.streams.ReadStream<io.vertx.core.buffer.Buffer> body) {
            return consoleObjects == null ? Future.failedFuture("no S3 on this node") : consoleObjects.writeBlob(body);
          }

          @Override
          public void dropBlob(String blobId) {
            if (consoleObjects != null) consoleObjects.dropBlob(blobId);
          }

          @Override
          public Future<Void> writeObject(io.vertx.core.json.JsonObject out, io.vertx.core.http.HttpServerResponse to) {
            return consoleObjects == null ? Future.failedFuture("no S3 on this node") : consoleObjects.writeObject(out, to);
          }
          // The depth chart's time axis is the watcher's wall-clock time, not the services' (tests drive theirs).
        }, java.time.Clock.systemUTC(), clock, !config.authMode().verifiesSignatures() ? io.eventplane.gateway.console.ConsoleRoute.Access.OPEN
            : io.eventplane.gateway.console.ConsoleRoute.Access.SIGN_IN,
        credentials, config.auth().credentialsKey());
    this.query = new QueryRoute(bus, ProtocolBindings.ofType(bindings, QueryBinding.class), config, clock, authorization);
    this.rest = new RestJsonRoute(bus, auth, authorization);
    this.restServices = ProtocolBindings.ofType(bindings, RestJsonBinding.class);
    List<RestXmlBinding> xml = ProtocolBindings.ofType(bindings, RestXmlBinding.class);
    this.s3 = xml.isEmpty() ? null
        : new S3Route(bus, xml.get(0), blobs, config.cluster().enabled() ? new S3Forwarder(vertx) : null, auth,
            authorization);
  }

  @Override
  public void handle(HttpServerRequest request) {
    RequestEvent.time(request);
    try {
      route(request);
    } catch (RuntimeException e) {
      routingFailed(request, e);
    }
  }

  /** A bug must not leave the client hanging: answer, in Query form as the least specific. */
  private void routingFailed(HttpServerRequest request, RuntimeException e) {
    LOG.log(System.Logger.Level.ERROR, "routing " + request.method() + " " + request.path() + " failed", e);
    Replies.send(request, query.provisional(Optional.empty())
        .error(ServiceError.internal("The gateway failed to route the request."), "unknown"));
  }

  /**
   * Whether a request is for S3: signed for s3, addressed to a virtual-hosted bucket, or, unsigned,
   * anything with a path that is not a Query call (no Action, not a form post) and not Lambda's API.
   */
  private boolean isS3(HttpServerRequest request, Optional<CredentialScope> scope) {
    if (scope.isPresent()) return scope.get().service().equals("s3");
    if (request.getHeader("X-Amz-Target") != null || rpcV2Target(request) != null) return false;
    // sqs.<region>.<host> is a region-style queue URL's host, not a bucket's.
    if (io.eventplane.gateway.sqs.SqsQueryProtocol.regionOfHost(request.getHeader("Host")) != null) return false;
    if (io.eventplane.gateway.s3.S3Request.virtualHostBucket(request.getHeader("Host")) != null) return true;
    if (request.path().equals("/") || request.getParam("Action") != null) return false;
    String contentType = request.getHeader("Content-Type");
    if (request.method() == io.vertx.core.http.HttpMethod.POST) {
      // A form post is Query; an untyped one too when it goes to a queue URL (old Query clients post there).
      if (contentType != null && QueryRoute.isFormOrUntyped(contentType)) return false;
      if (contentType == null && QUEUE_PATH.matcher(request.path()).matches()) return false;
    }
    for (RestJsonBinding service : restServices) if (service.ownsPath().test(request.path())) return false;
    return true;
  }

  /** The service whose operation this target is when it answers with an event stream (SubscribeToShard), else null. */
  private JsonBinding streamingService(String target) {
    for (JsonBinding service : jsonServices) if (SubscribeToShardRoute.isSubscribe(service, target)) return service;
    return null;
  }

  private void route(HttpServerRequest request) {
    String authority = InvokeRequest.authority(request);
    InvokeRoute.Target api = invoke == null ? null : InvokeRoute.target(authority, request.path());
    if (api != null) {
      invoke(request, api, contexts.create(request, Optional.empty()), false);
      return;
    }
    String domain = invoke == null ? null : InvokeRoute.customDomainCandidate(authority);
    Optional<CredentialScope> scope = CredentialScope.of(request);
    if (domain != null && (scope.isEmpty() || scope.get().service().equals("execute-api"))
        && (s3 == null || io.eventplane.gateway.s3.S3Request.virtualHostBucket(authority) == null)) {
      routeByDomain(request, domain, scope);
      return;
    }
    routeService(request, scope);
  }

  /**
   * A request to a host that may be a custom domain name (unsigned, or signed for execute-api):
   * served by the domain's API mappings when it is one, else routed as any other request. The first
   * request for a host waits for the lookup with the request paused; later ones find it cached.
   */
  private void routeByDomain(HttpServerRequest request, String domain, Optional<CredentialScope> scope) {
    RequestContext context = contexts.create(request, Optional.empty());
    Future<InvokeRoute.Target> found = invoke.customDomain(domain, request.path(), context);
    if (found.isComplete()) {
      if (found.succeeded() && found.result() != null) invoke(request, found.result(), context, true);
      else routeService(request, scope);
      return;
    }
    request.pause();
    found.onComplete(ar -> {
      try {
        if (ar.succeeded() && ar.result() != null) {
          invoke(request, ar.result(), context, true);
          request.resume();
        } else if (!routeService(request, scope)) {
          // A failed lookup (the bus, not the name) is not kept: the host is tried again next time.
          request.resume();
        }
      } catch (RuntimeException e) {
        request.resume();
        routingFailed(request, e);
      }
    });
  }

  /** Serves {@code GET /metrics} from now on. */
  void metrics(MetricsRoute route) {
    this.metrics = route;
    if (console != null) console.metrics(route.nodeMetrics());
  }

  /** Routes a request to a service's protocol; true when that route paces the request's body itself (S3). */
  private boolean routeService(HttpServerRequest request, Optional<CredentialScope> scope) {
    if (scope.isEmpty() && MetricsRoute.isScrape(request)) {
      metrics.handle(request);
      return false;
    }
    if (console != null && scope.isEmpty()) {
      if (io.eventplane.gateway.console.ConsoleRoute.isBrowserRoot(request)) {
        io.eventplane.gateway.console.ConsoleRoute.redirectToConsole(request);
        return false;
      }
      if (io.eventplane.gateway.console.ConsoleRoute.isConsole(request)) {
        console.handle(request, contexts.create(request, scope), AuditCallers.of(request));
        return false;
      }
    }
    RequestContext context = contexts.create(request, scope);
    if (request.path().startsWith(AdminRoutes.PREFIX)) {
      if (nodeSigner != null && request.path().startsWith(AdminRoutes.BLOBS_PREFIX)) {
        if (fromANode(request)) {
          admin.handle(request, context);
        } else {
          // The body (a blob's bytes) is not read: answer and close the connection.
          Replies.send(request, WireResponse.of(403, "application/json", new io.vertx.core.json.JsonObject()
              .put("__type", "AccessDenied").put("message", "Blob copies must be signed by a node of the cluster.").encode()),
              true);
        }
        return false;
      }
      if (auth == null || RequestAuth.openAdminPath(request.path())) admin.handle(request, context);
      else adminSigned(request, context);
      return false;
    }
    if (s3 != null && isS3(request, scope)) {
      if (auth == null || RequestAuth.formSigned(request)) {
        // A browser upload's signature is in its form: S3PostUpload verifies it once the form is read.
        s3.handle(request, context, null);
      } else {
        request.pause();
        auth.verify(request, context, null, AuthErrors.Family.S3, "s3", (signed, verified) -> s3.handle(request, signed,
            verified.chunkSignatures()), (error, status) -> s3.refuse(request, context, error, status));
      }
      return true;
    }
    for (RestJsonBinding service : restServices) {
      if (service.ownsPath().test(request.path())) {
        rest.handle(service, request, context);
        return false;
      }
    }
    String header = request.getHeader("X-Amz-Target");
    String target = header != null ? header : rpcV2Target(request);
    String contentType = request.getHeader("Content-Type");
    boolean isJson = target != null || (contentType != null && contentType.startsWith("application/x-amz-json"));
    CappedBody.read(request, maxRequestBytes).onComplete(read -> {
      if (read.failed()) {
        boolean tooLarge = read.cause() instanceof CappedBody.TooLarge;
        ServiceError error = tooLarge
            ? GatewayErrors.requestTooLarge(maxRequestBytes)
            : ServiceError.internal("Could not read the request body: " + read.cause().getMessage());
        WireResponse reply = isJson
            ? json.error(target, contentType, error, context.requestId())
            : query.provisional(scope).error(error, context.requestId());
        Replies.send(request, reply, tooLarge && ((CappedBody.TooLarge) read.cause()).closeConnection);
        return;
      }
      Buffer body = read.result();
      if (auth == null || (!isJson && scope.isEmpty() && RequestAuth.unsignedByDesign(request))) {
        dispatch(request, scope, context, isJson, target, contentType, body);
        return;
      }
      AuthErrors.Family family = !isJson ? AuthErrors.Family.QUERY
          : json.queryCompatible(target) ? AuthErrors.Family.SQS_JSON : AuthErrors.Family.AWS_JSON;
      // The scope must name the service the call is routed to (Query calls are routed by the scope, so the Version says).
      String expected = isJson ? json.signingNameOf(target) : query.expectedService(request.query(), contentType, body, scope);
      auth.verify(request, context, () -> VertxSignedRequests.sha256Hex(body), family, expected,
          (signed, verified) -> dispatch(request, scope, signed, isJson, target, contentType, body),
          (error, status) -> Replies.send(request, RequestAuth.withStatus(isJson
              ? json.error(target, contentType, error, context.requestId())
              : query.provisional(scope).error(error, context.requestId()), status)));
    });
    return false;
  }

  /**
   * The target a Smithy RPC v2 CBOR call names by its path ({@code smithy-protocol: rpc-v2-cbor},
   * {@code POST /service/<Service>/operation/<Operation>}); it is routed as that AWS JSON target, and
   * the binding answers in CBOR. Null for any other request.
   */
  private static String rpcV2Target(HttpServerRequest request) {
    return io.eventplane.gateway.binding.Cbor.RPC_V2_CBOR.equals(request.getHeader(io.eventplane.gateway.binding.Cbor.SMITHY_PROTOCOL))
        ? io.eventplane.gateway.binding.Cbor.rpcV2Target(request.path()) : null;
  }

  /** A JSON or Query call whose body is read (and signature verified, when the mode says so): to its service. */
  private void dispatch(HttpServerRequest request, Optional<CredentialScope> scope, RequestContext context, boolean isJson,
      String target, String contentType, Buffer read) {
    Buffer body;
    try {
      body = ContentEncodings.decode(read, request.getHeader("Content-Encoding"), maxRequestBytes);
    } catch (io.eventplane.common.error.ServiceException e) {
      Replies.send(request, isJson
          ? json.error(target, contentType, e.error(), context.requestId())
          : query.provisional(scope).error(e.error(), context.requestId()));
      return;
    }
    JsonBinding streaming = isJson ? streamingService(target) : null;
    if (streaming != null) {
      subscriptions.handle(request, streaming, contentType, body, context, AuditCallers.of(request));
      return;
    }
    Future<WireResponse> reply;
    try {
      reply = isJson
          ? json.handle(target, contentType, body, request::getHeader, context, AuditCallers.of(request))
          : query.handle(new QueryRoute.Call(request.method().name(), request.query(), contentType, body, request.path(), scope, context,
              request::getHeader, AuditCallers.of(request)));
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(done -> {
      if (done.succeeded()) {
        if (done.result().status() >= 500) LOG.log(System.Logger.Level.WARNING, "{0} {1} answered {2}: {3}",
            request.method(), request.path(), done.result().status(), done.result().body());
        Replies.send(request, done.result());
      } else {
        LOG.log(System.Logger.Level.ERROR, "request " + context.requestId() + " failed in the gateway", done.cause());
        ServiceError error = ServiceError.internal("The gateway failed to handle the request (" + context.requestId() + ").");
        Replies.send(request, isJson
            ? json.error(target, contentType, error, context.requestId())
            : query.provisional(scope).error(error, context.requestId()));
      }
    });
  }

  /**
   * An Eventplane endpoint that changes or reveals state (reset, cluster, recorded messages) while
   * signatures are verified: any known key's valid signature opens it (a body must be declared by
   * {@code x-amz-content-sha256}, as none of these endpoints takes one).
   */
  private void adminSigned(HttpServerRequest request, RequestContext context) {
    request.pause();
    String length = request.getHeader("Content-Length");
    boolean empty = (length == null || length.equals("0")) && request.getHeader("Transfer-Encoding") == null;
    // Worded as a REST-JSON front end words it (403s).
    auth.verify(request, context, empty ? () -> EMPTY_SHA256 : null, AuthErrors.Family.REST_JSON, (signed, verified) -> {
      request.resume();
      admin.handle(request, signed);
    }, (error, status) -> {
      request.resume();
      Replies.send(request, WireResponse.of(status, "application/json", new io.vertx.core.json.JsonObject()
          .put("__type", error.code()).put("message", error.message()).encode()));
    });
  }

  /** Whether a blob copy carries a fresh signature of a node that shares this one's credentials key. */
  private boolean fromANode(HttpServerRequest request) {
    String query = request.query();
    return nodeSigner.verify(request.method().name(), query == null ? request.path() : request.path() + "?" + query,
        request.getHeader("Content-Length"), request.getHeader(io.eventplane.common.secret.NodeRequestSigner.DATE_HEADER),
        request.getHeader(io.eventplane.common.secret.NodeRequestSigner.SIGNATURE_HEADER));
  }

  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  /**
   * A request to an HTTP API's invoke URL: data-plane traffic, never signed, its body read up to
   * API Gateway's 10 MB payload limit, answered by the invoke plane.
   */
  private void invoke(HttpServerRequest request, InvokeRoute.Target target, RequestContext context, boolean byDomain) {
    CappedBody.read(request, InvokeRoute.MAX_BODY_BYTES).onComplete(read -> {
      if (read.failed()) {
        InvokeResponse answer = read.cause() instanceof CappedBody.TooLarge
            ? InvokeResponse.tooLarge()
            : InvokeResponse.message(400, "Bad Request");
        if (read.cause() instanceof CappedBody.TooLarge tooLarge && tooLarge.closeConnection
            && request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
          request.response().putHeader("Connection", "close");
          request.response().endHandler(v -> request.connection().close());
        }
        InvokeResponses.send(request, answer);
        return;
      }
      if (auth == null || !RequestAuth.sigV4Signed(request)) {
        invokeRead(request, target, context, byDomain, read.result());
        return;
      }
      // A signed call (an AWS_IAM route's caller): its signature must hold, for execute-api.
      Buffer body = read.result();
      auth.verify(request, context, () -> VertxSignedRequests.sha256Hex(body), AuthErrors.Family.REST_JSON, "execute-api",
          (signed, verified) -> invokeRead(request, target, context, byDomain, body),
          (error, status) -> InvokeResponses.send(request, InvokeResponse.message(status, error.message())));
    });
  }

  private void invokeRead(HttpServerRequest request, InvokeRoute.Target target, RequestContext context, boolean byDomain,
      Buffer body) {
    InvokeRequest call = InvokeRequest.of(request, target, body.getBytes(), context.requestId(), clock.millis());
    invoke.handle(call, context, target.stage(), byDomain).onComplete(done -> InvokeResponses.send(request,
        done.succeeded() ? done.result() : InvokeResponse.internalError()));
  }
}
