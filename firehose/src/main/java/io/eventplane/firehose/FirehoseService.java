package io.eventplane.firehose;

import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneDeployment;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.firehose.api.FirehosePartitions;
import io.eventplane.firehose.store.FirehoseStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/**
 * The Firehose service of a node: {@code lanes} {@link FirehoseLane}s, each owning the delivery
 * streams (with their buffered records and deliveries) of its share of the partitions. An account's
 * and region's delivery streams live in one partition ({@link FirehosePartitions#of}).
 */
public final class FirehoseService extends VerticleBase {
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("Firehose", Contracts.FIREHOSE,
      List.of(FirehoseStore.COLUMN_FAMILY), env -> new FirehoseService(
          new FirehoseNode(env.store(), env.writer(), env.placement(), env.clock(), env.gatewayUrl(), env.gatewaySigner()),
          env.config().serviceThreads()))
      .withLanes(FirehosePartitions::of)
      .withDirectToOwner();

  private final FirehoseNode node;
  private final int lanes;

  FirehoseService(FirehoseNode node, int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.node = node;
    this.lanes = lanes;
  }

  @Override
  public Future<?> start() {
    return LaneDeployment.deploy(vertx, lanes, i -> new FirehoseLane(i, lanes, node));
  }
}
