package io.eventplane.functions.bootstrap;

import java.nio.charset.StandardCharsets;

/**
 * The line a java instance writes when it has written everything of an invocation: to standard
 * output (the worker reads standard error through the same pipe) and as a record on the telemetry
 * descriptor. The worker ends the invocation once its readers have passed the marker on both, so
 * that everything the handler printed or logged is in the invocation's log, however far the readers
 * lag; it never shows the marker in a log. A NUL starts it: no handler prints that by accident.
 * Used on both sides of the pipe, so it depends on nothing but the JDK.
 */
public final class EndMarker {
  /** What every marker starts with; the request id follows. */
  public static final String PREFIX = "\u0000eventplane:invocation-end ";

  private EndMarker() {}

  /** The marker of an invocation as a line of standard output. */
  public static byte[] line(String requestId) {
    return (PREFIX + requestId + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The marker of an invocation as the message of a telemetry record. */
  public static byte[] record(String requestId) {
    return (PREFIX + requestId).getBytes(StandardCharsets.UTF_8);
  }

  /** Where a marker starts in a line of output (what comes before it was written without a newline), or -1. */
  public static int indexIn(String line) {
    return line.indexOf(PREFIX);
  }

  /**
   * How much of {@code unfinished}, a line whose newline has not come yet, is output: all of it
   * unless it ends in the beginning of a marker (the rest of which is still on its way).
   */
  public static int outputIn(String unfinished) {
    int nul = unfinished.lastIndexOf('\u0000');
    if (nul < 0) return unfinished.length();
    String tail = unfinished.substring(nul);
    return tail.startsWith(PREFIX) || PREFIX.startsWith(tail) ? nul : unfinished.length();
  }

  /** The request id of the marker starting at {@code index} of {@code text}. */
  public static String requestIdAt(String text, int index) {
    return text.substring(index + PREFIX.length());
  }
}
