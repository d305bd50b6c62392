package io.eventplane.gateway.auth;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** SigV4's timestamps: ISO 8601 basic ({@code 20150830T123600Z}) and the HTTP Date header's form. */
final class Times {
  private Times() {}

  /** Epoch seconds of {@code yyyyMMdd'T'HHmmss'Z'}, or {@link Long#MIN_VALUE} when it is not one. */
  static long parseBasic(String s) {
    if (s == null || s.length() != 16 || s.charAt(8) != 'T' || s.charAt(15) != 'Z') return Long.MIN_VALUE;
    int year = digits(s, 0, 4);
    int month = digits(s, 4, 6);
    int day = digits(s, 6, 8);
    int hour = digits(s, 9, 11);
    int minute = digits(s, 11, 13);
    int second = digits(s, 13, 15);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 60) {
      return Long.MIN_VALUE;
    }
    try {
      return java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second;
    } catch (java.time.DateTimeException e) {
      return Long.MIN_VALUE;
    }
  }

  private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(java.time.ZoneOffset.UTC);

  /** ISO 8601 basic form of epoch seconds. */
  static String formatBasic(long epochSeconds) {
    return BASIC.format(java.time.Instant.ofEpochSecond(epochSeconds));
  }

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss zzz",
      java.util.Locale.ENGLISH);

  /**
   * The Date header (RFC 1123) as ISO 8601 basic, or null when absent or unreadable. The day of the
   * week is not checked against the date (AWS's own test suite signs "Mon, 09 Sep 2011", a Friday).
   */
  static String fromHttpDate(String date) {
    if (date == null) return null;
    String text = date.trim();
    int comma = text.indexOf(',');
    if (comma >= 0) text = text.substring(comma + 1).trim();
    try {
      return formatBasic(ZonedDateTime.parse(text, HTTP_DATE).toEpochSecond());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
