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
 */
public record AwsMetricDatum(String account, String region, String namespace, String metricName,
    Map<String, String> dimensions, String unit, double sampleCount, double sum, double minimum, double maximum) {

  public AwsMetricDatum {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(metricName, "metricName");
    Objects.requireNonNull(unit, "unit");
    dimensions = java.util.Collections.unmodifiableMap(new TreeMap<>(dimensions));
    if (sampleCount <= 0) throw new IllegalArgumentException("sampleCount must be > 0: " + sampleCount);
  }

  /** A gauge read once: one sample of {@code value}. */
  public static AwsMetricDatum gauge(String account, String region, String namespace, String metricName,
      Map<String, String> dimensions, String unit, double value) {
    return new AwsMetricDatum(account, region, namespace, metricName, dimensions, unit, 1, value, value, value);
  }
}
