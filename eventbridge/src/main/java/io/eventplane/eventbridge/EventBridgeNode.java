package io.eventplane.eventbridge;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import io.eventplane.eventbridge.domain.EventBridgeLimits;
import java.time.Clock;

/**
 * What every EventBridge lane of a node shares: the store and its replicated writer, the placement view, the clock, the quotas,
 * and whether targets' own policies let the rules deliver (the node's one {@link DeliveryAuthorization}, safe to share), the node's metrics,
 * and where the lanes publish AWS/Events metrics (CloudWatch's sampler, or {@code AwsMetrics.NONE}).
 */
record EventBridgeNode(Store store, PartitionWriter writer, Placement placement, Clock clock, EventBridgeLimits limits,
    DeliveryAuthorization deliveryAuthorization, io.eventplane.common.metrics.NodeMetrics metrics,
    io.eventplane.common.cloudwatch.AwsMetrics awsMetrics) {}
