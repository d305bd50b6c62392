package io.eventplane.common.partition;

import io.vertx.core.Deployable;
import io.vertx.core.Future;

/**
 * One lane of a service that runs in lanes ({@link Lanes}): a verticle on a context of its own
 * that owns the state of its partitions. Besides its own addresses, every lane also listens at the
 * service's plain local address (requests from this node's other services, which do not know the
 * lanes), and passes a request that is not its own to the owning lane.
 */
public interface ServiceLane extends Deployable {
  /**
   * Opens the service's shared local address on this lane's context. Called once every lane of
   * the node has started, so a request passed on to its owning lane always finds it listening.
   */
  Future<Void> listenShared();
}
