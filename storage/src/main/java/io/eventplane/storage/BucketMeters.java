package io.eventplane.storage;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.notify.Notifier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One S3 lane's buckets in the node's metrics, labelled by account, region and bucket: gauges of the
 * bucket's objects and their bytes (CloudWatch's NumberOfObjects and BucketSizeBytes, counting the
 * current objects, what ListObjectsV2 lists: not noncurrent versions, delete markers or parts of
 * unfinished uploads) and of its event notifications not yet delivered.
 *
 * <p>{@link #refresh()} runs on the lane's context before a scrape: objects and bytes are counted by
 * a scan of the bucket's keys on a worker, only for buckets whose partition had a commit since its
 * last scan (an idle bucket is not read again), and the lane's pending notices are counted there.
 * A bucket the lane no longer has (deleted, or its partition moved away) loses its gauges.
 */
final class BucketMeters {
  private final MeterRegistry registry;
  private final Buckets buckets;
  private final Notifier notifier;
  /** By bucket name; lane-confined. */
  private final Map<String, PerBucket> byName = new HashMap<>();

  BucketMeters(MeterRegistry registry, Buckets buckets, Notifier notifier) {
    this.registry = registry;
    this.buckets = buckets;
    this.notifier = notifier;
    buckets.countCommits();
    notifier.trackPending();
  }

  /** On the lane's context; completes there once the gauges have the counts. */
  Future<Void> refresh() {
    Map<String, Integer> notices = notifier.pendingByBucket();
    Set<String> present = new HashSet<>();
    List<PerBucket> stale = new ArrayList<>();
    for (int partition : new ArrayList<>(buckets.partitions())) {
      long commits = buckets.commits(partition);
      for (Bucket b : buckets.inPartition(partition)) {
        present.add(b.name());
        PerBucket p = byName.get(b.name());
        if (p == null || !p.owner.equals(b.accountId())) {
          if (p != null) p.remove();
          p = new PerBucket(b);
          byName.put(b.name(), p);
        }
        p.notices = notices.getOrDefault(b.name(), 0);
        if (p.scannedAt != commits) {
          p.scanning = commits;
          stale.add(p);
        }
      }
    }
    for (Iterator<Map.Entry<String, PerBucket>> it = byName.entrySet().iterator(); it.hasNext();) {
      Map.Entry<String, PerBucket> e = it.next();
      if (!present.contains(e.getKey())) {
        e.getValue().remove();
        it.remove();
      }
    }
    if (stale.isEmpty()) return Future.succeededFuture();
    List<String> names = new ArrayList<>();
    for (PerBucket p : stale) names.add(p.name);
    return buckets.blocking(() -> {
      List<long[]> counts = new ArrayList<>();
      for (String name : names) {
        long[] c = new long[2];
        buckets.store().scanObjects(name, "", null, o -> {
          if (!o.deleteMarker()) {
            c[0]++;
            c[1] += o.size();
          }
          return true;
        });
        counts.add(c);
      }
      return counts;
    }).map(counts -> {
      for (int i = 0; i < stale.size(); i++) {
        PerBucket p = stale.get(i);
        p.objects = counts.get(i)[0];
        p.bytes = counts.get(i)[1];
        p.scannedAt = p.scanning;
      }
      return null;
    });
  }

  private final class PerBucket {
    final String name;
    final String owner;
    final List<Gauge> gauges;
    /** The partition's commit count when the counts were read; -1 before the first scan. */
    long scannedAt = -1;
    long scanning;
    volatile long objects;
    volatile long bytes;
    volatile long notices;

    PerBucket(Bucket b) {
      this.name = b.name();
      this.owner = b.accountId();
      Tags tags = Tags.of("account", b.accountId(), "region", b.region(), "bucket", b.name());
      gauges = List.of(
          Gauge.builder("eventplane_s3_objects", this, p -> p.objects).description("Current objects in the bucket (NumberOfObjects)")
              .tags(tags).strongReference(true).register(registry),
          Gauge.builder("eventplane_s3_object_bytes", this, p -> p.bytes)
              .description("Bytes of the bucket's current objects (BucketSizeBytes)").tags(tags).strongReference(true)
              .register(registry),
          Gauge.builder("eventplane_s3_notifications_pending", this, p -> p.notices)
              .description("Event notifications of the bucket not yet delivered to their destination").tags(tags)
              .strongReference(true).register(registry));
    }

    void remove() {
      for (Gauge g : gauges) registry.remove(g);
    }
  }
}
