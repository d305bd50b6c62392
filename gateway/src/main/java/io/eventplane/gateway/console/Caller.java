package io.eventplane.gateway.console;

import io.eventplane.common.audit.AuditCaller;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.gateway.binding.ProtocolBinding;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One console request's way to the services: its account and region (the request's context, as for
 * an unsigned API call), its caller as the audit trail names it, and the gateway's calls. Each
 * operation's input and output are AWS's JSON shapes, as for any client call; an error answer fails
 * the future with a {@link ConsoleFailure}.
 */
final class Caller {
  private final ConsoleCalls calls;
  private final RequestContext context;
  private final AuditCaller caller;

  Caller(ConsoleCalls calls, RequestContext context, AuditCaller caller) {
    this.calls = calls;
    this.context = context;
    this.caller = caller;
  }

  RequestContext context() {
    return context;
  }

  Future<JsonObject> call(ProtocolBinding service, String operation, JsonObject input) {
    return calls.call(service, new ApiRequest(operation, input, context), caller).compose(reply -> reply.succeeded()
        ? Future.succeededFuture(reply.output() == null ? new JsonObject() : reply.output())
        : Future.failedFuture(new ConsoleFailure(reply.error())));
  }

  /** A question to this node's own admin endpoint (Health, DescribeCluster). */
  Future<JsonObject> node(String address, String operation) {
    return calls.node(address, new ApiRequest(operation, new JsonObject(), context)).compose(reply -> reply.succeeded()
        ? Future.succeededFuture(reply.output() == null ? new JsonObject() : reply.output())
        : Future.failedFuture(new ConsoleFailure(reply.error())));
  }
}
