package io.eventplane.gateway.http;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.sqs.SqsJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** AWS JSON 1.0 calls ({@code X-Amz-Target}); SQS is the only JSON service behind this gateway. */
final class JsonRoute {
  private final ServiceBus bus;

  JsonRoute(ServiceBus bus) {
    this.bus = bus;
  }

  Future<WireResponse> handle(String target, Buffer body, RequestContext context) {
    String operation;
    JsonObject input;
    try {
      operation = SqsJsonProtocol.operation(target);
      input = SqsJsonProtocol.input(body);
    } catch (ServiceException e) {
      return Future.succeededFuture(SqsJsonProtocol.error(e.error(), context.requestId()));
    }
    return bus.call(Contracts.SQS, new ApiRequest(operation, input, context))
        .map(reply -> reply.succeeded()
            ? SqsJsonProtocol.success(reply.output(), context.requestId())
            : SqsJsonProtocol.error(reply.error(), context.requestId()));
  }
}
