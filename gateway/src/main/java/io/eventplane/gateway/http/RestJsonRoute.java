package io.eventplane.gateway.http;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.RestJsonBinding;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * REST-JSON calls (Lambda): matched to an operation by method and path before the body is read,
 * so that each operation's own size limit applies (a 50 MB package for CreateFunction, 6 MB for
 * Invoke), then (its signature verified over that body, when the auth mode says so) sent to the service.
 */
final class RestJsonRoute {
  private final ServiceBus bus;
  /** Null in auth mode off. */
  private final RequestAuth auth;

  private final RouteAuthorization authorization;

  RestJsonRoute(ServiceBus bus, RequestAuth auth, RouteAuthorization authorization) {
    this.bus = bus;
    this.auth = auth;
    this.authorization = authorization;
  }

  void handle(RestJsonBinding service, HttpServerRequest request, RequestContext context) {
    RestJsonBinding.Call call = service.routes().route(request.method().name(), request.path(), request.params());
    if (call == null) {
      ServiceError unknown = ServiceError.sender("UnknownOperationException",
          "Unknown operation " + request.method().name() + " " + request.path());
      CappedBody.read(request, 1 << 20).onComplete(ignored -> Replies.send(request, service.error(unknown, context.requestId())));
      return;
    }
    CappedBody.read(request, call.maxBodyBytes()).onComplete(read -> {
      if (read.failed()) {
        boolean tooLarge = read.cause() instanceof CappedBody.TooLarge;
        ServiceError error = tooLarge ? call.tooLarge()
            : ServiceError.internal("Could not read the request body: " + read.cause().getMessage());
        Replies.send(request, service.error(error, context.requestId()),
            tooLarge && ((CappedBody.TooLarge) read.cause()).closeConnection);
        return;
      }
      if (auth == null) {
        call(service, call, request, context, read.result());
      } else {
        auth.verify(request, context, () -> io.eventplane.gateway.auth.VertxSignedRequests.sha256Hex(read.result()),
            io.eventplane.gateway.auth.AuthErrors.Family.REST_JSON, service.signingName(),
            (signed, verified) -> call(service, call, request, signed, read.result()),
            (error, status) -> Replies.send(request, RequestAuth.withStatus(service.error(error, context.requestId()), status)));
      }
    });
  }

  private void call(RestJsonBinding service, RestJsonBinding.Call call, HttpServerRequest request, RequestContext context,
      io.vertx.core.buffer.Buffer body) {
    Future<WireResponse> reply;
    try {
      ApiRequest api = new ApiRequest(call.operation(), call.input(request.params(), request.headers(), body), context);
      io.eventplane.common.audit.AuditCaller who = AuditCallers.of(request);
      Future<RouteAuthorization.Denial> allowed = !authorization.enabled() || context.caller() == null ? RouteAuthorization.ALLOWED
          : authorization.check(service.signingName(), io.eventplane.gateway.auth.AuthErrors.Family.REST_JSON,
              new io.eventplane.gateway.authz.ApiCall(api.operation(), api.input(), request.method().name(), request.path()),
              context, who);
      reply = allowed.compose(denial -> denial != null
          ? Future.succeededFuture(RequestAuth.withStatus(service.error(denial.error(), context.requestId()), denial.status()))
          : bus.call(service, api, who).map(r -> r.succeeded()
          ? call.success(r.output(), context.requestId())
          : service.error(r.error(), context.requestId())));
    } catch (ServiceException e) {
      reply = Future.succeededFuture(service.error(e.error(), context.requestId()));
    }
    reply.onComplete(done -> Replies.send(request, done.succeeded() ? done.result()
        : service.error(ServiceError.internal("The gateway failed to handle the request."), context.requestId())));
  }
}
