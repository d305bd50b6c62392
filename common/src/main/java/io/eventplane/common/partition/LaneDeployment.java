package io.eventplane.common.partition;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the lanes of a partitioned service: deployed one after another, so each takes the next
 * event loop and N lanes get N threads when the event-loop pool has at least N; then every lane
 * opens the service's shared local address, once all listen at their own, so a request a lane
 * passes on to its owning lane always finds it listening.
 */
public final class LaneDeployment {
  /** A lane verticle that also takes requests at its service's plain local address. */
  public interface Lane extends Deployable {
    /** Opens the service's shared local address on the lane's context. */
    Future<Void> listenShared();
  }

  private LaneDeployment() {}

  /** Deploys the lanes in order (undeployed with the calling verticle) and opens their shared address. */
  public static Future<Void> deploy(Vertx vertx, List<? extends Lane> lanes) {
    List<Lane> started = new ArrayList<>();
    Future<?> deployed = Future.succeededFuture();
    for (Lane lane : lanes) {
      deployed = deployed.compose(v -> vertx.deployVerticle(lane)).onSuccess(id -> started.add(lane));
    }
    return deployed.compose(v -> {
      List<Future<Void>> shared = new ArrayList<>();
      for (Lane lane : started) shared.add(lane.listenShared());
      return Future.all(shared).mapEmpty();
    });
  }
}
