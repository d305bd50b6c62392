package io.eventplane.common.logs;

/** One log stream being written. Writes never wait for the disk: callers may be event loops. */
public interface LogStream {
  String streamName();

  /** Appends an event stamped now. */
  void write(String message);

  /** Appends an event logged at {@code timestamp} (milliseconds since the epoch). */
  void write(long timestamp, String message);

  /** Closes the stream once what was written before is written. */
  void close();
}
