package io.eventplane.functions.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An instance's log stream, as CloudWatch Logs keeps one per instance: a file under
 * {@code <data>/functions/logs/<account>/<function>/}, each line prefixed with its UTC timestamp
 * ({@code 2026-12-02T23:56:02.123Z }). Lines are appended in order by one writer
 * thread shared by all streams of the node, so no event loop waits on the disk.
 */
final class LogStream {
  private static final System.Logger LOG = System.getLogger(LogStream.class.getName());
  private static final ExecutorService WRITER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "eventplane-function-logs");
    t.setDaemon(true);
    return t;
  });

  private static final java.time.format.DateTimeFormatter TIMESTAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

  private final Path path;
  private OutputStream out;
  private boolean failed;

  LogStream(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  /** Appends the line with the time it was logged, as CloudWatch Logs keeps an event's timestamp. */
  void write(String line) {
    String stamped = TIMESTAMP.format(java.time.Instant.now()) + " " + line;
    WRITER.execute(() -> append(stamped));
  }

  void close() {
    WRITER.execute(() -> {
      try {
        if (out != null) out.close();
      } catch (IOException e) {
        // nothing more to write
      }
      out = null;
      failed = true;
    });
  }

  private void append(String line) {
    if (failed) return;
    try {
      if (out == null) {
        Files.createDirectories(path.getParent());
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      failed = true;
      LOG.log(System.Logger.Level.WARNING, "cannot write the log stream " + path + ": " + e.getMessage());
    }
  }
}
