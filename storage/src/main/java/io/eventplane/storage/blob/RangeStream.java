package io.eventplane.storage.blob;

import io.eventplane.common.blob.BlobStore;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.ReadStream;
import java.util.List;

/**
 * Byte ranges of blobs read one after the other as one stream, so that a new blob can be written
 * from parts of others (UploadPartCopy) through {@link BlobStore#write} like any body: streamed, with
 * back-pressure, its digests computed on the way. Each file is opened when the one before it ends
 * and closed when it ends or fails.
 */
public final class RangeStream implements ReadStream<Buffer> {
  /** {@code length} bytes of a blob from {@code offset}. */
  public record Range(String blobId, long offset, long length) {}

  private final BlobStore blobs;
  private final List<Range> ranges;
  private int index = -1;
  private AsyncFile current;
  private boolean paused;
  private boolean done;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  public RangeStream(BlobStore blobs, List<Range> ranges) {
    this.blobs = blobs;
    this.ranges = List.copyOf(ranges);
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler != null && index < 0) {
      index = 0;
      // Opened on the next turn, so that whoever set this handler sets the end handler too before anything ends.
      Vertx.currentContext().runOnContext(v -> open());
    }
    return this;
  }

  private void open() {
    if (done) return;
    if (index == ranges.size()) {
      done = true;
      if (endHandler != null) endHandler.handle(null);
      return;
    }
    Range r = ranges.get(index);
    blobs.read(r.blobId(), r.offset(), r.length()).onComplete(opened -> {
      if (opened.failed()) {
        fail(opened.cause());
        return;
      }
      AsyncFile file = opened.result();
      current = file;
      if (paused) file.pause();
      file.exceptionHandler(e -> {
        current = null;
        file.close();
        fail(e);
      });
      file.endHandler(v -> {
        current = null;
        file.close();
        index++;
        open();
      });
      file.handler(buffer -> {
        if (handler != null) handler.handle(buffer);
      });
    });
  }

  private void fail(Throwable e) {
    if (done) return;
    done = true;
    if (exceptionHandler != null) exceptionHandler.handle(e);
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    paused = true;
    if (current != null) current.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    paused = false;
    if (current != null) current.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    return resume();
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }
}
