package io.eventplane.storage.blob;

import io.eventplane.common.stream.BodyFilter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.Consumer;

/**
 * A body stream that shows every buffer to a digest on its way through; the digest may refuse the
 * body by throwing (too long), which fails the stream.
 */
final class DigestingStream extends BodyFilter {
  private final Consumer<Buffer> digest;

  DigestingStream(ReadStream<Buffer> source, Consumer<Buffer> digest) {
    super(source);
    this.digest = digest;
  }

  @Override
  protected void onBuffer(Buffer buffer) {
    digest.accept(buffer);
    emit(buffer);
  }
}
