package io.eventplane.storage.blob;

import io.netty.buffer.ByteBuf;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a body's bytes go on their way to a blob file: written and digested (MD5 and the
 * additional checksum) on a worker thread, in order, so the event loop only reads the socket.
 * MD5 runs at ~700 MB/s on one core here; on the event loop it was most of a large PUT's time.
 *
 * <p>Buffers queue on the event loop and a worker takes all that queued at once, one batch at a
 * time, so order needs no lock and a batch costs one hop whatever its size. The queue is bounded
 * ({@link #writeQueueFull()}): the pipe pauses the socket while the disk or the digest is behind.
 * All state but the digests and the channel is touched on the event loop only; those two are
 * touched by one worker task at a time (each task starts after the previous one completed).
 */
final class BlobWriter implements WriteStream<Buffer> {
  private final Vertx vertx;
  private final FileChannel channel;
  private final MessageDigest md5;
  private final Checksums.Running extra;
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private int maxQueuedBytes;
  private boolean writing;
  private Throwable failure;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;
  private Promise<Void> ended;

  BlobWriter(Vertx vertx, FileChannel channel, MessageDigest md5, Checksums.Running extra, int maxQueuedBytes) {
    this.vertx = vertx;
    this.channel = channel;
    this.md5 = md5;
    this.extra = extra;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failure != null) return Future.failedFuture(failure);
    queue.add(data);
    queuedBytes += data.length();
    next();
    return Future.succeededFuture();
  }

  private void next() {
    if (writing || failure != null) return;
    if (queue.isEmpty()) {
      if (ended != null) ended.tryComplete();
      return;
    }
    writing = true;
    List<Buffer> batch = new ArrayList<>(queue);
    queue.clear();
    long bytes = 0;
    for (Buffer b : batch) bytes += b.length();
    long done = bytes;
    vertx.executeBlocking(() -> {
      for (Buffer b : batch) writeAndDigest(b);
      return null;
    }, false).onComplete(result -> written(result, done));
  }

  private void written(AsyncResult<Object> result, long bytes) {
    writing = false;
    queuedBytes -= bytes;
    if (result.failed()) {
      failure = result.cause();
      queue.clear();
      if (exceptionHandler != null) exceptionHandler.handle(failure);
      if (ended != null) ended.tryFail(failure);
      return;
    }
    if (drainHandler != null && queuedBytes <= maxQueuedBytes / 2) {
      Handler<Void> h = drainHandler;
      drainHandler = null;
      h.handle(null);
    }
    next();
  }

  /** On a worker: the buffer to the file, and through the digests. */
  private void writeAndDigest(Buffer b) {
    ByteBuf buf = ((BufferInternal) b).getByteBuf();
    ByteBuffer nio = buf.nioBuffer();
    try {
      while (nio.hasRemaining()) channel.write(nio);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (buf.hasArray()) {
      byte[] array = buf.array();
      int offset = buf.arrayOffset() + buf.readerIndex();
      md5.update(array, offset, buf.readableBytes());
      if (extra != null) extra.update(array, offset, buf.readableBytes());
    } else {
      byte[] bytes = b.getBytes();
      md5.update(bytes);
      if (extra != null) extra.update(bytes, 0, bytes.length);
    }
  }

  /** Completes once every buffer written so far is in the file and through the digests. */
  @Override
  public Future<Void> end() {
    if (ended == null) {
      ended = Promise.promise();
      if (failure != null) ended.fail(failure);
      else next();
    }
    return ended.future();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    this.maxQueuedBytes = maxSize;
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return queuedBytes >= maxQueuedBytes;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
