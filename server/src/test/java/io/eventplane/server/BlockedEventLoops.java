package io.eventplane.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Watches the event loops of the servers a test class starts and tells blocking from starvation.
 *
 * <p>Vert.x's checker reports an event loop that ran one task for longer than
 * {@link #MAX_EVENT_LOOP_MILLIS}. That has two causes, and only one is a bug: the loop <em>blocked</em>
 * (waited on a lock, a sleep, a future, the disk or RocksDB), or it was <em>starved</em> (runnable
 * but not given a core: on a two-core machine shared with other builds a loop can wait hundreds of
 * milliseconds for the scheduler while running plain Java code). The stack taken when the checker
 * fires tells them apart: a thread that is not RUNNABLE, or whose stack is inside a known blocking
 * call ({@link #BLOCKING_FRAMES}), blocked; a RUNNABLE thread in ordinary code was starved (or
 * computing, which the stack then shows and a reader can judge). Blocking fails the test class;
 * starvation is printed and does not.
 *
 * <p>A third kind is printed and does not fail: the first use of a class reads it from its jar on
 * whatever thread touched it (Jackson's databind on the first JSON reply, say), which is file I/O
 * under {@code ClassLoader.loadClass}. It happens once per class and JVM, and the server's AppCDS
 * archive serves those classes from memory in production.
 *
 * <p>Until the server has started, a wait on a monitor or a park with no blocking frame of ours is
 * printed and does not fail: the gateway's instances (one per core) bind one shared port, and
 * Vert.x serialises that under its own monitor ({@code NetServerImpl.bind}), so on a loaded machine
 * one instance's event loop waits for another's bind. Blocking frames still fail during start-up.
 *
 * <p>Vert.x repeats its report every check interval while a task runs; reports of one stall (same
 * thread, same task) are merged into one, keeping the worst kind seen.
 */
final class BlockedEventLoops {
  /** Long enough that a GC pause or a scheduler hiccup on a loaded machine rarely trips it. */
  static final long MAX_EVENT_LOOP_MILLIS = 500;

  /**
   * Frames that mean the thread waits for something other than a core. Not in the list: a
   * non-blocking socket write (its native frame is {@code FileDispatcherImpl.writev0} under
   * {@code SocketDispatcher}, so only {@code FileChannelImpl} marks file I/O) and a RocksDB
   * {@code WriteBatch} (an in-memory copy; reads, writes and iterators of the DB are listed).
   */
  private static final List<String> BLOCKING_FRAMES = List.of(
      "org.rocksdb.RocksDB.", "org.rocksdb.RocksIterator.", "org.rocksdb.AbstractRocksIterator.",
      "org.rocksdb.Checkpoint.", "org.rocksdb.Snapshot.",
      "java.io.FileInputStream.", "java.io.FileOutputStream.", "java.io.RandomAccessFile.",
      "sun.nio.ch.FileChannelImpl.", "sun.nio.fs.UnixNativeDispatcher.",
      "java.lang.Thread.sleep", "java.lang.Object.wait", "jdk.internal.misc.Unsafe.park",
      "java.util.concurrent.locks.LockSupport.park", "java.util.concurrent.CompletableFuture.get",
      "java.util.concurrent.CompletableFuture.join", "java.util.concurrent.FutureTask.get",
      "java.net.SocketInputStream.", "sun.nio.ch.NioSocketImpl.", "java.lang.ProcessImpl.waitFor",
      "java.lang.Process.waitFor");

  /** What a stall was, worst last. */
  enum Kind {
    STARVED("starved (runnable, no blocking frame)"),
    CLASS_LOADING("first-use class loading"),
    START_UP_WAIT("waited for a lock during start-up (no blocking frame)"),
    BLOCKING("BLOCKED");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** One stall: the thread, how long it had run its task, its state and stack when seen. */
  record Report(String thread, long startNanos, long blockedMillis, Thread.State state, StackTraceElement[] stack,
                Kind kind) {
    boolean blocking() {
      return kind == Kind.BLOCKING;
    }

    String describe() {
      StringBuilder s = new StringBuilder()
          .append(kind.label)
          .append(": ").append(thread).append(" ran one task for ").append(blockedMillis)
          .append(" ms, state ").append(state).append('\n');
      for (StackTraceElement e : stack) s.append("\tat ").append(e).append('\n');
      return s.toString();
    }
  }

  private final List<Report> reports = new ArrayList<>();
  private volatile boolean started;

  /** Vert.x options that report an event loop after {@link #MAX_EVENT_LOOP_MILLIS}, checked every 100 ms. */
  static VertxOptions tune(VertxOptions options) {
    return options
        .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
  }

  /** From now on, a wait without a blocking frame is blocking too. */
  void started() {
    started = true;
  }

  /** Routes this Vert.x instance's blocked-thread reports here (instead of only to its log). */
  void watch(Vertx vertx) {
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(this::onBlocked);
  }

  private void onBlocked(BlockedThreadEvent event) {
    // Workers may block by design (that is what they are for); only event loops are checked.
    if (!event.thread().getName().startsWith("vert.x-eventloop-thread")) return;
    Thread t = event.thread();
    Thread.State state = t.getState();
    StackTraceElement[] stack = t.getStackTrace();
    long start = System.nanoTime() - event.duration();
    Report r = new Report(t.getName(), start, event.duration() / 1_000_000, state, stack, kind(state, stack, started));
    boolean print;
    synchronized (reports) {
      int same = sameStall(r);
      if (same < 0) {
        reports.add(r);
        print = true;
      } else {
        Report earlier = reports.get(same);
        Report worst = r.kind.compareTo(earlier.kind) > 0 ? r : earlier;
        reports.set(same, new Report(r.thread, earlier.startNanos, r.blockedMillis, worst.state, worst.stack, worst.kind));
        print = worst == r && r.kind != earlier.kind;
      }
    }
    if (print) System.err.println("[BlockedEventLoops] " + r.describe());
  }

  /** The index of an earlier report of the same task on the same thread, or -1. */
  private int sameStall(Report r) {
    for (int i = reports.size() - 1; i >= 0; i--) {
      Report e = reports.get(i);
      // A start computed here is late by however long this handler waited for a core after the
      // check; a later task on the same thread cannot start before the earlier one had run its
      // reported time, so a start before that is the same task.
      if (e.thread.equals(r.thread) && r.startNanos < e.startNanos + e.blockedMillis * 1_000_000L) return i;
    }
    return -1;
  }

  static Kind kind(Thread.State state, StackTraceElement[] stack, boolean started) {
    boolean blockingFrame = false;
    for (StackTraceElement e : stack) {
      String frame = e.getClassName() + "." + e.getMethodName();
      if (frame.equals("java.lang.ClassLoader.loadClass") || frame.endsWith(".<clinit>")) return Kind.CLASS_LOADING;
      if (!blockingFrame) for (String b : BLOCKING_FRAMES) if (frame.startsWith(b)) blockingFrame = true;
    }
    if (blockingFrame) return Kind.BLOCKING;
    if (state == Thread.State.RUNNABLE) return Kind.STARVED;
    return started ? Kind.BLOCKING : Kind.START_UP_WAIT;
  }

  List<Report> reports() {
    synchronized (reports) {
      return List.copyOf(reports);
    }
  }

  /** Fails with every blocking report's stack; starvation reports were printed when they came. */
  void assertNoBlocking(String testClass) {
    assertNoBlocking(testClass, 0);
  }

  /** As {@link #assertNoBlocking(String)} for the reports after the first {@code from} (a shared server's earlier classes'). */
  void assertNoBlocking(String testClass, int from) {
    List<Report> all = reports();
    List<Report> blocking = all.subList(Math.min(from, all.size()), all.size()).stream().filter(Report::blocking).toList();
    if (blocking.isEmpty()) return;
    StringBuilder s = new StringBuilder(testClass + " blocked an event loop " + blocking.size() + " time(s):\n");
    for (Report r : blocking) s.append(r.describe());
    throw new AssertionError(s.toString());
  }
}
