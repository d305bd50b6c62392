package io.eventplane.storage;

import io.eventplane.common.cloudwatch.AwsMetricDatum;
import io.eventplane.common.cloudwatch.AwsMetricSource;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.Part;
import io.eventplane.storage.domain.Upload;
import io.eventplane.storage.store.ObjectStore;
import io.eventplane.storage.domain.StoredObject;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One S3 lane's buckets in CloudWatch's {@code AWS/S3} namespace: the daily storage metrics, once per
 * day of the service clock. At the lane's first sample in a new UTC day it counts each bucket it owns
 * (a scan of the bucket's keys on a worker: never on the lane's thread) and publishes, stamped with
 * 00:00 UTC of that day as AWS stamps them: BucketSizeBytes (Bytes) per {@code StorageType}
 * ({@code StandardStorage}, {@code StandardIAStorage}... by the objects' storage classes) and
 * NumberOfObjects (Count, {@code StorageType} {@code AllStorageTypes}), both with {@code BucketName}.
 * As AWS counts them: current objects, noncurrent versions (of a bucket whose versioning was ever
 * set) and the parts of unfinished multipart uploads, not delete markers. An empty bucket publishes
 * nothing. The first count is at the first midnight after the node started.
 */
final class BucketCloudWatch implements AwsMetricSource {
  static final String NAMESPACE = "AWS/S3";
  private static final long DAY_MILLIS = 86_400_000L;

  private final Buckets buckets;
  /** The UTC day (days since the epoch) last counted; lane-confined. */
  private long lastDay;

  BucketCloudWatch(Buckets buckets, long nowMillis) {
    this.buckets = buckets;
    this.lastDay = Math.floorDiv(nowMillis, DAY_MILLIS);
  }

  @Override
  public List<AwsMetricDatum> sample(long millis) {
    throw new UnsupportedOperationException("the daily count reads the store: sampleLater");
  }

  /** What one bucket holds: bytes by storage type, and the objects, versions and parts. */
  private record Held(Bucket bucket, Map<String, Long> bytes, long objects) {}

  @Override
  public Future<List<AwsMetricDatum>> sampleLater(long millis) {
    long day = Math.floorDiv(millis, DAY_MILLIS);
    if (day <= lastDay) return Future.succeededFuture(List.of());
    lastDay = day;
    List<Bucket> owned = new ArrayList<>();
    for (int partition : new ArrayList<>(buckets.partitions())) owned.addAll(buckets.inPartition(partition));
    if (owned.isEmpty()) return Future.succeededFuture(List.of());
    ObjectStore store = buckets.store();
    return buckets.blocking(() -> {
      List<Held> all = new ArrayList<>();
      for (Bucket b : owned) all.add(count(store, b));
      return all;
    }).map(all -> {
      long stamp = day * DAY_MILLIS;
      List<AwsMetricDatum> out = new ArrayList<>();
      for (Held h : all) {
        if (h.objects() == 0) continue;
        Bucket b = h.bucket();
        h.bytes().forEach((type, bytes) -> out.add(AwsMetricDatum.gauge(b.accountId(), b.region(), NAMESPACE,
            "BucketSizeBytes", Map.of("BucketName", b.name(), "StorageType", type), "Bytes", bytes).at(stamp)));
        out.add(AwsMetricDatum.gauge(b.accountId(), b.region(), NAMESPACE, "NumberOfObjects",
            Map.of("BucketName", b.name(), "StorageType", "AllStorageTypes"), "Count", h.objects()).at(stamp));
      }
      return out;
    });
  }

  /** Blocking: a scan of the bucket's objects, their versions and its unfinished uploads' parts. */
  private static Held count(ObjectStore store, Bucket b) {
    Map<String, Long> bytes = new TreeMap<>();
    long[] objects = {0};
    boolean versioned = b.versioning() != null;
    store.scanObjects(b.name(), "", null, o -> {
      if (!o.deleteMarker()) {
        objects[0]++;
        bytes.merge(storageType(o.storageClass()), o.size(), Long::sum);
      }
      if (versioned) {
        for (StoredObject v : store.versions(b.name(), o.key())) {
          if (v.deleteMarker()) continue;
          objects[0]++;
          bytes.merge(storageType(v.storageClass()), v.size(), Long::sum);
        }
      }
      return true;
    });
    int partition = ObjectStore.partitionOf(b.name());
    for (Upload u : store.uploads(partition, b.name())) {
      for (Part p : store.parts(partition, u.uploadId())) {
        objects[0]++;
        bytes.merge(storageType(u.storageClass()), p.blob().size(), Long::sum);
      }
    }
    return new Held(b, bytes, objects[0]);
  }

  /** The StorageType dimension AWS gives the bytes of a storage class. */
  static String storageType(String storageClass) {
    if (storageClass == null) return "StandardStorage";
    return switch (storageClass) {
      case "STANDARD_IA" -> "StandardIAStorage";
      case "ONEZONE_IA" -> "OneZoneIAStorage";
      case "REDUCED_REDUNDANCY" -> "ReducedRedundancyStorage";
      case "INTELLIGENT_TIERING" -> "IntelligentTieringFAStorage";
      case "GLACIER" -> "GlacierStorage";
      case "GLACIER_IR" -> "GlacierInstantRetrievalStorage";
      case "DEEP_ARCHIVE" -> "DeepArchiveStorage";
      case "EXPRESS_ONEZONE" -> "ExpressOneZoneStorage";
      default -> "StandardStorage";
    };
  }
}
