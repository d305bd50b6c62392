package io.eventplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up and idle memory of the packaged server ({@code server/target/eventplane.jar}):
 * wall time from the child process's start to the first {@code 200} for an SQS ListQueues, and
 * its resident set (VmRSS) {@code --idle-seconds} after start while nothing is asked of it.
 * Each data set is measured on an empty data dir and on a populated one (queues with messages and
 * S3 objects, built once by a server of the same jar and copied fresh for every run, so every run
 * starts from the same bytes). Every process started is stopped, every temp dir deleted.
 *
 * <p>Several variants (another jar, other JVM options) can be compared in the same run: each run
 * starts every variant on both data dirs in turn, so a busy phase of a shared machine hits all alike.
 *
 * <pre>
 * java -cp bench/target/eventplane-bench.jar io.eventplane.bench.StartupBench --root . \
 *   [--runs 5] [--idle-seconds 10] [--queues 1000] [--messages-per-queue 5] [--objects 1000] \
 *   [--variant "label|path/to/eventplane.jar|JVM options"]... [--populated-dir DIR]
 * </pre>
 * {@code --populated-dir} keeps the populated data dir there (made if missing, reused if present)
 * instead of making and deleting one per invocation.
 * Without {@code --variant}, the one measured is {@code <root>/server/target/eventplane.jar} with no options.
 */
public final class StartupBench {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final long START_DEADLINE_MILLIS = 60_000;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** What is started: a jar and the JVM options it gets. */
  record Variant(String label, Path jar, List<String> jvmOptions) {
    static Variant parse(String spec) {
      String[] parts = spec.split("\\|", 3);
      if (parts.length < 2) throw new IllegalArgumentException("--variant \"label|jar|JVM options\", not " + spec);
      String options = parts.length == 3 ? parts[2].trim() : "";
      return new Variant(parts[0], Path.of(parts[1]).toAbsolutePath().normalize(),
          options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+")));
    }
  }

  /** One measured start: first served request, and the idle RSS. */
  /**
   * One measured start: wall time to the first served request, the CPU time the server had used by
   * then (user + system, all its threads: less sensitive than wall time to other work on a shared
   * machine), and the idle RSS.
   */
  record Sample(long firstRequestMillis, long cpuMillisAtFirstRequest, long idleRssKib, String serverSaid) {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(".");
    int runs = 5;
    int idleSeconds = 10;
    int queues = 1000;
    int messagesPerQueue = 5;
    int objects = 1000;
    List<Variant> variants = new ArrayList<>();
    Path keptPopulated = null;
    for (int i = 0; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--root" -> root = Path.of(value);
        case "--runs" -> runs = Integer.parseInt(value);
        case "--idle-seconds" -> idleSeconds = Integer.parseInt(value);
        case "--queues" -> queues = Integer.parseInt(value);
        case "--messages-per-queue" -> messagesPerQueue = Integer.parseInt(value);
        case "--objects" -> objects = Integer.parseInt(value);
        case "--variant" -> variants.add(Variant.parse(value));
        case "--populated-dir" -> keptPopulated = Path.of(value).toAbsolutePath();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (variants.isEmpty()) {
      variants.add(new Variant("default", root.toAbsolutePath().normalize().resolve("server/target/eventplane.jar"), List.of()));
    }
    for (Variant v : variants) {
      if (!Files.exists(v.jar())) throw new IllegalStateException("missing " + v.jar() + ": build the server first");
    }
    StartupBench bench = new StartupBench();
    Path work = Files.createTempDirectory("eventplane-startup-bench-");
    try {
      Path empty = Files.createDirectories(work.resolve("empty"));
      Path populated = keptPopulated != null ? keptPopulated : work.resolve("populated");
      if (keptPopulated == null || !Files.isDirectory(keptPopulated)) {
        bench.populate(variants.get(0).jar(), populated, queues, messagesPerQueue, objects);
      }
      System.out.printf(Locale.ROOT, "populated data dir: %d queues x %d messages, %d S3 objects, %d MiB on disk%n",
          queues, messagesPerQueue, objects, sizeOf(populated) >> 20);
      Map<String, List<Sample>> samples = new LinkedHashMap<>();
      for (int run = 1; run <= runs; run++) {
        for (Variant v : variants) {
          for (Map.Entry<String, Path> data : Map.of("empty", empty, "populated", populated).entrySet().stream()
              .sorted(Map.Entry.comparingByKey()).toList()) {
            Sample sample = bench.measure(v, data.getValue(), work, idleSeconds);
            samples.computeIfAbsent(v.label() + " | " + data.getKey(), k -> new ArrayList<>()).add(sample);
            System.out.printf(Locale.ROOT, "run %d, %s, %s: %s%n", run, v.label(), data.getKey(), describe(sample));
          }
        }
      }
      System.out.println();
      System.out.println("| variant | data dir | first served request (median) | runs | server CPU by then (median)"
          + " | runs | idle RSS after " + idleSeconds + " s (median) | runs |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      samples.forEach((name, list) -> System.out.println(row(name, list)));
    } finally {
      TempDirs.delete(work);
    }
  }

  private static String describe(Sample s) {
    return String.format(Locale.ROOT, "%d ms (CPU %d ms), %.1f MiB (%s)", s.firstRequestMillis, s.cpuMillisAtFirstRequest,
        s.idleRssKib / 1024.0, s.serverSaid);
  }

  private static String row(String name, List<Sample> samples) {
    List<Long> millis = samples.stream().map(Sample::firstRequestMillis).toList();
    List<Long> cpu = samples.stream().map(Sample::cpuMillisAtFirstRequest).toList();
    List<Long> rss = samples.stream().map(Sample::idleRssKib).toList();
    return String.format(Locale.ROOT, "| %s | **%d ms** | %s | **%d ms** | %s | **%.1f MiB** | %s |", name, median(millis),
        String.join(", ", millis.stream().map(String::valueOf).toList()), median(cpu),
        String.join(", ", cpu.stream().map(String::valueOf).toList()), median(rss) / 1024.0,
        String.join(", ", rss.stream().map(k -> String.format(Locale.ROOT, "%.1f", k / 1024.0)).toList()));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** Starts the jar on a fresh copy of {@code template}, times the first ListQueues, waits idle, reads RSS. */
  private Sample measure(Variant variant, Path template, Path work, int idleSeconds) throws Exception {
    Path dataDir = Files.createTempDirectory(work, "run-");
    copyRecursively(template, dataDir);
    try (Child child = Child.start(variant.jar(), variant.jvmOptions(), dataDir, work)) {
      long firstMillis = child.awaitFirstRequest(http);
      long cpuMillis = cpuMillis(child.process.pid());
      long idleUntil = child.startNanos + TimeUnit.SECONDS.toNanos(idleSeconds);
      long wait = idleUntil - System.nanoTime();
      if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      if (!child.process.isAlive()) throw new IllegalStateException("server exited while idle:\n" + child.logTail());
      return new Sample(firstMillis, cpuMillis, rssKib(child.process.pid()), child.listeningLine());
    } finally {
      TempDirs.delete(dataDir);
    }
  }

  /** Builds the populated data dir with a server of the same jar, then stops it cleanly. */
  private void populate(Path jar, Path dataDir, int queues, int messagesPerQueue, int objects) throws Exception {
    Files.createDirectories(dataDir);
    try (Child child = Child.start(jar, List.of(), dataDir, dataDir.getParent())) {
      child.awaitFirstRequest(http);
      String url = "http://127.0.0.1:" + child.port;
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int q = 0; q < queues; q++) {
          String name = "startup-" + q;
          done.add(pool.submit(() -> {
            String body = sqs(url, "CreateQueue", "{\"QueueName\":\"" + name + "\"}");
            String queueUrl = body.replaceAll(".*\"QueueUrl\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            for (int m = 0; m < messagesPerQueue; m++) {
              sqs(url, "SendMessage", "{\"QueueUrl\":\"" + queueUrl + "\",\"MessageBody\":\"message " + m + " of " + name + "\"}");
            }
            return null;
          }));
        }
        put(url + "/startup-bucket", new byte[0]);
        byte[] object = new byte[4096];
        for (int o = 0; o < objects; o++) {
          String key = "objects/" + o;
          done.add(pool.submit(() -> {
            put(url + "/startup-bucket/" + key, object);
            return null;
          }));
        }
        for (Future<?> f : done) f.get();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private String sqs(String url, String action, String body) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/")).timeout(REQUEST_TIMEOUT)
        .header("X-Amz-Target", "AmazonSQS." + action).header("Content-Type", "application/x-amz-json-1.0")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(action + " answered " + r.statusCode() + " " + r.body());
    return r.body();
  }

  private void put(String url, byte[] body) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("PUT " + url + " answered " + r.statusCode() + " " + r.body());
  }

  /** The server as a child JVM with its output in a log file; closing stops it (TERM, then KILL). */
  static final class Child implements AutoCloseable {
    final Process process;
    final int port;
    final long startNanos;
    final Path log;

    private Child(Process process, int port, long startNanos, Path log) {
      this.process = process;
      this.port = port;
      this.startNanos = startNanos;
      this.log = log;
    }

    static Child start(Path jar, List<String> jvmOptions, Path dataDir, Path logDir) throws IOException {
      // A free port of our choosing rather than --port 0: the bench must know where to ask before the
      // server can say. The race with another process taking it in between shows up as a failed start.
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmOptions);
      cmd.addAll(List.of("-jar", jar.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--data-dir", dataDir.toString()));
      Path log = Files.createTempFile(logDir, "server-", ".log");
      long startNanos = System.nanoTime();
      Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
      return new Child(process, port, startNanos, log);
    }

    /** Polls ListQueues until it answers 200; the wall time since the process was started. */
    long awaitFirstRequest(HttpClient http) throws Exception {
      HttpRequest listQueues = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
          .timeout(REQUEST_TIMEOUT).header("X-Amz-Target", "AmazonSQS.ListQueues")
          .header("Content-Type", "application/x-amz-json-1.0").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
      while (true) {
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (!process.isAlive()) throw new IllegalStateException("server exited during start-up:\n" + logTail());
        if (elapsed > START_DEADLINE_MILLIS) throw new IllegalStateException("no answer in 60 s:\n" + logTail());
        try {
          HttpResponse<Void> r = http.send(listQueues, HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        } catch (ConnectException e) {
          // not listening yet
        } catch (IOException e) {
          // connection reset while the server comes up
        }
        Thread.sleep(5);
      }
    }

    /** The server's own "listening ... in N ms" claim, for comparison with what the bench saw. */
    String listeningLine() throws IOException {
      try (Stream<String> lines = Files.lines(log)) {
        return lines.filter(l -> l.contains("listening on")).map(l -> l.replaceAll(".* in (\\d+ ms).*", "server said $1"))
            .findFirst().orElse("server said nothing");
      }
    }

    String logTail() {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      }
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // inside the bench's temp dir, which is deleted at the end
      }
    }
  }

  static long rssKib(long pid) {
    try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
      return lines.filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
          .findFirst().orElse(-1);
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  /** User + system CPU time of a process from /proc/PID/stat (clock ticks of 10 ms); -1 where there is no /proc. */
  static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void copyRecursively(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
