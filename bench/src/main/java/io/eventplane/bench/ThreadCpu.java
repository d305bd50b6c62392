package io.eventplane.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU of a server process per thread over a window, from {@code /proc/<pid>/task/<tid>/stat}
 * (utime + stime), grouped by what the thread does.
 *
 * <p>The kernel keeps only the first 15 characters of a thread's name, so every Vert.x event loop
 * is "vert.x-eventloo" there. The full Java names come from {@code jcmd <pid> Thread.print},
 * whose {@code nid} is the kernel's thread id; which event loop hosts which SQS lane comes from
 * the line each lane logs when it starts ("SQS lane 0 of 2 runs on vert.x-eventloop-thread-3").
 * A lane shares its event loop with whatever else Vert.x placed there (a gateway instance, other
 * services' verticles), so the lane group is "the threads that host lanes", not the lanes alone.
 */
final class ThreadCpu {

  /** Groups, in the order the report prints them. */
  static final String LANES = "SQS lane loops";
  static final String EVENT_LOOPS = "other event loops";
  static final String STORE = "store writer+syncer";
  static final String ROCKSDB = "RocksDB background";
  static final String WORKERS = "worker pools";
  static final String GC = "GC";
  static final String JIT = "JIT compiler";
  static final String HAZELCAST = "Hazelcast";
  static final String OTHER = "other";
  static final List<String> GROUPS = List.of(LANES, EVENT_LOOPS, STORE, ROCKSDB, WORKERS, GC, JIT,
      HAZELCAST, OTHER);

  private static final Pattern JSTACK_THREAD = Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-f]+|\\d+)");
  private static final Pattern LANE_LINE = Pattern.compile("SQS lane (\\d+) of \\d+ runs on (\\S+)");

  /** Cumulative jiffies per thread id, with the kernel's short name, at one instant. */
  record Sample(Map<Integer, Long> jiffies, Map<Integer, String> comm) {}

  /** Cores per group and per thread (full name, "(lane i)" added) over a window. */
  record Breakdown(Map<String, Double> groups, Map<String, Double> threads) {
    static final Breakdown NONE = new Breakdown(Map.of(), Map.of());

    double group(String g) {
      return groups.getOrDefault(g, 0.0);
    }
  }

  private final long pid;
  private final Path serverLog;
  private final Map<Integer, String> names = new HashMap<>();
  private final long hz = clockTicks();

  /** @param serverLog the server's output, where lanes say which thread they run on; may be null */
  ThreadCpu(long pid, Path serverLog) {
    this.pid = pid;
    this.serverLog = serverLog;
  }

  Sample sample() {
    Map<Integer, Long> jiffies = new HashMap<>();
    Map<Integer, String> comm = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String[] f = stat.substring(close + 2).trim().split("\\s+");
          int tid = Integer.parseInt(task.getFileName().toString());
          jiffies.put(tid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
          comm.put(tid, stat.substring(open + 1, close));
        } catch (IOException | RuntimeException gone) {
          // the thread ended while we listed them
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process is gone: an empty sample
    }
    return new Sample(jiffies, comm);
  }

  /**
   * Cores per group between two samples of a window {@code nanos} long. A thread born inside the
   * window counts all its time; one that ended inside it is lost (worker threads rarely end).
   */
  Breakdown between(Sample a, Sample b, long nanos) {
    if (nanos <= 0 || b.jiffies().isEmpty()) {
      return Breakdown.NONE;
    }
    if (!names.keySet().containsAll(b.jiffies().keySet())) {
      refreshNames();
    }
    Map<String, String> lanes = laneThreads();
    double seconds = nanos / 1e9;
    Map<String, Double> groups = new LinkedHashMap<>();
    GROUPS.forEach(g -> groups.put(g, 0.0));
    Map<String, Double> threads = new LinkedHashMap<>();
    b.jiffies().forEach((tid, end) -> {
      long used = end - a.jiffies().getOrDefault(tid, 0L);
      if (used <= 0) {
        return;
      }
      double cores = used / (double) hz / seconds;
      String name = names.getOrDefault(tid, b.comm().get(tid));
      String lane = lanes.get(name);
      String group = lane != null ? LANES : groupOf(name);
      groups.merge(group, cores, Double::sum);
      threads.merge(lane != null ? name + " (" + lane + ")" : name, cores, Double::sum);
    });
    return new Breakdown(groups, sortedByValue(threads));
  }

  static String groupOf(String name) {
    if (name.startsWith("vert.x-eventloo")) return EVENT_LOOPS;
    if (name.startsWith("eventplane-stor")) return STORE;
    if (name.startsWith("rocksdb:")) return ROCKSDB;
    if (name.startsWith("vert.x-worker") || name.startsWith("vert.x-internal") || name.startsWith("vert.x-virtual")) {
      return WORKERS;
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ")) return GC;
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") || name.startsWith("Sweeper")) return JIT;
    if (name.startsWith("hz.")) return HAZELCAST;
    return OTHER;
  }

  /** Full Java names by kernel thread id, from a thread dump; threads jcmd doesn't list keep their short name. */
  private void refreshNames() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String jcmd = Files.isExecutable(java) ? java.toString() : "jcmd";
    try {
      Process p = new ProcessBuilder(jcmd, Long.toString(pid), "Thread.print")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return;
      }
      for (String line : out.split("\n")) {
        Matcher m = JSTACK_THREAD.matcher(line);
        if (m.find()) {
          String nid = m.group(2);
          int tid = nid.startsWith("0x") ? Integer.parseInt(nid.substring(2), 16) : Integer.parseInt(nid);
          names.put(tid, m.group(1));
        }
      }
    } catch (IOException | RuntimeException e) {
      // without names, threads keep the kernel's short names
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Java thread name -> "lane i" (or "lanes i+j"), from the server's log. */
  private Map<String, String> laneThreads() {
    Map<String, List<String>> byThread = new LinkedHashMap<>();
    if (serverLog != null) {
      try {
        for (String line : Files.readAllLines(serverLog)) {
          Matcher m = LANE_LINE.matcher(line);
          if (m.find()) {
            byThread.computeIfAbsent(m.group(2), t -> new ArrayList<>()).add(m.group(1));
          }
        }
      } catch (IOException | RuntimeException e) {
        // no log: lanes are counted with the event loops
      }
    }
    Map<String, String> labels = new HashMap<>();
    byThread.forEach((thread, lanes) -> labels.put(thread,
        (lanes.size() == 1 ? "lane " : "lanes ") + String.join("+", lanes)));
    return labels;
  }

  private static Map<String, Double> sortedByValue(Map<String, Double> m) {
    Map<String, Double> sorted = new LinkedHashMap<>();
    m.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** USER_HZ: 100 on every Linux this runs on; getconf says for sure. */
  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
