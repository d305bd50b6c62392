package io.eventplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an idle cluster costs: starts three nodes of the packaged server on 127.0.0.1 (ephemeral
 * ports, replication factor 2, no client traffic at all), waits until every node is healthy and
 * then lets them settle, then reads each process's CPU time (utime + stime from /proc/PID/stat)
 * at both ends of a window and prints the cores each node used, and all together. It also prints
 * each node's busiest threads over the window (from /proc/PID/task/TID/stat; the JVM names its
 * native threads; /proc cuts names at 15 characters, so the full names are taken from
 * {@code jcmd PID Thread.print} after the window where the JDK has jcmd), which is how one finds
 * what an idle node still does.
 *
 * <pre>bench/run-idle-bench.sh [--settle 30] [--measure 60] [--runs 3] [--nodes 3] [--top 8] [--jar server/target/eventplane.jar]</pre>
 *
 * <p>Every node is stopped (SIGTERM, then SIGKILL) and the temp dir removed at the end, also when
 * a node fails to start.
 */
public final class IdleClusterBench {
  /** Linux's USER_HZ: /proc reports CPU times in these ticks on every mainstream kernel build. */
  private static final double TICKS_PER_SECOND = 100;

  private IdleClusterBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    Path root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath();
    Path jar = o.containsKey("jar") ? Path.of(o.get("jar")) : root.resolve("server/target/eventplane.jar");
    int settle = Integer.parseInt(o.getOrDefault("settle", "30"));
    int measure = Integer.parseInt(o.getOrDefault("measure", "60"));
    int runs = Integer.parseInt(o.getOrDefault("runs", "1"));
    int nodes = Integer.parseInt(o.getOrDefault("nodes", "3"));
    int top = Integer.parseInt(o.getOrDefault("top", "8"));
    if (!Files.isRegularFile(jar)) throw new IllegalStateException("no " + jar + ": package the server first");
    System.out.printf(Locale.ROOT, "idle cluster: %d nodes, settle %d s, measure %d s, %d run(s), %d cores on this machine%n",
        nodes, settle, measure, runs, Runtime.getRuntime().availableProcessors());
    List<Double> totals = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      totals.add(oneRun(run, jar, nodes, settle, measure, top));
    }
    List<Double> sorted = totals.stream().sorted().toList();
    System.out.printf(Locale.ROOT, "together per run: %s; median %.4f cores%n",
        totals.stream().map(t -> String.format(Locale.ROOT, "%.4f", t)).collect(Collectors.joining(", ")),
        sorted.get(sorted.size() / 2));
  }

  private static double oneRun(int run, Path jar, int count, int settle, int measure, int top) throws Exception {
    Path dir = Files.createTempDirectory("eventplane-idle-bench-");
    List<Process> processes = new ArrayList<>();
    try {
      Set<Integer> taken = new HashSet<>();
      List<Integer> httpPorts = new ArrayList<>();
      List<Integer> clusterPorts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        httpPorts.add(LocalPorts.free(taken, false));
        clusterPorts.add(LocalPorts.free(taken, true));
      }
      String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
      for (int i = 0; i < count; i++) {
        String id = "n" + i;
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
            jar.toString(), "--port", Integer.toString(httpPorts.get(i)), "--bind", "127.0.0.1",
            "--data-dir", Files.createDirectories(dir.resolve(id)).toString(),
            "--auth", "off", "--cluster", "--node-id", id, "--cluster-host", "127.0.0.1",
            "--cluster-port", Integer.toString(clusterPorts.get(i)), "--cluster-members", members);
        processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(dir.resolve(id + ".log").toFile()).start());
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      for (int i = 0; i < count; i++) awaitHealthy(http, processes.get(i), httpPorts.get(i), dir.resolve("n" + i + ".log"));
      System.out.printf(Locale.ROOT, "run %d: all %d nodes healthy; settling %d s%n", run, count, settle);
      Thread.sleep(settle * 1000L);
      List<Long> before = new ArrayList<>();
      List<Map<Long, ThreadTicks>> threadsBefore = new ArrayList<>();
      for (Process p : processes) {
        before.add(processTicks(p.pid()));
        threadsBefore.add(threadTicks(p.pid()));
      }
      long start = System.nanoTime();
      Thread.sleep(measure * 1000L);
      double seconds = (System.nanoTime() - start) / 1e9;
      double together = 0;
      for (int i = 0; i < count; i++) {
        Process p = processes.get(i);
        if (!p.isAlive()) throw new IllegalStateException("n" + i + " died while idle: see " + dir.resolve("n" + i + ".log"));
        double cores = (processTicks(p.pid()) - before.get(i)) / TICKS_PER_SECOND / seconds;
        together += cores;
        Map<Long, ThreadTicks> threadsAfter = threadTicks(p.pid());
        System.out.printf(Locale.ROOT, "run %d: n%d (pid %d) %.4f cores; busiest threads (ticks of 1/100 s): %s%n", run, i,
            p.pid(), cores, busiest(threadsBefore.get(i), threadsAfter, javaThreadNames(p.pid()), top));
      }
      System.out.printf(Locale.ROOT, "run %d: together %.4f cores over %.1f s%n", run, together, seconds);
      return together;
    } finally {
      for (Process p : processes) p.destroy();
      for (Process p : processes) {
        if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      TempDirs.delete(dir);
    }
  }

  private static void awaitHealthy(HttpClient http, Process process, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_eventplane/health"))
        .timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("a node exited while starting:\n" + Files.readString(log));
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("a node was not healthy after 240 s:\n" + Files.readString(log));
  }

  private record ThreadTicks(String name, long ticks) {}

  /** The threads that used most CPU between the two samples, as "name ticks". */
  private static String busiest(Map<Long, ThreadTicks> before, Map<Long, ThreadTicks> after, Map<Long, String> javaNames,
      int top) {
    Map<String, Long> byName = new HashMap<>();
    after.forEach((tid, t) -> {
      ThreadTicks b = before.get(tid);
      long used = t.ticks() - (b == null ? 0 : b.ticks());
      if (used > 0) byName.merge(javaNames.getOrDefault(tid, t.name()), used, Long::sum);
    });
    return byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }

  /** Full Java thread names by native thread id, from jcmd's thread dump; empty if jcmd is not there. */
  private static Map<Long, String> javaThreadNames(long pid) {
    Map<Long, String> out = new HashMap<>();
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) return out;
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
      String dump = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\"(.*?)\".*? nid=0x([0-9a-f]+)").matcher(dump);
      // Numbered threads of one pool are counted together: "hz.x.cached.thread-3" -> "hz.x.cached.thread-*".
      while (m.find()) out.put(Long.parseLong(m.group(2), 16), m.group(1).replaceAll("\\d+$", "*"));
    } catch (IOException e) {
      // names stay as /proc has them
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private static long processTicks(long pid) {
    return ticksOf(Path.of("/proc", Long.toString(pid), "stat")).ticks();
  }

  private static Map<Long, ThreadTicks> threadTicks(long pid) {
    Map<Long, ThreadTicks> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      tasks.forEach(t -> {
        ThreadTicks ticks = ticksOf(t.resolve("stat"));
        if (ticks.ticks() >= 0) out.put(Long.parseLong(t.getFileName().toString()), ticks);
      });
    } catch (IOException | UncheckedIOException e) {
      // the process is gone: no threads to report
    }
    return out;
  }

  /** utime + stime and the command (thread) name from a /proc stat file; -1 ticks if it is gone. */
  private static ThreadTicks ticksOf(Path stat) {
    try {
      String s = Files.readString(stat);
      // The name may hold spaces and parentheses: fields are counted after its last closing one.
      String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
      String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
      return new ThreadTicks(name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
    } catch (IOException | RuntimeException e) {
      return new ThreadTicks("?", -1);
    }
  }
}
