package io.eventplane.functions.runtime;

import io.vertx.core.Context;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the log records a java instance writes to Lambda's telemetry descriptor
 * ({@code _LAMBDA_TELEMETRY_LOG_FD}): AWS's runtime client frames each LambdaLogger call (and an
 * uncaught exception) as one record, a 16-byte header (type {@code 0xa55a00xx}, length, timestamp
 * in microseconds) and the message, so a record without a trailing newline or with many lines is
 * one log event, as in CloudWatch Logs. The descriptor is a named pipe the instance's shell opens
 * as fd 3 before it becomes the JVM; this thread opens the other end (deleting the name once both
 * are open) and hands each record to the worker's context.
 */
final class TelemetryReader {
  /** One record: when it was logged (ms since the epoch) and its text. */
  interface Records {
    void record(long timestampMillis, String message);
  }

  private record Record(long timestampMillis, String message) {}

  private static final int HEADER = 16;
  private static final int FRAME_MAGIC = 0xa55a0000;
  /** CloudWatch's largest event; longer records are cut. */
  private static final int MAX_MESSAGE = 262_144;
  /** A length beyond this is not a record (the stream is corrupt): reading stops. */
  private static final int MAX_FRAME = 16 * 1024 * 1024;

  private final Path pipe;
  private final Context context;
  private final Records records;
  private final Runnable ended;
  private final AtomicLong bytesRead = new AtomicLong();
  private long bytesApplied;
  private volatile boolean opened;
  private volatile boolean waiting;
  private volatile boolean done;

  /** @param ended run on the context after the last record, once the pipe has ended (or could not be read) */
  TelemetryReader(Path pipe, Context context, Records records, Runnable ended) {
    this.pipe = pipe;
    this.context = context;
    this.records = records;
    this.ended = ended;
  }

  void start(String name) {
    Thread t = new Thread(this::run, name);
    t.setDaemon(true);
    t.start();
  }

  /**
   * True when every record written so far has been handed over (or the pipe is not open yet:
   * then nothing can have been written). Called on the worker's context.
   */
  boolean drained() {
    if (!opened || done) return true;
    return waiting && bytesRead.get() == bytesApplied;
  }

  /**
   * Frees the reader when the instance ended before opening its end (the open would wait forever):
   * opens the pipe for writing and closes it. Blocking.
   */
  void release() {
    if (opened || done) return;
    try (FileOutputStream ignored = new FileOutputStream(pipe.toFile())) {
      // the reader sees its end of file
    } catch (IOException e) {
      // the reader opened and removed the pipe meanwhile
    }
  }

  private void run() {
    try (InputStream in = new FileInputStream(pipe.toFile())) {
      opened = true;
      Files.deleteIfExists(pipe);
      read(in);
    } catch (IOException | RejectedExecutionException e) {
      // the instance ended, or the node is shutting down
    } finally {
      done = true;
      try {
        Files.deleteIfExists(pipe);
      } catch (IOException e) {
        // left for the node's next start to clean
      }
      try {
        context.runOnContext(v -> ended.run());
      } catch (RejectedExecutionException e) {
        // the node is shutting down
      }
    }
  }

  private void read(InputStream in) throws IOException {
    byte[] buf = new byte[65_536];
    ByteBuffer pending = ByteBuffer.allocate(65_536);
    while (true) {
      waiting = true;
      int n = in.read(buf);
      waiting = false;
      if (n <= 0) return;
      bytesRead.addAndGet(n);
      if (pending.remaining() < n) pending = grow(pending, n);
      pending.put(buf, 0, n);
      pending.flip();
      List<Record> complete = new ArrayList<>();
      long consumed = 0;
      while (pending.remaining() >= HEADER) {
        int start = pending.position();
        int type = pending.getInt(start);
        int length = pending.getInt(start + 4);
        if ((type & 0xffff0000) != FRAME_MAGIC || length < 0 || length > MAX_FRAME) return;
        if (pending.remaining() < HEADER + length) break;
        long micros = pending.getLong(start + 8);
        byte[] message = new byte[Math.min(length, MAX_MESSAGE)];
        pending.position(start + HEADER);
        pending.get(message);
        pending.position(start + HEADER + length);
        complete.add(new Record(micros / 1000, new String(message, StandardCharsets.UTF_8)));
        consumed += HEADER + length;
      }
      pending.compact();
      if (complete.isEmpty()) continue;
      long applied = consumed;
      context.runOnContext(v -> {
        for (Record r : complete) records.record(r.timestampMillis(), r.message());
        bytesApplied += applied;
      });
    }
  }

  private static ByteBuffer grow(ByteBuffer pending, int more) {
    pending.flip();
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.remaining() + more));
    bigger.put(pending);
    return bigger;
  }
}
