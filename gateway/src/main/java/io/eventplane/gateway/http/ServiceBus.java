package io.eventplane.gateway.http;

import io.eventplane.common.audit.AuditCaller;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.binding.ProtocolBinding;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.Map;
import io.eventplane.common.partition.LaneDispatch;

/**
 * Sends API calls to services over the event bus. Always completes with an {@link ApiReply}: a bus
 * failure (no service, timeout, a consumer that failed the message) becomes InternalFailure, so a
 * client gets an error instead of a hang.
 */
final class ServiceBus {
  private final EventBus bus;
  private final Duration timeout;
  private final Map<String, LaneDispatch> lanes;
  private AuditTap audit;
  private ApiMetrics metrics;
  private io.eventplane.gateway.authz.PolicyChangeNotices policyChanges;

  ServiceBus(EventBus bus, Duration timeout) {
    this(bus, timeout, Map.of());
  }

  /** @param lanes by service address, the services that run in lanes */
  ServiceBus(EventBus bus, Duration timeout, Map<String, LaneDispatch> lanes) {
    this.bus = bus;
    this.timeout = timeout;
    this.lanes = lanes;
  }

  /**
   * A call to a service, waiting as long as its binding allows for the operation. A service with
   * lanes gets it at the lane that owns the request's partition, chosen here on the event loop: on
   * this node, or, where the service allows it and another node owns the partition, on that node.
   * What the owner cannot settle (it has let the partition go, it left, nothing listens there) goes
   * to this node's lane, which forwards and retries while the partition moves.
   */
  Future<ApiReply> call(ProtocolBinding service, ApiRequest request) {
    return callService(service.address(), request, timeout.plus(service.extraWait(request.operation())));
  }

  /**
   * A client's call, which the audit trail records once it is answered (off the response path: the
   * tap builds the record on a later turn of the loop).
   */
  Future<ApiReply> call(ProtocolBinding service, ApiRequest request, AuditCaller caller) {
    ApiMetrics recorder = metrics;
    long started = recorder == null ? 0 : System.nanoTime();
    Future<ApiReply> reply = call(service, request);
    if (recorder != null) {
      reply.onSuccess(r -> recorder.answered(service.signingName(), request.operation(), r, System.nanoTime() - started));
    }
    io.eventplane.gateway.authz.PolicyChangeNotices notices = policyChanges;
    if (notices != null && io.eventplane.gateway.authz.PolicyChangeNotices.mayChange(service.signingName(), request.operation())) {
      // Before the route answers: the caller's next call on this node reads the resource's new policy.
      reply.onSuccess(r -> {
        if (r.succeeded()) {
          notices.succeeded(service.signingName(), io.eventplane.gateway.authz.ApiCall.of(request.operation(), request.input()),
              request.context());
        }
      });
    }
    AuditTap tap = audit;
    if (tap != null && caller != null) reply.onSuccess(r -> tap.record(service.signingName(), request, r, caller));
    return reply;
  }

  /** Records a client's call that the gateway answered itself (STS). */
  void answered(ProtocolBinding service, ApiRequest request, ApiReply reply, AuditCaller caller) {
    ApiMetrics recorder = metrics;
    if (recorder != null) recorder.answered(service.signingName(), request.operation(), reply, 0);
    AuditTap tap = audit;
    if (tap != null && caller != null) tap.record(service.signingName(), request, reply, caller);
  }

  /** Who hears of calls that may have changed a resource's policy ({@code --auth iam}); null (the default): nobody. */
  void policyChanges(io.eventplane.gateway.authz.PolicyChangeNotices notices) {
    this.policyChanges = notices;
  }

  /** Every service was reset: every resource policy a node read is gone. */
  void everythingReset() {
    io.eventplane.gateway.authz.PolicyChangeNotices notices = policyChanges;
    if (notices != null) notices.all();
  }

  /** Where answered client calls are counted and timed; null (the default, {@code --metrics off}): nowhere. */
  void metrics(ApiMetrics recorder) {
    this.metrics = recorder;
  }

  /** Where answered calls are recorded; null (the default) records nothing. */
  void audit(AuditTap tap) {
    this.audit = tap;
  }

  /** A call to a service by its address, through its lanes when it has them (the audit tap's records). */
  Future<ApiReply> callService(String address, ApiRequest request) {
    return callService(address, request, timeout);
  }

  private Future<ApiReply> callService(String address, ApiRequest request, Duration wait) {
    LaneDispatch dispatch = lanes.get(address);
    if (dispatch == null) return call(address, request, wait);
    LaneDispatch.Route route = dispatch.routeOf(request);
    if (route.owner() == null) return call(route.laneAddress(), request, wait);
    return dispatch.forward(route, request, wait.toMillis()).transform(ar -> {
      if (ar.succeeded() && !isUnavailable(ar.result())) return Future.succeededFuture(ar.result());
      if (ar.failed() && ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
        return Future.succeededFuture(ApiReply.failed(ServiceError.internal(describe(request.operation(), r, wait))));
      }
      return call(route.laneAddress(), request, wait);
    });
  }

  private static boolean isUnavailable(ApiReply reply) {
    return !reply.succeeded() && ServiceError.UNAVAILABLE_CODE.equals(reply.error().code());
  }

  /** A call to the node's own endpoints (health, reset, cluster). */
  Future<ApiReply> call(String address, ApiRequest request) {
    return call(address, request, timeout);
  }

  private Future<ApiReply> call(String address, ApiRequest request, Duration wait) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(wait.toMillis());
    return bus.request(address, request, options)
        .map(message -> message.body() instanceof ApiReply reply
            ? reply
            : ApiReply.failed(ServiceError.internal("The service answered " + request.operation() + " with an unexpected message.")))
        .otherwise(failure -> ApiReply.failed(ServiceError.internal(describe(request.operation(), failure, wait))));
  }

  private static String describe(String operation, Throwable failure, Duration wait) {
    if (failure instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case TIMEOUT:
          return "The service did not answer " + operation + " within " + wait.toMillis() + " ms.";
        case NO_HANDLERS:
          return "No service is available to handle " + operation + ".";
        default:
          return "The service failed " + operation + ": " + reply.getMessage();
      }
    }
    return "Could not deliver " + operation + " to the service: " + failure.getMessage();
  }
}
