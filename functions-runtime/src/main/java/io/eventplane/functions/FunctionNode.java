package io.eventplane.functions;

import io.eventplane.common.logs.LogStreams;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import io.eventplane.functions.runtime.InstanceSlots;
import io.eventplane.functions.runtime.LauncherOnFirstUse;
import java.time.Clock;

/**
 * What every Lambda lane of a node shares. All of it is thread-safe: the store and its replicated
 * writer, the placement view, the clock; the launcher (it only starts processes and unpacks
 * packages, on worker threads, and is made once under a lock); the log streams (their writes go to
 * the Logs service's one writer thread); and the node's instance limit with its instance ids; the
 * node's metrics and where the lanes publish AWS/Lambda metrics (CloudWatch's sampler, or {@code AwsMetrics.NONE}).
 */
record FunctionNode(Store store, PartitionWriter writer, Placement placement, Clock clock, FunctionSettings settings,
    LogStreams logs, LauncherOnFirstUse launcher, InstanceSlots slots, io.eventplane.common.metrics.NodeMetrics metrics,
    io.eventplane.common.cloudwatch.AwsMetrics awsMetrics) {}
