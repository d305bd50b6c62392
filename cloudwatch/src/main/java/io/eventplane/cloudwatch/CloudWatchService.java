package io.eventplane.cloudwatch;

import io.eventplane.cloudwatch.api.CloudWatchPartitions;
import io.eventplane.cloudwatch.sampler.AwsMetricsSampler;
import io.eventplane.cloudwatch.store.CloudWatchStore;
import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.cloudwatch.AwsMetrics;
import io.eventplane.common.partition.LaneDeployment;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.common.service.ServiceEnvironment;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/**
 * The CloudWatch metrics and metric alarms service of a node: {@code lanes} {@link CloudWatchLane}s, each owning the
 * metrics of its share of the partitions (a metric's partition is the hash of its identity,
 * {@link CloudWatchPartitions}). Its setup provides the node's {@link AwsMetrics}: the sampler
 * through which other services' lanes publish their AWS namespaces' metrics each minute.
 */
public final class CloudWatchService extends VerticleBase {
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("CloudWatch", Contracts.CLOUDWATCH,
      List.of(CloudWatchStore.COLUMN_FAMILY), env -> new CloudWatchService(
          new CloudWatchNode(env.store(), env.writer(), env.placement(), env.clock(), deliveryAuthorization(env)), env.config().serviceThreads()))
      .withSetup(env -> {
        AwsMetricsSampler sampler = new AwsMetricsSampler(env.vertx(), env.clock());
        env.resources().provide(AwsMetrics.class, sampler);
        env.resources().closeOnShutdown(sampler);
      })
      .withLanes(CloudWatchPartitions::of)
      .withDirectToOwner();

  private final CloudWatchNode node;
  private final int lanes;

  private static DeliveryAuthorization deliveryAuthorization(ServiceEnvironment env) {
    DeliveryAuthorization provided = env.resources().find(DeliveryAuthorization.class);
    return provided == null ? DeliveryAuthorization.ALLOW_ALL : provided;
  }

  CloudWatchService(CloudWatchNode node, int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.node = node;
    this.lanes = lanes;
  }

  @Override
  public Future<?> start() {
    return LaneDeployment.deploy(vertx, lanes, i -> new CloudWatchLane(i, lanes, node));
  }
}
