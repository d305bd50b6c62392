package io.eventplane.eventbridge.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code rate(value unit)}: every {@code value} minutes, hours or days. The unit is singular for 1
 * and plural otherwise ({@code rate(1 hour)}, {@code rate(5 hours)}), value at least 1, and nothing
 * else (no blanks around, no other units, lower case): all as recorded against AWS.
 *
 * <p>Firings fall at {@code start} (truncated to its minute) plus whole periods: the first one a
 * period after the rule's schedule began.
 */
public record RateExpression(String text, long value, ChronoUnit unit) implements ScheduleExpression {
  private static final Pattern RATE = Pattern.compile("rate\\(([0-9]+) (minute|minutes|hour|hours|day|days)\\)");

  public RateExpression {
    if (value < 1) throw new IllegalArgumentException("rate value below 1: " + value);
  }

  static RateExpression parseRate(String text) {
    Matcher m = RATE.matcher(text);
    if (!m.matches() || m.group(1).length() > 9) throw ScheduleExpression.invalid();
    long value = Long.parseLong(m.group(1));
    String unit = m.group(2);
    boolean plural = unit.endsWith("s");
    if (value < 1 || plural == (value == 1)) throw ScheduleExpression.invalid();
    ChronoUnit u = switch (unit) {
      case "minute", "minutes" -> ChronoUnit.MINUTES;
      case "hour", "hours" -> ChronoUnit.HOURS;
      default -> ChronoUnit.DAYS;
    };
    return new RateExpression(text, value, u);
  }

  /** The time between two firings. */
  public Duration period() {
    return unit.getDuration().multipliedBy(value);
  }

  @Override
  public Optional<Instant> next(Instant start, Instant after) {
    Instant anchor = start.truncatedTo(ChronoUnit.MINUTES);
    long period = period().toMillis();
    long elapsed = after.toEpochMilli() - anchor.toEpochMilli();
    long periods = elapsed < 0 ? 1 : elapsed / period + 1;
    return Optional.of(anchor.plusMillis(periods * period));
  }
}
