package io.eventplane.common.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.ZipEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Loads RocksDB's native library from a per-user cache instead of a fresh temp copy.
 *
 * <p>Left to itself, RocksJava inflates its 17 MB library out of the jar into {@code /tmp} at every
 * start (a tenth of a second of CPU and 17 MB written before the store can open) and only
 * deletes the copy at a clean exit, so every {@code kill -9} leaves one behind. Here the library is
 * unpacked once into {@code $XDG_CACHE_HOME/eventplane} (else {@code ~/.cache/eventplane}), in a
 * directory named after the jar entry's CRC and size, so a different RocksDB version gets its own
 * copy and a half-written one is never loaded (it is renamed into place whole). The cache
 * directory is created private to the user; if it cannot be used, RocksJava's own loading runs.
 */
final class RocksLibrary {
  private static final Logger LOG = Logger.getLogger(RocksLibrary.class.getName());

  private RocksLibrary() {}

  static void load() {
    Path dir = null;
    try {
      dir = cachedCopy();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "RocksDB library cache not usable; unpacking to a temp file", e);
    }
    if (dir != null) {
      try {
        RocksDB.loadLibrary(List.of(dir.toString()));
        return;
      } catch (UnsatisfiedLinkError e) {
        LOG.log(Level.FINE, "cached RocksDB library did not load; unpacking to a temp file", e);
      }
    }
    RocksDB.loadLibrary();
  }

  /** The cache directory holding this jar's library under RocksJava's file name, unpacked if needed; null if none. */
  private static Path cachedCopy() throws IOException {
    // The jar holds librocksdbjni-linux64.so; RocksDB.loadLibrary(paths) asks each path for the file
    // name Environment makes of "rocksdbjni" (librocksdbjnijni-linux64.so in 11.x): store it under that.
    URL resource = RocksDB.class.getClassLoader().getResource(Environment.getJniLibraryFileName("rocksdb"));
    String name = Environment.getJniLibraryFileName("rocksdbjni");
    if (resource == null) return null;
    URLConnection connection = resource.openConnection();
    if (!(connection instanceof JarURLConnection jar)) return null;
    connection.setUseCaches(false);
    ZipEntry entry = jar.getJarEntry();
    if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) return null;
    Path root = cacheRoot();
    if (root == null) return null;
    Path dir = root.resolve("rocksdbjni-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize());
    Path library = dir.resolve(name);
    if (Files.isRegularFile(library) && Files.size(library) == entry.getSize()) return dir;
    Files.createDirectories(dir);
    Path partial = Files.createTempFile(dir, "library", ".partial");
    try (InputStream in = jar.getInputStream()) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    return dir;
  }

  /** {@code <cache>/eventplane}, created private to this user; null without a usable home. */
  private static Path cacheRoot() throws IOException {
    String xdg = System.getenv("XDG_CACHE_HOME");
    String home = System.getProperty("user.home");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : home != null && !home.isBlank() && !home.equals("?") ? Path.of(home, ".cache") : null;
    if (base == null) return null;
    Path root = base.resolve("eventplane");
    if (!Files.isDirectory(root)) {
      Files.createDirectories(base);
      try {
        Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException e) {
        Files.createDirectories(root);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another node on this machine made it first
      }
    }
    return Files.isWritable(root) ? root : null;
  }
}
