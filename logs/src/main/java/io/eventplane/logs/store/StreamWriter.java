package io.eventplane.logs.store;

import io.eventplane.logs.domain.LogEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Appends events to one log stream, in the order they are written, on the node's log writer
 * thread: callers (event loops among them) never wait for the disk. The group and the stream are
 * created with the first event. Each event is written with one write call and reaches the
 * operating system before the next is taken, so a kill -9 of the node loses at most the events
 * still queued.
 */
public final class StreamWriter implements io.eventplane.common.logs.LogStream {
  private static final System.Logger LOG = System.getLogger(StreamWriter.class.getName());

  private final ExecutorService writer;
  private final Path groupDir;
  private final String groupName;
  private final Path file;
  private final String streamName;
  private OutputStream out;
  private boolean failed;

  StreamWriter(ExecutorService writer, Path groupDir, String groupName, Path file, String streamName) {
    this.writer = writer;
    this.groupDir = groupDir;
    this.groupName = groupName;
    this.file = file;
    this.streamName = streamName;
  }

  @Override
  public String streamName() {
    return streamName;
  }

  @Override
  public void write(String message) {
    write(System.currentTimeMillis(), message);
  }

  @Override
  public void write(long timestamp, String message) {
    submit(() -> append(timestamp, message));
  }

  @Override
  public void close() {
    submit(() -> {
      try {
        if (out != null) out.close();
      } catch (IOException e) {
        // nothing more to write
      }
      out = null;
      failed = true;
    });
  }

  private void submit(Runnable task) {
    try {
      writer.execute(task);
    } catch (RejectedExecutionException e) {
      // the node is shutting down
    }
  }

  private void append(long timestamp, String message) {
    if (failed) return;
    long now = System.currentTimeMillis();
    try {
      if (out == null) out = create(now);
      out.write(EventLines.encode(new LogEvent(timestamp, now, message)).getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      failed = true;
      LOG.log(System.Logger.Level.WARNING, "cannot write the log stream " + file + ": " + e.getMessage());
    }
  }

  private OutputStream create(long now) throws IOException {
    Files.createDirectories(groupDir);
    Path marker = groupDir.resolve(".group");
    if (!Files.exists(marker)) {
      try {
        Files.writeString(marker, now + " " + groupName + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException raced) {
        // another stream of the group created it
      }
    }
    boolean isNew = !Files.exists(file);
    OutputStream stream;
    try {
      stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (NoSuchFileException groupDeleted) {
      Files.createDirectories(groupDir);
      stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    if (isNew) stream.write(("# " + now + " " + streamName.replace("\n", " ") + "\n").getBytes(StandardCharsets.UTF_8));
    return stream;
  }
}
