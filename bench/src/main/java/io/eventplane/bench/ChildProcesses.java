package io.eventplane.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Stopping a server a benchmark started as a child process. */
final class ChildProcesses {
  private ChildProcesses() {}

  /** SIGTERM, SIGKILL after 15 s; then removes the server's temp dir. */
  static void stop(Process process, Path workDir) {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      TempDirs.delete(workDir);
    }
  }
}
