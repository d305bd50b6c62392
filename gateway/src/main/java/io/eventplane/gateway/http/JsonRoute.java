package io.eventplane.gateway.http;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.logs.LogsJsonProtocol;
import io.eventplane.gateway.sqs.SqsJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * AWS JSON calls ({@code X-Amz-Target}): SQS (JSON 1.0) and CloudWatch Logs (JSON 1.1), told
 * apart by the target's prefix. A target of neither is answered in SQS's form, the older client.
 */
final class JsonRoute {
  private final ServiceBus bus;

  JsonRoute(ServiceBus bus) {
    this.bus = bus;
  }

  Future<WireResponse> handle(String target, Buffer body, RequestContext context) {
    boolean logs = LogsJsonProtocol.isTarget(target);
    String operation;
    JsonObject input;
    try {
      operation = logs ? LogsJsonProtocol.operation(target) : SqsJsonProtocol.operation(target);
      input = SqsJsonProtocol.input(body);
    } catch (ServiceException e) {
      return Future.succeededFuture(error(target, e.error(), context.requestId()));
    }
    String address = logs ? Contracts.LOGS : Contracts.SQS;
    return bus.call(address, new ApiRequest(operation, input, context))
        .map(reply -> reply.succeeded()
            ? (logs ? LogsJsonProtocol.success(reply.output(), context.requestId())
                : SqsJsonProtocol.success(reply.output(), context.requestId()))
            : error(target, reply.error(), context.requestId()));
  }

  /** The error in the form of the service the target names. */
  static WireResponse error(String target, ServiceError error, String requestId) {
    return LogsJsonProtocol.isTarget(target) ? LogsJsonProtocol.error(error, requestId) : SqsJsonProtocol.error(error, requestId);
  }
}
