package io.eventplane.logs.store;

import io.eventplane.logs.domain.LogEvent;
import io.eventplane.logs.domain.LogGroupInfo;
import io.eventplane.logs.domain.LogStreamInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The log groups and streams this node keeps, as files under its data directory:
 * {@code <root>/<account>/<region>/<group>/} holds a {@code .group} file (name and creation time) and one
 * {@code <stream>.log} per stream, whose first line is {@code # <creation millis> <name>} and each
 * further line one event ({@link EventLines}). Directory and file names are the URL-encoded names,
 * or a hash of them when that would be too long for a file name.
 *
 * <p>Writes go through {@link StreamWriter}s on one writer thread of the node; everything here
 * blocks and runs on worker threads. A reader sees the events whose line is complete.
 */
public final class LogFiles implements AutoCloseable, io.eventplane.common.logs.LogStreams {
  private static final String GROUP_FILE = ".group";
  /**
   * PutRetentionPolicy's days, shown by DescribeLogGroups: events older than that are no longer
   * read ({@link #events}) and are removed from the files by {@link #expire}.
   */
  private static final String RETENTION_FILE = ".retention";
  private static final String STREAM_SUFFIX = ".log";
  /** Beside a stream file while it is rewritten in place (retention): the new content, whole. */
  private static final String JOURNAL_SUFFIX = ".expiring";
  private static final int MAX_FILE_NAME = 200;

  private final Path root;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "eventplane-log-writer");
    t.setDaemon(true);
    return t;
  });

  private final java.util.function.LongSupplier now;

  public LogFiles(Path root) {
    this(root, System::currentTimeMillis);
  }

  /** @param now the time in epoch millis (retention is counted from it) */
  public LogFiles(Path root, java.util.function.LongSupplier now) {
    this.root = root;
    this.now = now;
  }

  /**
   * Moves log groups kept before log groups were regional ({@code <root>/<account>/<group>/}, told
   * apart by their {@code .group} file) into {@code region}. Runs when the node starts. Blocking.
   */
  public void migrate(String region) {
    if (!Files.isDirectory(root)) return;
    try (DirectoryStream<Path> accounts = Files.newDirectoryStream(root)) {
      for (Path account : accounts) {
        if (!Files.isDirectory(account)) continue;
        List<Path> legacy = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(account)) {
          for (Path child : children) if (Files.isRegularFile(child.resolve(GROUP_FILE))) legacy.add(child);
        }
        if (legacy.isEmpty()) continue;
        Path target = account.resolve(fileName(region));
        Files.createDirectories(target);
        for (Path group : legacy) Files.move(group, target.resolve(group.getFileName()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("moving log groups into region " + region + " failed", e);
    }
  }

  /** A writer appending to the stream (created, with its group, on its first event). Does not block. */
  @Override
  public StreamWriter open(String account, String region, String group, String stream) {
    return new StreamWriter(writer, groupDir(account, region, group), group, streamFile(account, region, group, stream),
        stream);
  }

  /**
   * Creates the group on this node (CreateLogGroup; its streams come with CreateLogStream or a
   * function's first event). False when this node has it already. Blocking.
   */
  public boolean createGroup(String account, String region, String group, long now) {
    Path dir = groupDir(account, region, group);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(GROUP_FILE), now + " " + group + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException exists) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sets (days) or removes (null) the group's retention on this node, if it has the group:
   * false when it does not. Blocking.
   */
  public boolean retention(String account, String region, String group, Integer days) {
    Path dir = groupDir(account, region, group);
    if (!Files.isRegularFile(dir.resolve(GROUP_FILE))) return false;
    try {
      if (days == null) {
        Files.deleteIfExists(dir.resolve(RETENTION_FILE));
      } else {
        Files.writeString(dir.resolve(RETENTION_FILE), days + "\n", StandardCharsets.UTF_8);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates an empty stream of a group this node has (CreateLogStream). False when it exists here. Blocking. */
  public boolean createStream(String account, String region, String group, String stream, long now) {
    Path file = streamFile(account, region, group, stream);
    try {
      Files.writeString(file, "# " + now + " " + stream.replace("\n", " ") + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException exists) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends events to a stream this node has (PutLogEvents), on the writer thread so that they
   * never interleave with a writer's lines. False when this node does not have the stream. Blocking.
   */
  public boolean append(String account, String region, String group, String stream, List<LogEvent> events) {
    Path file = streamFile(account, region, group, stream);
    if (!Files.isRegularFile(file)) return false;
    StringBuilder lines = new StringBuilder();
    for (LogEvent e : events) lines.append(EventLines.encode(e));
    try {
      return writer.submit(() -> {
        try {
          Files.writeString(file, lines, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
          return true;
        } catch (java.nio.file.NoSuchFileException deleted) {
          return false;
        }
      }).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while appending to " + file, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new UncheckedIOException(new IOException("appending to " + file + " failed", e.getCause()));
    }
  }

  /** Waits until everything handed to writers so far is written (for tests and shutdown). */
  public void flush() {
    try {
      writer.submit(() -> { }).get();
    } catch (Exception e) {
      throw new IllegalStateException("log writer failed", e);
    }
  }

  @Override
  public void close() {
    writer.shutdown();
  }

  public List<LogGroupInfo> groups(String account, String region) {
    Path dir = scopeDir(account, region);
    List<LogGroupInfo> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> groups = Files.newDirectoryStream(dir)) {
      for (Path g : groups) {
        readGroup(g).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparing(LogGroupInfo::name));
    return out;
  }

  /** The streams of the group on this node, or empty when this node does not have the group. */
  public Optional<List<LogStreamInfo>> streams(String account, String region, String group) {
    Path dir = groupDir(account, region, group);
    if (!Files.isRegularFile(dir.resolve(GROUP_FILE))) return Optional.empty();
    List<LogStreamInfo> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + STREAM_SUFFIX)) {
      for (Path f : files) {
        try {
          LogStreamInfo info = describe(f);
          if (info != null) out.add(info);
        } catch (NoSuchFileException deleted) {
          // deleted while listed
        }
      }
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(out);
  }

  /** Whether this node has the group. */
  public boolean hasGroup(String account, String region, String group) {
    return Files.isRegularFile(groupDir(account, region, group).resolve(GROUP_FILE));
  }

  /**
   * The events of the stream in the order they were written, without those older than the group's
   * retention, or empty when this node does not have it.
   */
  public Optional<List<LogEvent>> events(String account, String region, String group, String stream) {
    long cutoff = retentionCutoff(groupDir(account, region, group));
    return readEvents(streamFile(account, region, group, stream))
        .map(all -> cutoff == Long.MIN_VALUE ? all : all.stream().filter(e -> e.timestamp() >= cutoff).toList());
  }

  /** The events older than the group's retention: up to this timestamp (exclusive); MIN_VALUE without retention. */
  public long retentionCutoff(String account, String region, String group) {
    return retentionCutoff(groupDir(account, region, group));
  }

  private long retentionCutoff(Path groupDir) {
    Integer days = retentionDays(groupDir);
    return days == null ? Long.MIN_VALUE : now.getAsLong() - days * 86_400_000L;
  }

  private static Integer retentionDays(Path groupDir) {
    try {
      return Integer.valueOf(Files.readString(groupDir.resolve(RETENTION_FILE), StandardCharsets.UTF_8).strip());
    } catch (NoSuchFileException | NumberFormatException none) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Removes from this node's files the events older than their group's retention (of one group,
   * or of every group when {@code group} is null), as CloudWatch Logs deletes expired events; the
   * number removed. Each stream is rewritten on the writer thread, so no append interleaves (a
   * writer's file stays open in append mode and keeps appending at the new end), journaled so that
   * a crash in the middle loses nothing ({@link #rewriteInPlace}). Blocking.
   */
  public int expire(String account, String region, String group) {
    List<Path> groups = new ArrayList<>();
    if (group != null) {
      groups.add(groupDir(account, region, group));
    } else if (Files.isDirectory(root)) {
      try (Stream<Path> walk = Files.walk(root, 3)) {
        walk.filter(d -> Files.isRegularFile(d.resolve(RETENTION_FILE))).forEach(groups::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    int removed = 0;
    for (Path dir : groups) {
      long cutoff = retentionCutoff(dir);
      if (cutoff == Long.MIN_VALUE) continue;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + STREAM_SUFFIX)) {
        for (Path f : files) removed += expireStream(f, cutoff);
      } catch (NoSuchFileException gone) {
        // the group was deleted meanwhile
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return removed;
  }

  private int expireStream(Path file, long cutoff) {
    try {
      return writer.submit(() -> {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException deleted) {
          return 0;
        }
        StringBuilder kept = new StringBuilder();
        int removed = 0;
        int start = 0;
        boolean header = true;
        for (int i = 0; i < bytes.length; i++) {
          if (bytes[i] != '\n') continue;
          String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
          start = i + 1;
          LogEvent e = header ? null : EventLines.decode(line);
          header = false;
          if (e != null && e.timestamp() < cutoff) {
            removed++;
          } else {
            kept.append(line).append('\n');
          }
        }
        if (removed > 0) rewriteInPlace(file, kept);
        return removed;
      }).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while expiring events of " + file, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new UncheckedIOException(new IOException("expiring events of " + file + " failed", e.getCause()));
    }
  }

  /**
   * Replaces a stream file's content in place (not a new file renamed over it: a writer holding the
   * file open in append mode keeps appending after what is kept), with a journal so that a crash in
   * the middle loses nothing: the new content is first written whole beside the file
   * ({@code .expiring.tmp}) and renamed to {@code .expiring}; only then is the file truncated and
   * rewritten, and the journal deleted. {@link #finishRewrites} completes an interrupted one when
   * the node starts. Runs on the writer thread, so no append falls between the steps.
   */
  private static void rewriteInPlace(Path file, CharSequence content) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + JOURNAL_SUFFIX + ".tmp");
    Path journal = file.resolveSibling(file.getFileName() + JOURNAL_SUFFIX);
    Files.writeString(partial, content, StandardCharsets.UTF_8);
    Files.move(partial, journal, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(file, content, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
        java.nio.file.StandardOpenOption.WRITE);
    Files.delete(journal);
  }

  /**
   * Completes the stream rewrites a crash interrupted (see {@link #rewriteInPlace}): a whole
   * journal is copied over its stream file, a partial one dropped (the stream file is still
   * intact then). Runs when the node starts, before any writer. Blocking.
   */
  public void finishRewrites() {
    if (!Files.isDirectory(root)) return;
    List<Path> journals = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root, 4)) {
      walk.filter(f -> f.getFileName().toString().contains(STREAM_SUFFIX + JOURNAL_SUFFIX)).forEach(journals::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      for (Path j : journals) {
        String name = j.getFileName().toString();
        if (name.endsWith(JOURNAL_SUFFIX)) {
          Path file = j.resolveSibling(name.substring(0, name.length() - JOURNAL_SUFFIX.length()));
          Files.write(file, Files.readAllBytes(j));
        }
        Files.delete(j);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("completing interrupted log rewrites failed", e);
    }
  }

  private static Optional<List<LogEvent>> readEvents(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<LogEvent> out = new ArrayList<>();
    int start = 0;
    boolean header = true;
    // Only complete lines: a last line without its newline is being written (or was torn by a crash).
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') continue;
      String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      start = i + 1;
      if (header) {
        header = false;
        continue;
      }
      LogEvent e = EventLines.decode(line);
      if (e != null) out.add(e);
    }
    return Optional.of(out);
  }

  /** Deletes the group and its streams on this node; false when it had none. */
  public boolean deleteGroup(String account, String region, String group) {
    Path dir = groupDir(account, region, group);
    if (!Files.isDirectory(dir)) return false;
    deleteTree(dir);
    return true;
  }

  /** Deletes the stream on this node; false when it does not have it. */
  public boolean deleteStream(String account, String region, String group, String stream) {
    try {
      return Files.deleteIfExists(streamFile(account, region, group, stream));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How often {@link #deleteTree} walks again when writers keep adding files. */
  private static final int DELETE_ATTEMPTS = 20;

  /** Deletes every group of every account on this node. */
  public void clear() {
    if (Files.isDirectory(root)) {
      try (DirectoryStream<Path> accounts = Files.newDirectoryStream(root)) {
        for (Path a : accounts) deleteTree(a);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Log groups are named within an account and a region. */
  private Path scopeDir(String account, String region) {
    return root.resolve(fileName(account)).resolve(fileName(region));
  }

  private Path groupDir(String account, String region, String group) {
    return scopeDir(account, region).resolve(fileName(group));
  }

  private Path streamFile(String account, String region, String group, String stream) {
    return groupDir(account, region, group).resolve(fileName(stream) + STREAM_SUFFIX);
  }

  /** The URL-encoded name, or its SHA-256 when that is too long for a file name (the name is kept inside). */
  static String fileName(String name) {
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("*", "%2A");
    if (encoded.startsWith(".")) encoded = "%2E" + encoded.substring(1);
    if (encoded.length() <= MAX_FILE_NAME) return encoded;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<LogGroupInfo> readGroup(Path dir) throws IOException {
    Path marker = dir.resolve(GROUP_FILE);
    String content;
    try {
      content = Files.readString(marker, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    int space = content.indexOf(' ');
    if (space < 0) return Optional.empty();
    long created;
    try {
      created = Long.parseLong(content.substring(0, space));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    long bytes = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        try {
          if (f.getFileName().toString().endsWith(STREAM_SUFFIX)) bytes += Files.size(f);
        } catch (NoSuchFileException deleted) {
          // deleted while listed
        }
      }
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    }
    Integer retention = retentionDays(dir);
    return Optional.of(new LogGroupInfo(content.substring(space + 1), created, bytes, retention));
  }

  private static LogStreamInfo describe(Path file) throws IOException {
    String header;
    LogEvent first = null;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      header = in.readLine();
      String line = in.readLine();
      if (line != null) first = EventLines.decode(line);
    }
    if (header == null || !header.startsWith("# ")) return null;
    int space = header.indexOf(' ', 2);
    if (space < 0) return null;
    long created;
    try {
      created = Long.parseLong(header.substring(2, space));
    } catch (NumberFormatException e) {
      return null;
    }
    String name = header.substring(space + 1);
    if (first == null) return new LogStreamInfo(name, created, null, null, null);
    LogEvent last = lastEvent(file);
    if (last == null) last = first;
    return new LogStreamInfo(name, created, first.timestamp(), last.timestamp(), last.ingestionTime());
  }

  /** The last complete event of the file, read from its end. */
  private static LogEvent lastEvent(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long size = raf.length();
      for (int window = 65_536; ; window *= 4) {
        long start = Math.max(0, size - window);
        byte[] tail = new byte[(int) (size - start)];
        raf.seek(start);
        raf.readFully(tail);
        int end = tail.length;
        while (end > 0 && tail[end - 1] != '\n') end--; // a line being written
        if (end == 0) return null;
        int lineStart = end - 1;
        while (lineStart > 0 && tail[lineStart - 1] != '\n') lineStart--;
        if (lineStart > 0 || start == 0) {
          return EventLines.decode(new String(tail, lineStart, end - 1 - lineStart, StandardCharsets.UTF_8));
        }
      }
    }
  }

  /**
   * Deletes the directory and all below it while writers may still create files in it (a function's
   * log lines during a reset or a DeleteLogGroup): a file created behind the walk leaves its directory
   * not empty, so the walk is made again; files already gone are skipped.
   */
  private static void deleteTree(Path dir) {
    for (int attempt = 1; ; attempt++) {
      try {
        deleteTreeOnce(dir);
        return;
      } catch (DirectoryNotEmptyException | UncheckedIOException e) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        if (attempt == DELETE_ATTEMPTS) {
          throw e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e);
        }
      } catch (NoSuchFileException gone) {
        return;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void deleteTreeOnce(Path dir) throws IOException {
    Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs)
          throws IOException {
        Files.deleteIfExists(file);
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) return java.nio.file.FileVisitResult.CONTINUE;
        throw e;
      }

      @Override
      public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) throw e;
        Files.deleteIfExists(d);
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
  }

}
