package io.eventplane.common.partition;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.wire.WireFormatException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Requests from one of this node's partitioned services to the same service on another node: a
 * forwarded client request or an internal question. Transport failures (no such node, timeout) come back as a retryable
 * ServiceUnavailable; the other node's AWS errors come back as they are.
 */
public final class NodeCalls {
  /** Longer than the longest long poll (20 s) plus a failover. */
  static final long TIMEOUT_MILLIS = 45_000;
  /** Lambda's Invoke runs a function for up to 15 minutes. */
  public static final long INVOKE_TIMEOUT_MILLIS = 16 * 60_000L;
  /** CreateFunction and UpdateFunctionCode with a package from S3: read over HTTP, unzipped to check, stored replicated. */
  public static final long DEPLOY_TIMEOUT_MILLIS = 5 * 60_000L;

  private final Vertx vertx;
  private final String serviceAddress;
  private final Map<String, java.time.Duration> slowOperations;
  /** The service's lanes per node (the same on every node), or 0 for a service with one context and one node address. */
  private final int lanes;
  /** Calls in flight per node: failed at once when the node leaves, instead of waiting for the timeout. */
  private final Map<String, Set<InFlight>> inFlight = new ConcurrentHashMap<>();

  /** A call and the context that made it: its failure is delivered there, as a reply would be. */
  private record InFlight(Promise<Message<ApiReply>> promise, Context context) {}

  /** @param serviceAddress the service's local address; its node addresses derive from it */
  public NodeCalls(Vertx vertx, String serviceAddress) {
    this(vertx, serviceAddress, Map.of());
  }

  /** @param slowOperations operations that may take longer than the usual 45 s, and how long */
  public NodeCalls(Vertx vertx, String serviceAddress, Map<String, java.time.Duration> slowOperations) {
    this(vertx, serviceAddress, slowOperations, 0);
  }

  /**
   * Calls to a service that runs in {@code lanes} lanes on every node: a request about a partition
   * goes straight to the lane that owns it on the other node ({@link Lanes#nodeAddress}).
   */
  public NodeCalls(Vertx vertx, String serviceAddress, Map<String, java.time.Duration> slowOperations, int lanes) {
    if (lanes < 0) throw new IllegalArgumentException("lanes must be >= 0: " + lanes);
    this.vertx = vertx;
    this.serviceAddress = serviceAddress;
    this.slowOperations = Map.copyOf(slowOperations);
    this.lanes = lanes;
  }

  public void nodeLeft(String node) {
    Set<InFlight> calls = inFlight.remove(node);
    if (calls == null) return;
    for (InFlight call : calls) {
      ReplyException left = new ReplyException(ReplyFailure.NO_HANDLERS, "node " + node + " left the cluster");
      call.context().runOnContext(v -> call.promise().tryFail(left));
    }
  }

  /** How long a forwarded request may take: the service's slow operations (a synchronous Invoke) longer. */
  long timeoutOf(ApiRequest request) {
    java.time.Duration slow = slowOperations.get(request.operation());
    return slow != null ? Math.max(slow.toMillis(), TIMEOUT_MILLIS) : TIMEOUT_MILLIS;
  }

  /** A request about no partition in particular (a node-wide question): lane 0 of a service with lanes. */
  public Future<JsonObject> call(String node, ApiRequest request) {
    return call(node, PartitionRouter.ANY, request);
  }

  /** A request about a partition, to the node's lane that owns it. */
  public Future<JsonObject> call(String node, int partition, ApiRequest request) {
    return request(node, partition, request, timeoutOf(request)).transform(ar -> {
      if (ar.failed()) {
        Throwable cause = ar.cause();
        if (cause instanceof WireFormatException e) {
          return Future.failedFuture(new ServiceException(ServiceError.unavailable("Node " + node
              + " answered in a form this node cannot read: " + e.getMessage())));
        }
        String why = cause instanceof ReplyException r ? r.failureType() + " " + r.getMessage() : cause.toString();
        return Future.failedFuture(new ServiceException(ServiceError.unavailable("Node " + node + " did not answer: " + why)));
      }
      ApiReply reply = ar.result();
      return reply.succeeded() ? Future.succeededFuture(reply.output()) : Future.failedFuture(new ServiceException(reply.error()));
    });
  }

  /**
   * Sends a request about a partition to the node's lane that owns it: the node's reply as it is,
   * or the transport's failure (a {@link ReplyException}: no handler, timeout, the node left; or a
   * {@link WireFormatException} for a reply this node cannot read).
   */
  public Future<ApiReply> request(String node, int partition, ApiRequest request, long timeoutMillis) {
    String address = lanes == 0 ? Placement.nodeAddress(serviceAddress, node)
        : Lanes.nodeAddress(serviceAddress, Lanes.of(partition, lanes), node);
    Promise<Message<ApiReply>> promise = Promise.promise();
    InFlight call = new InFlight(promise, vertx.getOrCreateContext());
    Set<InFlight> calls = inFlight.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet());
    calls.add(call);
    vertx.eventBus().<ApiReply>request(address, request, new DeliveryOptions().setSendTimeout(timeoutMillis)).onComplete(promise);
    return promise.future().transform(ar -> {
      calls.remove(call);
      if (ar.failed()) return Future.failedFuture(ar.cause());
      try {
        return Future.succeededFuture(ar.result().body());
      } catch (WireFormatException e) {
        return Future.failedFuture(e);
      }
    });
  }
}
