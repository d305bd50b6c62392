package io.eventplane.common.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Group commit under RocksDB DB-option variants, interleaved (A, B, A, B...) so that a machine
 * shared with other work loads every variant alike. Not a test: run by hand (docs/benchmarks.md,
 * "Issue 12: the tail"):
 *
 * <pre>java -cp common/target/classes:common/target/test-classes:$(cat /tmp/cp.txt) \
 *   io.eventplane.common.store.StoreCommitBench ROUNDS SECONDS WRITERS VALUE_BYTES \
 *   "default=" "manual=manual_wal_flush=true" ...</pre>
 *
 * Per variant and round: commits/s, the writer thread's CPU per commit (less sensitive to other
 * load than wall time), commit latency p50/p99/max as the committing threads saw it, and the
 * store's own fsync and group-size histograms.
 */
public final class StoreCommitBench {
  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int writers = Integer.parseInt(args[2]);
    int valueBytes = Integer.parseInt(args[3]);
    List<String[]> variants = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      variants.add(new String[] {args[i].substring(0, eq), args[i].substring(eq + 1)});
    }
    System.out.println("round | variant | commits/s | writer CPU us/commit | latency p50/p99/max ms | fsync p50</p99</max us | group p50<");
    for (int round = 1; round <= rounds; round++) {
      for (String[] v : variants) {
        System.out.println(round + " | " + v[0] + " | " + runOnce(v[1], seconds, writers, valueBytes));
      }
    }
  }

  private static String runOnce(String dbOptions, int seconds, int writers, int valueBytes) throws Exception {
    Path dir = Files.createTempDirectory("store-commit-bench");
    System.setProperty(Store.DB_OPTIONS_PROPERTY, dbOptions);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of("q"))) {
      ColumnFamily cf = store.columnFamily("q");
      long writerId = writerThreadId(mx);
      byte[] value = new byte[valueBytes];
      long[][] latencies = new long[writers][];
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long cpuBefore = mx.getThreadCpuTime(writerId);
      long commitsBefore = store.commitCount();
      long started = System.nanoTime();
      CountDownLatch done = new CountDownLatch(writers);
      for (int w = 0; w < writers; w++) {
        int id = w;
        Thread t = new Thread(() -> {
          long[] lat = new long[1 << 16];
          int n = 0;
          long key = (long) id << 40;
          while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            store.commit(store.batch().put(cf, Keys.builder(8).u64(key++).build(), value)).join();
            if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
            lat[n++] = System.nanoTime() - t0;
          }
          latencies[id] = Arrays.copyOf(lat, n);
          done.countDown();
        });
        t.start();
      }
      done.await();
      double wall = (System.nanoTime() - started) / 1e9;
      long commits = store.commitCount() - commitsBefore;
      long cpu = mx.getThreadCpuTime(writerId) - cpuBefore;
      long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
      CommitStats s = store.commitStats();
      return String.format("%.0f | %.1f | %.2f / %.2f / %.2f | %d / %d / %d | %d",
          commits / wall, cpu / 1000.0 / commits,
          all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6,
          s.quantileUpperBound(CommitStats.Measure.FSYNC_US, 0.5), s.quantileUpperBound(CommitStats.Measure.FSYNC_US, 0.99),
          s.max(CommitStats.Measure.FSYNC_US), s.quantileUpperBound(CommitStats.Measure.GROUP_SIZE, 0.5));
    } finally {
      System.clearProperty(Store.DB_OPTIONS_PROPERTY);
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long writerThreadId(ThreadMXBean mx) {
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && info.getThreadName().equals("eventplane-store-writer")) return info.getThreadId();
    }
    throw new IllegalStateException("no store writer thread");
  }
}
