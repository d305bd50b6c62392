package io.eventplane.cloudtrail;

import io.eventplane.cloudtrail.api.AuditPartitions;
import io.eventplane.cloudtrail.store.AuditStore;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneDeployment;
import io.eventplane.common.service.ServiceDescriptor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/**
 * The CloudTrail service of a node: {@code lanes} {@link CloudTrailLane}s, each owning the audit
 * records (and their outbox of events for the default bus) of its share of the partitions. An
 * account's and region's records live in one partition ({@link AuditPartitions#of}).
 */
public final class CloudTrailService extends VerticleBase {
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("CloudTrail", Contracts.CLOUDTRAIL,
      List.of(AuditStore.COLUMN_FAMILY), env -> new CloudTrailService(
          new CloudTrailNode(env.store(), env.writer(), env.placement(), env.clock(), env.gatewayUrl(),
              env.gatewaySigner(), CloudTrailNode.configuredInterval()), env.config().serviceThreads()))
      .withLanes(AuditPartitions::of)
      .withDirectToOwner();

  private final CloudTrailNode node;
  private final int lanes;

  CloudTrailService(CloudTrailNode node, int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.node = node;
    this.lanes = lanes;
  }

  @Override
  public Future<?> start() {
    return LaneDeployment.deploy(vertx, lanes, i -> new CloudTrailLane(i, lanes, node));
  }
}
