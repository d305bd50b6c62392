package io.eventplane.server.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * PutMetricData, GetMetricStatistics, GetMetricData and ListMetrics with the SDK v2 CloudWatchClient
 * (Smithy RPC v2 CBOR): statistics exact for known values, periods, units, dimensions, listing
 * filters and pages, two queries in one GetMetricData. Times are relative to the server's clock.
 */
class CloudWatchMetricsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final CloudWatchClient cw = server.cloudWatch();

  /** The start of the clock's current minute, minus {@code minutes}. */
  static Instant minute(int minutesAgo) {
    long now = server.clock().millis();
    return Instant.ofEpochMilli(now - now % 60_000 - minutesAgo * 60_000L);
  }

  static Dimension dim(String name, String value) {
    return Dimension.builder().name(name).value(value).build();
  }

  @Test
  void putThenGetGivesExactStatistics() {
    Instant t = minute(5);
    cw.putMetricData(b -> b.namespace("App").metricData(
        MetricDatum.builder().metricName("Latency").dimensions(dim("Api", "get")).value(10.0).timestamp(t).unit(StandardUnit.MILLISECONDS).build(),
        MetricDatum.builder().metricName("Latency").dimensions(dim("Api", "get")).value(30.0).timestamp(t.plusSeconds(10))
            .unit(StandardUnit.MILLISECONDS).build(),
        MetricDatum.builder().metricName("Latency").dimensions(dim("Api", "get")).values(5.0, 50.0).counts(2.0, 1.0)
            .timestamp(t.plusSeconds(20)).unit(StandardUnit.MILLISECONDS).build(),
        MetricDatum.builder().metricName("Latency").dimensions(dim("Api", "get"))
            .statisticValues(s -> s.sampleCount(2.0).sum(40.0).minimum(15.0).maximum(25.0)).timestamp(t.plusSeconds(30))
            .unit(StandardUnit.MILLISECONDS).build()));
    GetMetricStatisticsResponse r = cw.getMetricStatistics(b -> b.namespace("App").metricName("Latency")
        .dimensions(dim("Api", "get")).startTime(t).endTime(t.plusSeconds(60)).period(60)
        .statistics(Statistic.SAMPLE_COUNT, Statistic.SUM, Statistic.AVERAGE, Statistic.MINIMUM, Statistic.MAXIMUM));
    assertThat(r.label()).isEqualTo("Latency");
    assertThat(r.datapoints()).hasSize(1);
    Datapoint d = r.datapoints().get(0);
    // 10, 30, 5, 5, 50, and a set of 2 summing 40 (15..25): 7 samples, sum 140.
    assertThat(d.timestamp()).isEqualTo(t);
    assertThat(d.sampleCount()).isEqualTo(7.0);
    assertThat(d.sum()).isEqualTo(140.0);
    assertThat(d.average()).isEqualTo(20.0);
    assertThat(d.minimum()).isEqualTo(5.0);
    assertThat(d.maximum()).isEqualTo(50.0);
    assertThat(d.unit()).isEqualTo(StandardUnit.MILLISECONDS);
    // Another dimension value is another metric.
    assertThat(cw.getMetricStatistics(b -> b.namespace("App").metricName("Latency").dimensions(dim("Api", "put"))
        .startTime(t).endTime(t.plusSeconds(60)).period(60).statistics(Statistic.SUM)).datapoints()).isEmpty();
    // No dimensions is yet another metric.
    assertThat(cw.getMetricStatistics(b -> b.namespace("App").metricName("Latency")
        .startTime(t).endTime(t.plusSeconds(60)).period(60).statistics(Statistic.SUM)).datapoints()).isEmpty();
  }

  @Test
  void dimensionsAreASetWhateverTheirOrder() {
    Instant t = minute(3);
    cw.putMetricData(b -> b.namespace("App").metricData(MetricDatum.builder().metricName("Hits")
        .dimensions(dim("B", "2"), dim("A", "1")).value(4.0).timestamp(t).build()));
    GetMetricStatisticsResponse r = cw.getMetricStatistics(b -> b.namespace("App").metricName("Hits")
        .dimensions(dim("A", "1"), dim("B", "2")).startTime(t).endTime(t.plusSeconds(60)).period(60).statistics(Statistic.SUM));
    assertThat(r.datapoints()).extracting(Datapoint::sum).containsExactly(4.0);
    assertThat(r.datapoints().get(0).unit()).isEqualTo(StandardUnit.NONE);
  }

  @Test
  void periodsGatherTheirMinutesFromTheRoundedStartTime() {
    Instant t = minute(10);
    List<MetricDatum> data = new ArrayList<>();
    for (int m = 0; m < 9; m++) {
      data.add(MetricDatum.builder().metricName("Orders").value((double) m).timestamp(t.plusSeconds(60L * m + 5)).unit(StandardUnit.COUNT).build());
    }
    cw.putMetricData(b -> b.namespace("Shop").metricData(data));
    // StartTime 30 s into the first minute: rounded down to it.
    GetMetricStatisticsResponse r = cw.getMetricStatistics(b -> b.namespace("Shop").metricName("Orders")
        .startTime(t.plusSeconds(30)).endTime(t.plusSeconds(540)).period(180).statistics(Statistic.SUM, Statistic.SAMPLE_COUNT));
    List<Datapoint> points = new ArrayList<>(r.datapoints());
    points.sort(Comparator.comparing(Datapoint::timestamp));
    assertThat(points).extracting(Datapoint::timestamp).containsExactly(t, t.plusSeconds(180), t.plusSeconds(360));
    assertThat(points).extracting(Datapoint::sum).containsExactly(0.0 + 1 + 2, 3.0 + 4 + 5, 6.0 + 7 + 8);
    assertThat(points).extracting(Datapoint::sampleCount).containsExactly(3.0, 3.0, 3.0);
    // EndTime is exclusive: the minute at EndTime is not in.
    GetMetricStatisticsResponse upTo = cw.getMetricStatistics(b -> b.namespace("Shop").metricName("Orders")
        .startTime(t).endTime(t.plusSeconds(120)).period(60).statistics(Statistic.SUM));
    assertThat(upTo.datapoints()).extracting(Datapoint::sum).containsExactlyInAnyOrder(0.0, 1.0);
  }

  @Test
  void unitsAreKeptApartAndFiltered() {
    Instant t = minute(2);
    cw.putMetricData(b -> b.namespace("App").metricData(
        MetricDatum.builder().metricName("Size").value(100.0).timestamp(t).unit(StandardUnit.BYTES).build(),
        MetricDatum.builder().metricName("Size").value(2.0).timestamp(t).unit(StandardUnit.KILOBYTES).build()));
    GetMetricStatisticsResponse all = cw.getMetricStatistics(b -> b.namespace("App").metricName("Size")
        .startTime(t).endTime(t.plusSeconds(60)).period(60).statistics(Statistic.SUM));
    assertThat(all.datapoints()).extracting(Datapoint::unit, Datapoint::sum)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(StandardUnit.BYTES, 100.0),
            org.assertj.core.groups.Tuple.tuple(StandardUnit.KILOBYTES, 2.0));
    GetMetricStatisticsResponse bytes = cw.getMetricStatistics(b -> b.namespace("App").metricName("Size")
        .startTime(t).endTime(t.plusSeconds(60)).period(60).statistics(Statistic.SUM).unit(StandardUnit.BYTES));
    assertThat(bytes.datapoints()).extracting(Datapoint::sum).containsExactly(100.0);
    GetMetricStatisticsResponse seconds = cw.getMetricStatistics(b -> b.namespace("App").metricName("Size")
        .startTime(t).endTime(t.plusSeconds(60)).period(60).statistics(Statistic.SUM).unit(StandardUnit.SECONDS));
    assertThat(seconds.datapoints()).isEmpty();
  }

  @Test
  void percentilesAreAnsweredApproximately() {
    Instant t = minute(4);
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 100; i++) values.add((double) i);
    cw.putMetricData(b -> b.namespace("App").metricData(MetricDatum.builder().metricName("Time").values(values).timestamp(t).build()));
    GetMetricStatisticsResponse r = cw.getMetricStatistics(b -> b.namespace("App").metricName("Time")
        .startTime(t).endTime(t.plusSeconds(60)).period(60).extendedStatistics("p50", "p90", "p100"));
    Datapoint d = r.datapoints().get(0);
    assertThat(d.extendedStatistics().get("p50")).isCloseTo(50.0, within(2.5));
    assertThat(d.extendedStatistics().get("p90")).isCloseTo(90.0, within(4.5));
    assertThat(d.extendedStatistics().get("p100")).isEqualTo(100.0);
    assertThat(d.sum()).isNull();
  }

  @Test
  void getMetricDataAnswersTwoQueriesInTheirOrder() {
    Instant t = minute(6);
    List<MetricDatum> data = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      data.add(MetricDatum.builder().metricName("Reads").dimensions(dim("Table", "a")).value(10.0 * (m + 1)).timestamp(t.plusSeconds(60L * m)).build());
      data.add(MetricDatum.builder().metricName("Writes").dimensions(dim("Table", "a")).value(1.0 + m).timestamp(t.plusSeconds(60L * m)).build());
      data.add(MetricDatum.builder().metricName("Writes").dimensions(dim("Table", "a")).value(7.0).timestamp(t.plusSeconds(60L * m + 1)).build());
    }
    cw.putMetricData(b -> b.namespace("Db").metricData(data));
    Metric reads = Metric.builder().namespace("Db").metricName("Reads").dimensions(dim("Table", "a")).build();
    Metric writes = Metric.builder().namespace("Db").metricName("Writes").dimensions(dim("Table", "a")).build();
    GetMetricDataResponse r = cw.getMetricData(b -> b.startTime(t).endTime(t.plusSeconds(180)).metricDataQueries(
        MetricDataQuery.builder().id("r").metricStat(s -> s.metric(reads).period(60).stat("Sum")).build(),
        MetricDataQuery.builder().id("w").label("writes max").metricStat(s -> s.metric(writes).period(60).stat("Maximum")).build(),
        MetricDataQuery.builder().id("hidden").returnData(false).metricStat(s -> s.metric(writes).period(60).stat("Sum")).build()));
    assertThat(r.metricDataResults()).extracting(MetricDataResult::id).containsExactly("r", "w");
    MetricDataResult first = r.metricDataResults().get(0);
    assertThat(first.label()).isEqualTo("Reads");
    assertThat(first.statusCode()).isEqualTo(StatusCode.COMPLETE);
    // Newest first by default.
    assertThat(first.timestamps()).containsExactly(t.plusSeconds(120), t.plusSeconds(60), t);
    assertThat(first.values()).containsExactly(30.0, 20.0, 10.0);
    MetricDataResult second = r.metricDataResults().get(1);
    assertThat(second.label()).isEqualTo("writes max");
    assertThat(second.values()).containsExactly(7.0, 7.0, 7.0);

    GetMetricDataResponse ascending = cw.getMetricData(b -> b.startTime(t).endTime(t.plusSeconds(180))
        .scanBy(ScanBy.TIMESTAMP_ASCENDING).maxDatapoints(2).metricDataQueries(
            MetricDataQuery.builder().id("r").metricStat(s -> s.metric(reads).period(60).stat("Sum")).build()));
    assertThat(ascending.metricDataResults().get(0).values()).containsExactly(10.0, 20.0);
    assertThat(ascending.metricDataResults().get(0).statusCode()).isEqualTo(StatusCode.PARTIAL_DATA);
    assertThat(ascending.nextToken()).isNotNull();
    GetMetricDataResponse rest = cw.getMetricData(b -> b.startTime(t).endTime(t.plusSeconds(180))
        .scanBy(ScanBy.TIMESTAMP_ASCENDING).maxDatapoints(2).nextToken(ascending.nextToken()).metricDataQueries(
            MetricDataQuery.builder().id("r").metricStat(s -> s.metric(reads).period(60).stat("Sum")).build()));
    assertThat(rest.metricDataResults().get(0).values()).containsExactly(30.0);
    assertThat(rest.nextToken()).isNull();
  }

  @Test
  void listMetricsFiltersAndPages() {
    Instant t = minute(1);
    List<MetricDatum> data = new ArrayList<>();
    for (int i = 0; i < 510; i++) {
      data.add(MetricDatum.builder().metricName("Jobs").dimensions(dim("Worker", String.format("w%03d", i))).value(1.0).timestamp(t).build());
    }
    cw.putMetricData(b -> b.namespace("Batch").metricData(data));
    cw.putMetricData(b -> b.namespace("Batch").metricData(
        MetricDatum.builder().metricName("Errors").dimensions(dim("Worker", "w001"), dim("Kind", "io")).value(1.0).timestamp(t).build(),
        MetricDatum.builder().metricName("Errors").value(1.0).timestamp(t).build()));
    cw.putMetricData(b -> b.namespace("Other").metricData(MetricDatum.builder().metricName("Jobs").value(1.0).timestamp(t).build()));

    ListMetricsResponse page1 = cw.listMetrics(b -> b.namespace("Batch").metricName("Jobs"));
    assertThat(page1.metrics()).hasSize(500);
    assertThat(page1.nextToken()).isNotNull();
    ListMetricsResponse page2 = cw.listMetrics(b -> b.namespace("Batch").metricName("Jobs").nextToken(page1.nextToken()));
    assertThat(page2.metrics()).hasSize(10);
    assertThat(page2.nextToken()).isNull();
    List<String> workers = new ArrayList<>();
    page1.metrics().forEach(m -> workers.add(m.dimensions().get(0).value()));
    page2.metrics().forEach(m -> workers.add(m.dimensions().get(0).value()));
    assertThat(workers).doesNotHaveDuplicates().hasSize(510);

    assertThat(cw.listMetrics(b -> b.namespace("Batch").metricName("Errors")).metrics()).hasSize(2);
    ListMetricsResponse byDimension = cw.listMetrics(b -> b.namespace("Batch")
        .dimensions(DimensionFilter.builder().name("Worker").value("w001").build()));
    assertThat(byDimension.metrics()).extracting(Metric::metricName).containsExactlyInAnyOrder("Jobs", "Errors");
    ListMetricsResponse byName = cw.listMetrics(b -> b.namespace("Batch").dimensions(DimensionFilter.builder().name("Kind").build()));
    assertThat(byName.metrics()).hasSize(1);
    assertThat(byName.metrics().get(0).dimensions()).containsExactlyInAnyOrder(dim("Kind", "io"), dim("Worker", "w001"));
    assertThat(cw.listMetrics(b -> b.metricName("Jobs").namespace("Other")).metrics()).hasSize(1);

    // RecentlyActive PT3H: points of the last three hours only.
    server.advance(Duration.ofHours(4));
    assertThat(cw.listMetrics(b -> b.namespace("Other").recentlyActive("PT3H")).metrics()).isEmpty();
    assertThat(cw.listMetrics(b -> b.namespace("Other")).metrics()).hasSize(1);
  }

  @Test
  void pointsOlderThanFifteenDaysAreDropped() {
    Instant old = minute(14 * 24 * 60 - 10);
    cw.putMetricData(b -> b.namespace("Ret").metricData(MetricDatum.builder().metricName("M").value(1.0).timestamp(old).build()));
    assertThat(cw.listMetrics(b -> b.namespace("Ret")).metrics()).hasSize(1);
    server.advance(Duration.ofDays(1).plusHours(1));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(cw.getMetricStatistics(b -> b
        .namespace("Ret").metricName("M").startTime(old).endTime(old.plusSeconds(60)).period(60).statistics(Statistic.SUM))
        .datapoints()).isEmpty());
    assertThat(cw.listMetrics(b -> b.namespace("Ret")).metrics()).isEmpty();
  }
}
