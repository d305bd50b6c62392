package io.eventplane.server.metrics;

import io.eventplane.common.store.Store;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The node's store in its metrics: the WAL fsync latency and the group-commit size (recorded by the
 * store's writer thread, one histogram sample per group), and RocksDB's live data size and pending
 * compaction bytes (RocksDB properties, read when Prometheus scrapes: the scrape runs on a worker).
 */
public final class StoreMetrics {
  private StoreMetrics() {}

  public static void bind(Store store, MeterRegistry registry) {
    Timer fsync = Timer.builder("eventplane_store_fsync")
        .description("How long one fsync of RocksDB's write-ahead log took (one per commit group)")
        .serviceLevelObjectives(Duration.ofNanos(250_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(4), Duration.ofMillis(8), Duration.ofMillis(16), Duration.ofMillis(32),
            Duration.ofMillis(64), Duration.ofMillis(250), Duration.ofSeconds(1))
        .register(registry);
    DistributionSummary groups = DistributionSummary.builder("eventplane_store_group_commit_writes")
        .description("Writes that shared one commit group (and one fsync)")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
        .register(registry);
    store.listenToCommits((writes, fsyncNanos) -> {
      groups.record(writes);
      if (fsyncNanos >= 0) fsync.record(fsyncNanos, TimeUnit.NANOSECONDS);
    });
    Gauge.builder("eventplane_rocksdb_live_data_size_bytes", store, s -> s.aggregatedProperty("rocksdb.estimate-live-data-size"))
        .description("RocksDB's estimate of the live data's size, over all column families")
        .register(registry);
    Gauge.builder("eventplane_rocksdb_pending_compaction_bytes", store,
            s -> s.aggregatedProperty("rocksdb.estimate-pending-compaction-bytes"))
        .description("RocksDB's estimate of the bytes compaction still has to rewrite")
        .register(registry);
  }
}
