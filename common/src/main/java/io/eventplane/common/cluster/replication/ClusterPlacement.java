package io.eventplane.common.cluster.replication;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.eventplane.common.cluster.placement.PlacementEntry;
import io.eventplane.common.cluster.placement.PlacementPlanner;
import io.eventplane.common.cluster.placement.PlacementPlanner.Position;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's placement agent in a cluster: follows the placement table (a Hazelcast map), acts on
 * this node's role per partition (owner: load the partition in the services, replicate writes;
 * replica: apply what the owner sends; neither: nothing), and on the oldest member also runs the
 * coordinator that writes the table ({@link PlacementPlanner}). It is the {@link Placement} the
 * services route by and the {@link PartitionWriter} they commit through.
 *
 * <p>Nothing here polls: table rows, in-sync reports, stored positions and membership changes
 * arrive as Hazelcast events, and a node acts on them when they arrive (the coordinator re-plans,
 * a follower applies the row it was sent). Hazelcast calls the listeners on its own event
 * threads; each callback only hops to this verticle's context, which owns all of the state. Table
 * changes and replica messages are handled on that context, one at a time; Hazelcast's blocking
 * calls run on workers. A slow safety re-check ({@value #SAFETY_CHECK_MILLIS} ms) re-reads
 * the table and re-plans, because Hazelcast does not promise every event: a split-brain merge
 * replaces entries without an event for each, an event queue that overflows drops events (with
 * a warning), and a map partition lost with all its backups vanishes silently.
 */
public final class ClusterPlacement extends VerticleBase implements Placement, PartitionWriter {
  private static final Logger LOG = Logger.getLogger(ClusterPlacement.class.getName());
  static final String TABLE = "eventplane-placement";
  static final String IN_SYNC = "eventplane-in-sync";
  static final String POSITIONS = "eventplane-positions";
  /** How often a node re-reads what events should have told it anyway (see the class comment). */
  static final long SAFETY_CHECK_MILLIS = 10_000;
  /** A coordination round that failed (a Hazelcast call timed out during a membership change) runs again after this. */
  private static final long RETRY_MILLIS = 500;
  private static final long POSITIONS_MILLIS = 5_000;
  private static final long FORMATION_WAIT_MILLIS = 30_000;
  /** Catch-ups that read or copy at the same time; more wait their turn (a returning node has dozens). */
  private static final int CATCH_UP_THREADS = 4;

  private final String self;
  private final HazelcastInstance hazelcast;
  private final Store store;
  private final List<String> families;
  private final PlacementPlanner planner;
  private final int expectedMembers;
  private final PartitionPositions positions;
  private final Map<Integer, PlacementEntry> known = new ConcurrentHashMap<>();
  private final Map<Integer, OwnerPartition> owners = new ConcurrentHashMap<>();
  /** Commits waiting for their replicas fail after {@link OwnerPartition#COMMIT_TIMEOUT_MILLIS}; checked only while some wait. */
  private CommitDeadlines deadlines;
  private final Map<Integer, Future<Void>> transitions = new HashMap<>();
  private final Set<Integer> acquired = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean inSyncDirty = new AtomicBoolean();
  private volatile List<String> live = List.of();
  private volatile boolean ready;
  private ReplicaPartitions replicas;
  private ReplicationOutbox outbox;
  private ReplicationLog log;
  /** Catch-ups read logs and snapshots and wait for replicas here, not in the pool the services' reads use. */
  private WorkerExecutor catchUpWorkers;
  private IMap<Integer, String> table;
  private IMap<Integer, String> inSync;
  private IMap<String, String> storedPositions;
  /** Every partitioned service of the node, each with the context its listener runs on. */
  private final List<Registered> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private MessageConsumer<Buffer> consumer;
  private long startedAt;
  private final List<Long> timers = new ArrayList<>();
  /** Set on this context once the services have registered: rows are applied, rounds run. */
  private boolean following;
  /** A coordination round is running on a worker; {@link #coordinateAgain}: another was asked for meanwhile. */
  private boolean coordinating;
  private boolean coordinateAgain;
  private String publishedPositions;
  private PlacementListeners hazelcastEvents;
  private final List<java.util.function.Consumer<String>> memberLeftListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Recent placement changes applied here (the console's failovers); bounded, in memory. */
  private final PlacementChanges changes = new PlacementChanges();

  /**
   * @param families the column families whose keys start with a partition prefix
   * @param expectedMembers how many nodes the configuration names: a new cluster waits for them
   *     (up to 30 s) before it places partitions, so that no node's data is overlooked
   */
  public ClusterPlacement(String self, HazelcastInstance hazelcast, Store store, List<String> families,
      int replicationFactor, int expectedMembers) {
    this.self = self;
    this.hazelcast = hazelcast;
    this.store = store;
    this.families = List.copyOf(families);
    this.planner = new PlacementPlanner(replicationFactor);
    this.expectedMembers = expectedMembers;
    this.positions = new PartitionPositions(store);
  }

  @Override
  public Future<?> start() {
    startedAt = System.currentTimeMillis();
    log = new ReplicationLog(store);
    replicas = new ReplicaPartitions(store, positions, log, families, known::get);
    outbox = new ReplicationOutbox(vertx);
    deadlines = new CommitDeadlines(vertx, owners::values);
    catchUpWorkers = vertx.createSharedWorkerExecutor("eventplane-catch-up-" + self, CATCH_UP_THREADS);
    hazelcastEvents = new PlacementListeners(hazelcast, context);
    return vertx.executeBlocking(() -> {
      positions.load(store);
      table = hazelcast.getMap(TABLE);
      inSync = hazelcast.getMap(IN_SYNC);
      storedPositions = hazelcast.getMap(POSITIONS);
      String json = positionsJson();
      storedPositions.set(self, json);
      return json;
    }).compose(json -> {
      publishedPositions = json;
      consumer = vertx.eventBus().consumer(ReplicationMessage.address(self), m -> {
        replicas.onMessage(m);
        // A snapshot's end makes this node a live replica, which may be the last thing readiness waited for.
        checkReady();
      });
      return consumer.completion();
    }).onSuccess(v -> refreshLive());
  }

  /**
   * Starts following the table, once every partitioned service has registered: a partition this
   * node owns must never be marked served before its services have loaded it.
   */
  public void startFollowing() {
    context.runOnContext(x -> vertx.executeBlocking(() -> {
      listen();
      return null;
    }).onComplete(ar -> {
      if (ar.failed()) LOG.log(Level.WARNING, "placement: registering the cluster listeners failed", ar.cause());
      following = true;
      timers.add(vertx.setPeriodic(SAFETY_CHECK_MILLIS, t -> recheck()));
      timers.add(vertx.setPeriodic(POSITIONS_MILLIS, t -> publishPositions()));
      // A new cluster waits for every configured member before placing; this round ends the wait.
      long formationLeft = FORMATION_WAIT_MILLIS - (System.currentTimeMillis() - startedAt);
      timers.add(vertx.setTimer(Math.max(1, formationLeft), t -> requestCoordination()));
      recheck();
      markInSyncDirty();
    }));
  }

  /** Blocking: the Hazelcast events this agent acts on, registered before the first full read of the table. */
  private void listen() {
    hazelcastEvents.register(table, inSync, storedPositions, new PlacementListeners.Callbacks(
        this::applyRow,
        this::requestCoordination,
        // Stored positions matter only while a partition has no entry (a cluster forming from stored data).
        () -> {
          if (known.size() < Partitions.COUNT) requestCoordination();
        },
        this::onMembersChanged,
        this::recheck));
  }

  /** Hazelcast's callbacks and futures of other contexts only hand over: the state belongs to this context. */
  private void onContext(Runnable work) {
    context.runOnContext(v -> work.run());
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    if (deadlines != null) deadlines.close();
    owners.values().forEach(o -> o.close(OwnerPartition.notOwner()));
    // Not waited for: with the cluster unreachable a removal could take Hazelcast's invocation
    // timeout, and a callback that still comes only queues a task on this retired context.
    if (hazelcastEvents != null && !hazelcastEvents.isEmpty()) {
      vertx.executeBlocking(() -> {
        hazelcastEvents.removeAll();
        return null;
      }).onFailure(e -> LOG.log(Level.FINE, "removing the placement listeners failed", e));
    }
    if (catchUpWorkers != null) catchUpWorkers.close();
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  // ---- Placement

  @Override
  public String self() {
    return self;
  }

  @Override
  public String ownerOf(int partition) {
    PlacementEntry e = known.get(partition);
    if (e == null) return null;
    return live.contains(e.owner()) ? e.owner() : null;
  }

  @Override
  public List<String> replicasOf(int partition) {
    PlacementEntry e = known.get(partition);
    if (e == null) return List.of();
    return e.replicas().stream().filter(r -> live.contains(r) && !r.equals(e.owner())).toList();
  }

  @Override
  public List<String> members() {
    return live;
  }

  @Override
  public Future<Void> register(PartitionListener listener, Context context, java.util.function.IntPredicate partitions) {
    listeners.add(new Registered(listener, context, partitions));
    return Future.succeededFuture();
  }

  /** A service (or one lane of it) that hears only of the partitions its filter accepts. */
  private record Registered(PartitionListener listener, Context context, java.util.function.IntPredicate partitions) {}

  // ---- PartitionWriter

  @Override
  public Future<Void> commit(int partition, Batch batch, Context context) {
    OwnerPartition o = owners.get(partition);
    if (o == null) {
      batch.close();
      return Future.failedFuture(OwnerPartition.notOwner());
    }
    return o.commit(batch, context);
  }

  // ---- following the table

  private void refreshLive() {
    List<String> nodes = new ArrayList<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      String id = m.getAttribute("eventplane.node-id");
      if (id != null) nodes.add(id);
    }
    List<String> before = live;
    live = List.copyOf(nodes);
    for (String node : before) {
      if (!nodes.contains(node)) memberLeftListeners.forEach(l -> l.accept(node));
    }
  }

  @Override
  public void onMemberLeft(java.util.function.Consumer<String> listener) {
    memberLeftListeners.add(listener);
  }

  private boolean isCoordinator() {
    Member oldest = hazelcast.getCluster().getMembers().iterator().next();
    return oldest.localMember();
  }

  private void onMembersChanged() {
    refreshLive();
    requestCoordination();
  }

  /**
   * The safety net under the events (see the class comment): re-reads membership and the whole
   * table, publishes an in-sync report that may not have gone out, and re-plans on the coordinator.
   */
  private void recheck() {
    if (!following) return;
    refreshLive();
    vertx.executeBlocking(() -> {
      Map<Integer, String> rows = new HashMap<>();
      for (Map.Entry<Integer, String> e : table.entrySet()) rows.put(e.getKey(), e.getValue());
      return rows;
    }).onSuccess(rows -> {
      rows.values().forEach(this::applyRow);
      checkReady();
      requestCoordination();
    }).onFailure(e -> LOG.log(Level.FINE, "placement re-check failed", e));
  }

  /** On this context: takes a row that is newer than what this node knows and acts on it. */
  private void applyRow(String json) {
    if (!following || json == null) return;
    PlacementEntry e = PlacementEntry.fromJson(json);
    PlacementEntry before = known.get(e.partition());
    if (before == null || e.epoch() > before.epoch()) {
      known.put(e.partition(), e);
      changes.applied(before, e, live, System.currentTimeMillis());
      transition(e);
    }
  }

  /** Any thread: an owned partition's in-sync replicas changed; the coordinator hears of it soon. */
  private void markInSyncDirty() {
    if (inSyncDirty.compareAndSet(false, true)) {
      context.runOnContext(v -> vertx.executeBlocking(() -> {
        // Cleared before reading, so that a change during the publication schedules another one.
        inSyncDirty.set(false);
        publishInSync();
        return null;
      }).onFailure(e -> {
        LOG.log(Level.FINE, "publishing in-sync replicas failed", e);
        vertx.setTimer(RETRY_MILLIS, t -> markInSyncDirty());
      }));
    }
  }

  /** Blocking: this node's in-sync replicas per owned partition, for the coordinator's hand-overs and promotions. */
  private void publishInSync() {
    for (Map.Entry<Integer, OwnerPartition> e : owners.entrySet()) {
      OwnerPartition o = e.getValue();
      if (o.isClosed()) continue;
      // Begun before the write, confirmed after it: a replica left out stops counting for acks only
      // once the coordinator can no longer read a report that names it (see OwnerPartition).
      OwnerPartition.InSyncReport report = o.beginPublish();
      inSync.set(e.getKey(), new JsonObject().put("epoch", report.epoch()).put("owner", self)
          .put("nodes", new JsonArray(new ArrayList<>(report.nodes()))).encode());
      o.confirmPublished(report);
    }
  }

  /** Positions change with every write, but matter only when a cluster forms: publish them when changed, at most every few seconds. */
  private void publishPositions() {
    String json = positionsJson();
    if (json.equals(publishedPositions)) return;
    vertx.executeBlocking(() -> {
      storedPositions.set(self, json);
      return null;
    }).onSuccess(v -> publishedPositions = json).onFailure(e -> LOG.log(Level.FINE, "publishing positions failed", e));
  }

  /** Acts on a new entry for a partition, after any earlier change of the same partition finished. */
  private void transition(PlacementEntry e) {
    int p = e.partition();
    Future<Void> previous = transitions.getOrDefault(p, Future.succeededFuture());
    Future<Void> next = previous.transform(ignored -> apply(e)).recover(err -> {
      LOG.log(Level.WARNING, "placement change of partition " + p + " failed", err);
      return Future.succeededFuture();
    }).onComplete(x -> onContext(this::checkReady)); // the listeners' futures complete on their own contexts
    transitions.put(p, next);
  }

  private Future<Void> apply(PlacementEntry e) {
    int p = e.partition();
    if (known.get(p) != null && known.get(p).epoch() > e.epoch()) return Future.succeededFuture(); // superseded
    OwnerPartition current = owners.get(p);
    if (e.owner().equals(self)) {
      if (current != null && !current.isClosed()) {
        current.update(e.epoch(), e.replicas());
        return Future.succeededFuture();
      }
      return becomeOwner(e);
    }
    Future<Void> released = current != null ? release(p, current) : Future.succeededFuture();
    return released.map(v -> {
      if (e.replicas().contains(self)) replicas.assign(e);
      else replicas.unassign(p);
      return null;
    });
  }

  private Future<Void> becomeOwner(PlacementEntry e) {
    int p = e.partition();
    CompletableFuture<Void> applied = replicas.fence(p);
    return Future.fromCompletionStage(applied, context).compose(v -> {
      long seq = positions.get(p).seq();
      OwnerPartition o = new OwnerPartition(p, e.epoch(), seq, e.replicas(), vertx, outbox, store, self, families, positions,
          log, catchUpWorkers, () -> vertx.runOnContext(x -> onFenced(p)), this::markInSyncDirty, deadlines);
      owners.put(p, o);
      return onListeners(p, l -> l.acquire(p)).map(x -> {
        o.activate();
        acquired.add(p);
        markInSyncDirty();
        return null;
      });
    });
  }

  private Future<Void> release(int p, OwnerPartition o) {
    owners.remove(p, o);
    acquired.remove(p);
    o.close(OwnerPartition.notOwner());
    return onListeners(p, l -> l.release(p));
  }

  private void onFenced(int p) {
    OwnerPartition o = owners.get(p);
    if (o == null) return;
    LOG.warning("partition " + p + ": a replica knows a newer owner; this node stops serving it");
    transitions.put(p, transitions.getOrDefault(p, Future.succeededFuture()).transform(x -> release(p, o)));
  }

  /** Runs the work for every service (lane) registered for the partition, each on its own context; completes when all have. */
  private Future<Void> onListeners(int p, java.util.function.Function<PartitionListener, Future<Void>> work) {
    if (listeners.isEmpty()) return Future.failedFuture(new IllegalStateException("no partitioned service registered"));
    List<Future<Void>> all = new ArrayList<>();
    for (Registered r : listeners) {
      if (!r.partitions().test(p)) continue;
      Promise<Void> done = Promise.promise();
      r.context().runOnContext(v -> work.apply(r.listener()).onComplete(done));
      all.add(done.future());
    }
    return Future.all(all).mapEmpty();
  }

  // ---- coordinator

  /**
   * On this context: runs a coordination round on a worker if this node is the coordinator; rounds
   * never overlap, and a request during a round runs one more afterwards. Asked for by every event
   * that can change a decision: membership, in-sync reports, stored positions, the formation timer.
   */
  private void requestCoordination() {
    if (!following) return;
    if (coordinating) {
      coordinateAgain = true;
      return;
    }
    if (!isCoordinator()) return;
    coordinating = true;
    coordinateAgain = false;
    vertx.executeBlocking(this::coordinate, false).onComplete(ar -> {
      coordinating = false;
      if (ar.failed()) {
        LOG.log(Level.FINE, "coordination round failed", ar.cause());
        vertx.setTimer(RETRY_MILLIS, t -> requestCoordination());
      } else if (coordinateAgain) {
        requestCoordination();
      } else if (ar.result()) {
        // A round that changed the table plans once more on the new table, in case a next step needs
        // no new event; after a pause, so that a planner that never settled could not spin a core.
        vertx.setTimer(100, t -> requestCoordination());
      }
    });
  }

  /** Blocking. One round: plans from what the maps hold now and writes the changes; true if it wrote any. */
  private boolean coordinate() {
    List<String> members = live;
    if (members.size() * 2 <= expectedMembers) {
      // A minority (this node cut off, or most of the cluster down) must not place anything: the
      // majority may be placing the same partitions elsewhere. Writes in the minority stall or
      // are refused by replicas that know a newer owner.
      return false;
    }
    Map<Integer, PlacementEntry> current = new HashMap<>();
    for (Map.Entry<Integer, String> e : table.entrySet()) current.put(e.getKey(), PlacementEntry.fromJson(e.getValue()));
    boolean forming = current.size() < Partitions.COUNT;
    if (forming && members.size() < expectedMembers && System.currentTimeMillis() - startedAt < FORMATION_WAIT_MILLIS) {
      return false;
    }
    Map<Integer, Set<String>> synced = new HashMap<>();
    for (Map.Entry<Integer, String> e : inSync.entrySet()) {
      JsonObject j = new JsonObject(e.getValue());
      PlacementEntry entry = current.get(e.getKey());
      if (entry != null && entry.epoch() == j.getLong("epoch") && entry.owner().equals(j.getString("owner"))) {
        Set<String> nodes = new HashSet<>();
        j.getJsonArray("nodes").forEach(n -> nodes.add((String) n));
        synced.put(e.getKey(), nodes);
      }
    }
    Map<String, Map<Integer, Position>> stored = new HashMap<>();
    if (forming) {
      for (Map.Entry<String, String> e : storedPositions.entrySet()) {
        if (members.contains(e.getKey())) stored.put(e.getKey(), parsePositions(e.getValue()));
      }
    }
    List<PlacementEntry> changes = planner.plan(current, members, synced, stored);
    for (PlacementEntry change : changes) {
      LOG.info("placement: partition " + change.partition() + " epoch " + change.epoch() + " owner " + change.owner()
          + " replicas " + change.replicas());
      table.set(change.partition(), change.toJson());
    }
    return !changes.isEmpty();
  }

  private String positionsJson() {
    JsonObject j = new JsonObject();
    positions.all().forEach((p, pos) -> {
      if (pos.epoch() > 0) j.put(Integer.toString(p), new JsonArray().add(pos.epoch()).add(pos.seq()));
    });
    return j.encode();
  }

  private static Map<Integer, Position> parsePositions(String json) {
    Map<Integer, Position> out = new HashMap<>();
    new JsonObject(json).forEach(e -> {
      JsonArray a = (JsonArray) e.getValue();
      out.put(Integer.parseInt(e.getKey()), new Position(a.getLong(0), a.getLong(1)));
    });
    return out;
  }

  // ---- ops surface

  /**
   * Ready: the node has joined, the table covers every partition, and it has taken up every role it
   * was given: loaded the partitions it owns, caught up (snapshot copied) on those it replicates,
   * and taken over those it ranks first for from a live owner. Latches once reached, so a replica
   * re-copying later does not fail health probes.
   */
  public boolean ready() {
    return ready;
  }

  /** On this context: the readiness check, until it first holds. */
  private void checkReady() {
    if (ready || known.size() < Partitions.COUNT) return;
    for (PlacementEntry e : known.values()) {
      if (e.owner().equals(self) && !acquired.contains(e.partition())) return;
      if (e.replicas().contains(self) && !replicas.isLive(e.partition())) return;
      // A returning node takes back the partitions it ranks first for as soon as it has caught up
      // (pushed placement does that within milliseconds): it reports ready once those hand-overs
      // are done, so that its first requests (a ListTopics gathering from every node) do not fall
      // into the moment a partition is released by one node and not yet loaded by the other.
      if (!e.owner().equals(self) && live.contains(e.owner())
          && self.equals(io.eventplane.common.cluster.placement.Rendezvous.ranking(e.partition(), live).get(0))) {
        return;
      }
    }
    ready = true;
    LOG.info("node " + self + " is ready: joined, owns " + acquired.size() + " partitions, replicas caught up");
  }

  /**
   * For each partition this node owns now, how many writes each replica is behind (the metrics'
   * replication lag). Safe from any thread: the owners' map is concurrent and each lag is read under its lock.
   */
  public Map<Integer, Map<String, Long>> replicationLag() {
    Map<Integer, Map<String, Long>> out = new java.util.TreeMap<>();
    owners.forEach((p, o) -> {
      if (!o.isClosed()) out.put(p, new java.util.HashMap<>(o.lag()));
    });
    return out;
  }

  /**
   * For each partition this node owns now, how long ago (ms) the oldest write each replica has not
   * acknowledged was made here (0 when it has them all, -1 while it is not live). Safe from any thread.
   */
  public Map<Integer, Map<String, Long>> replicationLagMillis() {
    long now = System.currentTimeMillis();
    Map<Integer, Map<String, Long>> out = new java.util.TreeMap<>();
    owners.forEach((p, o) -> {
      if (!o.isClosed()) out.put(p, o.lagMillis(now));
    });
    return out;
  }

  /** Members, every partition's owner, replicas and epoch, and for partitions owned here the replicas' lag. */
  public JsonObject describe() {
    JsonArray parts = new JsonArray();
    for (int p = 0; p < Partitions.COUNT; p++) {
      PlacementEntry e = known.get(p);
      if (e == null) continue;
      JsonObject row = new JsonObject().put("partition", p).put("epoch", e.epoch()).put("owner", e.owner())
          .put("replicas", new JsonArray(new ArrayList<>(e.replicas())));
      OwnerPartition o = owners.get(p);
      if (o != null && !o.isClosed()) {
        JsonObject lag = new JsonObject();
        o.lag().forEach(lag::put);
        JsonObject catchUps = new JsonObject();
        o.catchUps().forEach((node, n) -> catchUps.put(node, new JsonObject().put("fromLog", n[0]).put("snapshots", n[1])));
        JsonObject lagMillis = new JsonObject();
        o.lagMillis(System.currentTimeMillis()).forEach(lagMillis::put);
        row.put("replicationLag", lag).put("seq", o.seq()).put("catchUps", catchUps).put("replicationLagMillis", lagMillis);
      }
      parts.add(row);
    }
    int owned = 0;
    int replicated = 0;
    for (PlacementEntry e : known.values()) {
      if (e.owner().equals(self)) owned++;
      else if (e.replicas().contains(self)) replicated++;
    }
    return new JsonObject().put("ready", ready()).put("coordinator", isCoordinator())
        .put("ownedPartitions", owned).put("replicaPartitions", replicated)
        .put("live", new JsonArray(new ArrayList<>(live))).put("partitions", parts)
        .put("changes", changes.recent(PlacementChanges.CAPACITY, true));
  }
}
