package io.eventplane.cloudwatch.domain;

import io.eventplane.cloudwatch.store.CloudWatchStore;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metrics of one lane's partitions, in memory: each metric's identity and the minute of its
 * newest point (what ListMetrics filters on). Loaded from the store when a partition is acquired.
 * Confined to the lane's context.
 */
public final class MetricTable {
  private final Vertx vertx;
  private final CloudWatchStore store;
  /** By partition, by the metric's store key. */
  private final Map<Integer, Map<Long, Entry>> metrics = new HashMap<>();

  /** A metric and the minute (epoch millis) of its newest point. */
  public static final class Entry {
    private final MetricId id;
    private long last;

    Entry(MetricId id, long last) {
      this.id = id;
      this.last = last;
    }

    public MetricId id() {
      return id;
    }

    public long last() {
      return last;
    }

    public JsonObject stored() {
      return id.toStored().put("Last", last);
    }
  }

  public MetricTable(Vertx vertx, CloudWatchStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  public Future<Void> load(int partition) {
    return vertx.executeBlocking(() -> store.loadMetrics(partition)).map(stored -> {
      Map<Long, Entry> byKey = new HashMap<>();
      for (JsonObject s : stored) {
        MetricId id = MetricId.fromStored(s);
        byKey.put(id.key(), new Entry(id, s.getLong("Last", 0L)));
      }
      metrics.put(partition, byKey);
      return null;
    });
  }

  public void unload(int partition) {
    metrics.remove(partition);
  }

  public void clear() {
    metrics.replaceAll((p, m) -> new HashMap<>());
  }

  public Set<Integer> partitions() {
    return Set.copyOf(metrics.keySet());
  }

  /** A partition that moves here (failover, rebalancing) is answered once it is loaded: until then the router tries again. */
  public void requireLoaded(int partition) {
    if (!metrics.containsKey(partition)) {
      throw new ServiceException(ServiceError.unavailable("The metric's partition is not loaded on this node yet."));
    }
  }

  public Entry find(int partition, long key) {
    Map<Long, Entry> m = metrics.get(partition);
    return m == null ? null : m.get(key);
  }

  /** Records a point of {@code minute} for the metric (after its write committed); the entry as it now is. */
  public Entry touch(int partition, MetricId id, long key, long minute) {
    Map<Long, Entry> m = metrics.get(partition);
    if (m == null) return null;  // the partition moved away meanwhile: its new owner loads it from the store
    Entry e = m.computeIfAbsent(key, k -> new Entry(id, minute));
    e.last = Math.max(e.last, minute);
    return e;
  }

  public void remove(int partition, long key) {
    Map<Long, Entry> m = metrics.get(partition);
    if (m != null) m.remove(key);
  }

  public Collection<Entry> of(int partition) {
    Map<Long, Entry> m = metrics.get(partition);
    return m == null ? List.of() : m.values();
  }
}
