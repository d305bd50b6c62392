package io.eventplane.common.partition;

import io.vertx.core.Future;

/**
 * A partitioned service's side of placement: it is told when this node becomes the owner of a
 * partition (load its state from the store and serve it) and when it stops being the owner (drop
 * the state, end waiting requests). Called on the service's own context.
 */
public interface PartitionListener {
  Future<Void> acquire(int partition);

  Future<Void> release(int partition);
}
