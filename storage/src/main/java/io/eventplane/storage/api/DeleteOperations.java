package io.eventplane.storage.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.store.Batch;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.notify.Notifier;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * DeleteObject and DeleteObjects. A delete commits the metadata change (and its notices) first and
 * deletes blobs after, and only the blobs of a version that is gone for good: in a versioned
 * bucket a delete without a version id adds a delete marker and keeps every byte.
 */
final class DeleteOperations {
  private final Buckets buckets;
  private final Bodies bodies;
  private final Events events;
  private final Notifier notifier;
  private final Versions versions;
  private final ReplicationTasks replication;

  DeleteOperations(Buckets buckets, Bodies bodies, Events events, Notifier notifier, Versions versions,
      ReplicationTasks replication) {
    this.replication = replication;
    this.buckets = buckets;
    this.bodies = bodies;
    this.events = events;
    this.notifier = notifier;
    this.versions = versions;
  }

  Future<JsonObject> delete(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    String versionId = Versions.requireWellFormed(in.getString("VersionId"));
    return remove(bucket, key, versionId, in, ctx).map(r -> {
      JsonObject out = new JsonObject();
      if (r.deleteMarker()) out.put("DeleteMarker", true);
      String shown = versionId != null ? versionId : r.markerVersionId();
      if (shown != null) out.put("VersionId", shown);
      return out;
    });
  }

  /**
   * What a delete did.
   *
   * @param deleteMarker a delete marker was created, or the version deleted was one
   * @param markerVersionId that marker's version id
   */
  record Removal(boolean deleteMarker, String markerVersionId) {}

  /**
   * Deletes the key (no error when it does not exist), notifying when something changed: with a
   * version id that version goes for good (ObjectRemoved:Delete); without one a versioned bucket
   * gets a delete marker (ObjectRemoved:DeleteMarkerCreated), an unversioned one loses the object.
   */
  Future<Removal> remove(Bucket bucket, String key, String versionId, JsonObject in, RequestContext ctx) {
    int partition = ObjectStore.partitionOf(bucket.name());
    String ip = in.getString("SourceIp");
    if (versionId != null) {
      return removeVersionIf(bucket, key, versionId, found -> true, "ObjectRemoved:Delete", ctx, ip);
    }
    if (bucket.versioning() != null) {
      // Only this delete's marker is replicated: a permanent delete (above) never is, as on S3,
      // so a destination is safe from malicious deletes; nor are lifecycle markers.
      return markDeleted(bucket, key, live -> true, "ObjectRemoved:DeleteMarkerCreated", ctx, ip, true)
          .map(marker -> new Removal(true, marker));
    }
    return removeIf(bucket, key, o -> true, "ObjectRemoved:Delete", ctx, ip).map(removed -> new Removal(false, null));
  }

  /**
   * Deletes version {@code versionId} of the key for good if it exists and passes {@code still},
   * notifying {@code eventName} with its version id. {@code still} runs on a worker thread after
   * every earlier write of the key and may read the store (a lifecycle action re-reads the key's
   * history to see its verdict still holds). Blobs go once the delete is committed.
   */
  Future<Removal> removeVersionIf(Bucket bucket, String key, String versionId, java.util.function.Predicate<Versions.Found> still,
      String eventName, RequestContext ctx, String sourceIp) {
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), key, () ->
        buckets.blocking(() -> {
          Versions.Found f = versions.find(bucket, key, versionId);
          return java.util.Optional.ofNullable(f != null && still.test(f) ? f : null);
        }).compose(found -> {
          if (found.isEmpty()) return Future.succeededFuture(new Removal(false, null));
          StoredObject gone = found.get().version();
          Batch batch = buckets.store().batch();
          versions.remove(batch, bucket, found.get());
          List<JsonObject> notices = events.add(batch, bucket, key, eventName, null, ctx, sourceIp,
              Versions.eventVersionId(bucket, gone));
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            gone.segments().forEach(s -> bodies.delete(bucket.name(), s.blobId()));
            return new Removal(gone.deleteMarker(), gone.deleteMarker() ? gone.shownVersionId() : null);
          });
        }));
  }

  /**
   * Puts a delete marker on the key of a versioned bucket if its live version (null when there is
   * none) passes {@code still}, read after every earlier write of the key; notifies {@code eventName}.
   * Completes with the marker's version id, or null when nothing was written.
   */
  Future<String> markDeleted(Bucket bucket, String key, java.util.function.Predicate<StoredObject> still, String eventName,
      RequestContext ctx, String sourceIp) {
    return markDeleted(bucket, key, still, eventName, ctx, sourceIp, false);
  }

  /** As above; {@code replicate}: queue the marker's replication tasks in the same batch. */
  Future<String> markDeleted(Bucket bucket, String key, java.util.function.Predicate<StoredObject> still, String eventName,
      RequestContext ctx, String sourceIp, boolean replicate) {
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), key, () ->
        buckets.blocking(() -> versions.load(bucket, key)).compose(state -> {
          if (!still.test(state.live())) return Future.succeededFuture(null);
          StoredObject marker = versions.marker(bucket, state, key);
          Batch batch = buckets.store().batch();
          List<StoredObject> replaced = versions.makeCurrent(batch, bucket, state, marker);
          List<JsonObject> tasks = new ArrayList<>();
          if (replicate) replication.addDeleteMarker(batch, bucket, marker, tasks);
          List<JsonObject> notices = events.add(batch, bucket, key, eventName, null, ctx, sourceIp, marker.shownVersionId());
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            tasks.forEach(t -> replication.deliver(partition, t));
            replaced.forEach(old -> old.segments().forEach(s -> bodies.delete(bucket.name(), s.blobId())));
            return marker.shownVersionId();
          });
        }));
  }

  /**
   * Deletes the key of an unversioned bucket if its object passes {@code still} (read after every
   * earlier write of the key: a lifecycle expiry checks the object is still the expired one),
   * notifying {@code eventName}; completes with whether it went.
   */
  Future<Boolean> removeIf(Bucket bucket, String key, java.util.function.Predicate<StoredObject> still, String eventName,
      RequestContext ctx, String sourceIp) {
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), key, () ->
        buckets.blocking(() -> java.util.Optional.ofNullable(buckets.store().getObject(bucket.name(), key))).compose(existing -> {
          if (existing.isEmpty() || !still.test(existing.get())) return Future.succeededFuture(false);
          Batch batch = buckets.store().batch();
          buckets.store().deleteObject(batch, bucket.name(), key);
          List<JsonObject> notices = events.add(batch, bucket, key, eventName, null, ctx, sourceIp);
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            existing.get().segments().forEach(s -> bodies.delete(bucket.name(), s.blobId()));
            return true;
          });
        }));
  }

  /** DeleteObjects: up to 1,000 keys (or versions), each deleted or reported, Quiet leaving out the deleted ones. */
  Future<JsonObject> deleteMany(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject delete = in.getJsonObject("Delete");
    if (delete == null) throw S3Errors.malformedXml();
    JsonArray objects = delete.getJsonArray("Objects", new JsonArray());
    if (objects.isEmpty() || objects.size() > 1000) throw S3Errors.malformedXml();
    boolean quiet = Boolean.parseBoolean(String.valueOf(delete.getValue("Quiet", "false")));
    List<Future<JsonObject>> all = new ArrayList<>();
    for (Object o : objects) {
      String key = ((JsonObject) o).getString("Key");
      String versionId = ((JsonObject) o).getString("VersionId");
      if (key == null || key.isEmpty()) {
        all.add(Future.succeededFuture(failed(String.valueOf(key), versionId, "InvalidArgument", "Invalid key")));
        continue;
      }
      if (versionId != null && !versionId.equals("null") && Versions.seqOf(versionId) < 0) {
        // As DeleteObject answers an id that cannot be one, per entry.
        all.add(Future.succeededFuture(failed(key, versionId, "InvalidArgument", "Invalid version id specified")));
        continue;
      }
      all.add(remove(bucket, key, versionId, in, ctx).map(r -> {
        JsonObject deleted = new JsonObject().put("Key", key);
        if (versionId != null) deleted.put("VersionId", versionId);
        if (r.deleteMarker()) deleted.put("DeleteMarker", true).put("DeleteMarkerVersionId", r.markerVersionId());
        return new JsonObject().put("Deleted", deleted);
      }).otherwise(e -> failed(key, versionId, "InternalError", String.valueOf(e.getMessage()))));
    }
    return Future.all(all).map(done -> {
      JsonArray deleted = new JsonArray();
      JsonArray errors = new JsonArray();
      for (Future<JsonObject> f : all) {
        JsonObject r = f.result();
        if (r.containsKey("Deleted")) {
          if (!quiet) deleted.add(r.getJsonObject("Deleted"));
        } else {
          errors.add(r.getJsonObject("Error"));
        }
      }
      JsonObject out = new JsonObject();
      if (!deleted.isEmpty()) out.put("Deleted", deleted);
      if (!errors.isEmpty()) out.put("Errors", errors);
      return out;
    });
  }

  private static JsonObject failed(String key, String versionId, String code, String message) {
    JsonObject e = new JsonObject().put("Key", key);
    if (versionId != null) e.put("VersionId", versionId);
    return new JsonObject().put("Error", e.put("Code", code).put("Message", message));
  }
}
