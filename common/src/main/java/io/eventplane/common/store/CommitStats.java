package io.eventplane.common.store;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What group commit costs, kept by the writer thread: how long a write waited in the queue before
 * the writer took it, how long RocksDB took to apply a group, how long the WAL fsync took, and how
 * many writes shared it. Power-of-two buckets (microseconds, or writes for the group size), so that
 * recording is an array increment and a tail shows up as a bucket count, not as an average.
 *
 * <p>One writer records; any thread may read a {@link #summary()} at any time (the counters are
 * atomic, so a reader never sees a torn value; a summary taken under load may be a few groups apart
 * between histograms).
 */
public final class CommitStats {
  /** Bucket i holds values in [2^(i-1), 2^i); bucket 0 holds 0. 2^31 us is 36 minutes. */
  private static final int BUCKETS = 32;

  /** The histograms, by what they measure. */
  public enum Measure {
    /** Microseconds from {@code commit()} to the writer taking the write off the queue. */
    QUEUE_WAIT_US,
    /** Microseconds of {@code db.write} for a whole group. */
    APPLY_US,
    /** Microseconds of the WAL fsync for a group (FSYNC mode only). */
    FSYNC_US,
    /** Writes that shared one group (and, in FSYNC mode, one fsync). */
    GROUP_SIZE
  }

  private final AtomicLongArray[] histograms = new AtomicLongArray[Measure.values().length];
  private final AtomicLongArray max = new AtomicLongArray(Measure.values().length);

  CommitStats() {
    for (int i = 0; i < histograms.length; i++) histograms[i] = new AtomicLongArray(BUCKETS);
  }

  void record(Measure m, long value) {
    long v = Math.max(0, value);
    int bucket = Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(v));
    histograms[m.ordinal()].incrementAndGet(bucket);
    // Only the writer thread records, so a plain read-compare-set cannot lose a larger value.
    if (v > max.get(m.ordinal())) max.set(m.ordinal(), v);
  }

  /** How many values of the measure are at least {@code floor} (rounded down to a power of two). */
  public long countAtLeast(Measure m, long floor) {
    int from = floor <= 0 ? 0 : 64 - Long.numberOfLeadingZeros(floor);
    long n = 0;
    for (int i = from; i < BUCKETS; i++) n += histograms[m.ordinal()].get(i);
    return n;
  }

  public long count(Measure m) {
    return countAtLeast(m, 0);
  }

  public long max(Measure m) {
    return max.get(m.ordinal());
  }

  /**
   * The upper bound of the bucket holding the q-quantile (0 < q <= 1): "p99 < 4096 us". Zero when
   * nothing was recorded.
   */
  public long quantileUpperBound(Measure m, double q) {
    long total = count(m);
    if (total == 0) return 0;
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += histograms[m.ordinal()].get(i);
      if (seen >= rank) return i == 0 ? 0 : 1L << i;
    }
    return max(m);
  }

  /** One line per measure: count, p50/p99/p99.9 bucket bounds, max, and the non-empty buckets. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    for (Measure m : Measure.values()) {
      s.append(m.name().toLowerCase(java.util.Locale.ROOT))
          .append(": n=").append(count(m))
          .append(" p50<").append(quantileUpperBound(m, 0.5))
          .append(" p99<").append(quantileUpperBound(m, 0.99))
          .append(" p99.9<").append(quantileUpperBound(m, 0.999))
          .append(" max=").append(max(m))
          .append(" buckets[<2^i:n]=");
      AtomicLongArray h = histograms[m.ordinal()];
      for (int i = 0; i < BUCKETS; i++) {
        long n = h.get(i);
        if (n > 0) s.append(' ').append(i).append(':').append(n);
      }
      s.append('\n');
    }
    return s.toString();
  }
}
