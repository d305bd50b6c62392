package io.eventplane.storage.api;

import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.ReplicationConfig;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.notify.Notifier;
import io.eventplane.storage.replication.BlobReplicas;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Bucket replication's outbox. A write whose object an enabled rule matches puts one task per
 * destination bucket in its own batch and stores the object with {@code x-amz-replication-status:
 * PENDING}; after the commit the task copies the object's blobs to the node that owns the
 * destination's partition (a hard link when that is this node, an HTTP PUT to its blob endpoint
 * otherwise, under new ids so the two objects never share a blob) and asks that node, through the
 * partition router, to commit the replica ({@value #PUT_REPLICA}). The source then becomes
 * COMPLETED, or FAILED (with an {@code s3:Replication:OperationFailedReplication} notice) when the
 * destination is gone or no longer keeps versions; anything else is retried with growing pauses.
 * A user's delete that puts a delete marker, under a rule that replicates markers, queues a task of
 * its own kind that has the destination's owner put a marker there ({@value #PUT_REPLICA_DELETE_MARKER}).
 * Tasks are partition keys, so the partition's next owner resumes them after a restart or failover.
 */
final class ReplicationTasks {
  static final String STATUS = "x-amz-replication-status";
  /** The internal operation that commits a replica on the destination bucket's owner. */
  static final String PUT_REPLICA = "eventplane:PutReplica";
  /** The internal operation that puts a replicated delete marker on the destination bucket's owner. */
  static final String PUT_REPLICA_DELETE_MARKER = "eventplane:PutReplicaDeleteMarker";
  /** The {@code kind} of a task that replicates a delete marker; object tasks have none (older tasks neither). */
  private static final String DELETE_MARKER = "deleteMarker";
  private static final Logger LOG = Logger.getLogger(ReplicationTasks.class.getName());
  private static final long MAX_PAUSE_MILLIS = 60_000;

  private enum Outcome { COMPLETED, FAILED, SUPERSEDED }

  private record Result(Outcome outcome, String failureReason) {}

  private final Vertx vertx;
  private final Buckets buckets;
  private final BlobStore blobs;
  private final BlobReplicas replicas;
  private final Function<ApiRequest, Future<JsonObject>> route;
  private final Events events;
  private final Notifier notifier;
  private final Clock clock;
  private final long delayMillis;
  private final Map<String, Integer> attempts = new HashMap<>();

  /**
   * @param replicas reaches other nodes' blob endpoints (null standalone: every bucket is here)
   * @param route runs a request at the owner of its bucket's partition, on whichever node
   * @param delayMillis how long after its write a task starts (StorageSettings.replicationDelayMillis)
   */
  ReplicationTasks(Vertx vertx, Buckets buckets, BlobStore blobs, BlobReplicas replicas,
      Function<ApiRequest, Future<JsonObject>> route, Events events, Notifier notifier, Clock clock, long delayMillis) {
    this.delayMillis = delayMillis;
    this.vertx = vertx;
    this.buckets = buckets;
    this.blobs = blobs;
    this.replicas = replicas;
    this.route = route;
    this.events = events;
    this.notifier = notifier;
    this.clock = clock;
  }

  /**
   * At write time, before the object is put in {@code batch}: the object as it is to be stored
   * (PENDING when a rule replicates it; a replica as it is, since replicas are not replicated
   * again), with its tasks added to the batch and to {@code tasks}.
   */
  StoredObject add(Batch batch, Bucket bucket, StoredObject object, List<JsonObject> tasks) {
    if ("REPLICA".equals(object.headers().get(STATUS))) return object;
    StoredObject clean = object.headers().containsKey(STATUS) ? withStatus(object, null) : object;
    JsonObject stored = bucket.configurations().getJsonObject(ReplicationConfig.CONFIGURATION);
    if (stored == null) return clean;
    List<ReplicationConfig.Rule> rules = ReplicationConfig.fromStored(stored).matching(object.key(), object.tags());
    if (rules.isEmpty()) return clean;
    int partition = ObjectStore.partitionOf(bucket.name());
    long now = clock.millis();
    for (ReplicationConfig.Rule r : rules) {
      long seq = buckets.nextSequence(partition);
      JsonObject task = new JsonObject().put("bucket", bucket.name()).put("key", object.key())
          .put("signature", signature(object)).put("rule", r.id()).put("destination", r.destination()).put("requested", now)
          .put("destinations", rules.size());
      if (r.storageClass() != null) task.put("storageClass", r.storageClass());
      buckets.store().putReplicationTask(batch, partition, seq, task);
      tasks.add(task.copy().put("seq", seq));
    }
    return withStatus(object, "PENDING");
  }

  /**
   * At delete time, in the batch that puts the delete marker a user's delete made (never a
   * lifecycle expiry's, nor a replica's: S3 replicates neither): one task per destination whose
   * rule replicates delete markers, added to {@code tasks}. A delete marker has no replication
   * status of its own to show.
   */
  void addDeleteMarker(Batch batch, Bucket bucket, StoredObject marker, List<JsonObject> tasks) {
    JsonObject stored = bucket.configurations().getJsonObject(ReplicationConfig.CONFIGURATION);
    if (stored == null) return;
    int partition = ObjectStore.partitionOf(bucket.name());
    long now = clock.millis();
    for (ReplicationConfig.Rule r : ReplicationConfig.fromStored(stored).matchingDeleteMarker(marker.key())) {
      long seq = buckets.nextSequence(partition);
      JsonObject task = new JsonObject().put("kind", DELETE_MARKER).put("bucket", bucket.name()).put("key", marker.key())
          .put("signature", markerSignature(marker)).put("rule", r.id()).put("destination", r.destination())
          .put("requested", now);
      buckets.store().putReplicationTask(batch, partition, seq, task);
      tasks.add(task.copy().put("seq", seq));
    }
  }

  /** Which delete of the key a marker task is for; never equal to an object's signature (a list of blob ids). */
  private static String markerSignature(StoredObject marker) {
    return "marker:" + marker.versionId();
  }

  /** The object's headers with the replication status set, or removed when {@code status} is null. */
  static StoredObject withStatus(StoredObject o, String status) {
    Map<String, String> headers = new LinkedHashMap<>(o.headers());
    if (status == null) headers.remove(STATUS);
    else headers.put(STATUS, status);
    return o.withHeaders(headers);
  }

  /** Which write of the key a task is for: its blobs are new with every write. */
  private static String signature(StoredObject o) {
    StringBuilder s = new StringBuilder();
    for (StoredObject.Segment seg : o.segments()) s.append(seg.blobId()).append(',');
    return s.toString();
  }

  /** Delivers the partition's tasks left from before (a restart, or a partition taken over). */
  Future<Void> resume(int partition) {
    return buckets.blocking(() -> buckets.store().replicationTasks(partition)).map(tasks -> {
      tasks.forEach(t -> deliver(partition, t));
      return null;
    });
  }

  /** Starts delivering a committed task ({@code seq} set). */
  void deliver(int partition, JsonObject task) {
    long wait = task.getLong("requested", 0L) + delayMillis - clock.millis();
    if (wait > 0) {
      // Checked again at least every second, so an injected clock moved forward is noticed soon.
      vertx.setTimer(Math.min(wait, 1000), t -> {
        if (buckets.owns(partition)) deliver(partition, task);
      });
      return;
    }
    String bucket = task.getString("bucket");
    String key = task.getString("key");
    boolean marker = DELETE_MARKER.equals(task.getString("kind"));
    buckets.blocking(() -> Optional.ofNullable(buckets.store().getObject(bucket, key))).compose(current -> {
      // A later write of the key has its own task; a deleted object has nothing left to copy. A
      // marker no longer current is dropped too: replicated late it would hide the newer object.
      if (current.isEmpty() || !signatureOf(current.get()).equals(task.getString("signature"))) {
        return Future.succeededFuture(new Result(Outcome.SUPERSEDED, null));
      }
      return marker ? putDeleteMarker(task) : copy(current.get(), task);
    }).compose(result -> !buckets.owns(partition) ? Future.<Void>succeededFuture()
            : marker ? finishDeleteMarker(partition, task, result) : finish(partition, task, result))
        .onComplete(ar -> {
          String id = partition + "/" + task.getLong("seq");
          if (ar.succeeded() || !buckets.owns(partition)) {
            attempts.remove(id);
            return;
          }
          int n = attempts.merge(id, 1, Integer::sum);
          LOG.log(Level.FINE, "replicating " + bucket + "/" + key + " failed; retrying", ar.cause());
          vertx.setTimer(Math.min(MAX_PAUSE_MILLIS, 250L << Math.min(n, 8)), t -> {
            if (buckets.owns(partition)) deliver(partition, task);
          });
        });
  }

  private static String signatureOf(StoredObject current) {
    return current.deleteMarker() ? markerSignature(current) : signature(current);
  }

  /** Has the destination's owner put a delete marker on the key, as a user's delete there would. */
  private Future<Result> putDeleteMarker(JsonObject task) {
    JsonObject in = new JsonObject().put("Bucket", task.getString("destination")).put("Key", task.getString("key"))
        .put("SourceBucket", task.getString("bucket"));
    return route.apply(new ApiRequest(PUT_REPLICA_DELETE_MARKER, in, context(task)))
        .map(done -> new Result(Outcome.COMPLETED, null))
        .recover(e -> {
          String code = e instanceof ServiceException se ? se.error().code() : null;
          if ("NoSuchBucket".equals(code)) return Future.succeededFuture(new Result(Outcome.FAILED, "DstBucketNotFound"));
          if ("InvalidRequest".equals(code)) return Future.succeededFuture(new Result(Outcome.FAILED, "DstBucketUnversioned"));
          return Future.failedFuture(e);
        });
  }

  /**
   * A marker task leaves the outbox. A delete marker has no replication status to update, and S3's
   * OperationFailedReplication event describes object replication, so a destination gone or
   * unversioned only leaves a log line.
   */
  private Future<Void> finishDeleteMarker(int partition, JsonObject task, Result result) {
    if (result.outcome() == Outcome.FAILED) {
      LOG.warning("delete marker of " + task.getString("bucket") + "/" + task.getString("key") + " not replicated to "
          + task.getString("destination") + ": " + result.failureReason());
    }
    Batch batch = buckets.store().batch();
    buckets.store().deleteReplicationTask(batch, partition, task.getLong("seq"));
    return buckets.commit(partition, batch);
  }

  private RequestContext context(JsonObject task) {
    Bucket source = buckets.find(task.getString("bucket"));
    return new RequestContext(source == null ? "000000000000" : source.accountId(),
        source == null ? "us-east-1" : source.region(), Ids.uuid(), "http://eventplane.internal");
  }

  /** Copies the blobs to the destination's owner and has it commit the replica. */
  private Future<Result> copy(StoredObject object, JsonObject task) {
    String destination = task.getString("destination");
    int destinationPartition = ObjectStore.partitionOf(destination);
    List<Future<String>> copies = new ArrayList<>();
    for (StoredObject.Segment s : object.segments()) {
      copies.add(replicas == null ? blobs.copy(s.blobId())
          : replicas.copyToOwner(destinationPartition, new BlobReplicas.BlobRef(s.blobId(), s.size())));
    }
    return Future.join(copies).transform(all -> {
      if (all.failed()) {
        forget(destinationPartition, copies);
        return Future.failedFuture(all.cause());
      }
      List<StoredObject.Segment> segments = new ArrayList<>();
      for (int i = 0; i < copies.size(); i++) {
        segments.add(new StoredObject.Segment(copies.get(i).result(), object.segments().get(i).size()));
      }
      StoredObject replica = withStatus(new StoredObject(object.key(), object.size(), object.etag(), object.lastModified(),
          object.headers(), object.metadata(), task.getString("storageClass", object.storageClass()),
          object.checksumAlgorithm(), object.checksum(), object.partsCount(), segments, object.tags()), "REPLICA");
      RequestContext ctx = context(task);
      JsonObject in = new JsonObject().put("Bucket", destination).put("Object", replica.toJson())
          .put("SourceBucket", task.getString("bucket"));
      return route.apply(new ApiRequest(PUT_REPLICA, in, ctx)).map(done -> new Result(Outcome.COMPLETED, null))
          .recover(e -> {
            forget(destinationPartition, copies);
            String code = e instanceof ServiceException se ? se.error().code() : null;
            if ("NoSuchBucket".equals(code)) return Future.succeededFuture(new Result(Outcome.FAILED, "DstBucketNotFound"));
            if ("InvalidRequest".equals(code)) return Future.succeededFuture(new Result(Outcome.FAILED, "DstBucketUnversioned"));
            return Future.failedFuture(e);
          });
    });
  }

  private void forget(int destinationPartition, List<Future<String>> copies) {
    for (Future<String> c : copies) {
      if (!c.succeeded()) continue;
      if (replicas == null) blobs.delete(c.result());
      else replicas.forgetOnOwner(destinationPartition, c.result());
    }
  }

  /**
   * The task leaves the outbox; the source object, if it is still the write the task was for,
   * takes its new status (COMPLETED once no other destination is pending; FAILED stays), in one batch
   * with the failure's notices.
   */
  private Future<Void> finish(int partition, JsonObject task, Result result) {
    String bucketName = task.getString("bucket");
    String key = task.getString("key");
    long seq = task.getLong("seq");
    record Now(Optional<StoredObject> object, boolean othersPending) {}
    return buckets.serially(bucketName, key, () -> buckets.blocking(() -> {
      StoredObject o = buckets.store().getObject(bucketName, key);
      boolean others = false;
      // Only an object with several destinations needs the outbox read to know whether it is done.
      if (o != null && task.getInteger("destinations", 1) > 1) {
        for (JsonObject t : buckets.store().replicationTasks(partition)) {
          if (t.getLong("seq") != seq && bucketName.equals(t.getString("bucket")) && key.equals(t.getString("key"))
              && task.getString("signature").equals(t.getString("signature"))) {
            others = true;
          }
        }
      }
      return new Now(Optional.ofNullable(o), others);
    }).compose(now -> {
      Batch batch = buckets.store().batch();
      buckets.store().deleteReplicationTask(batch, partition, seq);
      List<JsonObject> notices = List.of();
      Bucket bucket = buckets.find(bucketName);
      StoredObject current = now.object().orElse(null);
      if (result.outcome() != Outcome.SUPERSEDED && bucket != null && current != null
          && signature(current).equals(task.getString("signature"))) {
        String status = result.outcome() == Outcome.FAILED ? "FAILED"
            : "FAILED".equals(current.headers().get(STATUS)) ? "FAILED" : now.othersPending() ? "PENDING" : "COMPLETED";
        buckets.store().putObject(batch, bucketName, withStatus(current, status));
        if (result.outcome() == Outcome.FAILED) {
          notices = events.addReplicationFailure(batch, bucket, current, task.getString("rule"),
              "arn:aws:s3:::" + task.getString("destination"), result.failureReason(), task.getLong("requested"));
        }
      }
      List<JsonObject> sent = notices;
      return buckets.commit(partition, batch).map(v -> {
        sent.forEach(n -> notifier.deliver(partition, n));
        return (Void) null;
      });
    }));
  }
}
