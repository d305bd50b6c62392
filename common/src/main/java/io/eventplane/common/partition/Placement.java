package io.eventplane.common.partition;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;

/**
 * Which node serves which partition, as this node currently knows it. Standalone, the node serves
 * every partition ({@link LocalPlacement}); clustered, a coordinator assigns owners and replicas
 * and this view follows its table.
 */
public interface Placement {
  /** This node's id. */
  String self();

  /** The node that serves the partition now, or null while it has none (failover in progress). */
  String ownerOf(int partition);

  /** The nodes that keep a copy of the partition besides its owner (none standalone). */
  default List<String> replicasOf(int partition) {
    return List.of();
  }

  /** Every node a cluster-wide question (list all queues) must ask, this one included. */
  List<String> members();

  /**
   * Registers a partitioned service: placement calls its listener, on {@code context}, for every
   * partition this node gains or loses. Completes when the partitions this node owns at the time
   * are loaded.
   */
  default Future<Void> register(PartitionListener listener, Context context) {
    return register(listener, context, partition -> true);
  }

  /**
   * Registers one lane of a partitioned service: like {@link #register(PartitionListener, Context)},
   * but the listener hears only of the partitions {@code partitions} accepts (those of its lane).
   */
  Future<Void> register(PartitionListener listener, Context context, java.util.function.IntPredicate partitions);

  /** Tells the listener (from any thread) the id of each node that leaves the cluster. */
  default void onMemberLeft(java.util.function.Consumer<String> listener) {}

  /** The event-bus address of a service on a node, for requests forwarded to a partition's owner. */
  static String nodeAddress(String serviceAddress, String node) {
    return serviceAddress + ".node." + node;
  }
}
