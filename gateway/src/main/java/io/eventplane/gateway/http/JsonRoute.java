package io.eventplane.gateway.http;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
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

  JsonRoute(ServiceBus bus, List<JsonBinding> bindings) {
    this.bus = bus;
    this.bindings = List.copyOf(bindings);
  }

  /** @param header the request's header of a name, or null */
  Future<WireResponse> handle(String target, Buffer body, UnaryOperator<String> header, RequestContext context,
      io.eventplane.common.audit.AuditCaller caller) {
    JsonBinding service = bindingOf(target);
    String operation;
    JsonObject input;
    try {
      operation = service.operation(target);
      input = service.headers().bind(operation, JsonBinding.input(body), header);
    } catch (ServiceException e) {
      return Future.succeededFuture(service.error(e.error(), context.requestId()));
    }
    return bus.call(service, new ApiRequest(operation, input, context), caller)
        .map(reply -> reply.succeeded()
            ? service.success(reply.output(), context.requestId())
            : service.error(reply.error(), context.requestId()));
  }

  /** The error in the form of the service the target names. */
  WireResponse error(String target, ServiceError error, String requestId) {
    return bindingOf(target).error(error, requestId);
  }

  private JsonBinding bindingOf(String target) {
    return bindings.stream().filter(b -> b.isTarget(target)).findFirst().orElse(bindings.get(0));
  }
}
