package io.eventplane.common.partition;

import io.eventplane.common.store.Batch;
import java.util.concurrent.CompletableFuture;

/**
 * Where services commit their writes: a batch confined to one partition. Standalone, this is the
 * node's store; clustered, the partition's owner also ships the batch to its replicas and completes
 * only when they have it durably, and refuses when this node no longer owns the partition.
 */
public interface PartitionWriter {
  CompletableFuture<Void> commit(int partition, Batch batch);
}
