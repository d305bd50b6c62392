package io.eventplane.kinesis.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.time.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-shard token buckets on a clock that only the test moves. */
class ShardThroughputTest {
  private final MutableClock clock = new MutableClock();

  @Test
  void writesAreLimitedTo1000RecordsOr1MiBPerSecondPerShard() {
    ShardThroughput t = new ShardThroughput(clock, true);
    for (int i = 0; i < 1000; i++) assertThat(t.admitWrite(1, 0, 10)).isTrue();
    assertThat(t.admitWrite(1, 0, 10)).isFalse();
    assertThat(t.admitWrite(1, 1, 10)).as("another shard").isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(t.admitWrite(1, 0, 10)).isTrue();
    assertThat(t.admitWrite(1, 0, 10)).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(t.admitWrite(1, 0, 1024 * 1024)).isTrue();
    assertThat(t.admitWrite(1, 0, 1)).isFalse();
  }

  @Test
  void readsAreLimitedTo5CallsPerSecondAndTheirDataTo2MiBPerSecond() {
    ShardThroughput t = new ShardThroughput(clock, true);
    for (int i = 0; i < 5; i++) assertThat(t.admitRead(1, 0)).isTrue();
    assertThat(t.admitRead(1, 0)).isFalse();
    clock.advance(Duration.ofMillis(200));
    assertThat(t.admitRead(1, 0)).isTrue();
    clock.advance(Duration.ofSeconds(1));
    t.read(1, 0, 6 * 1024 * 1024);
    assertThat(t.admitRead(1, 0)).as("4 MiB of debt").isFalse();
    clock.advance(Duration.ofMillis(2000));
    assertThat(t.admitRead(1, 0)).as("debt repaid to zero, not beyond").isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(t.admitRead(1, 0)).isTrue();
  }

  @Test
  void offAdmitsEverything() {
    ShardThroughput t = new ShardThroughput(clock, false);
    for (int i = 0; i < 5000; i++) assertThat(t.admitWrite(1, 0, 1024 * 1024)).isTrue();
    for (int i = 0; i < 50; i++) assertThat(t.admitRead(1, 0)).isTrue();
  }
}
