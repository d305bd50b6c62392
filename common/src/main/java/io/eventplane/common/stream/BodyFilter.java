package io.eventplane.common.stream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body seen on its way through: each buffer goes to {@link #onBuffer}, which passes on
 * what the reader gets with {@link #emit} (the same buffer, or a decoded one); throwing fails the
 * stream, which pauses the source and reports to the exception handler, and nothing more reaches
 * the reader. Flow control (pause, resume, fetch) is the source's. One class for the digests,
 * hashes and decoders the S3 paths stack on a body, so each says only what it does to the bytes.
 */
public abstract class BodyFilter implements ReadStream<Buffer> {
  protected final ReadStream<Buffer> source;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean failed;
  private boolean ended;

  protected BodyFilter(ReadStream<Buffer> source) {
    this.source = source;
  }

  /** Sees one buffer of the source; passes on what the reader should get with {@link #emit}. */
  protected abstract void onBuffer(Buffer buffer);

  /** The source has ended: what is still held may be emitted, or the body refused by throwing. */
  protected void onEnd() {}

  protected final void emit(Buffer buffer) {
    if (handler != null && !failed) handler.handle(buffer);
  }

  /** Fails the stream: the source is paused and the reader hears of it once. */
  protected final void fail(Throwable e) {
    if (failed) return;
    failed = true;
    // An ended source has nothing left to pause (an HTTP request refuses it once read).
    if (!ended) source.pause();
    if (exceptionHandler != null) exceptionHandler.handle(e);
  }

  protected final boolean failed() {
    return failed;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> h) {
    this.handler = h;
    if (h == null) {
      source.handler(null);
      return this;
    }
    source.handler(buffer -> {
      if (failed) return;
      try {
        onBuffer(buffer);
      } catch (RuntimeException e) {
        fail(e);
      }
    });
    source.endHandler(v -> {
      ended = true;
      if (failed) return;
      try {
        onEnd();
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      if (!failed && endHandler != null) endHandler.handle(null);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> h) {
    this.endHandler = h;
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
    this.exceptionHandler = h;
    source.exceptionHandler(e -> {
      if (exceptionHandler != null) exceptionHandler.handle(e);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }
}
