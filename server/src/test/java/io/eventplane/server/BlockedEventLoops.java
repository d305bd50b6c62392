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
 */
final class BlockedEventLoops {
  /** Long enough that a GC pause or a scheduler hiccup on a loaded machine rarely trips it. */
  static final long MAX_EVENT_LOOP_MILLIS = 500;

  /** Frames that mean the thread waits for something other than a core. */
  private static final List<String> BLOCKING_FRAMES = List.of(
      "org.rocksdb.",
      "java.io.FileInputStream.", "java.io.FileOutputStream.", "java.io.RandomAccessFile.",
      "sun.nio.ch.FileChannelImpl.", "sun.nio.ch.FileDispatcherImpl.", "sun.nio.fs.UnixNativeDispatcher.",
      "java.lang.Thread.sleep", "java.lang.Object.wait", "jdk.internal.misc.Unsafe.park",
      "java.util.concurrent.locks.LockSupport.park", "java.util.concurrent.CompletableFuture.get",
      "java.util.concurrent.CompletableFuture.join", "java.util.concurrent.FutureTask.get",
      "java.net.SocketInputStream.", "sun.nio.ch.NioSocketImpl.", "java.lang.ProcessImpl.waitFor",
      "java.lang.Process.waitFor");

  /** One report: the thread, how long it had run its task, its state and stack when seen. */
  record Report(String thread, long blockedMillis, Thread.State state, StackTraceElement[] stack, boolean blocking) {
    String describe() {
      StringBuilder s = new StringBuilder()
          .append(blocking ? "BLOCKED" : "starved (no blocking frame)")
          .append(": ").append(thread).append(" ran one task for ").append(blockedMillis)
          .append(" ms, state ").append(state).append('\n');
      for (StackTraceElement e : stack) s.append("\tat ").append(e).append('\n');
      return s.toString();
    }
  }

  private final List<Report> reports = new ArrayList<>();

  /** Vert.x options that report an event loop after {@link #MAX_EVENT_LOOP_MILLIS}, checked every 100 ms. */
  static VertxOptions tune(VertxOptions options) {
    return options
        .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
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
    Report r = new Report(t.getName(), event.duration() / 1_000_000, state, stack, isBlocking(state, stack));
    synchronized (reports) {
      reports.add(r);
    }
    System.err.println("[BlockedEventLoops] " + r.describe());
  }

  static boolean isBlocking(Thread.State state, StackTraceElement[] stack) {
    if (state != Thread.State.RUNNABLE) return true;
    for (StackTraceElement e : stack) {
      String frame = e.getClassName() + "." + e.getMethodName();
      for (String b : BLOCKING_FRAMES) if (frame.startsWith(b)) return true;
    }
    return false;
  }

  List<Report> reports() {
    synchronized (reports) {
      return List.copyOf(reports);
    }
  }

  /** Fails with every blocking report's stack; starvation reports were printed when they came. */
  void assertNoBlocking(String testClass) {
    List<Report> blocking = reports().stream().filter(Report::blocking).toList();
    if (blocking.isEmpty()) return;
    StringBuilder s = new StringBuilder(testClass + " blocked an event loop " + blocking.size() + " time(s):\n");
    for (Report r : blocking) s.append(r.describe());
    throw new AssertionError(s.toString());
  }
}
