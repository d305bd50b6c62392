package io.eventplane.kinesis;

import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneDeployment;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.kinesis.api.KinesisRequestPartitions;
import io.eventplane.kinesis.store.StreamStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/**
 * The Kinesis Data Streams service of a node: {@code lanes} {@link KinesisLane}s, each owning the
 * streams (definitions, shards, records) of its share of the partitions. A stream and everything
 * in it live in the partition of its account, region and name ({@link KinesisRequestPartitions#of}).
 */
public final class KinesisService extends VerticleBase {
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("Kinesis", Contracts.KINESIS,
      List.of(StreamStore.COLUMN_FAMILY), env -> new KinesisService(
          new KinesisNode(env.store(), env.writer(), env.placement(), env.clock(),
          env.config().kinesisShardLimits(), env.metrics(), io.eventplane.common.cloudwatch.AwsMetrics.of(env)),
          env.config().serviceThreads()))
      // Not withDirectToOwner: the gateway falls back to this node's lane when a forward to the owner
      // fails, which would try a put again that the dead owner may have written (see PutRouting).
      .withLanes(KinesisRequestPartitions::of);

  private final KinesisNode node;
  private final int lanes;

  KinesisService(KinesisNode node, int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.node = node;
    this.lanes = lanes;
  }

  @Override
  public Future<?> start() {
    return LaneDeployment.deploy(vertx, lanes, i -> new KinesisLane(i, lanes, node));
  }
}
