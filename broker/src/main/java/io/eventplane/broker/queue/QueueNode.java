package io.eventplane.broker.queue;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import java.time.Clock;

/**
 * What every SQS lane of a node shares: the node's store and its replicated writer, the placement
 * view, the clock, the node's region, the account id it names as the sender of moved messages and
 * the form of the queue URLs it hands out, and the node's metrics.
 */
record QueueNode(Store store, PartitionWriter writer, Placement placement, Clock clock, String region, String senderId,
    io.eventplane.common.config.QueueUrlStyle urlStyle, io.eventplane.common.metrics.NodeMetrics metrics) {}
