package io.eventplane.gateway.http;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.auth.AuthErrors;
import io.eventplane.gateway.authz.ApiCall;
import io.eventplane.gateway.binding.JsonBinding;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * AWS JSON calls ({@code X-Amz-Target}), told apart by the target's prefix. A target of no
 * service is answered in the form of the first binding (SQS, the oldest JSON client).
 */
final class JsonRoute {
  private final ServiceBus bus;
  private final List<JsonBinding> bindings;
  private final RouteAuthorization authorization;

  JsonRoute(ServiceBus bus, List<JsonBinding> bindings, RouteAuthorization authorization) {
    this.bus = bus;
    this.bindings = List.copyOf(bindings);
    this.authorization = authorization;
  }

  /**
   * @param header the request's header of a name, or null
   * @param contentType the request's Content-Type: AWS CBOR is answered in CBOR by a service that speaks it
   */
  Future<WireResponse> handle(String target, String contentType, Buffer body, UnaryOperator<String> header,
      RequestContext context, io.eventplane.common.audit.AuditCaller caller) {
    JsonBinding service = bindingOf(target);
    String operation;
    JsonObject input;
    try {
      operation = service.operation(target);
      input = service.headers().bind(operation, service.input(body, contentType), header);
    } catch (ServiceException e) {
      return Future.succeededFuture(service.error(e.error(), context.requestId(), contentType));
    }
    if (authorization.enabled() && context.caller() != null) {
      AuthErrors.Family family = service.queryCompatible() ? AuthErrors.Family.SQS_JSON : AuthErrors.Family.AWS_JSON;
      JsonObject bound = input;
      Future<RouteAuthorization.Denial> checked = authorization.check(service.signingName(), family, ApiCall.of(operation, input),
          context, caller);
      if (checked == RouteAuthorization.ALLOWED) return call(service, operation, input, contentType, context, caller);
      return checked
          .compose(denial -> denial != null
              ? Future.succeededFuture(RequestAuth.withStatus(service.error(denial.error(), context.requestId(), contentType),
                  denial.status()))
              : call(service, operation, bound, contentType, context, caller));
    }
    return call(service, operation, input, contentType, context, caller);
  }

  private Future<WireResponse> call(JsonBinding service, String operation, JsonObject input, String contentType,
      RequestContext context, io.eventplane.common.audit.AuditCaller caller) {
    return bus.call(service, new ApiRequest(operation, input, context), caller)
        .map(reply -> reply.succeeded()
            ? service.success(reply.output(), context.requestId(), contentType)
            : service.error(reply.error(), context.requestId(), contentType));
  }

  /** The error in the form of the service the target names, in the wire form of the request's Content-Type. */
  WireResponse error(String target, String contentType, ServiceError error, String requestId) {
    return bindingOf(target).error(error, requestId, contentType);
  }

  /** The signing name of the service the target is routed to (the scope a signature must name), or null for no service's target. */
  String signingNameOf(String target) {
    return bindings.stream().filter(b -> b.isTarget(target)).findFirst().map(JsonBinding::signingName).orElse(null);
  }

  /**
   * Whether the target's service moved from Query and words its errors so (SQS, CloudWatch): auth
   * failures then carry Query's codes and statuses.
   */
  boolean queryCompatible(String target) {
    return bindings.stream().filter(b -> b.isTarget(target)).findFirst().map(JsonBinding::queryCompatible).orElse(false);
  }

  private JsonBinding bindingOf(String target) {
    return bindings.stream().filter(b -> b.isTarget(target)).findFirst().orElse(bindings.get(0));
  }
}
