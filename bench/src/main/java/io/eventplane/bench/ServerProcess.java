package io.eventplane.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One server under test running as a child process. It owns its temp dir (data, config) and
 * deletes it on {@link #close()}, which stops the process (SIGTERM, then SIGKILL after 15 s).
 */
final class ServerProcess implements AutoCloseable {

  final Target target;
  final int port;
  final Path log;
  private final Process process;
  private final Path workDir;
  private final long startNanos;

  private ServerProcess(Target target, int port, Path log, Process process, Path workDir,
                        long startNanos) {
    this.target = target;
    this.port = port;
    this.log = log;
    this.process = process;
    this.workDir = workDir;
    this.startNanos = startNanos;
  }

  /** @param serverArgs appended to an Eventplane target's command line (ignored by the others) */
  static ServerProcess start(Target target, Target.Layout layout, List<String> jvmOptions,
                             List<String> serverArgs, Path logDir) throws IOException {
    int port = freeLoopbackPort();
    Path workDir = Files.createTempDirectory("eventplane-bench-" + target.id + "-");
    List<String> command = new java.util.ArrayList<>(target.command(layout, port, workDir, jvmOptions));
    if (target.isEventplane()) command.addAll(serverArgs);
    Path log = logDir.resolve(target.id + "-" + port + ".log");
    Files.writeString(log, String.join(" ", command) + "\n");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long startNanos = System.nanoTime();
    return new ServerProcess(target, port, log, builder.start(), workDir, startNanos);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  long millisSinceStart() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Resident set size from /proc, in KiB; -1 where /proc isn't there. */
  long rssKib() {
    return StartupBench.rssKib(process.pid());
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, workDir);
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
