package io.eventplane.broker.queue;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import java.time.Clock;

/**
 * What every SQS lane of a node shares: the node's store and its replicated writer, the placement
 * view, the clock, the node's region, the account id it names as the sender of moved messages and
 * the form of the queue URLs it hands out, the node's metrics, and where its AWS/SQS metrics go
 * (CloudWatch's sampler, or {@code AwsMetrics.NONE} on a node without CloudWatch).
 */
record QueueNode(Store store, PartitionWriter writer, Placement placement, Clock clock, String region, String senderId,
    io.eventplane.common.config.QueueUrlStyle urlStyle, io.eventplane.common.metrics.NodeMetrics metrics,
    io.eventplane.common.cloudwatch.AwsMetrics awsMetrics) {
  /** Without AWS/SQS metrics. */
  QueueNode(Store store, PartitionWriter writer, Placement placement, Clock clock, String region, String senderId,
      io.eventplane.common.config.QueueUrlStyle urlStyle, io.eventplane.common.metrics.NodeMetrics metrics) {
    this(store, writer, placement, clock, region, senderId, urlStyle, metrics, io.eventplane.common.cloudwatch.AwsMetrics.NONE);
  }
}
