package io.eventplane.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void batchesAreAtomicAndSurviveReopen() throws Exception {
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of("a"))) {
      ColumnFamily cf = store.columnFamily("a");
      Batch batch = store.batch().put(cf, b("k1"), b("v1")).put(cf, b("k2"), b("v2"));
      store.commit(batch).get();
      store.commit(store.batch().delete(cf, b("k1"))).get();
    }
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of("a"))) {
      ColumnFamily cf = store.columnFamily("a");
      assertThat(store.get(cf, b("k1"))).isNull();
      assertThat(store.get(cf, b("k2"))).isEqualTo(b("v2"));
    }
  }

  @Test
  void concurrentCommitsShareFsyncs() throws Exception {
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of("a"))) {
      ColumnFamily cf = store.columnFamily("a");
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        all.add(store.commit(store.batch().put(cf, Keys.builder(8).u64(i).build(), b("v" + i))));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
      assertThat(store.commitCount()).isEqualTo(2000);
      assertThat(store.fsyncCount()).isLessThan(2000).isPositive();
    }
  }

  @Test
  void scanIsByteOrderedWithinPrefixAndClearEmpties() throws Exception {
    try (Store store = Store.open(dir, Durability.NONE, 100, List.of("a"))) {
      ColumnFamily cf = store.columnFamily("a");
      Batch batch = store.batch();
      for (long i : new long[] {300, 2, 70_000, 1}) batch.put(cf, Keys.builder(9).u8('m').u64(i).build(), b("x"));
      batch.put(cf, b("n"), b("other"));
      store.commit(batch).get();
      List<Long> seen = new ArrayList<>();
      store.scan(cf, new byte[] {'m'}, (k, v) -> { seen.add(Keys.readLong(k, 1)); return true; });
      assertThat(seen).containsExactly(1L, 2L, 300L, 70_000L);
      store.clear(cf).get();
      List<byte[]> left = new ArrayList<>();
      store.scanRange(cf, new byte[] {0}, new byte[] {(byte) 0xFF}, (k, v) -> { left.add(k); return true; });
      assertThat(left).isEmpty();
    }
  }

  @Test
  void keysPrefixEndAndParts() {
    assertThat(Keys.prefixEnd(new byte[] {1, 2})).containsExactly(1, 3);
    assertThat(Keys.prefixEnd(new byte[] {1, (byte) 0xFF})).containsExactly(2);
    byte[] a = Keys.builder(4).part("a").string("z").build();
    byte[] ab = Keys.builder(4).part("a-b").string("z").build();
    assertThat(java.util.Arrays.compareUnsigned(a, ab)).isNegative();
  }

  /** The context, seen through a proxy that counts the tasks submitted to it. */
  private static Context counting(Context real, AtomicInteger tasks) {
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class}, (proxy, m, args) -> {
      if (m.getName().equals("runOnContext")) tasks.incrementAndGet();
      try {
        return m.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  /**
   * Holds the writer thread inside a group until the returned latch is released, so that every
   * commit submitted meanwhile lands in the writer's next group (a view's future completes on the
   * writer thread, and its dependants run there).
   */
  private static CountDownLatch holdWriter(Store store) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    while (true) {
      CompletableFuture<Boolean> held = new CompletableFuture<>();
      store.viewAfterPending().thenAccept(view -> {
        // A view completed before this callback was attached runs it on the test thread: try again.
        boolean onWriter = Thread.currentThread().getName().equals("eventplane-store-writer");
        held.complete(onWriter);
        try {
          if (onWriter) release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        view.close();
      });
      if (held.get(10, TimeUnit.SECONDS)) break;
    }
    return release;
  }

  @Test
  void eachContextGetsOneTaskPerGroupCompletingItsCommitsInSubmissionOrderAfterTheFsync() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of("a"))) {
      ColumnFamily cf = store.columnFamily("a");
      Context realA = vertx.getOrCreateContext();
      Context realB = vertx.getOrCreateContext();
      AtomicInteger tasksA = new AtomicInteger();
      AtomicInteger tasksB = new AtomicInteger();
      Context a = counting(realA, tasksA);
      Context b = counting(realB, tasksB);
      List<Integer> doneA = new CopyOnWriteArrayList<>();
      List<Integer> doneB = new CopyOnWriteArrayList<>();
      List<Long> fsyncsSeen = new CopyOnWriteArrayList<>();
      AtomicInteger offContext = new AtomicInteger();
      long fsyncsBefore = store.fsyncCount();
      long completionTasksBefore = store.completionTaskCount();

      CountDownLatch release = holdWriter(store);
      CompletableFuture<List<Future<Void>>> submitted = new CompletableFuture<>();
      // The contexts' event loops are free while the writer is held: 100 commits, interleaved.
      realA.runOnContext(v -> {
        List<Future<Void>> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          Context ctx = i % 2 == 0 ? a : b;
          Context real = i % 2 == 0 ? realA : realB;
          List<Integer> done = i % 2 == 0 ? doneA : doneB;
          int n = i;
          Future<Void> f = store.commit(store.batch().put(cf, Keys.builder(8).u64(i).build(), b("v" + i)), ctx);
          f.onSuccess(x -> {
            if (Vertx.currentContext() != real) offContext.incrementAndGet();
            fsyncsSeen.add(store.fsyncCount());
            done.add(n);
          });
          all.add(f);
        }
        submitted.complete(all);
      });
      List<Future<Void>> all = submitted.get(10, TimeUnit.SECONDS);
      assertThat(all).noneMatch(Future::isComplete);
      release.countDown();
      Future.all(all).await(10, TimeUnit.SECONDS);

      assertThat(tasksA.get()).isEqualTo(1);
      assertThat(tasksB.get()).isEqualTo(1);
      assertThat(store.completionTaskCount() - completionTasksBefore).isEqualTo(2);
      assertThat(doneA).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).map(i -> 2 * i).boxed().toList());
      assertThat(doneB).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).map(i -> 2 * i + 1).boxed().toList());
      assertThat(offContext.get()).isZero();
      // one fsync for the whole group, done before any of it completed
      assertThat(store.fsyncCount() - fsyncsBefore).isEqualTo(1);
      assertThat(fsyncsSeen).allMatch(n -> n == fsyncsBefore + 1);
      assertThat(store.get(cf, Keys.builder(8).u64(99).build())).isEqualTo(b("v99"));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aContextCommitToAClosedStoreFails() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Store store = Store.open(dir, Durability.NONE, 100, List.of("a"));
      // the batch is built while the column family's handle is still open
      Batch batch = store.batch().put(store.columnFamily("a"), b("k"), b("v"));
      store.close();
      Future<Void> f = store.commit(batch, vertx.getOrCreateContext());
      assertThat(f.failed()).isTrue();
      assertThat(f.cause()).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Runs the read on an event-loop context and waits for its answer. */
  private static <T> T onEventLoop(Context context, java.util.function.Supplier<Future<T>> read) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        read.get().onComplete(ar -> {
          if (ar.succeeded()) out.complete(ar.result());
          else out.completeExceptionally(ar.cause());
        });
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
      }
    });
    return out.get(10, TimeUnit.SECONDS);
  }

  @Test
  void memoryFirstReadsAnswerOnTheEventLoopFromMemoryAndSendOnlyFileReadsToAWorker() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context loop = vertx.getOrCreateContext();
      assertThat(loop.isEventLoopContext()).isTrue();
      List<byte[]> keys = new ArrayList<>();
      for (int i = 0; i < 3; i++) keys.add(Keys.builder(8).u64(i).build());
      try (Store store = Store.open(dir, Durability.NONE, 100, List.of("a"))) {
        ColumnFamily cf = store.columnFamily("a");
        store.commit(store.batch().put(cf, keys.get(0), b("v0")).put(cf, keys.get(1), b("v1"))).get();
        // just written: the memtable answers, on the loop, without a worker
        List<byte[]> read = onEventLoop(loop, () -> store.multiGetMemoryFirst(cf, keys, loop));
        assertThat(read).satisfiesExactly(v -> assertThat(v).isEqualTo(b("v0")), v -> assertThat(v).isEqualTo(b("v1")),
            v -> assertThat(v).isNull());
        assertThat(store.memoryReadCount()).isEqualTo(3);
        assertThat(store.diskReadCount()).isZero();
        // a plain read on the loop is still refused
        assertThat(onEventLoopFailure(loop, () -> Future.succeededFuture(store.get(cf, keys.get(0)))))
            .hasMessageContaining("event-loop");
      }
      // Reopened, the values are in a table file (recovery flushes the log) and the block cache is cold.
      try (Store store = Store.open(dir, Durability.NONE, 100, List.of("a"))) {
        ColumnFamily cf = store.columnFamily("a");
        assertThat(onEventLoop(loop, () -> store.getMemoryFirst(cf, keys.get(1), loop))).isEqualTo(b("v1"));
        assertThat(store.diskReadCount()).isEqualTo(1);
        // the worker's read brought the table and its block into memory: the same key now reads on the loop
        assertThat(onEventLoop(loop, () -> store.getMemoryFirst(cf, keys.get(1), loop))).isEqualTo(b("v1"));
        assertThat(store.diskReadCount()).isEqualTo(1);
        assertThat(store.memoryReadCount()).isEqualTo(1);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static Throwable onEventLoopFailure(Context context, java.util.function.Supplier<Future<Object>> read) {
    try {
      onEventLoop(context, read);
    } catch (Exception e) {
      return e.getCause() != null ? e.getCause() : e;
    }
    throw new AssertionError("the read on the event loop did not fail");
  }

  @Test
  void commitStatsCountEveryWriteAndEveryFsync() throws Exception {
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of("a"))) {
      ColumnFamily cf = store.columnFamily("a");
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < 500; i++) all.add(store.commit(store.batch().put(cf, Keys.builder(8).u64(i).build(), b("v"))));
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
      CommitStats stats = store.commitStats();
      assertThat(stats.count(CommitStats.Measure.QUEUE_WAIT_US)).isEqualTo(500);
      assertThat(stats.count(CommitStats.Measure.FSYNC_US)).isEqualTo(store.fsyncCount());
      assertThat(stats.count(CommitStats.Measure.GROUP_SIZE)).isEqualTo(store.fsyncCount());
      assertThat(stats.max(CommitStats.Measure.GROUP_SIZE)).isBetween(1L, 500L);
      assertThat(stats.summary()).contains("fsync_us: n=" + store.fsyncCount());
    }
  }

  @Test
  void histogramBucketsArePowersOfTwo() {
    CommitStats stats = new CommitStats();
    for (long v : new long[] {0, 1, 3, 900, 1000, 5000}) stats.record(CommitStats.Measure.FSYNC_US, v);
    assertThat(stats.countAtLeast(CommitStats.Measure.FSYNC_US, 512)).isEqualTo(3);
    assertThat(stats.countAtLeast(CommitStats.Measure.FSYNC_US, 4096)).isEqualTo(1);
    assertThat(stats.quantileUpperBound(CommitStats.Measure.FSYNC_US, 0.5)).isEqualTo(4);
    assertThat(stats.quantileUpperBound(CommitStats.Measure.FSYNC_US, 1.0)).isEqualTo(8192);
    assertThat(stats.max(CommitStats.Measure.FSYNC_US)).isEqualTo(5000);
  }

  @Test
  void manualWalFlushStillMakesEveryCommitReadableAfterReopen() throws Exception {
    for (Durability mode : Durability.values()) {
      Path d = dir.resolve(mode.name());
      System.setProperty(Store.DB_OPTIONS_PROPERTY, "manual_wal_flush=true");
      try (Store store = Store.open(d, mode, 100, List.of("a"))) {
        ColumnFamily cf = store.columnFamily("a");
        store.commit(store.batch().put(cf, b("k"), b(mode.name()))).get();
        assertThat(store.get(cf, b("k"))).isEqualTo(b(mode.name()));
      } finally {
        System.clearProperty(Store.DB_OPTIONS_PROPERTY);
      }
      try (Store store = Store.open(d, mode, 100, List.of("a"))) {
        assertThat(store.get(store.columnFamily("a"), b("k"))).isEqualTo(b(mode.name()));
      }
    }
  }

  @Test
  void extraDbOptionsAreAppliedAndBadOnesNamed() {
    try (org.rocksdb.DBOptions o = Store.dbOptions("recycle_log_file_num=4; wal_bytes_per_sync=1048576")) {
      assertThat(o.recycleLogFileNum()).isEqualTo(4);
      assertThat(o.walBytesPerSync()).isEqualTo(1048576);
      assertThat(o.keepLogFileNum()).isEqualTo(4);
      assertThat(o.createIfMissing()).isTrue();
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Store.dbOptions("no_such_option=1"))
        .isInstanceOf(StoreException.class).hasMessageContaining("no_such_option");
  }
}
