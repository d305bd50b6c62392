package io.eventplane.common.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsMetricSetsTest {
  @Test
  void aSetHoldsCountSumMinimumAndMaximumOfItsValues() {
    StatisticSet s = new StatisticSet();
    assertThat(s.isEmpty()).isTrue();
    s.add(3);
    s.add(0);
    s.addOnes(2);
    s.addOnes(0);
    AwsMetricDatum d = s.datum("000000000000", "us-east-1", "AWS/Test", "M", Map.of("A", "a"), "Count");
    assertThat(d.sampleCount()).isEqualTo(4);
    assertThat(d.sum()).isEqualTo(5);
    assertThat(d.minimum()).isEqualTo(0);
    assertThat(d.maximum()).isEqualTo(3);
    assertThat(d.values()).isNull();
    assertThat(d.timestampMillis()).isEqualTo(AwsMetricDatum.AT_SAMPLE);
    assertThat(d.at(86_400_000L).timestampMillis()).isEqualTo(86_400_000L);
  }

  @Test
  void keptValuesAreRoundedToFourSignificantDigitsAndCounted() {
    StatisticSet s = new StatisticSet(true);
    s.add(12.3456);
    s.add(12.3449);
    s.add(1000.04);
    AwsMetricDatum d = s.datum("000000000000", "us-east-1", "AWS/Test", "Duration", Map.of(), "Milliseconds");
    assertThat(d.values()).containsOnly(Map.entry(12.35, 1L), Map.entry(12.34, 1L), Map.entry(1000.0, 1L));
    assertThat(d.sum()).isEqualTo(12.3456 + 12.3449 + 1000.04);
  }

  @Test
  void drainPublishesWhatWasRecordedUnderEachResourcesDimensionsOnceThenStartsAgain() {
    AwsMetricSets<String> sets = new AwsMetricSets<>("AWS/Test", Map.of("Calls", "Count", "Size", "Bytes"));
    sets.of("a", "Calls").add(1);
    sets.of("a", "Calls").add(1);
    sets.of("b", "Size").add(10);
    List<AwsMetricDatum> out = sets.drain(r -> r.equals("a")
        ? List.of(new AwsMetricSets.Where("1", "r", Map.of("Name", "a")), new AwsMetricSets.Where("1", "r", Map.of("Name", "a", "V", "1")))
        : List.of(new AwsMetricSets.Where("2", "r", Map.of("Name", "b"))));
    assertThat(out).extracting(AwsMetricDatum::account, AwsMetricDatum::metricName, AwsMetricDatum::unit, AwsMetricDatum::sum,
        d -> d.dimensions().size()).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("1", "Calls", "Count", 2.0, 1),
            org.assertj.core.groups.Tuple.tuple("1", "Calls", "Count", 2.0, 2),
            org.assertj.core.groups.Tuple.tuple("2", "Size", "Bytes", 10.0, 1));
    assertThat(sets.drain(r -> List.of(new AwsMetricSets.Where("1", "r", Map.of())))).isEmpty();
    assertThatThrownBy(() -> sets.of("a", "Unknown")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resourcesUnderTheSameDimensionsAreMergedAndAWhereMayNameItsMetrics() {
    AwsMetricSets<String> sets = new AwsMetricSets<>("AWS/Test", Map.of("Calls", "Count", "Time", "Milliseconds"), java.util.Set.of("Time"));
    sets.of("v1", "Calls").add(1);
    sets.of("v1", "Time").add(5);
    sets.of("v2", "Calls").add(1);
    sets.of("v2", "Time").add(7);
    List<AwsMetricDatum> out = sets.drain(r -> List.of(new AwsMetricSets.Where("1", "r", Map.of("Name", "f")),
        new AwsMetricSets.Where("1", "r", Map.of(), java.util.Set.of("Calls"))));
    assertThat(out).extracting(AwsMetricDatum::metricName, AwsMetricDatum::sampleCount, AwsMetricDatum::sum, AwsMetricDatum::minimum,
        AwsMetricDatum::maximum, d -> d.dimensions().size()).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Calls", 2.0, 2.0, 1.0, 1.0, 1),
            org.assertj.core.groups.Tuple.tuple("Time", 2.0, 12.0, 5.0, 7.0, 1),
            org.assertj.core.groups.Tuple.tuple("Calls", 2.0, 2.0, 1.0, 1.0, 0));
    assertThat(out).filteredOn(d -> d.metricName().equals("Time")).singleElement()
        .satisfies(d -> assertThat(d.values()).containsOnly(Map.entry(5.0, 1L), Map.entry(7.0, 1L)));
  }
}
