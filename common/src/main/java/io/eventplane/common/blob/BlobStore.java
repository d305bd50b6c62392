package io.eventplane.common.blob;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.ReadStream;

/**
 * Object bodies on this node's disk, provided by the storage service to the gateway in-process:
 * bodies are streamed from the socket into a blob and from a blob to the socket, never held whole
 * in memory and never sent over the event bus.
 *
 * <p>A blob is written to a temporary file, its digests computed while it streams, fsynced and
 * renamed into place before {@link #write} completes; it belongs to nobody until an object's
 * metadata that names it is committed. Blobs that no committed metadata names (a crash between
 * the two) are deleted when the node starts.
 */
public interface BlobStore {
  /**
   * Streams {@code body} into a new blob. The stream is paused and resumed as the disk keeps up
   * (back-pressure), so a body of any size takes a bounded amount of memory.
   *
   * @param checksum the additional checksum to compute ({@code CRC32}, {@code CRC32C}, {@code CRC64NVME},
   *     {@code SHA1}, {@code SHA256}), or null; MD5 is always computed
   * @param maxBytes the most the body may hold: more fails the write with {@link TooLarge}
   */
  Future<Blob> write(ReadStream<Buffer> body, String checksum, long maxBytes);

  /**
   * Streams a copy of another node's blob in under the same id (replication): complete and fsynced
   * when the future completes; an existing blob of that id is replaced.
   */
  Future<Void> receive(String blobId, ReadStream<Buffer> body);

  /**
   * The bytes {@code [offset, offset + length)} of a blob, as a file to pipe to a response. The
   * caller closes it when the pipe is done, whichever way it ended (a file left open is a
   * descriptor lost).
   */
  Future<AsyncFile> read(String blobId, long offset, long length);

  /** A new blob with the same bytes (a hard link where the file system has them); completes with its id. */
  Future<String> copy(String blobId);

  /** Deletes a blob; a missing one is no error. */
  Future<Void> delete(String blobId);

  /** The body was longer than the caller allowed. */
  final class TooLarge extends RuntimeException {
    public TooLarge(long max) {
      super("the body is longer than " + max + " bytes", null, false, false);
    }
  }
}
