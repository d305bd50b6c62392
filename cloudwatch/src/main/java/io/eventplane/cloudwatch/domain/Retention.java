package io.eventplane.cloudwatch.domain;

import io.eventplane.cloudwatch.store.CloudWatchStore;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * CloudWatch keeps one-minute data for 15 days: once per hour of the service clock, a lane drops
 * from each metric of its partitions the points older than that (one range delete per metric, no
 * read), and forgets metrics whose newest point is older. Lane-confined.
 */
public final class Retention {
  public static final Duration KEPT = Duration.ofDays(15);
  private static final long HOUR = 3_600_000L;

  private final MetricTable table;
  private final CloudWatchStore store;
  private final Context context;
  private long lastHour = Long.MIN_VALUE;

  public Retention(MetricTable table, CloudWatchStore store, Context context) {
    this.table = table;
    this.store = store;
    this.context = context;
  }

  /** Sweeps when the clock entered another hour since the last sweep. */
  public Future<Void> maybeSweep(long now) {
    long hour = Math.floorDiv(now, HOUR);
    if (hour == lastHour) return Future.succeededFuture();
    lastHour = hour;
    return sweep(now);
  }

  public Future<Void> sweep(long now) {
    long cutoff = Math.floorDiv(now - KEPT.toMillis(), 60_000L) * 60_000L;
    List<Future<Void>> commits = new ArrayList<>();
    for (int partition : table.partitions()) {
      Batch b = store.batch();
      List<Long> gone = new ArrayList<>();
      for (MetricTable.Entry e : table.of(partition)) {
        long key = e.id().key();
        if (e.last() < cutoff) {
          store.deleteMetric(b, partition, key);
          gone.add(key);
        } else {
          store.dropBefore(b, partition, key, cutoff);
        }
      }
      if (b.isEmpty()) continue;
      commits.add(store.commit(partition, b, context).onSuccess(v -> gone.forEach(k -> {
        MetricTable.Entry e = table.find(partition, k);
        if (e != null && e.last() < cutoff) table.remove(partition, k);
      })));
    }
    return Future.all(commits).mapEmpty();
  }
}
