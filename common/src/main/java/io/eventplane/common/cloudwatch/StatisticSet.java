package io.eventplane.common.cloudwatch;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * What one resource's metric took in since the last sample, as CloudWatch keeps a minute of it:
 * SampleCount, Sum, Minimum and Maximum of the values recorded. AWS's own metrics record one value
 * per event (1 for an event counted, a size, a duration), so Sum is the events' total and SampleCount
 * how many were recorded. Not thread-safe: a lane's sets are touched on the lane's context only.
 */
public final class StatisticSet {
  /** The values, rounded to 4 significant digits, to how many times (null: not kept). */
  private final Map<Double, Long> values;
  private long count;
  private double sum;
  private double minimum = Double.POSITIVE_INFINITY;
  private double maximum = Double.NEGATIVE_INFINITY;

  /** A set of the statistics only. */
  public StatisticSet() {
    this(false);
  }

  /**
   * @param keepValues whether to keep the values too (rounded to 4 significant digits, so a minute
   *     holds a bounded number of them), so that CloudWatch can answer percentiles
   */
  public StatisticSet(boolean keepValues) {
    this.values = keepValues ? new HashMap<>() : null;
  }

  /** Records one value. */
  public void add(double value) {
    if (values != null) values.merge(rounded(value), 1L, Long::sum);
    count++;
    sum += value;
    if (value < minimum) minimum = value;
    if (value > maximum) maximum = value;
  }

  /** Records {@code n} values of 1 (n events counted one by one); nothing when n is 0. */
  public void addOnes(long n) {
    if (n <= 0) return;
    count += n;
    sum += n;
    if (1 < minimum) minimum = 1;
    if (1 > maximum) maximum = 1;
  }

  /** Adds what {@code other} recorded (its kept values too, when this set keeps values). */
  public void merge(StatisticSet other) {
    if (other.count == 0) return;
    count += other.count;
    sum += other.sum;
    minimum = Math.min(minimum, other.minimum);
    maximum = Math.max(maximum, other.maximum);
    if (values != null && other.values != null) other.values.forEach((v, n) -> values.merge(v, n, Long::sum));
  }

  /** Whether this set keeps its values. */
  public boolean keepsValues() {
    return values != null;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  public long count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  /** The set as a datum (the set must not be empty). */
  public AwsMetricDatum datum(String account, String region, String namespace, String metricName,
      Map<String, String> dimensions, String unit) {
    return new AwsMetricDatum(account, region, namespace, metricName, dimensions, unit, count, sum, minimum, maximum,
        AwsMetricDatum.AT_SAMPLE, values);
  }

  private static double rounded(double value) {
    if (value == 0 || !Double.isFinite(value)) return value;
    return new BigDecimal(value).round(FOUR_DIGITS).doubleValue();
  }

  private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_EVEN);
}
