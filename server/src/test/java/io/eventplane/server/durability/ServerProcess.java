package io.eventplane.server.durability;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The packaged server jar as a child process on a free port of 127.0.0.1, with its output in a
 * log file. {@link #kill()} sends SIGKILL (what {@link Process#destroyForcibly()} does on Linux):
 * no shutdown hook runs, nothing is flushed.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the jar on {@code dataDir} and waits until {@code GET /_eventplane/health} answers 200. */
  public static ServerProcess start(Path jar, Path dataDir, Path log, Duration timeout) throws Exception {
    return start(jar, dataDir, log, timeout, List.of());
  }

  /** As {@link #start(Path, Path, Path, Duration)}, with more command-line options for the server. */
  public static ServerProcess start(Path jar, Path dataDir, Path log, Duration timeout, List<String> options) throws Exception {
    ServerProcess server = launch(jar, dataDir, log, options);
    try {
      server.awaitHealthy(timeout);
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Starts the jar without waiting for it: cluster nodes only turn healthy once their peers are up. */
  public static ServerProcess launch(Path jar, Path dataDir, Path log, List<String> options) throws Exception {
    int port = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--data-dir", dataDir.toString(), "--durability", "fsync"));
    command.addAll(options);
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ServerProcess(pb.start(), port, log);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public void awaitHealthy(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(endpoint().resolve("/_eventplane/health"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    try {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(IOException.class)
          .failFast("server process exited", () -> !process.isAlive())
          .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new AssertionError("server not healthy within " + timeout + " (" + e.getMessage() + "):\n" + logTail(), e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL, then waits for the process to be gone; returns its exit code (137 on Linux). */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("process " + pid() + " survived SIGKILL");
    return process.exitValue();
  }

  /** Sends a signal by name (STOP, CONT) to the process. */
  public void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
    if (kill.waitFor() != 0) throw new AssertionError("kill -" + name + " " + pid() + " failed");
  }

  public String logTail() {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
