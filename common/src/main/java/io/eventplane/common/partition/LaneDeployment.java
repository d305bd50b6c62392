package io.eventplane.common.partition;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Starts the lanes of a partitioned service on a node: one verticle per lane, deployed one after
 * the other so that each takes the next event loop (N lanes get N threads when the event-loop pool
 * has at least N), then, once every lane runs, each opens the service's shared local address, so a
 * request one lane passes on to the owning lane always finds it listening. The lanes are
 * undeployed with the verticle that deployed them.
 */
public final class LaneDeployment {
  private LaneDeployment() {}

  /** A lane of a service: a verticle that also listens at the service's shared address once its siblings run. */
  public interface Lane extends Deployable {
    /** Opens the service's shared local address on the lane's own context. */
    Future<Void> listenShared();
  }

  /** Deploys lanes {@code 0 .. lanes-1} made by {@code lane}; completes when all run and listen. */
  public static Future<Void> deploy(Vertx vertx, int lanes, IntFunction<? extends Lane> lane) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    List<Lane> started = new ArrayList<>();
    Future<?> deployed = Future.succeededFuture();
    for (int i = 0; i < lanes; i++) {
      Lane next = lane.apply(i);
      deployed = deployed.compose(v -> vertx.deployVerticle(next)).onSuccess(id -> started.add(next));
    }
    return deployed.compose(v -> {
      List<Future<Void>> shared = new ArrayList<>();
      for (Lane l : started) shared.add(l.listenShared());
      return Future.all(shared).mapEmpty();
    });
  }
}
