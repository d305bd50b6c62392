package io.eventplane.storage;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneCalls;
import io.eventplane.common.partition.Lanes;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.partition.ServiceLane;
import io.eventplane.storage.api.S3Api;
import io.eventplane.storage.blob.BlobFiles;
import io.eventplane.storage.domain.BucketName;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.notify.Notifier;
import io.eventplane.storage.replication.BlobReplicas;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One lane of a node's S3 service: the buckets of the partitions {@code p % lanes == lane}, on a
 * context of their own, with their own object write order, outboxes (notifications, bucket
 * replication), schedule and lifecycle runs. Requests arrive at the lane's local address straight
 * from the gateway's event loop, at its node address from other nodes, and at {@link Contracts#S3}
 * from elsewhere on this node (Vert.x spreads those over the lanes; a lane passes one that is not
 * its own to the owning lane). What concerns a bucket of another lane (a copy's source, a
 * replication destination) goes through {@link #route}, which reaches that lane over the local
 * event bus or the owner node; node-wide questions (ListBuckets, reset) ask every lane.
 */
final class StorageLane extends VerticleBase implements PartitionListener, ServiceLane {
  /** At FINEST, one record per operation run here: which lane (and thread) served which partition. */
  private static final Logger LOG = Logger.getLogger(StorageLane.class.getName());
  private static final String RESET = "Reset";
  /** Resets every lane of the node that receives it, then deletes the node's blobs. */
  private static final String RESET_NODE = "eventplane:ResetNode";
  /** Resets the lane that receives it. */
  private static final String RESET_LANE = "eventplane:ResetLane";
  /** This node's part of ListBuckets, gathered from every lane. */
  private static final String LIST = "eventplane:ListBuckets";
  /** One lane's part of ListBuckets. */
  private static final String LIST_LANE = "eventplane:ListLaneBuckets";

  private final int lane;
  private final int lanes;
  private final StorageNode node;
  private final Placement placement;
  /** Partitions whose due schedule entries or lifecycle sweep are being run (a slow run is not started twice). */
  private final Set<String> running = new HashSet<>();
  /** The due-schedule and lifecycle timers: set while this lane holds a bucket. */
  private final List<Long> timers = new ArrayList<>();
  private boolean stopped;
  private BlobReplicas replicas;
  private Buckets buckets;
  private Notifier notifier;
  private S3Api api;
  private NodeCalls calls;
  private LaneCalls laneCalls;
  private PartitionRouter router;
  private Runnable stopRefreshing = () -> {};
  private Runnable stopSampling = () -> {};

  StorageLane(int lane, int lanes, StorageNode node) {
    this.lane = lane;
    this.lanes = lanes;
    this.node = node;
    this.placement = node.placement();
  }

  @Override
  public Future<?> start() {
    buckets = new Buckets(vertx, context, new ObjectStore(node.store(), node.writer()));
    notifier = new Notifier(vertx, buckets, new io.eventplane.storage.notify.DestinationPermissions(node.deliveries(), context));
    if (node.metrics().enabled()) {
      BucketMeters meters = new BucketMeters(node.metrics().registry(), buckets, notifier);
      io.vertx.core.Context lane = context;
      stopRefreshing = node.metrics().beforeScrape(() -> {
        Promise<Void> refreshed = Promise.promise();
        lane.runOnContext(v -> {
          try {
            meters.refresh().onComplete(refreshed);
          } catch (RuntimeException e) {
            refreshed.fail(e);
          }
        });
        return refreshed.future();
      });
    }
    if (node.awsMetrics() != io.eventplane.common.cloudwatch.AwsMetrics.NONE) {
      stopSampling = node.awsMetrics().register(context, new BucketCloudWatch(buckets, node.clock().millis()));
    }
    calls = new NodeCalls(vertx, Contracts.S3, Map.of(), lanes);
    laneCalls = new LaneCalls(vertx, Contracts.S3, lanes);
    replicas = node.endpointUrl() == null ? null : new BlobReplicas(vertx, placement, calls, node.blobs(), node.nodeSigner());
    api = new S3Api(vertx, buckets, node.blobs(), replicas, notifier, node.clock(), node.settings(), node.endpointUrl(),
        this::route);
    buckets.whenBucketHeld(this::holdingBuckets);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "S3");
    return router.listen(Lanes.address(Contracts.S3, lane), this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context, p -> Lanes.of(p, lanes) == lane));
  }

  /**
   * Opens the service's shared local address on this lane's context. Called once every lane has
   * started, so a request passed on to its owning lane always finds it listening.
   */
  @Override
  public Future<Void> listenShared() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> router.listenLocal(Contracts.S3, this::onClientRequest).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    stopRefreshing.run();
    stopSampling.run();
    timers.forEach(vertx::cancelTimer);
    return router == null ? Future.succeededFuture() : router.close();
  }

  /**
   * A bucket arrived on this lane: its schedule (restores) and lifecycle rules are looked at from
   * now on, due restores at least every second (sooner with a short lifecycle interval). The
   * schedule itself is in the store, so these timers only decide how soon it is read. A lane that
   * holds no bucket has nothing due and sets no timer (an idle node's CPU is mostly wake-ups).
   */
  private void holdingBuckets() {
    if (!timers.isEmpty() || stopped) return;
    long lifecycleInterval = node.settings().lifecycleIntervalMillis();
    timers.add(vertx.setPeriodic(Math.min(1000, lifecycleInterval), id -> {
      if (buckets.isEmpty()) {
        timers.forEach(vertx::cancelTimer);
        timers.clear();
      } else {
        everyOwned("due", api::runDue);
      }
    }));
    timers.add(vertx.setPeriodic(lifecycleInterval, id -> everyOwned("lifecycle", api::sweepLifecycle)));
  }

  private void everyOwned(String what, Function<Integer, Future<Void>> run) {
    // Schedules and lifecycle rules belong to buckets: a partition without any has nothing due, so
    // an idle node does not read the store for it every second (a schedule a deleted bucket left
    // behind is dropped once the partition has a bucket again, as before: it concerns no object).
    for (Integer p : new ArrayList<>(buckets.partitions())) {
      if (!buckets.inPartition(p).isEmpty()) runOnce(what, p, run);
    }
  }

  private void runOnce(String what, int partition, Function<Integer, Future<Void>> run) {
    String id = what + "/" + partition;
    if (!running.add(id)) return;
    Future<Void> f;
    try {
      f = run.apply(partition);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      running.remove(id);
      if (ar.failed() && buckets.owns(partition)) {
        LOG.log(Level.WARNING, "S3 " + what + " of partition " + partition + " failed", ar.cause());
      }
    });
  }

  @Override
  public Future<Void> acquire(int partition) {
    return buckets.load(partition)
        .compose(v -> buckets.blocking(() -> buckets.store().notices(partition)))
        .compose(notices -> {
          notices.forEach(n -> notifier.deliver(partition, n));
          // Restores that came due while no node owned the partition (or before a restart) complete now.
          runOnce("due", partition, api::runDue);
          return api.resumeReplication(partition);
        });
  }

  @Override
  public Future<Void> release(int partition) {
    buckets.unload(partition);
    return Future.succeededFuture();
  }

  /** A request from this node (its gateway, another lane, another service): run here or at the bucket's owner. */
  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    router.reply(message, request, PartitionRouter.safely(this::route, request));
  }

  /**
   * Runs a request where its bucket lives: on this lane (here or, through the partition router, on
   * the owner node's lane of the same number), or on the lane of this node that owns the bucket's
   * partition. Every request about another bucket than the current one's (a copy source, a
   * replication destination) comes through here too, so a lane never reads another lane's state.
   */
  private Future<JsonObject> route(ApiRequest request) {
    switch (request.operation()) {
      case StorageService.LOCATE: {
        String bucket = request.input().getString("Bucket");
        if (replicas == null || !BucketName.isValid(bucket)) return Future.succeededFuture(new JsonObject().put("Local", true));
        String owner = placement.ownerOf(ObjectStore.partitionOf(bucket));
        if (owner == null) throw Buckets.notHere();
        if (owner.equals(placement.self())) return Future.succeededFuture(new JsonObject().put("Local", true));
        return replicas.endpointOf(owner).map(url -> new JsonObject().put("Url", url));
      }
      case RESET_NODE, RESET_LANE, LIST, LIST_LANE:
        return handle(request); // from another lane of this node
      case RESET:
        return router.everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context()), this::handle)
            .map(x -> new JsonObject());
      case "ListBuckets": {
        JsonObject question = new JsonObject().put("account", request.context().accountId());
        return router.everyNode(new ApiRequest(LIST, question, request.context()), this::handle).map(answers -> {
          List<JsonObject> all = new ArrayList<>();
          for (JsonObject a : answers) a.getJsonArray("buckets", new JsonArray()).forEach(o -> all.add((JsonObject) o));
          return S3Api.listBuckets(all, request.input(), request.context().accountId());
        });
      }
      default: {
        String bucket = request.input().getString("Bucket");
        if (!BucketName.isValid(bucket)) throw S3Errors.invalidBucketName(bucket);
        int partition = ObjectStore.partitionOf(bucket);
        int owningLane = laneCalls.laneOf(partition);
        if (owningLane != lane) return laneCalls.call(owningLane, request);
        return router.route(request, partition, this::handle);
      }
    }
  }

  /** A request another node forwarded, or an internal question: answered on this node. */
  private void onNodeRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    int partition = StorageService.partitionOf(request);
    if (partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane) {
      // Only when the sender runs a different number of lanes: pass it on rather than refuse it.
      router.reply(message, request, laneCalls.call(laneCalls.laneOf(partition), request));
      return;
    }
    router.reply(message, request, PartitionRouter.safely(this::handle, request));
  }

  private Future<JsonObject> handle(ApiRequest request) {
    String op = request.operation();
    if (LOG.isLoggable(Level.FINEST)) {
      LOG.log(Level.FINEST, "S3 lane {0} runs {1} of partition {2}", new Object[] {lane, op, StorageService.partitionOf(request)});
    }
    return switch (op) {
      case RESET_NODE -> laneCalls.everyLane(lane, new ApiRequest(RESET_LANE, new JsonObject(), request.context()), this::resetHere)
          .compose(v -> vertx.executeBlocking(() -> {
            // Every lane's buckets are gone, so no blob of this node is referenced any more.
            BlobFiles.sweep(node.blobRoot(), id -> false);
            return new JsonObject();
          }, false));
      case RESET_LANE -> resetHere();
      case LIST -> laneCalls.everyLane(lane, new ApiRequest(LIST_LANE, request.input(), request.context()), () -> bucketsHere(request))
          .map(answers -> {
            JsonArray all = new JsonArray();
            for (JsonObject a : answers) all.addAll(a.getJsonArray("buckets"));
            return new JsonObject().put("buckets", all);
          });
      case LIST_LANE -> bucketsHere(request);
      case BlobReplicas.ENDPOINT -> Future.succeededFuture(new JsonObject().put("url", node.endpointUrl()));
      default -> S3Api.isCopySource(op) ? api.copySource(request).map(a -> a.put("Url", node.endpointUrl())) : api.handle(request);
    };
  }

  private Future<JsonObject> resetHere() {
    return buckets.clear().map(v -> new JsonObject());
  }

  private Future<JsonObject> bucketsHere(ApiRequest request) {
    return Future.succeededFuture(new JsonObject().put("buckets", api.bucketsHere(request.input().getString("account"))));
  }
}
