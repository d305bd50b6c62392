package io.eventplane.gateway.http;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.lambda.LambdaRestProtocol;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * Lambda's REST-JSON calls: matched to an operation by method and path before the body is read,
 * so that each operation's own size limit applies (a 50 MB package for CreateFunction, 6 MB for
 * Invoke), then sent to the Lambda service.
 */
final class LambdaRoutes {
  private final ServiceBus bus;

  LambdaRoutes(ServiceBus bus) {
    this.bus = bus;
  }

  void handle(HttpServerRequest request, RequestContext context) {
    LambdaRestProtocol.Call call = LambdaRestProtocol.route(request.method().name(), request.path());
    if (call == null) {
      CappedBody.read(request, 1 << 20).onComplete(ignored ->
          Replies.send(request, LambdaRestProtocol.unknownOperation(request.method().name(), request.path(), context.requestId())));
      return;
    }
    CappedBody.read(request, call.maxBodyBytes()).onComplete(read -> {
      if (read.failed()) {
        boolean tooLarge = read.cause() instanceof CappedBody.TooLarge;
        ServiceError error = tooLarge ? call.tooLarge()
            : ServiceError.internal("Could not read the request body: " + read.cause().getMessage());
        Replies.send(request, LambdaRestProtocol.error(error, context.requestId()),
            tooLarge && ((CappedBody.TooLarge) read.cause()).closeConnection);
        return;
      }
      Future<WireResponse> reply;
      try {
        ApiRequest api = new ApiRequest(call.operation(), call.input(request.params(), request.headers(), read.result()), context);
        reply = bus.call(Contracts.LAMBDA, api).map(r -> r.succeeded()
            ? call.success(r.output(), context.requestId())
            : LambdaRestProtocol.error(r.error(), context.requestId()));
      } catch (ServiceException e) {
        reply = Future.succeededFuture(LambdaRestProtocol.error(e.error(), context.requestId()));
      }
      reply.onComplete(done -> Replies.send(request, done.succeeded() ? done.result()
          : LambdaRestProtocol.error(ServiceError.internal("The gateway failed to handle the request."), context.requestId())));
    });
  }
}
