package io.eventplane.eventbridge;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneDeployment;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.eventbridge.api.EventsRequestPartitions;
import io.eventplane.eventbridge.domain.EventBridgeLimits;
import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/**
 * The EventBridge service of a node: {@code lanes} {@link EventBridgeLane}s, each owning the event
 * buses (with their rules, targets and pending deliveries) of its share of the partitions. This
 * verticle only deploys them; the gateway finds a request's lane with
 * {@link EventsRequestPartitions#of}, given to it through the descriptor.
 */
public final class EventBridgeService extends VerticleBase {
  /** EventBridge on a node: buses live in partitions of the {@code events} column family. */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("EventBridge", Contracts.EVENTS,
      List.of(EventStore.COLUMN_FAMILY), env -> new EventBridgeService(
          new EventBridgeNode(env.store(), env.writer(), env.placement(), env.clock(),
              EventBridgeLimits.fromSystemProperties(), deliveryAuthorization(env), env.metrics(),
              io.eventplane.common.cloudwatch.AwsMetrics.of(env)),
          env.config().serviceThreads()))
      .withLanes(EventsRequestPartitions::of)
      .withDirectToOwner();

  private final EventBridgeNode node;
  private final int lanes;

  /** The node's judge of deliveries to other services' resources; every delivery allowed when the node provides none. */
  private static DeliveryAuthorization deliveryAuthorization(io.eventplane.common.service.ServiceEnvironment env) {
    DeliveryAuthorization provided = env.resources().find(DeliveryAuthorization.class);
    return provided == null ? DeliveryAuthorization.ALLOW_ALL : provided;
  }

  EventBridgeService(EventBridgeNode node, int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.node = node;
    this.lanes = lanes;
  }

  @Override
  public Future<?> start() {
    return LaneDeployment.deploy(vertx, lanes, i -> new EventBridgeLane(i, lanes, node));
  }
}
