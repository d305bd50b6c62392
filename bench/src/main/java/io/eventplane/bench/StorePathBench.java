package io.eventplane.bench;

import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The store path of one service context, in process (no HTTP): what a read and a commit cost the
 * node, the old way and the new way, in the same run.
 *
 * <ul>
 *   <li>{@code get-memory-first}: {@link Store#getMemoryFirst} of hot keys on an event-loop context
 *       (answered from RocksDB's memory on the loop);
 *   <li>{@code get-worker}: the same reads as services did them before, each through
 *       {@code executeBlocking} to a worker and back, {@code --window} in flight;
 *   <li>{@code commit-per-future}: commits from one context, each completion its own
 *       {@code Future.fromCompletionStage} hop (the old way), {@code --window} in flight;
 *   <li>{@code commit-grouped}: the same with {@link Store#commit(Batch, Context)}: one task per
 *       context per group commit.
 * </ul>
 *
 * <p>Reported per operation: wall time, process CPU, and context switches of all the process's
 * threads (from /proc/self/task/N/status: each is a thread going to sleep or being preempted, the
 * cost of a wake-up). The reads run twice: keys in the memtable, then after a reopen (keys in a
 * table file, block cache warmed by one pass of plain reads).
 *
 * <pre>
 * java -cp "bench/target/classes:$(cat bench/target/store-bench.classpath)" io.eventplane.bench.StorePathBench \
 *     [--keys 10000] [--gets 1000000] [--commits 50000] [--window 64] [--runs 3] [--durability fsync]
 * </pre>
 */
public final class StorePathBench {
  private static final String FAMILY = "bench";

  private record Options(int keys, int gets, int commits, int window, int runs, Durability durability) {
    static Options parse(String[] args) {
      int keys = 10_000;
      int gets = 1_000_000;
      int commits = 50_000;
      int window = 64;
      int runs = 3;
      Durability durability = Durability.FSYNC;
      for (int i = 0; i < args.length; i += 2) {
        String v = args[i + 1];
        switch (args[i]) {
          case "--keys" -> keys = Integer.parseInt(v);
          case "--gets" -> gets = Integer.parseInt(v);
          case "--commits" -> commits = Integer.parseInt(v);
          case "--window" -> window = Integer.parseInt(v);
          case "--runs" -> runs = Integer.parseInt(v);
          case "--durability" -> durability = Durability.parse(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Options(keys, gets, commits, window, runs, durability);
    }
  }

  /** Process CPU and context switches at one instant. */
  private record Sample(long nanos, long cpuNanos, long switches) {
    static Sample now() {
      return new Sample(System.nanoTime(), cpu(), contextSwitches());
    }
  }

  private record Result(String name, long ops, Sample from, Sample to) {
    String line() {
      double wall = (to.nanos - from.nanos) / (double) ops;
      double cpu = (to.cpuNanos - from.cpuNanos) / (double) ops;
      double switches = (to.switches - from.switches) / (double) ops;
      return String.format("%-20s %9d ops  %9.0f ns/op wall  %9.0f ns/op cpu  %7.3f switches/op", name, ops, wall, cpu,
          switches);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    System.out.printf("cores %d, keys %d, gets %d, commits %d, window %d, durability %s%n",
        Runtime.getRuntime().availableProcessors(), o.keys, o.gets, o.commits, o.window, o.durability);
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("eventplane-store-bench");
    try {
      Context context = vertx.getOrCreateContext();
      for (int run = 1; run <= o.runs; run++) {
        System.out.println("run " + run);
        Path runDir = dir.resolve("run-" + run);
        List<byte[]> keys = new ArrayList<>(o.keys);
        for (int i = 0; i < o.keys; i++) keys.add(Keys.builder(8).u64(i).build());
        try (Store store = Store.open(runDir, o.durability, 100, List.of(FAMILY))) {
          ColumnFamily cf = store.columnFamily(FAMILY);
          fill(store, cf, keys);
          reads(context, store, cf, keys, o, "memtable");
          commits(context, store, cf, o);
        }
        try (Store store = Store.open(runDir, o.durability, 100, List.of(FAMILY))) {
          ColumnFamily cf = store.columnFamily(FAMILY);
          for (byte[] k : keys) store.get(cf, k); // the block cache warms; this thread is no event loop
          reads(context, store, cf, keys, o, "block cache");
        }
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
      TempDirs.delete(dir);
    }
  }

  private static void fill(Store store, ColumnFamily cf, List<byte[]> keys) throws Exception {
    byte[] value = new byte[200];
    for (int from = 0; from < keys.size(); from += 1000) {
      Batch b = store.batch();
      for (int i = from; i < Math.min(keys.size(), from + 1000); i++) b.put(cf, keys.get(i), value);
      store.commit(b).get();
    }
  }

  private static void reads(Context context, Store store, ColumnFamily cf, List<byte[]> keys, Options o, String where)
      throws Exception {
    long disk = store.diskReadCount();
    // warm-up of both paths, then the measured passes
    windowed(context, o.gets / 10, o.window, i -> store.getMemoryFirst(cf, keys.get(i % keys.size()), context));
    windowed(context, o.gets / 10, o.window,
        i -> context.executeBlocking(() -> store.get(cf, keys.get(i % keys.size())), false));
    Result memory = windowed(context, o.gets, o.window, i -> store.getMemoryFirst(cf, keys.get(i % keys.size()), context))
        .named("get-memory-first");
    Result worker = windowed(context, o.gets, o.window,
        i -> context.executeBlocking(() -> store.get(cf, keys.get(i % keys.size())), false)).named("get-worker");
    System.out.println("  reads, keys in " + where + " (memory-first reads that needed a worker: "
        + (store.diskReadCount() - disk) + ")");
    System.out.println("    " + memory.line());
    System.out.println("    " + worker.line());
  }

  private static void commits(Context context, Store store, ColumnFamily cf, Options o) throws Exception {
    byte[] value = new byte[200];
    Function<Integer, Batch> batch = i -> store.batch().put(cf, Keys.builder(9).u8('c').u64(i).build(), value);
    windowed(context, o.commits / 10, o.window, i -> store.commit(batch.apply(i), context));
    long tasks = store.completionTaskCount();
    long fsyncs = store.fsyncCount();
    Result grouped = windowed(context, o.commits, o.window, i -> store.commit(batch.apply(i), context))
        .named("commit-grouped");
    long groupedTasks = store.completionTaskCount() - tasks;
    long groupedFsyncs = store.fsyncCount() - fsyncs;
    fsyncs = store.fsyncCount();
    Result perFuture = windowed(context, o.commits, o.window,
        i -> Future.fromCompletionStage(store.commit(batch.apply(i)), context)).named("commit-per-future");
    System.out.printf("  commits (grouped: %.3f completion tasks and %.3f fsyncs per commit; per-future: %.3f fsyncs"
            + " per commit, one completion task each)%n", groupedTasks / (double) o.commits,
        groupedFsyncs / (double) o.commits, (store.fsyncCount() - fsyncs) / (double) o.commits);
    System.out.println("    " + grouped.line());
    System.out.println("    " + perFuture.line());
  }

  /** A measurement in progress: {@link #named} waits for it. */
  private record Pending(Future<Sample[]> done, long ops) {
    Result named(String name) throws Exception {
      Sample[] s = done.await(10, TimeUnit.MINUTES);
      return new Result(name, ops, s[0], s[1]);
    }
  }

  /**
   * Runs {@code ops} operations from the context with {@code window} in flight: each completion
   * starts the next, so the context does what a busy service context does. Operations that
   * complete at once (a read from memory) run in a loop, a thousand per task, like the requests of
   * a busy event loop; no recursion.
   */
  private static Pending windowed(Context context, int ops, int window, Function<Integer, Future<?>> op) {
    Promise<Sample[]> done = Promise.promise();
    context.runOnContext(v -> {
      Sample from = Sample.now();
      int[] next = {0};
      int[] finished = {0};
      Runnable[] start = new Runnable[1];
      start[0] = () -> {
        int inThisTask = 0;
        while (next[0] < ops && !done.future().isComplete()) {
          Future<?> f = op.apply(next[0]++);
          if (!f.isComplete()) {
            f.onComplete(ar -> {
              if (ar.failed()) done.tryFail(ar.cause());
              else if (++finished[0] == ops) done.complete(new Sample[] {from, Sample.now()});
              else start[0].run();
            });
            return;
          }
          if (f.failed()) {
            done.tryFail(f.cause());
            return;
          }
          if (++finished[0] == ops) {
            done.complete(new Sample[] {from, Sample.now()});
            return;
          }
          if (++inThisTask == 1000) {
            context.runOnContext(x -> start[0].run());
            return;
          }
        }
      };
      for (int i = 0; i < Math.min(window, ops); i++) start[0].run();
    });
    return new Pending(done.future(), ops);
  }

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Voluntary and involuntary context switches of every live thread of this process. */
  private static long contextSwitches() {
    long total = 0;
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          for (String line : Files.readAllLines(t.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
              total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException gone) {
          // the thread ended while we listed: its switches are lost to both samples alike
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return total;
  }
}
