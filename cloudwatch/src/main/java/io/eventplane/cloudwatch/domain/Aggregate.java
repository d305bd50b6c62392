package io.eventplane.cloudwatch.domain;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What CloudWatch keeps of a metric's values within one minute (in one unit): SampleCount, Sum,
 * Minimum, Maximum exactly, and a histogram of logarithmic buckets (each 5% wider than the one
 * below) for percentiles (ExtendedStatistics such as {@code p90}): a percentile is answered as
 * its bucket's middle, clamped to [Minimum, Maximum], so within ~2.5% of the true value. Values put
 * as a StatisticValues set have no histogram: their percentiles are not known. Mutable, confined to
 * one thread.
 */
public final class Aggregate {
  private static final byte VERSION = 1;
  private static final double BASE = 1.05;
  private static final double LOG_BASE = Math.log(BASE);
  /** The bucket of zero (values are never exactly the middle of another). */
  private static final int ZERO = Integer.MIN_VALUE;

  private double count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  /** Bucket -> count. Positive values have even keys, negative ones odd keys. */
  private final Map<Integer, Double> buckets = new HashMap<>();

  public static Aggregate empty() {
    return new Aggregate();
  }

  /** {@code times} samples of {@code value}. */
  public Aggregate add(double value, double times) {
    count += times;
    sum += value * times;
    min = Math.min(min, value);
    max = Math.max(max, value);
    buckets.merge(bucketOf(value), times, Double::sum);
    return this;
  }

  /** A statistic set (no histogram). */
  public Aggregate addSet(double sampleCount, double setSum, double setMin, double setMax) {
    count += sampleCount;
    sum += setSum;
    min = Math.min(min, setMin);
    max = Math.max(max, setMax);
    return this;
  }

  public Aggregate merge(Aggregate other) {
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    other.buckets.forEach((k, v) -> buckets.merge(k, v, Double::sum));
    return this;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  public double sampleCount() {
    return count;
  }

  public double sum() {
    return sum;
  }

  public double minimum() {
    return min;
  }

  public double maximum() {
    return max;
  }

  public double average() {
    return sum / count;
  }

  /**
   * The {@code p}th percentile (0-100), or NaN when no value of the minute came with a histogram.
   * p0 is the Minimum and p100 the Maximum.
   */
  public double percentile(double p) {
    double histogrammed = buckets.values().stream().mapToDouble(Double::doubleValue).sum();
    if (histogrammed == 0) return Double.NaN;
    if (p <= 0) return min;
    if (p >= 100) return max;
    List<double[]> byValue = new ArrayList<>(buckets.size());
    buckets.forEach((k, v) -> byValue.add(new double[] {middleOf(k), v}));
    byValue.sort((a, b) -> Double.compare(a[0], b[0]));
    double rank = p / 100 * histogrammed;
    double seen = 0;
    for (double[] b : byValue) {
      seen += b[1];
      if (seen >= rank) return Math.max(min, Math.min(max, b[0]));
    }
    return max;
  }

  /** A statistic by its API name: SampleCount, Average, Sum, Minimum, Maximum, or {@code pNN(.NN)}; NaN when unknown. */
  public double statistic(String name) {
    return switch (name) {
      case "SampleCount" -> count;
      case "Average" -> average();
      case "Sum" -> sum;
      case "Minimum" -> min;
      case "Maximum" -> max;
      default -> name.startsWith("p") ? percentile(Double.parseDouble(name.substring(1))) : Double.NaN;
    };
  }

  private static int bucketOf(double value) {
    if (value == 0) return ZERO;
    int exponent = (int) Math.floor(Math.log(Math.abs(value)) / LOG_BASE);
    return value > 0 ? exponent * 2 : exponent * 2 + 1;
  }

  private static double middleOf(int bucket) {
    if (bucket == ZERO) return 0;
    boolean negative = (bucket & 1) != 0;
    int exponent = negative ? (bucket - 1) / 2 : bucket / 2;
    double middle = Math.pow(BASE, exponent + 0.5);
    return negative ? -middle : middle;
  }

  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(1 + 8 * 4 + 4 + buckets.size() * 12);
    b.put(VERSION).putDouble(count).putDouble(sum).putDouble(min).putDouble(max).putInt(buckets.size());
    buckets.forEach((k, v) -> b.putInt(k).putDouble(v));
    return b.array();
  }

  public static Aggregate decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte version = b.get();
    if (version != VERSION) throw new IllegalStateException("unknown aggregate version " + version);
    Aggregate a = new Aggregate();
    a.count = b.getDouble();
    a.sum = b.getDouble();
    a.min = b.getDouble();
    a.max = b.getDouble();
    int n = b.getInt();
    for (int i = 0; i < n; i++) a.buckets.put(b.getInt(), b.getDouble());
    return a;
  }
}
