package io.eventplane.logs.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;

/**
 * Where an event sits in FilterLogEvents' order across all streams of a group: by timestamp,
 * then stream name, then its place in the stream. The next token of a page is the key of its
 * last event; the event ID is the key in digits.
 */
public record FilterKey(long timestamp, String stream, int index) implements Comparable<FilterKey> {
  private static final Comparator<FilterKey> ORDER = Comparator.comparingLong(FilterKey::timestamp)
      .thenComparing(FilterKey::stream).thenComparingInt(FilterKey::index);

  @Override
  public int compareTo(FilterKey o) {
    return ORDER.compare(this, o);
  }

  public String token() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        (timestamp + " " + index + " " + stream).getBytes(StandardCharsets.UTF_8));
  }

  public static FilterKey ofToken(String token) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int a = s.indexOf(' ');
      int b = s.indexOf(' ', a + 1);
      return new FilterKey(Long.parseLong(s.substring(0, a)), s.substring(b + 1), Integer.parseInt(s.substring(a + 1, b)));
    } catch (RuntimeException e) {
      throw LogsErrors.invalidToken();
    }
  }

  /** A number unique within the group, as CloudWatch's event IDs are. */
  public String eventId() {
    return String.format("%013d%010d%08d", timestamp, Integer.toUnsignedLong(stream.hashCode()), index);
  }
}
