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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
  /** While set, what reaches the replica waits (unanswered) in {@link #held}, as on a slow replica. */
  private final java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean();
  private final List<Runnable> held = new CopyOnWriteArrayList<>();
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
      Runnable apply = () -> {
        groups.add(ReplicationMessage.decodeGroup(m.body()).stream().map(ReplicationMessage::kind).toList());
        replica.onMessage(m);
      };
      if (hold.get()) {
        Context here = Vertx.currentContext();
        held.add(() -> here.runOnContext(v -> apply.run()));
      } else {
        apply.run();
      }
    }).completion().await(5, TimeUnit.SECONDS);
    // the replica's assignments run on its consumer's context in the server; here nothing else touches it yet
    for (PlacementEntry e : table.values()) replica.assign(e);
    outbox = new ReplicationOutbox(vertx);
    PartitionPositions ownerPositions = new PartitionPositions(ownerStore);
    ReplicationLog ownerLog = new ReplicationLog(ownerStore);
    CommitDeadlines deadlines = new CommitDeadlines(vertx, () -> owners);
    for (int p : new int[] {1, 2}) {
      owners.add(new OwnerPartition(p, 1, 0, List.of("n1"), vertx, outbox, ownerStore, "n0", FAMILIES, ownerPositions,
          ownerLog, vertx.createSharedWorkerExecutor("catch-up", 2), fenced::incrementAndGet, () -> {}, deadlines));
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
        commits.add(o.commit(ownerStore.batch().put(cf, key(o.partition, k), ("v-" + k).getBytes()), ownerContext)
            .toCompletionStage().toCompletableFuture());
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
        ownerStore.batch().put(ownerStore.columnFamily(DATA), key(1, "lone"), "v-lone".getBytes()), ownerContext)
        .toCompletionStage().toCompletableFuture()));
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
  void aReplicasLagInTimeIsTheAgeOfTheOldestWriteItHasNotAcknowledged() throws Exception {
    CompletableFuture.allOf(commitInOneTask("before").toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    OwnerPartition owner = owners.get(0);
    assertThat(owner.lagMillis(System.currentTimeMillis())).isEqualTo(Map.of("n1", 0L));

    hold.set(true);
    long before = System.currentTimeMillis();
    List<CompletableFuture<Void>> first = commitInOneTask("first");
    long between = System.currentTimeMillis();
    List<CompletableFuture<Void>> second = commitInOneTask("second");
    await().atMost(Duration.ofSeconds(10)).until(() -> owner.lag().get("n1") == 2L);
    long later = System.currentTimeMillis() + 60_000;
    // The oldest write the replica lacks is the first: made between "before" and "between".
    assertThat(owner.lagMillis(later).get("n1")).isBetween(later - between, later - before);

    hold.set(false);
    held.forEach(Runnable::run);
    CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    CompletableFuture.allOf(second.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> owner.lag().get("n1") == 0L);
    assertThat(owner.lagMillis(later)).isEqualTo(Map.of("n1", 0L));
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

  /** Holds the store's writer thread (inside a view's completion) until the latch is released. */
  private static CountDownLatch holdWriter(Store store) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    while (true) {
      CompletableFuture<Boolean> held = new CompletableFuture<>();
      store.viewAfterPending().thenAccept(view -> {
        // A view completed before this callback was attached runs it on the test thread: try again.
        boolean onWriter = Thread.currentThread().getName().equals("eventplane-store-writer");
        held.complete(onWriter);
        try {
          if (onWriter) release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        view.close();
      });
      if (held.get(10, TimeUnit.SECONDS)) break;
    }
    return release;
  }

  /** Commits n writes to partition 1 from one task of the context; returns them with their completion order. */
  private List<Future<Void>> commitMany(Context context, int n, List<Integer> completed) throws Exception {
    CompletableFuture<List<Future<Void>>> started = new CompletableFuture<>();
    ownerContext.runOnContext(v -> {
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        Future<Void> f = owners.get(0).commit(
            ownerStore.batch().put(ownerStore.columnFamily(DATA), key(1, "m" + i), ("v-m" + i).getBytes()), context);
        all.add(f.onSuccess(x -> completed.add(k)));
      }
      started.complete(all);
    });
    return started.get(5, TimeUnit.SECONDS);
  }

  @Test
  void commitsSettledByOneReplicaAckCompleteInOneTaskOfTheirContext() throws Exception {
    AtomicInteger tasks = new AtomicInteger();
    Context context = counting(ownerContext, tasks);
    List<Integer> completed = new CopyOnWriteArrayList<>();
    long localBefore = ownerStore.commitCount();
    // The replica cannot make the group durable until released, so the owner's local commits finish first
    // and the replica's one ack for the group is what settles all twenty.
    CountDownLatch release = holdWriter(replicaStore);
    List<Future<Void>> all = commitMany(context, 20, completed);
    await().atMost(Duration.ofSeconds(10)).until(() -> ownerStore.commitCount() - localBefore >= 20);
    assertThat(all).noneMatch(Future::isComplete);
    release.countDown();
    Future.all(all).await(10, TimeUnit.SECONDS);

    assertThat(tasks.get()).isEqualTo(1);
    assertThat(completed).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
  }

  @Test
  void commitsAckedBeforeTheirLocalGroupIsDurableCompleteInOneTaskOfTheirContext() throws Exception {
    AtomicInteger tasks = new AtomicInteger();
    Context context = counting(ownerContext, tasks);
    List<Integer> completed = new CopyOnWriteArrayList<>();
    // The owner's writer is held, so the replica acknowledges first and the local group commit settles all twenty.
    CountDownLatch release = holdWriter(ownerStore);
    List<Future<Void>> all = commitMany(context, 20, completed);
    await().atMost(Duration.ofSeconds(10)).until(() -> owners.get(0).lag().equals(Map.of("n1", 0L)));
    assertThat(all).noneMatch(Future::isComplete);
    release.countDown();
    Future.all(all).await(10, TimeUnit.SECONDS);

    assertThat(tasks.get()).isEqualTo(1);
    assertThat(completed).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
  }
}
