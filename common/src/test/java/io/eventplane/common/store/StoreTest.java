package io.eventplane.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
