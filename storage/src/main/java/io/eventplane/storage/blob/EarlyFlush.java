package io.eventplane.storage.blob;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Flushes a file being written to the disk every few tens of MiB while its body still arrives, so
 * that the fsync that makes the blob durable at the end has little left to do: the disk writes
 * back while the socket reads and the digests run, instead of after them. (An fsync on any
 * descriptor flushes the file's dirty pages, whichever descriptor wrote them.) At most one flush
 * runs at a time; a failed early flush is harmless, the final fsync decides.
 */
final class EarlyFlush {
  static final long EVERY_BYTES = 32L * 1024 * 1024;
  private static final Logger LOG = Logger.getLogger(EarlyFlush.class.getName());

  private final Vertx vertx;
  private final Path file;
  private long unflushed;
  private boolean flushing;

  EarlyFlush(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
  }

  /** Counts bytes handed to the file; called on the body's context. */
  void wrote(int bytes) {
    unflushed += bytes;
    if (unflushed < EVERY_BYTES || flushing) return;
    unflushed = 0;
    flushing = true;
    vertx.executeBlocking(() -> {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.force(false);
      } catch (IOException e) {
        LOG.log(Level.FINE, "early flush of " + file + " failed", e);
      }
      return null;
    }, false).onComplete(done -> flushing = false);
  }
}
