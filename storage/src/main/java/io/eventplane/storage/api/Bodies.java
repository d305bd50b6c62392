package io.eventplane.storage.api;

import io.eventplane.common.blob.Blob;
import io.eventplane.common.blob.BlobStore;
import io.eventplane.storage.replication.BlobReplicas;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import java.util.List;

/**
 * The bodies of a bucket's objects on this node (its owner) and on the partition's replicas: new
 * blobs are copied to the replicas before the metadata naming them commits, dropped blobs are
 * deleted on both.
 */
final class Bodies {
  private final BlobStore local;
  private final BlobReplicas replicas;

  Bodies(BlobStore local, BlobReplicas replicas) {
    this.local = local;
    this.replicas = replicas;
  }

  BlobStore local() {
    return local;
  }

  /** Completes when every replica of the bucket's partition has the blobs. */
  Future<Void> replicate(String bucket, List<BlobReplicas.BlobRef> refs) {
    return replicas == null ? Future.succeededFuture() : replicas.copy(ObjectStore.partitionOf(bucket), refs);
  }

  Future<Void> replicate(String bucket, Blob blob) {
    return replicate(bucket, List.of(new BlobReplicas.BlobRef(blob.id(), blob.size())));
  }

  void delete(String bucket, String blobId) {
    local.delete(blobId);
    if (replicas != null) replicas.forget(ObjectStore.partitionOf(bucket), List.of(blobId));
  }
}
