package io.eventplane.storage;

import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneDeployment;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.storage.blob.BlobFiles;
import io.eventplane.storage.domain.BucketName;
import io.eventplane.storage.notify.Notifier;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.util.List;

/**
 * The S3 service of a node: bucket and object metadata, partitioned by bucket name like queues by
 * queue name, served by {@code lanes} {@link StorageLane}s, each a verticle on its own context
 * owning the buckets of its share of the partitions. This verticle only deploys them (they are
 * undeployed with it); requests never pass through its context. Object bodies are blobs on the
 * owner's disk that the gateway streams in and out through the node's {@link BlobStore} (never
 * through the event bus). Writes that match a bucket's notification configuration leave notices
 * in the partition's outbox, which the lane's {@link Notifier} delivers to queues, topics and
 * functions.
 */
public final class StorageService extends VerticleBase {
  /** Where blobs live under the data directory. */
  static final String BLOBS = "objects";

  /**
   * S3 on a node: metadata in partitions of the {@code s3} column family, bodies under
   * {@code <data>/objects}. When the node starts, blobs that no object names (a crash between
   * writing one and committing its metadata) are deleted, then the node's {@link BlobStore} is
   * provided to the gateway. The gateway sends each request to the lane of the bucket it names.
   */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("S3", Contracts.S3,
      List.of(ObjectStore.COLUMN_FAMILY), env -> new StorageService(new StorageNode(env.store(), env.writer(), env.placement(),
          env.clock(), env.resources().get(BlobStore.class), env.config().dataDir().resolve(BLOBS),
          env.config().cluster().enabled() ? "http://" + env.config().cluster().host() + ":" + env.config().port() : null,
          env.config().s3(), io.eventplane.common.secret.NodeRequestSigner.of(env.config(), env.clock()),
          deliveries(env), env.metrics(), io.eventplane.common.cloudwatch.AwsMetrics.of(env)), env.config().serviceThreads(), env.resources().get(BlobsAtStart.class).ids()))
      .withSetup(env -> {
        Path root = env.config().dataDir().resolve(BLOBS);
        // Before anything uploads; unreferenced blobs are swept after the start, off its path,
        // from the files there are now (so never one this run writes).
        BlobFiles.clearIncoming(root);
        env.resources().provide(BlobsAtStart.class, new BlobsAtStart(BlobFiles.list(root)));
        env.resources().provide(BlobStore.class, new BlobFiles(env.vertx(), root));
      })
      .withLanes(StorageService::partitionOf);

  /** The node's judge of deliveries to other services' resources (every delivery allowed when the node has none). */
  private static io.eventplane.common.authz.DeliveryAuthorization deliveries(io.eventplane.common.service.ServiceEnvironment env) {
    io.eventplane.common.authz.DeliveryAuthorization provided = env.resources().find(io.eventplane.common.authz.DeliveryAuthorization.class);
    return provided == null ? io.eventplane.common.authz.DeliveryAuthorization.ALLOW_ALL : provided;
  }

  /**
   * Where a bucket's bodies are: {@code {"Local": true}} on the node that owns its partition, else
   * the owner's HTTP endpoint ({@code Url}) for the gateway to forward a body-carrying request to.
   */
  public static final String LOCATE = "eventplane:Locate";

  /** Clustered, a replica may hold a blob whose metadata the owner has not replicated to it yet (it restarted in between). */
  private static final long CLUSTER_BLOB_GRACE_MILLIS = 24 * 3_600_000L;
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(StorageService.class.getName());

  private final StorageNode node;
  private final int lanes;
  /** The blob files there were before this run wrote any: the only ones the sweep may delete. */
  private final java.util.Set<String> blobsAtStart;

  /** The blob ids listed at the start, before anything uploads. */
  record BlobsAtStart(java.util.Set<String> ids) {}
  private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
  private Future<?> sweep = Future.succeededFuture();

  StorageService(StorageNode node, int lanes, java.util.Set<String> blobsAtStart) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.node = node;
    this.lanes = lanes;
    this.blobsAtStart = blobsAtStart;
  }

  /**
   * The partition of the bucket a request names ({@code Bucket}: every bucket and object operation
   * and the internal questions about a bucket), or {@link PartitionRouter#ANY} for one that names
   * none (ListBuckets, a node-wide question) or an invalid one (any lane refuses it). Cheap and
   * thread-safe: the gateway's event loops call it.
   */
  static int partitionOf(ApiRequest request) {
    return request.input() != null && request.input().getValue("Bucket") instanceof String bucket && BucketName.isValid(bucket)
        ? ObjectStore.partitionOf(bucket) : PartitionRouter.ANY;
  }

  @Override
  public Future<?> start() {
    return LaneDeployment.deploy(vertx, lanes, i -> new StorageLane(i, lanes, node))
        .onSuccess(v -> sweep = sweepUnreferencedBlobs());
  }

  /**
   * Deletes the blobs of objects, versions and parts that no longer exist (a crash between a
   * delete's commit and its file removal), on a worker after the start: with many objects the scan
   * of every partition's metadata took most of a start (docs/benchmarks.md, issue 12). Stopping ends it early.
   */
  private Future<?> sweepUnreferencedBlobs() {
    // A consistent view: a blob referenced at that moment (by an object, a version or a part of an
    // upload) stays, even if a multipart completion moves the reference during the scan.
    return Future.fromCompletionStage(node.store().viewAfterPending()).compose(view -> vertx.executeBlocking(() -> {
      try (view) {
        java.util.Set<String> referenced = ObjectStore.referencedBlobs(node.store(), view, stopping::get);
        return stopping.get() ? 0 : BlobFiles.sweepUnreferenced(node.blobRoot(), blobsAtStart, referenced::contains,
            node.endpointUrl() != null ? CLUSTER_BLOB_GRACE_MILLIS : 0, stopping::get);
      }
    }, false)).onComplete(ar -> {
      if (ar.failed()) LOG.log(java.util.logging.Level.WARNING, "sweeping unreferenced blobs failed", ar.cause());
      else if (ar.result() > 0) LOG.info("deleted " + ar.result() + " unreferenced blob files");
    });
  }

  @Override
  public Future<?> stop() {
    // The sweep reads the store: the node closes it after every service stopped.
    stopping.set(true);
    return sweep.otherwiseEmpty();
  }
}
