package io.eventplane.kinesis;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import java.time.Clock;

/**
 * What every Kinesis lane of a node shares: the store and its replicated writer, the placement view,
 * the clock, whether AWS's per-shard throughput limits apply, the node's metrics, and where the lanes
 * publish AWS/Kinesis metrics (CloudWatch's sampler, or {@code AwsMetrics.NONE} on a node without CloudWatch).
 */
record KinesisNode(Store store, PartitionWriter writer, Placement placement, Clock clock, boolean shardLimits,
    io.eventplane.common.metrics.NodeMetrics metrics, io.eventplane.common.cloudwatch.AwsMetrics awsMetrics) {}
