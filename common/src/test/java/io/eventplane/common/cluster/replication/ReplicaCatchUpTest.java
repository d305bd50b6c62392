package io.eventplane.common.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.cluster.placement.PlacementEntry;
import io.eventplane.common.cluster.replication.ReplicationMessage.Kind;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner node and a replica node of one partition in one Vert.x (two stores, every message
 * through the frame encoding and the replica's event-bus address). The replica is taken away (its
 * address fails every group, as a node that died would time out) while the owner keeps taking
 * writes, then it returns: it gets exactly the batches it missed from the owner's log, or a snapshot
 * when they are past the log's retention, and the owner's writes never wait for either.
 */
class ReplicaCatchUpTest {
  private static final int PARTITION = 3;
  private static final String DATA = "data";
  private static final List<String> FAMILIES = List.of(DATA);

  @TempDir Path ownerDir;
  @TempDir Path replicaDir;

  private Vertx vertx;
  private Store ownerStore;
  private Store replicaStore;
  private ReplicaPartitions replica;
  private PartitionPositions replicaPositions;
  private OwnerPartition owner;
  private WorkerExecutor workers;
  private Context ownerContext;
  private final Map<Integer, PlacementEntry> table = new ConcurrentHashMap<>();
  /** Every message that reached the replica, in arrival order. */
  private final List<ReplicationMessage> received = new CopyOnWriteArrayList<>();
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicInteger fenced = new AtomicInteger();

  /** Starts both nodes; the owner keeps at most {@code retainBatches} batches in its log. */
  private void start(int retainBatches) throws Exception {
    openStores();
    startOwner(retainBatches);
    await().atMost(Duration.ofSeconds(20)).until(() -> owner.inSyncReplicas().equals(List.of("n1")));
  }

  private void openStores() {
    vertx = Vertx.vertx();
    List<String> families = List.of(DATA, PartitionPositions.COLUMN_FAMILY, ReplicationLog.COLUMN_FAMILY);
    ownerStore = Store.open(ownerDir, Durability.FSYNC, 100, families);
    replicaStore = Store.open(replicaDir, Durability.FSYNC, 100, families);
  }

  /** Starts the replica, then the owner, which starts catching the replica up at once; writes may flow. */
  private void startOwner(int retainBatches) throws Exception {
    table.put(PARTITION, new PlacementEntry(PARTITION, 1, "n0", List.of("n1")));
    replicaPositions = new PartitionPositions(replicaStore);
    replica = new ReplicaPartitions(replicaStore, replicaPositions, new ReplicationLog(replicaStore),
        FAMILIES, table::get);
    vertx.eventBus().<Buffer>consumer(ReplicationMessage.address("n1"), m -> {
      if (down.get()) {
        m.fail(503, "down");
        return;
      }
      received.addAll(ReplicationMessage.decodeGroup(m.body()));
      replica.onMessage(m);
    }).completion().await(5, TimeUnit.SECONDS);
    replica.assign(table.get(PARTITION));
    workers = vertx.createSharedWorkerExecutor("catch-up", 2);
    ownerContext = vertx.getOrCreateContext();
    owner = new OwnerPartition(PARTITION, 1, 0, List.of("n1"), vertx, new ReplicationOutbox(vertx), ownerStore, "n0", FAMILIES,
        new PartitionPositions(ownerStore), new ReplicationLog(ownerStore, retainBatches, 64L * 1024 * 1024), workers,
        fenced::incrementAndGet, () -> {}, new CommitDeadlines(vertx, () -> List.of(owner)));
    owner.activate();
  }

  @AfterEach
  void stop() throws Exception {
    if (owner != null) owner.close(new IllegalStateException("test over"));
    if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
    if (ownerStore != null) ownerStore.close();
    if (replicaStore != null) replicaStore.close();
  }

  private static byte[] key(String k) {
    byte[] prefix = Partitions.prefix(PARTITION);
    byte[] out = new byte[prefix.length + k.length()];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(k.getBytes(), 0, out, prefix.length, k.length());
    return out;
  }

  /** Commits one write on the owner's context (as a service lane would) and returns its acknowledgement. */
  private CompletableFuture<Void> write(String k, byte[] value) {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    ownerContext.runOnContext(v -> owner.commit(ownerStore.batch().put(ownerStore.columnFamily(DATA), key(k), value), ownerContext)
        .onComplete(ar -> {
          if (ar.succeeded()) ack.complete(null);
          else ack.completeExceptionally(ar.cause());
        }));
    return ack;
  }

  private void writeAll(String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) write(prefix + i, ("v-" + prefix + i).getBytes()).get(10, TimeUnit.SECONDS);
  }

  private void assertReplicaHas(String prefix, int count) {
    ColumnFamily cf = replicaStore.columnFamily(DATA);
    for (int i = 0; i < count; i++) assertThat(replicaStore.get(cf, key(prefix + i))).isEqualTo(("v-" + prefix + i).getBytes());
  }

  private List<Long> seqsOf(Kind kind) {
    return received.stream().filter(m -> m.kind() == kind).map(ReplicationMessage::seq).toList();
  }

  /** Takes the replica away until the owner has noticed (a group failed: its link is no longer live). */
  private void takeReplicaAway() throws Exception {
    down.set(true);
    write("noticed", "v-noticed".getBytes()).get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> owner.inSyncReplicas().isEmpty());
  }

  @Test
  void aReplicaThatMissedBatchesGetsExactlyThoseFromTheLog() throws Exception {
    start(ReplicationLog.DEFAULT_RETAIN_BATCHES);
    writeAll("before", 20);
    long replicaHad = owner.seq();
    takeReplicaAway();
    // acknowledged while the replica is away: the owner does not wait for a replica that is not live
    writeAll("missed", 30);
    long ownerHas = owner.seq();
    int snapshotsBefore = owner.catchUps().get("n1")[1];
    received.clear();

    down.set(false);
    await().atMost(Duration.ofSeconds(20)).until(() -> owner.inSyncReplicas().equals(List.of("n1")));

    List<Long> expected = new ArrayList<>();
    for (long s = replicaHad + 1; s <= ownerHas; s++) expected.add(s);
    assertThat(seqsOf(Kind.LOGGED_BATCH)).containsExactlyElementsOf(expected);
    assertThat(seqsOf(Kind.SYNC_BEGIN)).isEmpty();
    assertThat(seqsOf(Kind.SYNC_CHUNK)).isEmpty();
    assertReplicaHas("missed", 30);
    assertThat(owner.catchUps().get("n1")[1]).isEqualTo(snapshotsBefore);
    writeAll("after", 5);
    assertReplicaHas("after", 5);
    assertThat(replica.isLive(PARTITION)).isTrue();
  }

  @Test
  void aGapPastTheLogsRetentionIsFilledByASnapshot() throws Exception {
    start(8);
    writeAll("before", 5);
    int snapshotsBefore = owner.catchUps().get("n1")[1];
    takeReplicaAway();
    writeAll("missed", 40);
    received.clear();

    down.set(false);
    await().atMost(Duration.ofSeconds(20)).until(() -> owner.inSyncReplicas().equals(List.of("n1")));

    assertThat(seqsOf(Kind.SYNC_BEGIN)).containsExactly(owner.seq());
    assertThat(seqsOf(Kind.LOGGED_BATCH)).isEmpty();
    assertReplicaHas("before", 5);
    assertReplicaHas("missed", 40);
    assertThat(owner.catchUps().get("n1")[1]).isEqualTo(snapshotsBefore + 1);
    // after the snapshot the replica keeps a log of its own again, from the batches that follow it
    writeAll("after", 5);
    assertReplicaHas("after", 5);
  }

  @Test
  void aReplicaWhoseLastBatchIsNotTheOwnersGetsASnapshot() throws Exception {
    start(ReplicationLog.DEFAULT_RETAIN_BATCHES);
    writeAll("before", 5);
    takeReplicaAway();
    writeAll("missed", 5);
    // The replica's copy took another history at its last sequence (as an old owner's unacknowledged
    // batch would): same sequence, another epoch.
    long last = replicaPositions.get(PARTITION).seq();
    CompletableFuture<Void> rewritten = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      Batch b = replicaStore.batch();
      replicaPositions.record(b, PARTITION, new io.eventplane.common.cluster.placement.PlacementPlanner.Position(7, last));
      replicaStore.commit(b).whenComplete((x, e) -> rewritten.complete(null));
    });
    rewritten.get(10, TimeUnit.SECONDS);
    received.clear();

    down.set(false);
    await().atMost(Duration.ofSeconds(20)).until(() -> owner.inSyncReplicas().equals(List.of("n1")));
    assertThat(seqsOf(Kind.SYNC_BEGIN)).hasSize(1);
    assertThat(seqsOf(Kind.LOGGED_BATCH)).isEmpty();
    assertReplicaHas("missed", 5);
  }

  /**
   * The "catch-up while the owner takes writes": the owner holds a partition of 32 MiB that
   * the new replica must be copied whole (it has no copy), while four writers keep committing. No
   * gap between consecutive acknowledged writes reaches 100 ms although the copy takes far longer
   * (asserted, so that a design that held writes during the copy would fail here), and once the
   * replica is in sync, every acknowledged write is in its copy as the replica would serve it when
   * promoted.
   */
  @Test
  void aCatchUpWhileTheOwnerTakesWritesNeverStallsThemAndLosesNothing() throws Exception {
    openStores();
    ColumnFamily cf = ownerStore.columnFamily(DATA);
    byte[] value = new byte[1024];
    for (int batch = 0; batch < 32; batch++) {
      Batch b = ownerStore.batch();
      for (int i = 0; i < 1024; i++) b.put(cf, key("bulk-" + batch + "-" + i), value);
      ownerStore.commit(b).get(30, TimeUnit.SECONDS);
    }

    // The replica is away when the owner starts: the writers warm up on local commits alone.
    down.set(true);
    startOwner(ReplicationLog.DEFAULT_RETAIN_BATCHES);
    Writers writers = new Writers(4);
    Thread.sleep(1000);
    long warm = System.nanoTime();
    Thread.sleep(2000);
    long started = System.nanoTime();
    down.set(false);
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
        .until(() -> owner.inSyncReplicas().equals(List.of("n1")));
    long caughtUp = System.nanoTime();
    // The same writers with the replica live, for comparison: what this machine's gaps are without a catch-up.
    Thread.sleep(Math.min(5000, (caughtUp - started) / 1_000_000));
    long baselineEnd = System.nanoTime();
    List<String> acknowledged = writers.stop();

    long catchUpMillis = (caughtUp - started) / 1_000_000;
    long duringGap = writers.longestGap(started, caughtUp);
    long baselineGap = Math.max(writers.longestGap(warm, started), writers.longestGap(caughtUp, baselineEnd));
    int duringCount = writers.count(started, caughtUp);
    System.out.printf("catch-up of 32 MiB (snapshot) took %d ms; %d writes acknowledged meanwhile, longest gap between acks"
        + " %.1f ms; without a catch-up (2 s before with the replica away, %d ms after with it live): longest gap %.1f ms%n",
        catchUpMillis, duringCount, duringGap / 1e6, (baselineEnd - caughtUp) / 1_000_000, baselineGap / 1e6);
    assertThat(owner.catchUps().get("n1")[1]).isEqualTo(1);
    // 100 ms; on a machine that stalls these writers longer without any catch-up (a loaded build
    // host, where both "nodes" of this test share the cores and the disk the copy keeps busy), four
    // times that, or a tenth of the copy when the host slows the copy itself down. A design that
    // held writes for the copy shows a gap as long as the copy, which lasts well beyond the bound.
    long machineBound = Math.max(TimeUnit.MILLISECONDS.toNanos(100), 4 * baselineGap);
    long bound = Math.max(machineBound, (caughtUp - started) / 10);
    assertThat(caughtUp - started).isGreaterThan(2 * machineBound);
    assertThat(duringCount).isGreaterThan(20);
    assertThat(duringGap).isLessThan(bound);

    // promotion: the replica stops applying and waits for what it applied to be durable
    CompletableFuture<CompletableFuture<Void>> fencing = new CompletableFuture<>();
    vertx.runOnContext(v -> fencing.complete(replica.fence(PARTITION)));
    fencing.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    ColumnFamily replicaCf = replicaStore.columnFamily(DATA);
    for (String k : acknowledged) assertThat(replicaStore.get(replicaCf, key(k))).as(k).isEqualTo(("v-" + k).getBytes());
    assertThat(replicaStore.get(replicaCf, key("bulk-31-1023"))).isEqualTo(value);
  }

  /** Threads that each commit one write after another, recording when each was acknowledged. */
  private final class Writers {
    private final List<long[]> acks = new CopyOnWriteArrayList<>();
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Writers(int count) {
      for (int w = 0; w < count; w++) {
        int writer = w;
        Thread t = new Thread(() -> {
          for (int i = 0; writing.get(); i++) {
            String k = "w" + writer + "-" + i;
            try {
              write(k, ("v-" + k).getBytes()).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException("write " + k + " failed", e);
            }
            acks.add(new long[] {System.nanoTime()});
            acknowledged.add(k);
          }
        }, "writer-" + w);
        t.start();
        threads.add(t);
      }
    }

    List<String> stop() throws InterruptedException {
      writing.set(false);
      for (Thread t : threads) t.join(20_000);
      return acknowledged;
    }

    private List<Long> between(long from, long to) {
      return acks.stream().map(a -> a[0]).filter(t -> t >= from && t <= to).sorted().toList();
    }

    int count(long from, long to) {
      return between(from, to).size();
    }

    /** The longest time without an acknowledgement in [from, to], its ends included. */
    long longestGap(long from, long to) {
      long last = from;
      long longest = 0;
      for (long t : between(from, to)) {
        longest = Math.max(longest, t - last);
        last = t;
      }
      return Math.max(longest, to - last);
    }
  }
}
