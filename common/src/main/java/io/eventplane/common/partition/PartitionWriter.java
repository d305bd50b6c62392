package io.eventplane.common.partition;

import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * Where services commit their writes: a batch confined to one partition. Standalone, this is the
 * node's store; clustered, the partition's owner also ships the batch to its replicas and completes
 * only when they have it durably, and refuses when this node no longer owns the partition.
 *
 * <p>The future completes on {@code context} (the committing service's): the commits one context
 * made that became durable together complete in one task of it (see the store's group commit).
 */
public interface PartitionWriter {
  Future<Void> commit(int partition, Batch batch, Context context);
}
