package io.eventplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the machine's cores were spent during a window, from /proc: by the server under test, by
 * this load generator, and by everything else (other processes, and kernel work such as loopback
 * softirqs that /proc doesn't charge to a process). On a 2-core box shared by generator and
 * server this is what tells a slow server from a starved one.
 */
record CpuShare(double serverCores, double benchCores, double otherCores) {

  /** Cumulative jiffies at one instant. */
  record Sample(long busy, long all, long bench, long server) {}

  static Sample sample(long serverPid) {
    long[] cpu = cpuLine();
    return new Sample(cpu[0], cpu[1], processJiffies("self"), processJiffies(Long.toString(serverPid)));
  }

  static CpuShare between(Sample a, Sample b) {
    double all = b.all() - a.all();
    if (all <= 0) {
      return new CpuShare(Double.NaN, Double.NaN, Double.NaN);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    double server = (b.server() - a.server()) / all * cores;
    double bench = (b.bench() - a.bench()) / all * cores;
    double busy = (b.busy() - a.busy()) / all * cores;
    return new CpuShare(server, bench, Math.max(0, busy - server - bench));
  }

  /** {busy, busy + idle} from the aggregate line of /proc/stat. */
  private static long[] cpuLine() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long user = Long.parseLong(f[1]);
      long nice = Long.parseLong(f[2]);
      long system = Long.parseLong(f[3]);
      long idle = Long.parseLong(f[4]);
      long iowait = Long.parseLong(f[5]);
      long irq = Long.parseLong(f[6]);
      long softirq = Long.parseLong(f[7]);
      long steal = Long.parseLong(f[8]);
      long busy = user + nice + system + irq + softirq + steal;
      return new long[] {busy, busy + idle + iowait};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** utime + stime of a process, all its threads. */
  private static long processJiffies(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // The command name may hold spaces; fields are counted after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
