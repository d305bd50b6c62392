package io.eventplane.storage.blob;

import io.eventplane.common.blob.Blob;
import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Blobs as files: {@code <root>/<first two characters of the id>/<id>}, written as
 * {@code <root>/incoming/<id>} and renamed into place once complete and fsynced (the directory too),
 * so that a blob that exists is whole. Writes stream through Vert.x's asynchronous files (the
 * event loop never waits for the disk); digests are computed on the way.
 */
public final class BlobFiles implements BlobStore {
  private static final String INCOMING = "incoming";
  /**
   * How many bytes a body may have in flight to the disk before its socket is paused. Vert.x's
   * default (128 KiB) pauses the socket every few reads and waits for a worker thread's write to
   * come back, which capped PUTs at ~200 MB/s; a few MiB keeps the disk busy while the socket reads.
   */
  private static final int WRITE_QUEUE_BYTES = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final Path root;

  public BlobFiles(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root;
    try {
      Files.createDirectories(root.resolve(INCOMING));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the blob directory " + root, e);
    }
  }

  /** While nothing uploads (a reset): deletes every unreferenced blob and what uploads left in the incoming directory. */
  public static void sweep(Path root, Predicate<String> referenced) {
    clearIncoming(root);
    sweepUnreferenced(root, list(root), referenced, 0, () -> false);
  }

  /**
   * Deletes what uploads left half-written in the incoming directory. Only at start, before
   * anything uploads: an upload in progress writes there.
   */
  public static void clearIncoming(Path root) {
    Path incoming = root.resolve(INCOMING);
    if (!Files.isDirectory(incoming)) return;
    try (Stream<Path> files = Files.list(incoming)) {
      for (Path f : files.toList()) Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new UncheckedIOException("clearing " + incoming + " failed", e);
    }
  }

  /** The ids of the blob files there are now (not the incoming directory's). Blocking. */
  public static Set<String> list(Path root) {
    Set<String> ids = new java.util.HashSet<>();
    if (!Files.isDirectory(root)) return ids;
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.toList()) {
        if (!Files.isDirectory(dir) || dir.getFileName().toString().equals(INCOMING)) continue;
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.toList()) ids.add(f.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing blobs under " + root + " failed", e);
    }
    return ids;
  }

  /**
   * Deletes those of {@code candidates} (blob ids listed at the node's start, so never a blob this
   * run wrote) that nothing references and that were last modified at least {@code minAgeMillis}
   * ago; stops early once {@code stop} says so. Returns how many it deleted. Blocking: on a worker.
   */
  public static int sweepUnreferenced(Path root, Set<String> candidates, Predicate<String> referenced, long minAgeMillis,
      BooleanSupplier stop) {
    long cutoff = System.currentTimeMillis() - minAgeMillis;
    int deleted = 0;
    try {
      for (String id : candidates) {
        if (stop.getAsBoolean()) return deleted;
        if (referenced.test(id)) continue;
        Path f = root.resolve(id.substring(0, 2)).resolve(id);
        if ((minAgeMillis == 0 || (Files.exists(f) && Files.getLastModifiedTime(f).toMillis() < cutoff)) && Files.deleteIfExists(f)) {
          deleted++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("sweeping blobs under " + root + " failed", e);
    }
    return deleted;
  }

  Path path(String id) {
    if (id.length() < 3 || id.contains("/") || id.contains("..")) throw new IllegalArgumentException("not a blob id: " + id);
    return root.resolve(id.substring(0, 2)).resolve(id);
  }

  @Override
  public Future<Blob> write(ReadStream<Buffer> body, String checksum, long maxBytes) {
    String id = Ids.uuid().replace("-", "");
    Path incoming = root.resolve(INCOMING).resolve(id);
    MessageDigest md5 = Checksums.md5();
    Checksums.Running extra = checksum == null ? null : Checksums.start(checksum);
    long[] size = {0};
    body.pause();
    return vertx.fileSystem().open(incoming.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
        .compose(file -> {
          Promise<Void> piped = Promise.promise();
          EarlyFlush flush = new EarlyFlush(vertx, incoming);
          DigestingStream digesting = new DigestingStream(body, buffer -> {
            byte[] bytes = buffer.getBytes();
            flush.wrote(bytes.length);
            size[0] += bytes.length;
            if (size[0] > maxBytes) throw new TooLarge(maxBytes);
            md5.update(bytes);
            if (extra != null) extra.update(bytes, 0, bytes.length);
          });
          file.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
          digesting.pipeTo(file).onComplete(piped);
          return piped.future()
              .compose(v -> vertx.executeBlocking(() -> {
                try (FileChannel ch = FileChannel.open(incoming, StandardOpenOption.WRITE)) {
                  ch.force(true);
                }
                Path target = path(id);
                Files.createDirectories(target.getParent());
                Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(target.getParent());
                return new Blob(id, size[0], md5.digest(), checksum == null ? null : checksum, extra == null ? null : extra.value());
              }, false))
              .recover(e -> vertx.fileSystem().delete(incoming.toString()).transform(x -> Future.<Blob>failedFuture(e)));
        });
  }

  @Override
  public Future<Void> receive(String blobId, ReadStream<Buffer> body) {
    Path target = path(blobId);
    Path incoming = root.resolve(INCOMING).resolve(blobId + "." + Ids.uuid());
    body.pause();
    return vertx.fileSystem().open(incoming.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
        .compose(file -> {
          EarlyFlush flush = new EarlyFlush(vertx, incoming);
          return new DigestingStream(body, buffer -> flush.wrote(buffer.length())).pipeTo(file.setWriteQueueMaxSize(WRITE_QUEUE_BYTES));
        })
        .compose(v -> vertx.executeBlocking(() -> {
          try (FileChannel ch = FileChannel.open(incoming, StandardOpenOption.WRITE)) {
            ch.force(true);
          }
          Files.createDirectories(target.getParent());
          Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          syncDirectory(target.getParent());
          return (Void) null;
        }, false))
        .recover(e -> vertx.fileSystem().delete(incoming.toString()).transform(x -> Future.<Void>failedFuture(e)));
  }

  @Override
  public Future<AsyncFile> read(String blobId, long offset, long length) {
    return vertx.fileSystem().open(path(blobId).toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .map(file -> file.setReadPos(offset).setReadLength(length).setReadBufferSize(64 * 1024));
  }

  @Override
  public Future<String> copy(String sourceId) {
    String id = Ids.uuid().replace("-", "");
    return vertx.executeBlocking(() -> {
      Path target = path(id);
      Files.createDirectories(target.getParent());
      try {
        Files.createLink(target, path(sourceId));
      } catch (IOException | UnsupportedOperationException e) {
        // No hard links here (another file system): copy the bytes.
        Path incoming = root.resolve(INCOMING).resolve(id);
        Files.copy(path(sourceId), incoming);
        try (FileChannel ch = FileChannel.open(incoming, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
      }
      syncDirectory(target.getParent());
      return id;
    }, false);
  }

  @Override
  public Future<Void> delete(String blobId) {
    return vertx.executeBlocking(() -> {
      try {
        Files.deleteIfExists(path(blobId));
      } catch (NoSuchFileException gone) {
        // deleted already
      }
      return null;
    }, false);
  }

  /** The ids of every blob present (for tests and the start-up sweep). Blocking. */
  public Set<String> ids() {
    try (Stream<Path> dirs = Files.list(root)) {
      java.util.Set<String> out = new java.util.TreeSet<>();
      for (Path dir : dirs.toList()) {
        if (!Files.isDirectory(dir) || dir.getFileName().toString().equals(INCOMING)) continue;
        try (Stream<Path> files = Files.list(dir)) {
          files.forEach(f -> out.add(f.getFileName().toString()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
