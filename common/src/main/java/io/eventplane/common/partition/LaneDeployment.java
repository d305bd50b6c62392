package io.eventplane.common.partition;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Starts a node's lanes of one service: what the service's own verticle does in its {@code start()}
 * (the lanes are its children, undeployed with it; requests never pass through its context).
 */
public final class LaneDeployment {
  private LaneDeployment() {}

  /**
   * Deploys lanes {@code 0..lanes-1} one after the other, then opens the service's shared address
   * on each ({@link ServiceLane#listenShared}). One after the other because each deployment takes
   * the next event loop, so N lanes get N threads when the event-loop pool has at least N.
   */
  public static Future<Void> deploy(Vertx vertx, int lanes, IntFunction<? extends ServiceLane> laneFactory) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    List<ServiceLane> started = new ArrayList<>();
    Future<?> deployed = Future.succeededFuture();
    for (int i = 0; i < lanes; i++) {
      int index = i;
      deployed = deployed.compose(v -> {
        ServiceLane lane = laneFactory.apply(index);
        return vertx.deployVerticle(lane).onSuccess(id -> started.add(lane));
      });
    }
    return deployed.compose(v -> {
      List<Future<Void>> shared = new ArrayList<>();
      for (ServiceLane lane : started) shared.add(lane.listenShared());
      return Future.all(shared).mapEmpty();
    });
  }
}
