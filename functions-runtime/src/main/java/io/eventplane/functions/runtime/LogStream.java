package io.eventplane.functions.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An instance's log stream, as CloudWatch Logs keeps one per instance: a file under
 * {@code <data>/functions/logs/<account>/<function>/}, written through Vert.x's asynchronous file
 * API so that no event loop waits on the disk. Lines written before the file is open are queued.
 */
final class LogStream {
  private static final System.Logger LOG = System.getLogger(LogStream.class.getName());

  private final Path path;
  private AsyncFile file;
  private List<String> pending = new ArrayList<>();
  private boolean closed;

  LogStream(Vertx vertx, Path path) {
    this.path = path;
    vertx.fileSystem().mkdirs(path.getParent().toString())
        .compose(v -> vertx.fileSystem().open(path.toString(), new OpenOptions().setCreate(true).setAppend(true)))
        .onSuccess(f -> {
          file = f;
          for (String line : pending) f.write(Buffer.buffer(line + "\n"));
          pending = null;
          if (closed) f.close();
        })
        .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "cannot write the log stream " + path + ": " + e.getMessage()));
  }

  Path path() {
    return path;
  }

  void write(String line) {
    if (file != null) {
      if (!closed) file.write(Buffer.buffer(line + "\n"));
    } else if (pending != null && pending.size() < 10_000) {
      pending.add(line);
    }
  }

  void close() {
    if (closed) return;
    closed = true;
    if (file != null) file.close();
  }
}
