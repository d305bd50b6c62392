package io.eventplane.server.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The limits and bad input of the metric calls, with the SDK v2 client: each refusal's exception
 * class (from the error's {@code __type}) and AWS's Query code (from {@code x-amzn-query-error}).
 */
class CloudWatchBadInputTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final CloudWatchClient cw = server.cloudWatch();

  static MetricDatum datum(double value) {
    return MetricDatum.builder().metricName("M").value(value).build();
  }

  static <T extends CloudWatchException> T refused(Class<T> type, String code, Runnable call) {
    T e = catchThrowableOfType(type, call::run);
    assertThat(e).as("refused with " + type.getSimpleName()).isNotNull();
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    assertThat(e.statusCode()).isEqualTo(400);
    return e;
  }

  @Test
  void putMetricDataLimits() {
    InvalidParameterValueException aws = refused(InvalidParameterValueException.class, "InvalidParameterValue",
        () -> cw.putMetricData(b -> b.namespace("AWS/SQS").metricData(datum(1))));
    assertThat(aws.awsErrorDetails().errorMessage()).isEqualTo("The value AWS/ for parameter Namespace is invalid.");
    refused(MissingRequiredParameterException.class, "MissingParameter", () -> cw.putMetricData(b -> b.metricData(datum(1))));
    refused(MissingRequiredParameterException.class, "MissingParameter", () -> cw.putMetricData(b -> b.namespace("N")));
    List<MetricDatum> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) many.add(datum(i));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.putMetricData(b -> b.namespace("N").metricData(many)));
    List<Dimension> dims = new ArrayList<>();
    for (int i = 0; i < 31; i++) dims.add(Dimension.builder().name("d" + i).value("v").build());
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.putMetricData(b -> b.namespace("N")
        .metricData(MetricDatum.builder().metricName("M").dimensions(dims).value(1.0).build())));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.putMetricData(b -> b.namespace("N")
        .metricData(MetricDatum.builder().metricName("M").dimensions(Dimension.builder().name("a").value("1").build(),
            Dimension.builder().name("a").value("2").build()).value(1.0).build())));
    Instant now = server.clock().instant();
    InvalidParameterValueException old = refused(InvalidParameterValueException.class, "InvalidParameterValue",
        () -> cw.putMetricData(b -> b.namespace("N").metricData(MetricDatum.builder().metricName("M").value(1.0)
            .timestamp(now.minus(Duration.ofDays(15))).build())));
    assertThat(old.awsErrorDetails().errorMessage())
        .isEqualTo("The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.");
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.putMetricData(b -> b.namespace("N")
        .metricData(MetricDatum.builder().metricName("M").value(1.0).timestamp(now.plus(Duration.ofHours(3))).build())));
    refused(InvalidParameterValueException.class, "InvalidParameterValue",
        () -> cw.putMetricData(b -> b.namespace("N").metricData(datum(Math.pow(2, 361)))));
    refused(InvalidParameterValueException.class, "InvalidParameterValue",
        () -> cw.putMetricData(b -> b.namespace("N").metricData(datum(Double.NaN))));
    refused(InvalidParameterCombinationException.class, "InvalidParameterCombination", () -> cw.putMetricData(b -> b.namespace("N")
        .metricData(MetricDatum.builder().metricName("M").value(1.0)
            .statisticValues(s -> s.sampleCount(1.0).sum(1.0).minimum(1.0).maximum(1.0)).build())));
    refused(MissingRequiredParameterException.class, "MissingParameter", () -> cw.putMetricData(b -> b.namespace("N")
        .metricData(MetricDatum.builder().metricName("M").build())));
    refused(MissingRequiredParameterException.class, "MissingParameter", () -> cw.putMetricData(b -> b.namespace("N")
        .metricData(MetricDatum.builder().value(1.0).build())));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.putMetricData(b -> b.namespace("N")
        .metricData(MetricDatum.builder().metricName("M").values(1.0, 2.0).counts(1.0).build())));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.putMetricData(b -> b.namespace("N")
        .metricData(MetricDatum.builder().metricName("M").value(1.0).unit("Furlongs").build())));
    // Nothing of the refused calls was stored.
    assertThat(cw.listMetrics(b -> b.namespace("N")).metrics()).isEmpty();
  }

  @Test
  void getMetricStatisticsLimits() {
    Instant end = server.clock().instant();
    Instant start = end.minus(Duration.ofHours(1));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.getMetricStatistics(b -> b.namespace("N")
        .metricName("M").startTime(start).endTime(end).period(61).statistics(Statistic.SUM)));
    InvalidParameterCombinationException tooMany = refused(InvalidParameterCombinationException.class, "InvalidParameterCombination",
        () -> cw.getMetricStatistics(b -> b.namespace("N").metricName("M").startTime(end.minus(Duration.ofMinutes(1441)))
            .endTime(end).period(60).statistics(Statistic.SUM)));
    assertThat(tooMany.awsErrorDetails().errorMessage()).startsWith("You have requested up to 1,441 datapoints, which exceeds the limit of 1,440.");
    refused(InvalidParameterCombinationException.class, "InvalidParameterCombination", () -> cw.getMetricStatistics(b -> b
        .namespace("N").metricName("M").startTime(start).endTime(end).period(60).statistics(Statistic.SUM).extendedStatistics("p90")));
    refused(MissingRequiredParameterException.class, "MissingParameter", () -> cw.getMetricStatistics(b -> b
        .namespace("N").metricName("M").startTime(start).endTime(end).period(60)));
    refused(MissingRequiredParameterException.class, "MissingParameter", () -> cw.getMetricStatistics(b -> b
        .metricName("M").startTime(start).endTime(end).period(60).statistics(Statistic.SUM)));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.getMetricStatistics(b -> b
        .namespace("N").metricName("M").startTime(end).endTime(start).period(60).statistics(Statistic.SUM)));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.getMetricStatistics(b -> b
        .namespace("N").metricName("M").startTime(start).endTime(end).period(60).extendedStatistics("p101")));
    // A metric with no data: no datapoints, not an error.
    assertThat(cw.getMetricStatistics(b -> b.namespace("N").metricName("Nothing").startTime(start).endTime(end).period(60)
        .statistics(Statistic.SUM)).datapoints()).isEmpty();
  }

  @Test
  void getMetricDataAndListMetricsRefusals() {
    Instant end = server.clock().instant();
    Instant start = end.minus(Duration.ofHours(1));
    Metric m = Metric.builder().namespace("N").metricName("M").build();
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.getMetricData(b -> b.startTime(start).endTime(end)
        .metricDataQueries(MetricDataQuery.builder().id("Upper").metricStat(s -> s.metric(m).period(60).stat("Sum")).build())));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.getMetricData(b -> b.startTime(start).endTime(end)
        .metricDataQueries(MetricDataQuery.builder().id("a").metricStat(s -> s.metric(m).period(60).stat("Sum")).build(),
            MetricDataQuery.builder().id("a").metricStat(s -> s.metric(m).period(60).stat("Sum")).build())));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.getMetricData(b -> b.startTime(start).endTime(end)
        .metricDataQueries(MetricDataQuery.builder().id("e").expression("SUM(METRICS())").build())));
    refused(InvalidParameterCombinationException.class, "InvalidParameterCombination", () -> cw.getMetricData(b -> b
        .startTime(start).endTime(end).metricDataQueries(MetricDataQuery.builder().id("n").build())));
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.getMetricData(b -> b.startTime(start).endTime(end)
        .metricDataQueries(MetricDataQuery.builder().id("a").metricStat(s -> s.metric(m).period(60).stat("Median")).build())));
    refused(MissingRequiredParameterException.class, "MissingParameter", () -> cw.getMetricData(b -> b.startTime(start).endTime(end)));
    CloudWatchException token = catchThrowableOfType(CloudWatchException.class, () -> cw.getMetricData(b -> b.startTime(start)
        .endTime(end).nextToken("not-a-token").metricDataQueries(MetricDataQuery.builder().id("a")
            .metricStat(s -> s.metric(m).period(60).stat("Sum")).build())));
    assertThat(token.awsErrorDetails().errorCode()).isEqualTo("InvalidNextToken");
    refused(InvalidParameterValueException.class, "InvalidParameterValue", () -> cw.listMetrics(b -> b.recentlyActive("PT1H")));
  }
}
