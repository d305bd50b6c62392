package io.eventplane.cloudwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AggregateTest {
  @Test
  void statisticsAreExactAndSurviveEncoding() {
    Aggregate a = Aggregate.empty().add(1, 1).add(3, 2).addSet(2, 10, 4, 6);
    Aggregate b = Aggregate.decode(a.encode());
    assertThat(b.sampleCount()).isEqualTo(5);
    assertThat(b.sum()).isEqualTo(17);
    assertThat(b.minimum()).isEqualTo(1);
    assertThat(b.maximum()).isEqualTo(6);
    assertThat(b.average()).isEqualTo(3.4);
  }

  @Test
  void percentilesAreWithinTheBucketWidth() {
    Aggregate a = Aggregate.empty();
    for (int i = 1; i <= 1000; i++) a.add(i, 1);
    Aggregate merged = Aggregate.empty().merge(Aggregate.decode(a.encode()));
    assertThat(merged.percentile(50)).isCloseTo(500, within(500 * 0.05));
    assertThat(merged.percentile(99)).isCloseTo(990, within(990 * 0.05));
    assertThat(merged.percentile(0)).isEqualTo(1);
    assertThat(merged.percentile(100)).isEqualTo(1000);
  }

  @Test
  void negativeAndZeroValuesHaveTheirOwnBuckets() {
    Aggregate a = Aggregate.empty().add(-100, 1).add(0, 1).add(100, 1);
    assertThat(a.percentile(40)).isEqualTo(0);
    assertThat(a.percentile(10)).isCloseTo(-100, within(5.0));
    assertThat(a.percentile(90)).isCloseTo(100, within(5.0));
  }

  @Test
  void aStatisticSetAloneHasNoPercentile() {
    assertThat(Aggregate.empty().addSet(3, 6, 1, 3).percentile(50)).isNaN();
  }
}
