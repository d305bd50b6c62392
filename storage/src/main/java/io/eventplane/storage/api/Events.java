package io.eventplane.storage.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.store.Batch;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.NotificationConfig;
import io.eventplane.storage.domain.S3BridgeEvent;
import io.eventplane.storage.domain.S3EventRecord;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The notices a write sends: one per matching configuration of the bucket, added to the write's
 * own batch (so an acknowledged write always notifies) and handed to the notifier once committed.
 */
final class Events {
  private final Buckets buckets;
  private final Clock clock;

  Events(Buckets buckets, Clock clock) {
    this.buckets = buckets;
    this.clock = clock;
  }

  /**
   * @param eventName without {@code s3:}, e.g. {@code ObjectCreated:Put}
   * @param object the created object, or null for a removal
   * @return the notices written into the batch, each with its {@code seq}
   */
  List<JsonObject> add(Batch batch, Bucket bucket, String key, String eventName, StoredObject object, RequestContext ctx,
      String sourceIp) {
    return add(batch, bucket, key, eventName, object, ctx, sourceIp, null);
  }

  /** @param versionId the version the event is about, shown as {@code s3.object.versionId}; null for an unversioned bucket */
  List<JsonObject> add(Batch batch, Bucket bucket, String key, String eventName, StoredObject object, RequestContext ctx,
      String sourceIp, String versionId) {
    return add(batch, bucket, key, eventName, object, ctx, sourceIp, versionId, true);
  }

  /**
   * @param toEventBridge false when EventBridge must not hear of it even with EventBridgeConfiguration
   *     (a PutObjectAcl that changes nothing: no "Object ACL Updated", as the S3 user guide says)
   */
  List<JsonObject> add(Batch batch, Bucket bucket, String key, String eventName, StoredObject object, RequestContext ctx,
      String sourceIp, String versionId, boolean toEventBridge) {
    List<JsonObject> out = new ArrayList<>();
    List<NotificationConfig.Target> targets = NotificationConfig.matching(buckets.targets(bucket), "s3:" + eventName, key);
    boolean bridge = toEventBridge && NotificationConfig.toEventBridge(bucket.notifications())
        && S3BridgeEvent.detailType(eventName) != null;
    if (targets.isEmpty() && !bridge) return out;
    int partition = ObjectStore.partitionOf(bucket.name());
    long now = clock.millis();
    // What S3 does by itself (lifecycle, a restore completing) names S3 as principal and source, as AWS's events do.
    boolean byS3 = S3_ITSELF.equals(ctx.baseUrl());
    String principal = byS3 ? "s3.amazonaws.com" : "AWS:" + ctx.accountId();
    String source = byS3 ? "s3.amazonaws.com" : sourceIp == null ? "127.0.0.1" : sourceIp;
    for (NotificationConfig.Target t : targets) {
      long seq = buckets.nextSequence(partition);
      JsonObject event = S3EventRecord.of(bucket.region(), now, eventName, principal, source, ctx.requestId(), hostId(ctx.requestId()), t.id(), bucket, key, object,
          versionId, String.format("%016X", seq));
      JsonObject notice = Buckets.notice(bucket, t, event);
      buckets.store().putNotice(batch, partition, seq, notice);
      out.add(notice.copy().put("seq", seq));
    }
    if (bridge) {
      long seq = buckets.nextSequence(partition);
      // EventBridge's examples show the sequencer in lower-case hex (the notification records' is upper-case).
      JsonObject entry = S3BridgeEvent.entry(io.eventplane.common.id.Ids.uuid(), now, eventName, bucket, key, object,
          versionId != null ? versionId : object == null ? null : object.versionId(), String.format("%016x", seq),
          ctx.requestId(), byS3 ? "s3.amazonaws.com" : ctx.accountId(), byS3 ? null : source);
      JsonObject notice = Buckets.bridgeNotice(bucket, entry);
      buckets.store().putNotice(batch, partition, seq, notice);
      out.add(notice.copy().put("seq", seq));
    }
    return out;
  }

  /** The base URL that marks a context as S3's own doing (no client asked). */
  private static final String S3_ITSELF = "http://s3.amazonaws.com";

  /** The context of what S3 does by itself (a restore completing, a lifecycle rule), in the bucket's account. */
  static RequestContext system(Bucket bucket) {
    return new RequestContext(bucket.accountId(), bucket.region(), io.eventplane.common.id.Ids.uuid(), S3_ITSELF);
  }

  /**
   * The {@code s3:Replication:OperationFailedReplication} notices of a source object that could not
   * be replicated: S3's event version 2.2, sent by S3 itself (not a caller), with its
   * {@code replicationEventData}.
   */
  List<JsonObject> addReplicationFailure(Batch batch, Bucket bucket, StoredObject object, String ruleId,
      String destinationArn, String failureReason, long requestTime) {
    String eventName = "Replication:OperationFailedReplication";
    List<JsonObject> out = new ArrayList<>();
    List<NotificationConfig.Target> targets = NotificationConfig.matching(buckets.targets(bucket), "s3:" + eventName, object.key());
    if (targets.isEmpty()) return out;
    int partition = ObjectStore.partitionOf(bucket.name());
    long now = clock.millis();
    String requestId = io.eventplane.common.id.Ids.uuid();
    for (NotificationConfig.Target t : targets) {
      long seq = buckets.nextSequence(partition);
      JsonObject event = S3EventRecord.of(bucket.region(), now, eventName, "s3.amazonaws.com", "s3.amazonaws.com", requestId,
          hostId(requestId), t.id(), bucket, object.key(), object, null, String.format("%016X", seq));
      event.getJsonArray("Records").getJsonObject(0).put("eventVersion", "2.2").put("replicationEventData", new JsonObject()
          .put("replicationRuleId", ruleId).put("destinationBucket", destinationArn).put("s3Operation", "OBJECT_PUT")
          .put("requestTime", S3EventRecord.time(requestTime)).put("failureReason", failureReason));
      JsonObject notice = Buckets.notice(bucket, t, event);
      buckets.store().putNotice(batch, partition, seq, notice);
      out.add(notice.copy().put("seq", seq));
    }
    return out;
  }

  static String hostId(String requestId) {
    return io.eventplane.common.id.Ids.hostId(requestId);
  }
}
