package io.eventplane.logs.domain;

import java.util.List;

/**
 * A page of GetLogEvents over the events of a stream within the time range. Tokens point between
 * events: {@code f/<n>} reads forward from the n-th event, {@code b/<n>} backward from before it.
 * Without a token the page is the first events ({@code startFromHead}) or the latest. A page holds
 * at most {@code limit} events and 1 MB; at either end the token asked with comes back, which is
 * how clients know they are done.
 */
public record EventPage(List<LogEvent> events, String nextForwardToken, String nextBackwardToken) {
  private static final int MAX_BYTES = 1_048_576;

  public static EventPage of(List<LogEvent> events, String token, boolean startFromHead, int limit) {
    int n = events.size();
    boolean forward;
    int at;
    if (token == null) {
      forward = startFromHead;
      at = startFromHead ? 0 : n;
    } else {
      forward = token.startsWith("f/");
      if (!forward && !token.startsWith("b/")) throw LogsErrors.invalidToken();
      try {
        at = Integer.parseInt(token.substring(2));
      } catch (NumberFormatException e) {
        throw LogsErrors.invalidToken();
      }
      if (at < 0) throw LogsErrors.invalidToken();
      at = Math.min(at, n);
    }
    int from;
    int to;
    int bytes = 0;
    if (forward) {
      from = at;
      to = at;
      while (to < n && to - from < limit && bytes + events.get(to).size() <= MAX_BYTES) bytes += events.get(to++).size();
    } else {
      to = at;
      from = at;
      while (from > 0 && to - from < limit && bytes + events.get(from - 1).size() <= MAX_BYTES) bytes += events.get(--from).size();
    }
    return new EventPage(List.copyOf(events.subList(from, to)), token(true, to), token(false, from));
  }

  private static String token(boolean forward, int index) {
    return (forward ? "f/" : "b/") + String.format("%020d", index);
  }
}
