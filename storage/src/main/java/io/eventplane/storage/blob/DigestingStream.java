package io.eventplane.storage.blob;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.Consumer;

/**
 * A body stream that shows every buffer to a digest on its way through; the digest may refuse the
 * body by throwing (too long), which fails the stream.
 */
final class DigestingStream implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final Consumer<Buffer> digest;
  private Handler<Throwable> exceptionHandler;
  private boolean failed;

  DigestingStream(ReadStream<Buffer> source, Consumer<Buffer> digest) {
    this.source = source;
    this.digest = digest;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(buffer -> {
      if (failed) return;
      try {
        digest.accept(buffer);
      } catch (RuntimeException e) {
        failed = true;
        source.pause();
        if (exceptionHandler != null) exceptionHandler.handle(e);
        return;
      }
      handler.handle(buffer);
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

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(v -> {
      if (!failed && endHandler != null) endHandler.handle(v);
    });
    return this;
  }
}
