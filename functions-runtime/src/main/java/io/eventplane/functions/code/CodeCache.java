package io.eventplane.functions.code;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The unpacked deployment packages of this node, one directory per digest under
 * {@code <data>/functions/code}: what a worker gets as LAMBDA_TASK_ROOT. A package is unpacked
 * into a temporary directory and renamed into place, so a directory that exists is complete.
 * Blocking: call from a worker thread.
 */
public final class CodeCache {
  private final Path root;

  public CodeCache(Path root) {
    this.root = root;
  }

  /** The directory of the package with this digest, unpacked from {@code zip} if it is not here yet. */
  public Path directory(String sha256, Supplier<byte[]> zip) {
    Path dir = root.resolve(CodePackage.directoryName(sha256));
    if (Files.isDirectory(dir)) return dir;
    try {
      Files.createDirectories(root);
      Path tmp = Files.createTempDirectory(root, ".unpack-");
      byte[] bytes = zip.get();
      if (bytes == null) throw new IllegalStateException("the package " + sha256 + " is not in the store");
      unzip(bytes, tmp);
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        if (!Files.isDirectory(dir)) throw raced;
        delete(tmp);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes unpacked packages no function uses any more. */
  public void retainOnly(java.util.Set<String> sha256s) {
    if (!Files.isDirectory(root)) return;
    java.util.Set<String> keep = new java.util.HashSet<>();
    for (String s : sha256s) keep.add(CodePackage.directoryName(s));
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!keep.contains(d.getFileName().toString())) delete(d);
      }
    } catch (IOException e) {
      // best effort: an unused directory costs disk only
    }
  }

  private static void unzip(byte[] zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (!CodePackage.safe(e.getName())) throw new IOException("unsafe entry " + e.getName());
        Path target = into.resolve(e.getName()).normalize();
        if (!target.startsWith(into)) throw new IOException("unsafe entry " + e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        // The zip's Unix modes are not visible through java.util.zip: a custom runtime's entry point
        // and what sits in bin/ are made executable, as packaging tools on AWS make them.
        String name = e.getName();
        if (name.equals("bootstrap") || name.startsWith("bin/") || name.endsWith(".sh")) {
          target.toFile().setExecutable(true, false);
        }
      }
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
