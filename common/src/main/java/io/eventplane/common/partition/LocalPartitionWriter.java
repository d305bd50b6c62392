package io.eventplane.common.partition;

import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;

/** Standalone: a partition's batch goes straight to the node's store. */
public final class LocalPartitionWriter implements PartitionWriter {
  private final Store store;

  public LocalPartitionWriter(Store store) {
    this.store = store;
  }

  @Override
  public Future<Void> commit(int partition, Batch batch, Context context) {
    return store.commit(batch, context);
  }
}
