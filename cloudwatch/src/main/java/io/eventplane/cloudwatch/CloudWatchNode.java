package io.eventplane.cloudwatch;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import java.time.Clock;

/**
 * What every CloudWatch lane of a node shares: the store and its replicated writer, the placement
 * view, the clock, and whether topics' policies let alarms publish (the node's one
 * {@link DeliveryAuthorization}, safe to share).
 */
record CloudWatchNode(Store store, PartitionWriter writer, Placement placement, Clock clock,
    DeliveryAuthorization deliveryAuthorization) {}
