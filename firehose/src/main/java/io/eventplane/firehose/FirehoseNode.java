package io.eventplane.firehose;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import java.time.Clock;

/**
 * What every Firehose lane of a node shares: the store and its replicated writer, the placement
 * view, the clock and the node's own gateway (objects are written to S3 through it).
 */
record FirehoseNode(Store store, PartitionWriter writer, Placement placement, Clock clock, String gatewayUrl,
    io.eventplane.common.secret.GatewaySigner gatewaySigner) {}
