package io.eventplane.common.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.cluster.placement.PlacementEntry;
import io.eventplane.common.cluster.replication.ReplicationMessage.Kind;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner node and a replica node in one Vert.x (two stores, the replica behind its event-bus
 * address, every group going through the frame encoding): batches of several partitions committed
 * in the same task travel as one group with one ack, and a lost group is handled as a lost message
 * is, by a catch-up from the owner's log, without losing an acknowledged write.
 */
class ReplicationGroupTest {
  private static final String DATA = "data";
  private static final List<String> FAMILIES = List.of(DATA);

  @TempDir Path ownerDir;
  @TempDir Path replicaDir;

  private Vertx vertx;
  private Store ownerStore;
  private Store replicaStore;
  private final Map<Integer, PlacementEntry> table = new ConcurrentHashMap<>();
  /** What reached the replica: the kinds of each group, in arrival order. */
  private final List<List<Kind>> groups = new CopyOnWriteArrayList<>();
  /** Groups still to be lost: the replica fails them unread, as a node that died would time out. */
  private final AtomicInteger toLose = new AtomicInteger();
  private ReplicationOutbox outbox;
  private final List<OwnerPartition> owners = new ArrayList<>();
  private final AtomicInteger fenced = new AtomicInteger();
  private Context ownerContext;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    List<String> families = List.of(DATA, PartitionPositions.COLUMN_FAMILY, ReplicationLog.COLUMN_FAMILY);
    ownerStore = Store.open(ownerDir, Durability.FSYNC, 100, families);
    replicaStore = Store.open(replicaDir, Durability.FSYNC, 100, families);
    ReplicaPartitions replica = new ReplicaPartitions(replicaStore, new PartitionPositions(replicaStore),
        new ReplicationLog(replicaStore), FAMILIES, table::get);
    for (int p : new int[] {1, 2}) {
      table.put(p, new PlacementEntry(p, 1, "n0", List.of("n1")));
    }
    vertx.eventBus().<Buffer>consumer(ReplicationMessage.address("n1"), m -> {
      if (toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        m.fail(503, "lost");
        return;
      }
      groups.add(ReplicationMessage.decodeGroup(m.body()).stream().map(ReplicationMessage::kind).toList());
      replica.onMessage(m);
    }).completion().await(5, TimeUnit.SECONDS);
    // the replica's assignments run on its consumer's context in the server; here nothing else touches it yet
    for (PlacementEntry e : table.values()) replica.assign(e);
    outbox = new ReplicationOutbox(vertx);
    PartitionPositions ownerPositions = new PartitionPositions(ownerStore);
    ReplicationLog ownerLog = new ReplicationLog(ownerStore);
    for (int p : new int[] {1, 2}) {
      owners.add(new OwnerPartition(p, 1, 0, List.of("n1"), vertx, outbox, ownerStore, "n0", FAMILIES, ownerPositions,
          ownerLog, vertx.createSharedWorkerExecutor("catch-up", 2), fenced::incrementAndGet, () -> {}));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> owners.stream().allMatch(o -> o.inSyncReplicas().equals(List.of("n1"))));
    owners.forEach(OwnerPartition::activate);
    ownerContext = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    owners.forEach(o -> o.close(new IllegalStateException("test over")));
    vertx.close().await(10, TimeUnit.SECONDS);
    ownerStore.close();
    replicaStore.close();
  }

  private static byte[] key(int partition, String k) {
    byte[] prefix = Partitions.prefix(partition);
    byte[] out = new byte[prefix.length + k.length()];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(k.getBytes(), 0, out, prefix.length, k.length());
    return out;
  }

  /** Commits one write to each owner partition within one task of the owner's context. */
  private List<CompletableFuture<Void>> commitInOneTask(String k) throws Exception {
    CompletableFuture<List<CompletableFuture<Void>>> started = new CompletableFuture<>();
    ownerContext.runOnContext(v -> {
      List<CompletableFuture<Void>> commits = new ArrayList<>();
      ColumnFamily cf = ownerStore.columnFamily(DATA);
      for (OwnerPartition o : owners) {
        commits.add(o.commit(ownerStore.batch().put(cf, key(o.partition, k), ("v-" + k).getBytes())));
      }
      started.complete(commits);
    });
    return started.get(5, TimeUnit.SECONDS);
  }

  private void assertReplicaHas(String k) {
    ColumnFamily cf = replicaStore.columnFamily(DATA);
    for (OwnerPartition o : owners) assertThat(replicaStore.get(cf, key(o.partition, k))).isEqualTo(("v-" + k).getBytes());
  }

  @Test
  void batchesOfSeveralPartitionsReadyTogetherTravelAsOneGroup() throws Exception {
    groups.clear();
    List<CompletableFuture<Void>> commits = commitInOneTask("a");
    CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    assertThat(groups).containsExactly(List.of(Kind.BATCH, Kind.BATCH));
    assertReplicaHas("a");
    assertThat(owners).allSatisfy(o -> assertThat(o.lag()).isEqualTo(Map.of("n1", 0L)));
  }

  @Test
  void aLoneBatchLeavesAtTheEndOfItsTaskWithoutWaitingForMore() throws Exception {
    groups.clear();
    CompletableFuture<CompletableFuture<Void>> started = new CompletableFuture<>();
    ownerContext.runOnContext(v -> started.complete(owners.get(0).commit(
        ownerStore.batch().put(ownerStore.columnFamily(DATA), key(1, "lone"), "v-lone".getBytes()))));
    started.get(5, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    assertThat(groups).containsExactly(List.of(Kind.BATCH));
  }

  @Test
  void groupsOfOneNodeKeepEachPartitionsSequenceOrder() throws Exception {
    groups.clear();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) all.addAll(commitInOneTask("k" + i));
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    for (int i = 0; i < 50; i++) assertReplicaHas("k" + i);
    // a batch out of order would have made the replica ask for a snapshot
    assertThat(groups.stream().flatMap(List::stream)).doesNotContain(Kind.SYNC_BEGIN);
  }

  @Test
  void aLostGroupIsRecoveredFromTheLogAndNoAcknowledgedWriteIsLost() throws Exception {
    // a copy with a batch to match (a copy at position 0 always gets a snapshot)
    CompletableFuture.allOf(commitInOneTask("before").toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    groups.clear();
    toLose.set(1);
    List<CompletableFuture<Void>> commits = commitInOneTask("lost");
    CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

    // both partitions' links took the failed group as a lost message, probed the replica and
    // replayed the lost batch from the log (the writes did not wait for that: the links were not live)
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertReplicaHas("lost"));
    await().atMost(Duration.ofSeconds(20)).until(() -> owners.stream().allMatch(o -> o.inSyncReplicas().equals(List.of("n1"))));
    assertThat(groups.stream().flatMap(List::stream).filter(k -> k == Kind.LOGGED_BATCH).count()).isEqualTo(2);
    assertThat(groups.stream().flatMap(List::stream)).doesNotContain(Kind.SYNC_BEGIN);
    CompletableFuture.allOf(commitInOneTask("after").toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertReplicaHas("after");
  }

  @Test
  void aGroupAnsweredFencedDeposesTheOwner() throws Exception {
    table.put(1, new PlacementEntry(1, 2, "n2", List.of("n1")));
    List<CompletableFuture<Void>> commits = commitInOneTask("f");
    assertThat(commits.get(0)).failsWithin(Duration.ofSeconds(10));
    commits.get(1).get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> fenced.get() == 1);
    assertThat(owners.get(0).isClosed()).isTrue();
  }
}
