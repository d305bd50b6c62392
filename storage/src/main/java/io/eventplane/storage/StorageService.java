package io.eventplane.storage;

import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.config.StorageSettings;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.common.store.Store;
import io.eventplane.storage.api.S3Api;
import io.eventplane.storage.blob.BlobFiles;
import io.eventplane.storage.domain.BucketName;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.notify.Notifier;
import io.eventplane.storage.replication.BlobReplicas;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The S3 service of a node: bucket and object metadata, partitioned by bucket name like queues by
 * queue name; object bodies are blobs on the owner's disk that the gateway streams in and out
 * through the node's {@link BlobStore} (never through the event bus). Writes that match a
 * bucket's notification configuration leave notices in the partition's outbox, which the
 * {@link Notifier} delivers to queues, topics and functions.
 */
public final class StorageService extends VerticleBase implements PartitionListener {
  /** Where blobs live under the data directory. */
  static final String BLOBS = "objects";

  /**
   * S3 on a node: metadata in partitions of the {@code s3} column family, bodies under
   * {@code <data>/objects}. When the node starts, blobs that no object names (a crash between
   * writing one and committing its metadata) are deleted, then the node's {@link BlobStore} is
   * provided to the gateway.
   */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("S3", Contracts.S3,
      List.of(ObjectStore.COLUMN_FAMILY), env -> new StorageService(env.store(), env.writer(), env.placement(), env.clock(),
          env.resources().get(BlobStore.class), env.config().dataDir().resolve(BLOBS),
          env.config().cluster().enabled() ? "http://" + env.config().cluster().host() + ":" + env.config().port() : null,
          env.config().s3()))
      .withSetup(env -> {
        Path root = env.config().dataDir().resolve(BLOBS);
        // Clustered, a replica may hold a blob whose metadata the owner has not replicated to it
        // yet (it restarted in between): spare unreferenced blobs of the last day there.
        java.util.Set<String> referenced = ObjectStore.referencedBlobs(env.store());
        BlobFiles.sweep(root, referenced::contains, env.config().cluster().enabled() ? 24 * 3_600_000L : 0);
        env.resources().provide(BlobStore.class, new BlobFiles(env.vertx(), root));
      });

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(StorageService.class.getName());
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String LIST = "eventplane:ListBuckets";
  /**
   * Where a bucket's bodies are: {@code {"Local": true}} on the node that owns its partition, else
   * the owner's HTTP endpoint ({@code Url}) for the gateway to forward a body-carrying request to.
   */
  public static final String LOCATE = "eventplane:Locate";

  private final Store store;
  private final PartitionWriter writer;
  private final Placement placement;
  private final Clock clock;
  private final BlobStore blobs;
  private final Path blobRoot;
  private final String endpointUrl;
  private final StorageSettings settings;
  /** Partitions whose due schedule entries or lifecycle sweep are being run (a slow run is not started twice). */
  private final java.util.Set<String> running = new java.util.HashSet<>();
  private final List<Long> timers = new ArrayList<>();
  private BlobReplicas replicas;
  private Buckets buckets;
  private Notifier notifier;
  private S3Api api;
  private PartitionRouter router;

  /** @param endpointUrl where other nodes reach this one over HTTP, clustered; null standalone */
  public StorageService(Store store, PartitionWriter writer, Placement placement, Clock clock, BlobStore blobs, Path blobRoot,
      String endpointUrl, StorageSettings settings) {
    this.settings = settings;
    this.store = store;
    this.writer = writer;
    this.placement = placement;
    this.clock = clock;
    this.blobs = blobs;
    this.blobRoot = blobRoot;
    this.endpointUrl = endpointUrl;
  }

  @Override
  public Future<?> start() {
    buckets = new Buckets(vertx, context, new ObjectStore(store, writer));
    notifier = new Notifier(vertx, buckets);
    NodeCalls calls = new NodeCalls(vertx, Contracts.S3);
    replicas = endpointUrl == null ? null : new BlobReplicas(vertx, placement, calls, blobs);
    api = new S3Api(vertx, buckets, blobs, replicas, notifier, clock, settings, this::route);
    // Due restores are looked for at least every second (sooner with a short lifecycle interval);
    // the schedule itself is in the store, so these timers only decide how soon it is read.
    timers.add(vertx.setPeriodic(Math.min(1000, settings.lifecycleIntervalMillis()), id -> everyOwned("due", api::runDue)));
    timers.add(vertx.setPeriodic(settings.lifecycleIntervalMillis(), id -> everyOwned("lifecycle", api::sweepLifecycle)));
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "S3");
    return router.listen(Contracts.S3, this::onClientRequest, this::onNodeRequest).compose(v -> placement.register(this, context));
  }

  private void everyOwned(String what, java.util.function.Function<Integer, Future<Void>> run) {
    // Schedules and lifecycle rules belong to buckets: a partition without any has nothing due, so
    // an idle node does not read the store for it every second (a schedule a deleted bucket left
    // behind is dropped once the partition has a bucket again, as before: it concerns no object).
    for (Integer p : new ArrayList<>(buckets.partitions())) {
      if (!buckets.inPartition(p).isEmpty()) runOnce(what, p, run);
    }
  }

  private void runOnce(String what, int partition, java.util.function.Function<Integer, Future<Void>> run) {
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
        LOG.log(java.util.logging.Level.WARNING, "S3 " + what + " of partition " + partition + " failed", ar.cause());
      }
    });
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    return router == null ? Future.succeededFuture() : router.close();
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

  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    router.reply(message, request, PartitionRouter.safely(this::route, request));
  }

  private Future<JsonObject> route(ApiRequest request) {
    switch (request.operation()) {
      case LOCATE: {
        String bucket = request.input().getString("Bucket");
        if (replicas == null || !BucketName.isValid(bucket)) return Future.succeededFuture(new JsonObject().put("Local", true));
        String owner = placement.ownerOf(ObjectStore.partitionOf(bucket));
        if (owner == null) throw Buckets.notHere();
        if (owner.equals(placement.self())) return Future.succeededFuture(new JsonObject().put("Local", true));
        return replicas.endpointOf(owner).map(url -> new JsonObject().put("Url", url));
      }
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
        return router.route(request, ObjectStore.partitionOf(bucket), this::handle);
      }
    }
  }

  private void onNodeRequest(Message<ApiRequest> message) {
    router.reply(message, message.body(), PartitionRouter.safely(this::handle, message.body()));
  }

  private Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case RESET_NODE -> buckets.clear()
          .compose(v -> vertx.executeBlocking(() -> {
            BlobFiles.sweep(blobRoot, id -> false);
            return new JsonObject();
          }, false));
      case LIST -> Future.succeededFuture(new JsonObject().put("buckets", api.bucketsHere(request.input().getString("account"))));
      case BlobReplicas.ENDPOINT -> Future.succeededFuture(new JsonObject().put("url", endpointUrl));
      default -> S3Api.isCopySource(request.operation()) ? api.copySource(request).map(a -> a.put("Url", endpointUrl))
          : api.handle(request);
    };
  }
}
