package io.eventplane.common.config;

/**
 * How S3's time-driven work runs on a node. AWS takes hours to restore an archived object and
 * counts lifecycle ages in days; a local server shortens both so that developers (and tests) see
 * the whole life of an object.
 *
 * @param restoreDelayMillis how long a RestoreObject takes before the restored copy is readable
 * @param dayLengthMillis the length of the "day" that RestoreObject's Days and lifecycle rules count in
 * @param lifecycleIntervalMillis how often each partition owner applies the lifecycle rules of its
 *     buckets (and at most how long a due restore waits to complete)
 * @param replicationDelayMillis how long after a write its bucket replication starts (0: at once).
 *     S3 replicates asynchronously, most objects within minutes; a delay lets developers (and tests)
 *     see objects stay PENDING, and across a restart
 */
public record StorageSettings(long restoreDelayMillis, long dayLengthMillis, long lifecycleIntervalMillis,
    long replicationDelayMillis) {
  public StorageSettings {
    if (restoreDelayMillis < 0) throw new IllegalArgumentException("S3 restore delay must be >= 0 ms");
    if (dayLengthMillis < 1) throw new IllegalArgumentException("S3 day length must be >= 1 ms");
    if (lifecycleIntervalMillis < 10) throw new IllegalArgumentException("S3 lifecycle interval must be >= 10 ms");
    if (replicationDelayMillis < 0) throw new IllegalArgumentException("S3 replication delay must be >= 0 ms");
  }

  /** Settings that replicate at once. */
  public StorageSettings(long restoreDelayMillis, long dayLengthMillis, long lifecycleIntervalMillis) {
    this(restoreDelayMillis, dayLengthMillis, lifecycleIntervalMillis, 0);
  }

  public static StorageSettings defaults() {
    return new StorageSettings(5_000, 86_400_000L, 60_000);
  }
}
