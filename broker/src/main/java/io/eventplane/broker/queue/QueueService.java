package io.eventplane.broker.queue;

import io.eventplane.broker.queue.api.RequestPartitions;
import io.eventplane.broker.queue.store.QueueStore;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneDeployment;
import io.eventplane.common.service.ServiceDescriptor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/**
 * The SQS service of a node: {@code lanes} {@link QueueLane}s, each a verticle on its own context
 * owning the queues of its share of the partitions. This verticle only deploys them (they are
 * undeployed with it); requests never pass through its context. The gateway finds a request's
 * lane with {@link RequestPartitions#of}, given to it through the descriptor.
 */
public final class QueueService extends VerticleBase {
  /** SQS on a node: queues live in partitions of the {@code sqs} column family, served by lanes. */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("SQS", Contracts.SQS,
      List.of(QueueStore.COLUMN_FAMILY), env -> new QueueService(new QueueNode(env.store(), env.writer(), env.placement(), env.clock(),
          env.config().region(), env.config().accountId(), env.config().queueUrlStyle(), env.metrics(),
          awsMetrics(env)),
          env.config().serviceThreads()))
      .withMigration((store, config) -> QueueStore.migrate(store, config.region()))
      .withLanes(RequestPartitions::of)
      .withDirectToOwner();

  private final QueueNode node;
  private final int lanes;

  QueueService(QueueNode node, int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.node = node;
    this.lanes = lanes;
  }

  @Override
  public Future<?> start() {
    return LaneDeployment.deploy(vertx, lanes, i -> new QueueLane(i, lanes, node));
  }

  /** Where the lanes publish AWS/SQS metrics: the node's CloudWatch sampler when the node runs CloudWatch. */
  private static io.eventplane.common.cloudwatch.AwsMetrics awsMetrics(io.eventplane.common.service.ServiceEnvironment env) {
    io.eventplane.common.cloudwatch.AwsMetrics aws = env.resources().find(io.eventplane.common.cloudwatch.AwsMetrics.class);
    return aws == null ? io.eventplane.common.cloudwatch.AwsMetrics.NONE : aws;
  }
}
