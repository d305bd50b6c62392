package io.eventplane.common.store;

/**
 * Hears of each group the store's writer committed (the node's metrics: fsync latency, group size).
 * Called on the writer thread after the group is durable and before its commits complete: it must be
 * quick and never block or throw.
 */
@FunctionalInterface
public interface CommitListener {
  /**
   * @param writes the writes that shared the group (and its fsync)
   * @param fsyncNanos how long the WAL fsync took; negative when the durability mode does not fsync
   */
  void groupCommitted(int writes, long fsyncNanos);
}
