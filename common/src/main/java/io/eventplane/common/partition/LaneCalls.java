package io.eventplane.common.partition;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests from one lane of a service to another lane of the same service on this node (a
 * dead-letter queue in a partition of another lane, a list gathered from every lane). They go
 * over the local event bus, by reference, and run on the other lane's context: a lane never
 * touches another lane's state.
 */
public final class LaneCalls {
  private final Vertx vertx;
  private final String serviceAddress;
  private final int lanes;

  public LaneCalls(Vertx vertx, String serviceAddress, int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.vertx = vertx;
    this.serviceAddress = serviceAddress;
    this.lanes = lanes;
  }

  public int lanes() {
    return lanes;
  }

  /** The lane of this node that owns the partition. */
  public int laneOf(int partition) {
    return Lanes.of(partition, lanes);
  }

  /** Runs the request on the lane; the other lane's AWS errors come back as they are. */
  public Future<JsonObject> call(int lane, ApiRequest request) {
    return vertx.eventBus().<ApiReply>request(Lanes.address(serviceAddress, lane), request,
            new DeliveryOptions().setSendTimeout(NodeCalls.TIMEOUT_MILLIS).setLocalOnly(true))
        .transform(ar -> {
          if (ar.failed()) {
            return Future.failedFuture(new ServiceException(ServiceError.unavailable(
                "Lane " + lane + " of " + serviceAddress + " did not answer: " + ar.cause().getMessage())));
          }
          ApiReply reply = ar.result().body();
          return reply.succeeded() ? Future.succeededFuture(reply.output()) : Future.failedFuture(new ServiceException(reply.error()));
        });
  }

  /** Asks every lane but {@code self}, and {@code self} through {@code here}; the answers in lane order. */
  public Future<List<JsonObject>> everyLane(int self, ApiRequest request, java.util.function.Supplier<Future<JsonObject>> here) {
    List<Future<JsonObject>> all = new ArrayList<>(lanes);
    for (int lane = 0; lane < lanes; lane++) all.add(lane == self ? here.get() : call(lane, request));
    return Future.all(all).map(c -> {
      List<JsonObject> out = new ArrayList<>(lanes);
      for (int i = 0; i < lanes; i++) out.add(c.resultAt(i));
      return out;
    });
  }
}
