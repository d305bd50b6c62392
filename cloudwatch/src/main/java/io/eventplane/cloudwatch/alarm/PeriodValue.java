package io.eventplane.cloudwatch.alarm;

import java.time.Instant;

/**
 * One period of an alarm's metric: when it starts, and the alarm's statistic over it with the number
 * of samples behind it, or no value when the period had no data.
 */
public record PeriodValue(Instant start, Double value, double sampleCount) {
  public static PeriodValue missing(Instant start) {
    return new PeriodValue(start, null, 0);
  }

  public static PeriodValue of(Instant start, double value, double sampleCount) {
    return new PeriodValue(start, value, sampleCount);
  }

  public boolean isMissing() {
    return value == null;
  }
}
