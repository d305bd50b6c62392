package io.eventplane.broker.topic;

import io.eventplane.broker.topic.api.TopicRequestPartitions;
import io.eventplane.broker.topic.domain.MessageSigner;
import io.eventplane.broker.topic.store.TopicStore;
import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneDeployment;
import io.eventplane.common.service.ServiceDescriptor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/**
 * The SNS service of a node: {@code lanes} {@link TopicLane}s, each a verticle on its own context
 * owning the topics, subscriptions, pending deliveries and timers of its share of the partitions.
 * This verticle only deploys them (they are undeployed with it); requests never pass through its
 * context. The gateway finds a request's lane with {@link TopicRequestPartitions#of}, given to it
 * through the descriptor.
 */
public final class TopicService extends VerticleBase {
  /** The signing certificate a SigningCertURL names: {@code {id}} in, {@code {pem}} out (empty if not this node's). */
  public static final String SIGNING_CERT = "eventplane:SigningCert";
  /** SNS on a node: topics live in partitions of the {@code sns} column family; the signing key in the data directory. */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("SNS", Contracts.SNS,
      List.of(TopicStore.COLUMN_FAMILY), env -> new TopicService(new TopicNode(env.store(), env.writer(), env.placement(),
          env.clock(), MessageSigner.lazy(env.config().dataDir()), deliveryAuthorization(env),
          env.metrics(), io.eventplane.common.cloudwatch.AwsMetrics.of(env)), env.config().serviceThreads()))
      .withMigration((store, config) -> TopicStore.migrate(store, config.region()))
      .withLanes(TopicRequestPartitions::of)
      .withDirectToOwner();

  private final TopicNode node;
  private final int lanes;

  /** The node's judge of deliveries to other services' resources; every delivery allowed when the node provides none. */
  private static DeliveryAuthorization deliveryAuthorization(io.eventplane.common.service.ServiceEnvironment env) {
    DeliveryAuthorization provided = env.resources().find(DeliveryAuthorization.class);
    return provided == null ? DeliveryAuthorization.ALLOW_ALL : provided;
  }

  TopicService(TopicNode node, int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.node = node;
    this.lanes = lanes;
  }

  @Override
  public Future<?> start() {
    return LaneDeployment.deploy(vertx, lanes, i -> new TopicLane(i, lanes, node));
  }
}
