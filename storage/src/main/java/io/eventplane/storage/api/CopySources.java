package io.eventplane.storage.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.replication.BlobReplicas;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The source object of a copy, wherever its bucket lives: in a partition of this node (its blobs
 * are linked), or, clustered, in another node's (its metadata comes over the event bus from the
 * bucket's owner, its bytes over HTTP from the owner's blob endpoint into new blobs here).
 */
final class CopySources {
  /** The internal operation a bucket's owner answers with a copy source's metadata and its HTTP endpoint. */
  static final String SOURCE_OBJECT = "eventplane:CopySourceObject";

  /** A copy source: its metadata, and the endpoint of the node holding its bytes (null: this node). */
  record Source(StoredObject object, String ownerUrl) {}

  private final Buckets buckets;
  private final Bodies bodies;
  private final BlobReplicas replicas;
  private final Function<ApiRequest, Future<JsonObject>> route;

  /** @param route sends a request to the owner of the bucket it names (through the partition router) */
  CopySources(Buckets buckets, Bodies bodies, BlobReplicas replicas, Function<ApiRequest, Future<JsonObject>> route) {
    this.buckets = buckets;
    this.bodies = bodies;
    this.replicas = replicas;
    this.route = route;
  }

  Future<Source> find(String bucket, String key, RequestContext ctx) {
    if (buckets.find(bucket) != null) return local(bucket, key).map(o -> new Source(o, null));
    if (buckets.owns(ObjectStore.partitionOf(bucket)) || replicas == null) throw S3Errors.noSuchBucket(bucket);
    JsonObject question = new JsonObject().put("Bucket", bucket).put("Key", key);
    return route.apply(new ApiRequest(SOURCE_OBJECT, question, ctx))
        .map(answer -> new Source(StoredObject.fromJson(answer.getJsonObject("Object")), answer.getString("Url")));
  }

  /** The owner's side of {@link #find}: the object's metadata (the caller adds this node's endpoint). */
  Future<JsonObject> describe(JsonObject in) {
    return local(Inputs.bucket(in), Inputs.key(in)).map(o -> new JsonObject().put("Object", o.toJson()));
  }

  private Future<StoredObject> local(String bucket, String key) {
    buckets.require(bucket);
    return buckets.blocking(() -> buckets.store().getObject(bucket, key)).map(o -> {
      if (o == null) throw S3Errors.noSuchKey(key);
      return o;
    });
  }

  /** A new blob here with the bytes of one of the source's segments. */
  Future<String> copy(Source source, StoredObject.Segment segment) {
    if (source.ownerUrl() == null) return bodies.local().copy(segment.blobId());
    return replicas.fetch(source.ownerUrl(), new BlobReplicas.BlobRef(segment.blobId(), segment.size()));
  }
}
