package io.eventplane.gateway.console;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Times as the AWS JSON protocols carry them (epoch seconds, possibly fractional) and as the
 * console's forms take them ({@code datetime-local} fields, read as UTC).
 */
final class Times {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private Times() {}

  /** Epoch seconds from a service's output, as millis; null when absent or not a number. */
  static Long millis(Object epochSeconds) {
    if (epochSeconds instanceof Number n) return new BigDecimal(n.toString()).movePointRight(3).longValue();
    if (epochSeconds instanceof String s) {
      try {
        return new BigDecimal(s).movePointRight(3).longValue();
      } catch (NumberFormatException e) {
        try {
          return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException notIso) {
          return null;
        }
      }
    }
    return null;
  }

  /** An output's time as ISO-8601 UTC, or "-" when absent. */
  static String text(Object epochSeconds) {
    Long m = millis(epochSeconds);
    return m == null ? "-" : Instant.ofEpochMilli(m).toString();
  }

  /** A {@code datetime-local} field's value (UTC, seconds or minutes), as epoch seconds; null when empty or not a time. */
  static BigDecimal fromField(String value) {
    if (value == null || value.isBlank()) return null;
    try {
      LocalDateTime t = LocalDateTime.parse(value.trim());
      return BigDecimal.valueOf(t.toInstant(ZoneOffset.UTC).toEpochMilli()).movePointLeft(3);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A time as a {@code datetime-local} field's value (UTC, whole seconds). */
  static String toField(long epochMillis) {
    return LOCAL.format(Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
  }
}
