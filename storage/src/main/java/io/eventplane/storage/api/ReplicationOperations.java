package io.eventplane.storage.api;

import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.ReplicationConfig;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.replication.BlobReplicas;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Put/Get/DeleteBucketReplication, and the destination's end of replicating an object
 * ({@value ReplicationTasks#PUT_REPLICA}). A configuration is saved only when the source keeps
 * versions and every destination exists and keeps versions too; destinations may be buckets of
 * other nodes, asked through the partition router ({@value #TARGET}).
 */
final class ReplicationOperations {
  /** The internal question a destination bucket's owner answers: does it exist, does it keep versions. */
  static final String TARGET = "eventplane:ReplicationTarget";

  private final Buckets buckets;
  private final BlobStore blobs;
  private final Bodies bodies;
  private final ObjectOperations objects;
  private final DeleteOperations deletes;
  private final Function<ApiRequest, Future<JsonObject>> route;

  ReplicationOperations(Buckets buckets, BlobStore blobs, Bodies bodies, ObjectOperations objects,
      DeleteOperations deletes, Function<ApiRequest, Future<JsonObject>> route) {
    this.deletes = deletes;
    this.buckets = buckets;
    this.blobs = blobs;
    this.bodies = bodies;
    this.objects = objects;
    this.route = route;
  }

  Future<JsonObject> put(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    ReplicationConfig config = ReplicationConfig.parse(in.getJsonObject("ReplicationConfiguration"),
        () -> io.eventplane.common.id.Ids.uuid().replace("-", "").substring(0, 24));
    if (!"Enabled".equals(bucket.versioning())) {
      throw new ServiceException(new ServiceError("InvalidRequest",
          "Versioning must be 'Enabled' on the bucket to apply a replication configuration",
          io.eventplane.common.error.Fault.SENDER, new JsonObject().put("BucketName", bucket.name())));
    }
    List<Future<JsonObject>> checks = new ArrayList<>();
    for (String destination : config.destinations()) {
      if (destination.equals(bucket.name())) {
        throw S3Errors.invalidRequest("Destination bucket cannot be the same as the source bucket.");
      }
      checks.add(route.apply(new ApiRequest(TARGET, new JsonObject().put("Bucket", destination), ctx))
          .recover(e -> e instanceof ServiceException se && "NoSuchBucket".equals(se.error().code())
              ? Future.failedFuture(S3Errors.invalidRequest("Destination bucket must exist."))
              : Future.failedFuture(e))
          .map(answer -> {
            if (!"Enabled".equals(answer.getString("Versioning"))) {
              throw S3Errors.invalidRequest("Destination bucket must have versioning enabled.");
            }
            return answer;
          }));
    }
    return Future.all(checks).compose(ok -> {
      // Read again: the bucket may have changed while the destinations answered.
      Bucket now = buckets.require(bucket.name());
      if (!"Enabled".equals(now.versioning())) {
        throw S3Errors.invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
      }
      return buckets.save(now.withConfiguration(ReplicationConfig.CONFIGURATION, config.source()));
    }).map(v -> new JsonObject());
  }

  Future<JsonObject> get(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject config = bucket.configurations().getJsonObject(ReplicationConfig.CONFIGURATION);
    if (config == null) throw S3Errors.replicationConfigurationNotFound(bucket.name());
    return Future.succeededFuture(new JsonObject().put("ReplicationConfiguration", config.copy()));
  }

  /** Deleting no configuration is no error, as on S3. Tasks already queued still run. */
  Future<JsonObject> delete(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    if (!bucket.configurations().containsKey(ReplicationConfig.CONFIGURATION)) return Future.succeededFuture(new JsonObject());
    return buckets.save(bucket.withConfiguration(ReplicationConfig.CONFIGURATION, null)).map(v -> new JsonObject());
  }

  Future<JsonObject> target(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject out = new JsonObject();
    if (bucket.versioning() != null) out.put("Versioning", bucket.versioning());
    return Future.succeededFuture(out);
  }

  /**
   * Commits a replica whose blobs the source has just copied here: to this partition's replicas
   * first, then the metadata like any PUT (so the destination notifies ObjectCreated:Put). Blobs
   * not found here mean the partition moved since they were copied: ServiceUnavailable, and the
   * source tries again.
   */
  Future<JsonObject> putReplica(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    if (!"Enabled".equals(bucket.versioning())) {
      throw S3Errors.invalidRequest("Destination bucket must have versioning enabled.");
    }
    StoredObject replica = StoredObject.fromJson(in.getJsonObject("Object"));
    List<Future<Void>> present = new ArrayList<>();
    List<BlobReplicas.BlobRef> refs = new ArrayList<>();
    for (StoredObject.Segment s : replica.segments()) {
      present.add(blobs.read(s.blobId(), 0, 0).compose(file -> file.close()));
      refs.add(new BlobReplicas.BlobRef(s.blobId(), s.size()));
    }
    return Future.all(present)
        .recover(e -> Future.failedFuture(new ServiceException(ServiceError.unavailable("The replica's bytes are not on the "
            + "destination's node; retry."))))
        .compose(v -> bodies.replicate(bucket.name(), refs))
        .compose(v -> objects.replace(bucket, replica, new JsonObject().put("Key", replica.key()), ctx, "ObjectCreated:Put"))
        .map(v -> new JsonObject());
  }

  /**
   * Puts a replicated delete marker on the key, as a user's delete without a version id would (the
   * destination notifies its own ObjectRemoved:DeleteMarkerCreated), but queues no replication of
   * it: replicas are not replicated again.
   */
  Future<JsonObject> putReplicaDeleteMarker(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    if (!"Enabled".equals(bucket.versioning())) {
      throw S3Errors.invalidRequest("Destination bucket must have versioning enabled.");
    }
    return deletes.markDeleted(bucket, Inputs.key(in), live -> true, "ObjectRemoved:DeleteMarkerCreated", ctx, null, false)
        .map(versionId -> new JsonObject().put("VersionId", versionId));
  }
}
