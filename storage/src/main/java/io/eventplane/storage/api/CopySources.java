package io.eventplane.storage.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.replication.BlobReplicas;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The source object of a copy, wherever its bucket lives: in a partition of this lane (its
 * metadata is read here), of another lane of this node (its metadata comes from that lane over the
 * local event bus; its blobs, on this node's disk, are linked), or, clustered, of another node
 * (its metadata comes over the event bus from the bucket's owner, its bytes over HTTP from the
 * owner's blob endpoint into new blobs here).
 */
final class CopySources {
  /** The internal operation a bucket's owner answers with a copy source's metadata and its HTTP endpoint. */
  static final String SOURCE_OBJECT = "eventplane:CopySourceObject";

  /**
   * A copy source: its metadata, the endpoint of the node holding its bytes (null: this node), and
   * whether its bucket has versioning (a copy then answers the source's version id).
   */
  record Source(StoredObject object, String ownerUrl, boolean versioned) {}

  private final Buckets buckets;
  private final Bodies bodies;
  private final BlobReplicas replicas;
  private final Function<ApiRequest, Future<JsonObject>> route;
  private final Versions versions;
  /** This node's endpoint as its lanes answer it (null standalone). */
  private final String selfUrl;

  /**
   * @param route sends a request to the owner of the bucket it names (another lane of this node, or
   *     another node through the partition router)
   * @param selfUrl this node's HTTP endpoint for other nodes, null standalone
   */
  CopySources(Buckets buckets, Bodies bodies, BlobReplicas replicas, Function<ApiRequest, Future<JsonObject>> route,
      Versions versions, String selfUrl) {
    this.versions = versions;
    this.selfUrl = selfUrl;
    this.buckets = buckets;
    this.bodies = bodies;
    this.replicas = replicas;
    this.route = route;
  }

  /** @param versionId the source version named, or null for the current one */
  Future<Source> find(String bucket, String key, String versionId, RequestContext ctx) {
    Bucket here = buckets.find(bucket);
    if (here != null) return local(here, key, versionId).map(o -> new Source(o, null, here.versioning() != null));
    if (buckets.owns(ObjectStore.partitionOf(bucket))) throw S3Errors.noSuchBucket(bucket);
    JsonObject question = new JsonObject().put("Bucket", bucket).put("Key", key).put("VersionId", versionId);
    return route.apply(new ApiRequest(SOURCE_OBJECT, question, ctx)).map(answer -> {
      String url = answer.getString("Url");
      // Another lane of this node answers with this node's endpoint: the blobs are on this disk.
      String ownerUrl = url == null || url.equals(selfUrl) ? null : url;
      return new Source(StoredObject.fromJson(answer.getJsonObject("Object")), ownerUrl, answer.getBoolean("Versioned", false));
    });
  }

  /** The owner's side of {@link #find}: the object's metadata (the caller adds this node's endpoint). */
  Future<JsonObject> describe(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    return local(bucket, Inputs.key(in), in.getString("VersionId"))
        .map(o -> new JsonObject().put("Object", o.toJson()).put("Versioned", bucket.versioning() != null));
  }

  /**
   * The source in a bucket of this node: its current version (NoSuchKey when there is none or it is
   * a delete marker) or the version named; S3 refuses a delete marker named by id as a copy source.
   */
  private Future<StoredObject> local(Bucket bucket, String key, String versionId) {
    return buckets.blocking(() -> {
      if (versionId == null) {
        StoredObject o = buckets.store().getObject(bucket.name(), key);
        if (o == null || o.deleteMarker()) throw S3Errors.noSuchKey(key);
        return o;
      }
      Versions.Found f = versions.find(bucket, key, versionId);
      if (f == null) throw S3Errors.noSuchVersion(key, versionId);
      if (f.version().deleteMarker()) {
        throw S3Errors.invalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
      }
      return f.version();
    });
  }

  /** A new blob here with the bytes of one of the source's segments. */
  Future<String> copy(Source source, StoredObject.Segment segment) {
    if (source.ownerUrl() == null) return bodies.local().copy(segment.blobId());
    return replicas.fetch(source.ownerUrl(), new BlobReplicas.BlobRef(segment.blobId(), segment.size()));
  }
}
