package io.eventplane.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Server CPU per acknowledged SendMessage, one node against three: the cost of forwarding and
 * replication in CPU, which throughput on a shared 2-core machine cannot show. Starts the given jar
 * as 1 node (standalone) or 3 nodes (replication factor 2), creates three queues through node 0,
 * sends {@code --warmup} then {@code --sends} messages through node 0 round-robin over the queues
 * with {@code --clients} closed-loop clients, and divides the utime + stime of every server process
 * over the measured sends (from /proc/PID/stat) by the number of acknowledged sends.
 *
 * <pre>java -cp bench/target/eventplane-bench.jar io.eventplane.bench.ClusterCpuBench \
 *     --jar server/target/eventplane.jar --nodes 3 [--warmup 40000] [--sends 20000] [--clients 8]
 *     [--rate 1500] [--jvm-opts "-Xmx512m ..."] [--jfr DIR]</pre>
 *
 * {@code --rate R} paces the sends at R per second (still at most {@code --clients} in flight), so
 * one node and three can be compared doing the same work per second: closed loop, one node runs
 * several times faster than three, and a busier node shares each fsync and each wake-up among more
 * sends, which lowers its CPU per send for reasons that have nothing to do with replication.
 *
 * Prints one line: nodes, sends, server CPU seconds, microseconds per send, sends per second; then
 * the same CPU per send by thread group ({@link ThreadCpu}), all nodes together and per node.
 * {@code --jfr DIR} records each node's measured window with JFR ({@code settings=profile},
 * started with jcmd after the warm-up, so the recording holds only the measured sends) into
 * {@code DIR/n<i>.jfr}.
 * Every process it starts it stops; the data directories are temp dirs, removed at the end.
 */
public final class ClusterCpuBench {
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
  private static final String BODY = "x".repeat(256);

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    Path jar = Path.of(o.getOrDefault("jar", "server/target/eventplane.jar")).toAbsolutePath();
    int nodes = Integer.parseInt(o.getOrDefault("nodes", "3"));
    // Long: a node of three sees a third of the traffic or less, so its JIT settles later; with 8,000
    // warm-up sends the compiler threads were most of the measured CPU (docs/benchmarks.md, issue 12).
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "40000"));
    int sends = Integer.parseInt(o.getOrDefault("sends", "20000"));
    int clients = Integer.parseInt(o.getOrDefault("clients", "8"));
    double rate = Double.parseDouble(o.getOrDefault("rate", "0"));
    String jvmOpts = o.getOrDefault("jvm-opts", "").trim();
    Path jfr = o.containsKey("jfr") ? Files.createDirectories(Path.of(o.get("jfr")).toAbsolutePath()) : null;

    Path dir = Files.createTempDirectory("eventplane-cpu-bench-");
    List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
    // A SIGTERM or Ctrl-C skips the finally below: the nodes must not outlive the bench.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
    Vertx vertx = Vertx.vertx();
    try {
      Set<Integer> taken = new HashSet<>();
      List<Integer> http = new ArrayList<>();
      List<Integer> cluster = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        http.add(LocalPorts.free(taken, true));
        cluster.add(LocalPorts.free(taken, true));
      }
      String members = cluster.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
      for (int i = 0; i < nodes; i++) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (!jvmOpts.isEmpty()) cmd.addAll(List.of(jvmOpts.split("\\s+")));
        cmd.addAll(List.of("-jar", jar.toString(), "--port", http.get(i).toString(), "--bind", "127.0.0.1",
            "--data-dir", Files.createDirectories(dir.resolve("n" + i)).toString(), "--durability", "fsync"));
        if (nodes > 1) {
          cmd.addAll(List.of("--auth", "off", "--cluster", "--node-id", "n" + i, "--cluster-host", "127.0.0.1",
              "--cluster-port", cluster.get(i).toString(), "--cluster-members", members, "--replication-factor", "2"));
        }
        processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(dir.resolve("n" + i + ".log").toFile()).start());
      }
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(clients));
      SqsCalls calls = new SqsCalls(client, http.get(0));
      for (int i = 0; i < nodes; i++) awaitHealthy(new SqsCalls(client, http.get(i)), processes.get(i), dir.resolve("n" + i + ".log"));
      List<String> queues = new ArrayList<>();
      for (int q = 0; q < 3; q++) queues.add(calls.createQueue("cpu-bench-" + q).await(30, TimeUnit.SECONDS));

      run(vertx, calls, queues, warmup, clients, rate);
      List<ThreadCpu> threads = new ArrayList<>();
      for (int i = 0; i < nodes; i++) threads.add(new ThreadCpu(processes.get(i).pid(), dir.resolve("n" + i + ".log")));
      if (jfr != null) {
        for (Process p : processes) jcmd(p, "JFR.start", "name=cpu", "settings=profile");
      }
      // For an outside profiler (perf record -p ...): when the measured sends start, and in which processes.
      System.err.println("measuring " + sends + " sends; server pids "
          + processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(",")));
      List<ThreadCpu.Sample> threadsBefore = threads.stream().map(ThreadCpu::sample).toList();
      long before = ticks(processes);
      long start = System.nanoTime();
      long acked = run(vertx, calls, queues, sends, clients, rate);
      long nanos = System.nanoTime() - start;
      double seconds = nanos / 1e9;
      double cpu = (ticks(processes) - before) / (double) TICKS_PER_SECOND;
      List<ThreadCpu.Sample> threadsAfter = threads.stream().map(ThreadCpu::sample).toList();
      if (jfr != null) {
        for (int i = 0; i < nodes; i++) {
          jcmd(processes.get(i), "JFR.stop", "name=cpu", "filename=" + jfr.resolve("n" + i + ".jfr"));
        }
      }
      System.out.printf(Locale.ROOT, "nodes=%d sends=%d acked=%d serverCpu=%.2fs cpuPerSend=%.1fus rate=%.0f/s%s%n",
          nodes, sends, acked, cpu, cpu * 1e6 / acked, acked / seconds, rate > 0 ? " (paced at " + (long) rate + "/s)" : "");
      printByGroup(threads, threadsBefore, threadsAfter, nanos, acked);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      for (Process p : processes) p.destroy();
      for (Process p : processes) {
        if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * {@code total} sends by {@code clients} clients, closed loop or, with a rate, the n-th send not
   * before n / rate seconds after the start; returns how many were acknowledged.
   */
  private static long run(Vertx vertx, SqsCalls calls, List<String> queues, int total, int clients, double rate)
      throws Exception {
    Pacing pacing = new Pacing(vertx, calls, queues, total, rate, System.nanoTime(), new AtomicLong(), new AtomicLong());
    List<Future<Void>> done = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Promise<Void> p = Promise.promise();
      done.add(p.future());
      pacing.next(p);
    }
    Future.all(done).await(10, TimeUnit.MINUTES);
    return pacing.acked().get();
  }

  private record Pacing(Vertx vertx, SqsCalls calls, List<String> queues, int total, double rate, long startNanos,
      AtomicLong started, AtomicLong acked) {
    void next(Promise<Void> done) {
      long n = started.getAndIncrement();
      if (n >= total) {
        done.complete();
        return;
      }
      long waitMillis = rate <= 0 ? 0 : (startNanos + (long) (n * 1e9 / rate) - System.nanoTime()) / 1_000_000;
      if (waitMillis >= 1) vertx.setTimer(waitMillis, t -> send(n, done));
      else send(n, done);
    }

    private void send(long n, Promise<Void> done) {
      Buffer body = SqsCalls.sendBody(queues.get((int) (n % queues.size())), BODY);
      calls.call("SendMessage", body).onComplete(ar -> {
        if (ar.succeeded()) acked.incrementAndGet();
        next(done);
      });
    }
  }

  private static void awaitHealthy(SqsCalls calls, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("node exited:\n" + Files.readString(log));
      try {
        if (calls.get("/_eventplane/health").await(1, TimeUnit.SECONDS) == 200) return;
      } catch (Exception notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("node not healthy after 120 s:\n" + Files.readString(log));
  }

  /** µs of server CPU per acknowledged send by thread group: all nodes, then each node, then each node's busiest threads. */
  private static void printByGroup(List<ThreadCpu> threads, List<ThreadCpu.Sample> before, List<ThreadCpu.Sample> after,
      long nanos, long acked) {
    double usPerCoreSecond = nanos / 1e3 / Math.max(1, acked); // cores over the window -> µs per send
    List<ThreadCpu.Breakdown> nodes = new ArrayList<>();
    for (int i = 0; i < threads.size(); i++) nodes.add(threads.get(i).between(before.get(i), after.get(i), nanos));
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-22s %8s", "µs/send by group", "all"));
    for (int i = 0; i < nodes.size(); i++) header.append(String.format(Locale.ROOT, " %8s", "n" + i));
    System.out.println(header);
    for (String g : ThreadCpu.GROUPS) {
      double all = nodes.stream().mapToDouble(b -> b.group(g)).sum();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s %8.1f", g, all * usPerCoreSecond));
      for (ThreadCpu.Breakdown b : nodes) line.append(String.format(Locale.ROOT, " %8.1f", b.group(g) * usPerCoreSecond));
      System.out.println(line);
    }
    double jit = nodes.stream().mapToDouble(b -> b.group(ThreadCpu.JIT)).sum() * usPerCoreSecond;
    double all = nodes.stream().mapToDouble(b -> b.groups().values().stream().mapToDouble(Double::doubleValue).sum()).sum()
        * usPerCoreSecond;
    System.out.printf(Locale.ROOT, "without the JIT compiler threads: %.1f µs/send%n", all - jit);
    for (int i = 0; i < nodes.size(); i++) {
      System.out.println("n" + i + " busiest threads, µs/send: " + nodes.get(i).threads().entrySet().stream().limit(10)
          .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() * usPerCoreSecond))
          .collect(Collectors.joining("; ")));
    }
  }

  private static void jcmd(Process p, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(p.pid())));
    cmd.addAll(List.of(command));
    Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(j.getInputStream().readAllBytes());
    if (!j.waitFor(60, TimeUnit.SECONDS) || j.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  /** utime + stime of all the processes, in clock ticks. */
  private static long ticks(List<Process> processes) throws IOException {
    long sum = 0;
    for (Process p : processes) {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    return sum;
  }

  private ClusterCpuBench() {}
}
