package io.eventplane.common.partition;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.wire.WireFormatException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The request path of a partitioned service: a request runs at the node that owns its
 * partition, here or forwarded there; while the partition moves (no owner yet, the owner died
 * under the request, the old owner answers that it let go) it is tried again every 100 ms for a
 * few seconds, so a failover costs the client latency, not an error. Replies carry the service's
 * AWS error or, for anything unexpected, InternalFailure.
 */
public final class PartitionRouter {
  /** Every partition: the request names no resource, or names it so badly that any node may refuse it. */
  public static final int ANY = -1;

  private static final Logger LOG = Logger.getLogger(PartitionRouter.class.getName());
  private static final long RETRY_FOR_MILLIS = 10_000;
  private static final long PAUSE_MILLIS = 100;
  /** The failure code of a refused, unreadable request. */
  static final int UNREADABLE = 400;

  private final Vertx vertx;
  private final Placement placement;
  private final NodeCalls calls;
  private final String serviceName;
  private final List<MessageConsumer<ApiRequest>> consumers = new ArrayList<>();

  public PartitionRouter(Vertx vertx, Placement placement, NodeCalls calls, String serviceName) {
    this.vertx = vertx;
    this.placement = placement;
    this.calls = calls;
    this.serviceName = serviceName;
  }

  /**
   * Registers the service's two entrances: {@code address} on this node only (its gateway's
   * requests) and the service's node address (requests other nodes forward here). Completes when
   * both are registered cluster-wide.
   */
  public Future<Void> listen(String address, Handler<Message<ApiRequest>> fromClients,
      Handler<Message<ApiRequest>> fromNodes) {
    consumers.add(vertx.eventBus().localConsumer(address, fromClients));
    consumers.add(vertx.eventBus().consumer(Placement.nodeAddress(address, placement.self()), refusingUnreadable(fromNodes)));
    List<Future<Void>> registered = new ArrayList<>();
    for (MessageConsumer<ApiRequest> c : consumers) registered.add(c.completion());
    return Future.all(registered).mapEmpty();
  }

  /**
   * A request from a node this one cannot read (another build's wire format, a garbled frame) is
   * answered with a failure that names the problem, and logged, instead of reaching the service.
   */
  private Handler<Message<ApiRequest>> refusingUnreadable(Handler<Message<ApiRequest>> handler) {
    return message -> {
      try {
        message.body();
      } catch (WireFormatException e) {
        LOG.warning(serviceName + " refused a request from another node: " + e.getMessage());
        message.fail(UNREADABLE, e.getMessage());
        return;
      }
      handler.handle(message);
    };
  }

  /**
   * Registers one more local entrance: a lane of a service also takes the requests other services
   * of this node send to the service's plain address (Vert.x spreads them over the lanes).
   */
  public Future<Void> listenLocal(String address, Handler<Message<ApiRequest>> handler) {
    MessageConsumer<ApiRequest> c = vertx.eventBus().localConsumer(address, handler);
    consumers.add(c);
    return c.completion();
  }

  /** Unregisters what {@link #listen} registered. */
  public Future<Void> close() {
    List<Future<Void>> unregistered = new ArrayList<>();
    for (MessageConsumer<ApiRequest> c : consumers) unregistered.add(c.unregister());
    consumers.clear();
    return Future.join(unregistered).mapEmpty();
  }

  /** Runs the request at its partition's owner with {@code handle} (here) or through {@link NodeCalls}. */
  public Future<JsonObject> route(ApiRequest request, int partition, Function<ApiRequest, Future<JsonObject>> handle) {
    Promise<JsonObject> result = Promise.promise();
    attempt(request, partition, System.currentTimeMillis() + RETRY_FOR_MILLIS, handle, result);
    return result.future();
  }

  private void attempt(ApiRequest request, int partition, long deadline, Function<ApiRequest, Future<JsonObject>> handle,
      Promise<JsonObject> result) {
    String owner = partition == ANY ? placement.self() : placement.ownerOf(partition);
    Future<JsonObject> attempt;
    if (owner == null) {
      attempt = Future.failedFuture(new ServiceException(
          ServiceError.unavailable("No node serves the resource's partition right now; retry.")));
    } else if (owner.equals(placement.self())) {
      attempt = safely(handle, request);
    } else {
      attempt = calls.call(owner, partition, request);
    }
    attempt.onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof ServiceException e && ServiceError.UNAVAILABLE_CODE.equals(e.error().code())
          && System.currentTimeMillis() < deadline) {
        vertx.setTimer(PAUSE_MILLIS, t -> attempt(request, partition, deadline, handle, result));
      } else {
        result.handle(ar);
      }
    });
  }

  /**
   * Asks every member a cluster-wide question (list all functions, reset): this node through
   * {@code local}, the others through their node address. Completes with the answers in member order.
   */
  public Future<java.util.List<JsonObject>> everyNode(ApiRequest question, Function<ApiRequest, Future<JsonObject>> local) {
    java.util.List<Future<JsonObject>> all = new java.util.ArrayList<>();
    for (String node : placement.members()) {
      all.add(node.equals(placement.self()) ? safely(local, question) : calls.call(node, question));
    }
    return Future.all(all).map(c -> {
      java.util.List<JsonObject> out = new java.util.ArrayList<>();
      for (int i = 0; i < c.size(); i++) out.add(c.resultAt(i));
      return out;
    });
  }

  /** Runs a handler so that an exception it throws (an AWS error or a bug) fails its future instead of escaping. */
  public static Future<JsonObject> safely(Function<ApiRequest, Future<JsonObject>> handle, ApiRequest request) {
    try {
      Future<JsonObject> f = handle.apply(request);
      return f == null ? Future.failedFuture(new IllegalStateException("no result for " + request.operation())) : f;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Answers a bus message with the result: the output, the AWS error, or InternalFailure for a bug. */
  public void reply(Message<ApiRequest> message, ApiRequest request, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ApiReply.ok(ar.result()));
      } else if (ar.cause() instanceof ServiceException e) {
        message.reply(ApiReply.failed(e.error()));
      } else {
        LOG.log(Level.SEVERE, serviceName + " " + request.operation() + " failed", ar.cause());
        message.reply(ApiReply.failed(ServiceError.internal("We encountered an internal error. Please try again.")));
      }
    });
  }
}
