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
          env.config().s3()), env.config().serviceThreads()))
      .withSetup(env -> {
        Path root = env.config().dataDir().resolve(BLOBS);
        // Clustered, a replica may hold a blob whose metadata the owner has not replicated to it
        // yet (it restarted in between): spare unreferenced blobs of the last day there.
        java.util.Set<String> referenced = ObjectStore.referencedBlobs(env.store());
        BlobFiles.sweep(root, referenced::contains, env.config().cluster().enabled() ? 24 * 3_600_000L : 0);
        env.resources().provide(BlobStore.class, new BlobFiles(env.vertx(), root));
      })
      .withLanes(StorageService::partitionOf);

  /**
   * Where a bucket's bodies are: {@code {"Local": true}} on the node that owns its partition, else
   * the owner's HTTP endpoint ({@code Url}) for the gateway to forward a body-carrying request to.
   */
  public static final String LOCATE = "eventplane:Locate";

  private final StorageNode node;
  private final int lanes;

  StorageService(StorageNode node, int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.node = node;
    this.lanes = lanes;
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
    return LaneDeployment.deploy(vertx, lanes, i -> new StorageLane(i, lanes, node));
  }
}
