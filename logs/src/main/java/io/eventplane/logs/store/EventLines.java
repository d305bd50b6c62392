package io.eventplane.logs.store;

import io.eventplane.logs.domain.LogEvent;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The line form of an event in a stream file: its UTC timestamp, its ingestion time in
 * milliseconds, then the message with backslashes, carriage returns and newlines escaped, so that
 * one line is one event and the file stays readable:
 * {@code 2026-12-03T03:40:00.123Z 1796269200125 START RequestId: ...}.
 */
final class EventLines {
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

  private EventLines() {}

  static String encode(LogEvent event) {
    StringBuilder out = new StringBuilder(event.message().length() + 40);
    out.append(TIMESTAMP.format(Instant.ofEpochMilli(event.timestamp()))).append(' ')
        .append(event.ingestionTime()).append(' ');
    String m = event.message();
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out.append('\n').toString();
  }

  /** The event of a line, or null for a line that is not one (torn by a crash mid-write). */
  static LogEvent decode(String line) {
    int first = line.indexOf(' ');
    int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
    if (second < 0) return null;
    long timestamp;
    long ingestion;
    try {
      timestamp = Instant.parse(line.substring(0, first)).toEpochMilli();
      ingestion = Long.parseLong(line.substring(first + 1, second));
    } catch (DateTimeParseException | NumberFormatException e) {
      return null;
    }
    StringBuilder m = new StringBuilder(line.length() - second);
    for (int i = second + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        char n = line.charAt(++i);
        m.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
      } else {
        m.append(c);
      }
    }
    return new LogEvent(timestamp, ingestion, m.toString());
  }
}
