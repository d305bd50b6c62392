package io.eventplane.common.service;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * What a node hands each of its services when it creates them.
 *
 * @param writer commits a partition's writes (replicated first when clustered)
 * @param gatewayUrl where processes on this machine reach the node's HTTP port (function instances)
 * @param resources what services of this node provide to each other in-process
 */
public record ServiceEnvironment(Vertx vertx, EventplaneConfig config, Store store, PartitionWriter writer, Placement placement,
    Clock clock, String gatewayUrl, NodeResources resources) {
  /** The node's metrics ({@link io.eventplane.common.metrics.NodeMetrics#NONE} with {@code --metrics off}). */
  public io.eventplane.common.metrics.NodeMetrics metrics() {
    io.eventplane.common.metrics.NodeMetrics m = resources.find(io.eventplane.common.metrics.NodeMetrics.class);
    return m == null ? io.eventplane.common.metrics.NodeMetrics.NONE : m;
  }

  /** How this node's services sign their S3 requests to the gateway (real SigV4 when the mode verifies). */
  public io.eventplane.common.secret.GatewaySigner gatewaySigner() {
    return io.eventplane.common.secret.GatewaySigner.of(config, clock);
  }
}
