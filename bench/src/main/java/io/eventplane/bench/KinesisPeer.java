package io.eventplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One server the Kinesis benchmark drives, as a child process on free loopback ports with its own
 * temp dir, stopped by {@link #close()} (SIGTERM, SIGKILL after 15 s) and, should the bench JVM be
 * interrupted or fail, by a shutdown hook: Eventplane (its jar, one node, fsync), kinesalite or
 * kinesis-mock (npm {@code kinesis-local}, its Scala.js build), the two under Node with
 * {@code bench/kinesis/listen-loopback.cjs} preloaded so that they bind 127.0.0.1 only, or moto
 * (the firehose case's peer) bound to 127.0.0.1 by its own option.
 */
final class KinesisPeer implements AutoCloseable {
  static final String KINESALITE = "kinesalite";
  static final String KINESIS_MOCK = "kinesis-mock";
  static final String EVENTPLANE = "eventplane";
  static final String MOTO = "moto";

  final String name;
  /** What runs, for the report: a version and how it stores records. */
  final String describe;
  final int port;
  final Path log;
  private final Process process;
  private final Path workDir;

  private KinesisPeer(String name, String describe, int port, Path log, Process process, Path workDir) {
    this.name = name;
    this.describe = describe;
    this.port = port;
    this.log = log;
    this.process = process;
    this.workDir = workDir;
  }

  /** {@code java [jvm] -jar server/target/eventplane.jar --port P --bind 127.0.0.1 --data-dir D --durability fsync [args]}. */
  static KinesisPeer eventplane(Path root, List<String> jvm, List<String> args, Path logDir) throws IOException {
    int port = LocalPorts.free(new HashSet<>(), false);
    Path work = Files.createTempDirectory("eventplane-kinesis-bench-eventplane-");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-jar", root.resolve("server/target/eventplane.jar").toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--data-dir", Files.createDirectories(work.resolve("data")).toString(),
        "--durability", "fsync"));
    cmd.addAll(args);
    String git = ClusterBench.run("git", "-C", root.toString(), "rev-parse", "--short", "HEAD").trim();
    return start(EVENTPLANE, "git " + git + ", one node, RocksDB with fsync" + (args.isEmpty() ? "" : ", " + String.join(" ", args)),
        port, cmd, Map.of(), work, work, logDir);
  }

  /**
   * kinesalite's own CLI on a free port, in memory (its default; {@code --path} would put it on
   * LevelDB without fsync); streams are ACTIVE 50 ms after CreateStream instead of 500.
   */
  static KinesisPeer kinesalite(String node, Path peers, Path root, Path logDir) throws IOException {
    Path pkg = peers.resolve("kinesalite-3.3.3/node_modules/kinesalite");
    int port = LocalPorts.free(new HashSet<>(), false);
    Path work = Files.createTempDirectory("eventplane-kinesis-bench-kinesalite-");
    List<String> cmd = List.of(node, "--require", loopback(root), pkg.resolve("cli.js").toString(), "--port",
        Integer.toString(port), "--createStreamMs", "50", "--deleteStreamMs", "50", "--updateStreamMs", "50",
        "--shardLimit", "100");
    return start(KINESALITE, "kinesalite " + packageVersion(pkg) + ", in memory, Node " + nodeVersion(node), port, cmd,
        Map.of(), work, work, logDir);
  }

  /**
   * kinesis-local's main.js on a free plain-HTTP port (and a free TLS port nobody uses), in memory
   * (its default), logging at WARN (at its default INFO it logs every request); it reads its TLS
   * certificate from {@code server.json} relative to the working directory, so it runs in its
   * package directory.
   */
  static KinesisPeer kinesisMock(String node, Path peers, Path root, Path logDir) throws IOException {
    Path pkg = peers.resolve("kinesis-local-0.6.2/node_modules/kinesis-local");
    Set<Integer> taken = new HashSet<>();
    int port = LocalPorts.free(taken, false);
    int tls = LocalPorts.free(taken, false);
    Path work = Files.createTempDirectory("eventplane-kinesis-bench-kinesis-mock-");
    List<String> cmd = List.of(node, "--require", loopback(root), pkg.resolve("main.js").toString());
    Map<String, String> env = Map.of("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port), "KINESIS_MOCK_TLS_PORT",
        Integer.toString(tls), "CREATE_STREAM_DURATION", "50ms", "DELETE_STREAM_DURATION", "50ms", "LOG_LEVEL", "WARN",
        "SHOULD_PERSIST_DATA", "false", "PERSIST_PATH", work.resolve("data").toString());
    return start(KINESIS_MOCK, "kinesis-local " + packageVersion(pkg) + " (kinesis-mock, Scala.js), in memory, Node "
        + nodeVersion(node), port, cmd, env, pkg, work, logDir);
  }

  /**
   * moto's server ({@code python3 -m moto.server -H 127.0.0.1 -p P}, every service in one process),
   * in memory; its Firehose writes each PutRecord(Batch) to its own S3 at once, unbuffered.
   */
  static KinesisPeer moto(String python, Path logDir) throws IOException {
    int port = LocalPorts.free(new HashSet<>(), false);
    Path work = Files.createTempDirectory("eventplane-kinesis-bench-moto-");
    String version = ClusterBench.run(python, "-c", "import moto; print(moto.__version__)").trim();
    List<String> cmd = List.of(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port));
    return start(MOTO, "moto " + version + ", in memory, Firehose unbuffered (each put written to S3 at once), "
        + ClusterBench.run(python, "--version").trim(), port, cmd, Map.of(), work, work, logDir);
  }

  private static String loopback(Path root) {
    return root.resolve("bench/kinesis/listen-loopback.cjs").toString();
  }

  private static KinesisPeer start(String name, String describe, int port, List<String> cmd, Map<String, String> env,
      Path dir, Path work, Path logDir) throws IOException {
    Path log = logDir.resolve(name + "-" + port + ".log");
    Files.writeString(log, env + " " + String.join(" ", cmd) + "\n");
    ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    b.environment().putAll(env);
    Process p = b.start();
    KinesisPeer peer = new KinesisPeer(name, describe, port, log, p, work);
    Runtime.getRuntime().addShutdownHook(new Thread(peer::kill));
    return peer;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * Fails unless every socket this process listens on is bound to 127.0.0.1 (or ::1): a peer that
   * ignored the loopback wrapper must not stay reachable from the network, so the run stops.
   */
  void requireLoopbackOnly() {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
        } catch (IOException ignored) {
          // an fd closed while listing
        }
      });
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException(name + ": cannot list its sockets in /proc: " + e.getMessage(), e);
    }
    List<String> open = new ArrayList<>();
    int listening = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException e) {
        continue;
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !f[3].equals("0A") || !inodes.contains(f[9])) continue;
        listening++;
        String address = f[1].substring(0, f[1].indexOf(':'));
        boolean loopback = address.equals("0100007F") || address.equals("00000000000000000000000001000000")
            || address.equals("0000000000000000FFFF00000100007F");
        if (!loopback) open.add(table + " " + f[1]);
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalStateException(name + " listens beyond loopback (" + String.join(", ", open) + "); stopping");
    }
    if (listening == 0) throw new IllegalStateException(name + ": no listening socket found in /proc/net/tcp*");
  }

  /** Resident set size in KiB; -1 where /proc isn't there. */
  long rssKib() {
    return StartupBench.rssKib(process.pid());
  }

  private static String packageVersion(Path pkg) {
    try {
      String json = Files.readString(pkg.resolve("package.json"));
      var m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
      return m.find() ? m.group(1) : "?";
    } catch (IOException e) {
      throw new IllegalStateException("not installed: " + pkg + " (bench/run-kinesis-bench.sh installs it)", e);
    }
  }

  private static String nodeVersion(String node) {
    return ClusterBench.run(node, "--version").trim();
  }

  /** On an interrupted or failed run (the JVM's shutdown): SIGKILL, then the temp dir. */
  private void kill() {
    try {
      if (process.isAlive()) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      TempDirs.delete(workDir);
    }
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, workDir);
  }
}
