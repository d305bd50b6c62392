package io.eventplane.common.cloudwatch;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One minute's worth of one AWS metric of one resource, as a service publishes it to CloudWatch
 * (AWS/SQS's ApproximateNumberOfMessagesVisible for a QueueName, say): a statistic set, as
 * PutMetricData's StatisticValues carries one.
 *
 * @param namespace an AWS namespace ({@code AWS/SQS}); clients cannot put into these
 * @param dimensions name to value; kept sorted by name (CloudWatch's identity of a metric)
 * @param unit a CloudWatch StandardUnit ({@code Count}, {@code Seconds}, {@code Bytes}...)
 * @param timestampMillis the datum's time, or {@link #AT_SAMPLE} for the sample's (every per-minute metric);
 *     S3's daily storage metrics are stamped with the start of their day
 * @param values the values themselves, value to how many times (null: only the statistic set): then
 *     CloudWatch also answers percentiles of them (Lambda's Duration)
 */
public record AwsMetricDatum(String account, String region, String namespace, String metricName,
    Map<String, String> dimensions, String unit, double sampleCount, double sum, double minimum, double maximum,
    long timestampMillis, Map<Double, Long> values) {
  /** {@link #timestampMillis} of a datum stamped with the time of the sample that took it. */
  public static final long AT_SAMPLE = -1;

  public AwsMetricDatum {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(metricName, "metricName");
    Objects.requireNonNull(unit, "unit");
    dimensions = java.util.Collections.unmodifiableMap(new TreeMap<>(dimensions));
    if (sampleCount <= 0) throw new IllegalArgumentException("sampleCount must be > 0: " + sampleCount);
    if (values != null) values = Map.copyOf(values);
  }

  /** A statistic set stamped with the sample's time. */
  public AwsMetricDatum(String account, String region, String namespace, String metricName, Map<String, String> dimensions,
      String unit, double sampleCount, double sum, double minimum, double maximum) {
    this(account, region, namespace, metricName, dimensions, unit, sampleCount, sum, minimum, maximum, AT_SAMPLE, null);
  }

  /** This datum stamped with {@code millis} instead of the sample's time. */
  public AwsMetricDatum at(long millis) {
    return new AwsMetricDatum(account, region, namespace, metricName, dimensions, unit, sampleCount, sum, minimum, maximum,
        millis, values);
  }

  /** A gauge read once: one sample of {@code value}. */
  public static AwsMetricDatum gauge(String account, String region, String namespace, String metricName,
      Map<String, String> dimensions, String unit, double value) {
    return new AwsMetricDatum(account, region, namespace, metricName, dimensions, unit, 1, value, value, value);
  }
}
