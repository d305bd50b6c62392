package io.eventplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockedEventLoopsTest {
  private final BlockedEventLoops loops = new BlockedEventLoops();
  private final Vertx vertx = Vertx.vertx(BlockedEventLoops.tune(new VertxOptions()));

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aSleepOnAnEventLoopIsBlockingAndFailsTheClass() {
    loops.watch(vertx);
    loops.started();
    vertx.runOnContext(v -> sleep(BlockedEventLoops.MAX_EVENT_LOOP_MILLIS + 700));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !loops.reports().isEmpty());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> loops.reports().get(0).blockedMillis() >= 1000);
    assertThat(loops.reports()).hasSize(1);
    BlockedEventLoops.Report r = loops.reports().get(0);
    assertThat(r.blocking()).isTrue();
    assertThat(r.thread()).startsWith("vert.x-eventloop-thread");
    assertThatThrownBy(() -> loops.assertNoBlocking("SomeTest"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("SomeTest blocked an event loop")
        .hasMessageContaining("java.lang.Thread.sleep");
  }

  @Test
  void aBusyLoopWithoutBlockingFramesIsOnlyReported() throws Exception {
    loops.watch(vertx);
    Promise<Long> done = Promise.promise();
    vertx.runOnContext(v -> done.complete(spin(BlockedEventLoops.MAX_EVENT_LOOP_MILLIS + 700)));
    done.future().await();
    // One stall, reported by Vert.x every 100 ms, is one report.
    assertThat(loops.reports()).hasSize(1).allSatisfy(r -> assertThat(r.kind()).isEqualTo(BlockedEventLoops.Kind.STARVED));
    loops.assertNoBlocking("SomeTest");
  }

  @Test
  void classifiesByStateAndFrames() {
    StackTraceElement plain = new StackTraceElement("io.eventplane.X", "encode", null, -1);
    StackTraceElement rocks = new StackTraceElement("org.rocksdb.RocksDB", "get", null, -1);
    StackTraceElement batch = new StackTraceElement("org.rocksdb.WriteBatch", "putJni", null, -1);
    StackTraceElement socket = new StackTraceElement("sun.nio.ch.FileDispatcherImpl", "writev0", null, -1);
    assertThat(BlockedEventLoops.kind(Thread.State.RUNNABLE, new StackTraceElement[] {batch, plain}, true))
        .isEqualTo(BlockedEventLoops.Kind.STARVED);
    assertThat(BlockedEventLoops.kind(Thread.State.RUNNABLE, new StackTraceElement[] {socket, plain}, true))
        .isEqualTo(BlockedEventLoops.Kind.STARVED);
    StackTraceElement file = new StackTraceElement("java.io.RandomAccessFile", "seek0", null, -1);
    StackTraceElement load = new StackTraceElement("java.lang.ClassLoader", "loadClass", null, -1);
    assertThat(BlockedEventLoops.kind(Thread.State.RUNNABLE, new StackTraceElement[] {rocks, plain}, false))
        .isEqualTo(BlockedEventLoops.Kind.BLOCKING);
    assertThat(BlockedEventLoops.kind(Thread.State.RUNNABLE, new StackTraceElement[] {plain}, true))
        .isEqualTo(BlockedEventLoops.Kind.STARVED);
    assertThat(BlockedEventLoops.kind(Thread.State.BLOCKED, new StackTraceElement[] {plain}, true))
        .isEqualTo(BlockedEventLoops.Kind.BLOCKING);
    assertThat(BlockedEventLoops.kind(Thread.State.BLOCKED, new StackTraceElement[] {plain}, false))
        .isEqualTo(BlockedEventLoops.Kind.START_UP_WAIT);
    assertThat(BlockedEventLoops.kind(Thread.State.RUNNABLE, new StackTraceElement[] {file, load, plain}, true))
        .isEqualTo(BlockedEventLoops.Kind.CLASS_LOADING);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Keeps a core busy in plain Java code for the given time; returns something so it is not optimised away. */
  private static long spin(long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    long x = 0;
    while (System.nanoTime() < end) x += x * 31 + 7;
    return x;
  }
}
