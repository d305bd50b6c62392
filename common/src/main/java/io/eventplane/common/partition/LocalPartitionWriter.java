package io.eventplane.common.partition;

import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Store;
import java.util.concurrent.CompletableFuture;

/** Standalone: a partition's batch goes straight to the node's store. */
public final class LocalPartitionWriter implements PartitionWriter {
  private final Store store;

  public LocalPartitionWriter(Store store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> commit(int partition, Batch batch) {
    return store.commit(batch);
  }
}
