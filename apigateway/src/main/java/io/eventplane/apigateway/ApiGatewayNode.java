package io.eventplane.apigateway;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import java.time.Clock;

/**
 * What every API Gateway lane of a node shares: the store and its replicated writer, the placement
 * view, the clock, and the host suffix of the invoke URLs it hands out.
 */
record ApiGatewayNode(Store store, PartitionWriter writer, Placement placement, Clock clock, String hostSuffix) {}
