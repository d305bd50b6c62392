package io.eventplane.identity.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The date forms IAM's Date operators take: ISO 8601 (date, date-time, with or without offset) or epoch seconds. */
final class PolicyDates {
  static final long INVALID = Long.MIN_VALUE;

  private PolicyDates() {}

  /** Epoch milliseconds, or {@link #INVALID}. */
  static long parse(String s) {
    if (s == null || s.isEmpty()) return INVALID;
    boolean digits = true;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') digits = false;
    try {
      if (digits) return Long.parseLong(s) * 1000;
      if (s.length() == 10) return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      char last = s.charAt(s.length() - 1);
      if (last == 'Z' || last == 'z') return Instant.parse(s.toUpperCase()).toEpochMilli();
      if (s.indexOf('+', 10) > 0 || s.indexOf('-', 10) > 0) return OffsetDateTime.parse(s).toInstant().toEpochMilli();
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      return INVALID;
    }
  }
}
