package io.eventplane.server.metrics;

import io.eventplane.common.cluster.replication.ClusterPlacement;
import io.eventplane.common.metrics.NodeMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * A clustered node's replication in its metrics: for each partition it owns, how many writes each
 * replica is behind ({@code eventplane_replication_lag_entries{partition, replica}}; 64 partitions,
 * so bounded). Before each scrape the owned partitions and their replicas are read (from concurrent
 * state, briefly locked) and gauges added or removed to match, so a partition that moved away stops
 * reporting here and its new owner reports it. Also how long ago the oldest write a replica lacks
 * was made ({@code eventplane_replication_lag_seconds}; 0 when it has every write, -1 while it is not
 * live and catches up).
 */
public final class ReplicationMetrics {
  private final ClusterPlacement placement;
  private final MeterRegistry registry;
  /** By "partition/replica"; touched only by refreshes, which never overlap a scrape's read of the values. */
  private final Map<String, Lag> gauges = new HashMap<>();

  private ReplicationMetrics(ClusterPlacement placement, MeterRegistry registry) {
    this.placement = placement;
    this.registry = registry;
  }

  public static void bind(ClusterPlacement placement, NodeMetrics metrics, io.vertx.core.Vertx vertx) {
    if (!metrics.enabled()) return;
    ReplicationMetrics r = new ReplicationMetrics(placement, metrics.registry());
    metrics.beforeScrape(() -> vertx.executeBlocking(() -> {
      r.refresh();
      return null;
    }, true));
  }

  private synchronized void refresh() {
    Map<String, Lag> seen = new HashMap<>();
    Map<Integer, Map<String, Long>> millis = placement.replicationLagMillis();
    placement.replicationLag().forEach((partition, replicas) -> replicas.forEach((replica, behind) -> {
      String key = partition + "/" + replica;
      Lag lag = gauges.get(key);
      if (lag == null) {
        lag = new Lag();
        lag.gauge = Gauge.builder("eventplane_replication_lag_entries", lag, l -> l.entries)
            .description("Writes of a partition owned by this node that a replica has not applied yet")
            .tags("partition", Integer.toString(partition), "replica", replica)
            .strongReference(true)
            .register(registry);
        lag.age = Gauge.builder("eventplane_replication_lag_seconds", lag, l -> l.seconds)
            .description("How long ago the oldest write of the partition a replica has not acknowledged was made here; -1 while it catches up")
            .tags("partition", Integer.toString(partition), "replica", replica)
            .strongReference(true)
            .register(registry);
      }
      lag.entries = behind;
      Long ms = millis.getOrDefault(partition, Map.of()).get(replica);
      lag.seconds = ms == null ? (behind < 0 ? -1 : 0) : ms < 0 ? -1 : ms / 1000.0;
      seen.put(key, lag);
    }));
    gauges.forEach((key, lag) -> {
      if (!seen.containsKey(key)) {
        registry.remove(lag.gauge);
        registry.remove(lag.age);
      }
    });
    gauges.clear();
    gauges.putAll(seen);
  }

  private static final class Lag {
    volatile long entries;
    volatile double seconds;
    Gauge gauge;
    Gauge age;
  }
}
