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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The packaged server jar as a child process on 127.0.0.1, with its output in a log file.
 * {@link #kill()} sends SIGKILL (what {@link Process#destroyForcibly()} does on Linux): no shutdown
 * hook runs, nothing is flushed.
 *
 * <p>The server is started with {@code --port 0} and its port read back from its "listening" log
 * line: a port chosen here and handed over would be free only until someone else (another test
 * JVM, an outgoing connection's ephemeral port) takes it. A start that fails anyway (the process
 * exits, or is not healthy in time) is retried on a fresh process a few times, so a busy machine
 * costs time, not a red build. Every process started here is destroyed when the test JVM exits,
 * however it exits short of SIGKILL, so none is left behind.
 */
public final class ServerProcess implements AutoCloseable {
  /** How many times {@link #start} launches the server before it gives up. */
  public static final int START_ATTEMPTS = 3;
  private static final Pattern LISTENING = Pattern.compile("Eventplane listening on http://[^:]+:(\\d+) ");
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "server-process-reaper"));
  }

  private final Process process;
  private final Path log;
  /** Where this process's output starts in the log (a restart appends to the same file). */
  private final long logStart;
  private volatile int port;

  private ServerProcess(Process process, Path log, long logStart) {
    this.process = process;
    this.log = log;
    this.logStart = logStart;
  }

  /** Starts the jar on {@code dataDir} and waits until {@code GET /_eventplane/health} answers 200. */
  public static ServerProcess start(Path jar, Path dataDir, Path log, Duration timeout) throws Exception {
    return start(jar, dataDir, log, timeout, List.of());
  }

  /**
   * As {@link #start(Path, Path, Path, Duration)}, with more command-line options for the server;
   * {@code timeout} is per attempt.
   */
  public static ServerProcess start(Path jar, Path dataDir, Path log, Duration timeout, List<String> options) throws Exception {
    return start(jar, dataDir, log, timeout, List.of(), options);
  }

  /**
   * As {@link #start(Path, Path, Path, Duration, List)}, with options for the JVM too (system
   * properties such as {@code -Deventplane.events.replayPagePauseMillis=2000}).
   */
  public static ServerProcess start(Path jar, Path dataDir, Path log, Duration timeout, List<String> jvmOptions,
      List<String> options) throws Exception {
    for (int attempt = 1; ; attempt++) {
      ServerProcess server = launch(jar, dataDir, log, jvmOptions, options);
      try {
        server.awaitHealthy(timeout);
        return server;
      } catch (Exception | AssertionError e) {
        server.close();
        if (attempt == START_ATTEMPTS) throw e;
        System.err.println("server start " + attempt + " of " + START_ATTEMPTS + " failed, starting again: " + e.getMessage());
      }
    }
  }

  /**
   * Starts the jar without waiting for it (cluster nodes only turn healthy once their peers are
   * up): its port is known once {@link #awaitHealthy} has seen it listen.
   */
  public static ServerProcess launch(Path jar, Path dataDir, Path log, List<String> options) throws Exception {
    return launch(jar, dataDir, log, List.of(), options);
  }

  /** As {@link #launch(Path, Path, Path, List)}, with options for the JVM (before {@code -jar}). */
  public static ServerProcess launch(Path jar, Path dataDir, Path log, List<String> jvmOptions, List<String> options)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(),
        "--port", "0", "--bind", "127.0.0.1", "--data-dir", dataDir.toString(), "--durability", "fsync"));
    command.addAll(options);
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = pb.start();
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
    return new ServerProcess(process, log, logStart);
  }

  /** The processes started here that are still running. */
  public static Set<Long> livePids() {
    return LIVE.stream().filter(Process::isAlive).map(Process::pid).collect(java.util.stream.Collectors.toSet());
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits for the "listening" line, then for the health check; fails at once if the process exits. */
  public void awaitHealthy(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    try {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(IOException.class)
          .failFast("server process exited", () -> !process.isAlive())
          .until(() -> listening() && http.send(HttpRequest.newBuilder(endpoint().resolve("/_eventplane/health"))
              .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new AssertionError("server not healthy within " + timeout + " (" + e.getMessage() + "):\n" + logTail(), e);
    }
  }

  /** Whether the server has said which port it listens on (read from this process's part of the log). */
  public boolean listening() throws IOException {
    if (port != 0) return true;
    Matcher m = LISTENING.matcher(ownLog());
    if (m.find()) port = Integer.parseInt(m.group(1));
    return port != 0;
  }

  /** Whether the process is running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** This process's exit code, waiting up to {@code timeout} for it to exit; empty if it did not. */
  public java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
  }

  public URI endpoint() {
    if (port == 0) throw new IllegalStateException("process " + pid() + " has not reported its port yet");
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

  /** This process's output so far (not that of earlier processes on the same log). */
  public String ownLog() throws IOException {
    byte[] all = Files.readAllBytes(log);
    int from = (int) Math.min(logStart, all.length);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }

  public String logTail() {
    try {
      String text = ownLog();
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
