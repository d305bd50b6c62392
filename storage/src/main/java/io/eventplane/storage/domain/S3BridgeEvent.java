package io.eventplane.storage.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The event S3 sends to EventBridge for a bucket with {@code EventBridgeConfiguration}: source
 * {@code aws.s3}, the bucket's ARN as the one resource, and a detail-type and detail shaped as
 * AWS's recordings (LocalStack's {@code test_s3_notifications_eventbridge.snapshot.json}, recorded
 * against AWS) and the S3 user guide ("EventBridge event message structure") show them:
 * <ul>
 *   <li>Object Created: object {key, size, etag, version-id, sequencer} and {@code reason}, the API
 *       that wrote it (PutObject, POST Object, CopyObject, CompleteMultipartUpload);
 *   <li>Object Deleted: object {key, version-id, sequencer} (a delete marker adds the empty ETag),
 *       {@code reason} DeleteObject or Lifecycle Expiration and {@code deletion-type} Permanently
 *       Deleted or Delete Marker Created;
 *   <li>Object Restore Initiated / Completed / Expired: object {key, size, etag, version-id}, no
 *       sequencer, {@code source-storage-class}, and for Completed {@code restore-expiry-time};
 *   <li>Object Tags Added / Deleted and Object ACL Updated: object {key, etag, version-id};
 *   <li>Object Storage Class Changed (a lifecycle transition): object {key, size, etag, version-id}
 *       and {@code destination-storage-class}.
 * </ul>
 * Every detail has version "0", bucket {name}, request-id and requester (the caller's account, or
 * {@code s3.amazonaws.com} for what S3 does by itself); source-ip-address only when a request
 * caused it. Keys are shown as stored, not URL-encoded as in the notification records. Events S3
 * does not send to EventBridge (replication, reduced redundancy) have no detail-type.
 */
public final class S3BridgeEvent {
  /** The ETag S3 shows for a delete marker: the MD5 of nothing. */
  private static final String EMPTY_ETAG = "d41d8cd98f00b204e9800998ecf8427e";

  private S3BridgeEvent() {}

  /** EventBridge's detail-type for an S3 event name (without {@code s3:}), or null when EventBridge gets none. */
  public static String detailType(String eventName) {
    return switch (eventName) {
      case "ObjectCreated:Put", "ObjectCreated:Post", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload" ->
          "Object Created";
      case "ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated", "LifecycleExpiration:Delete",
          "LifecycleExpiration:DeleteMarkerCreated" -> "Object Deleted";
      case "ObjectRestore:Post" -> "Object Restore Initiated";
      case "ObjectRestore:Completed" -> "Object Restore Completed";
      case "ObjectRestore:Delete" -> "Object Restore Expired";
      case "ObjectTagging:Put" -> "Object Tags Added";
      case "ObjectTagging:Delete" -> "Object Tags Deleted";
      case "ObjectAcl:Put" -> "Object ACL Updated";
      case "LifecycleTransition" -> "Object Storage Class Changed";
      default -> null;
    };
  }

  /**
   * The entry for EventBridge's internal {@code eventplane:PutServiceEvents}, or null when the event
   * does not go to EventBridge.
   *
   * @param eventName without {@code s3:}, e.g. {@code ObjectCreated:Put}
   * @param object the object as the event leaves it; null for a removal
   * @param versionId the version the event is about, or null (an unversioned bucket's object)
   * @param requester the caller's account, or {@code s3.amazonaws.com}
   * @param sourceIp the caller's address, or null when S3 acted by itself
   */
  public static JsonObject entry(String id, long time, String eventName, Bucket bucket, String key, StoredObject object,
      String versionId, String sequencer, String requestId, String requester, String sourceIp) {
    String detailType = detailType(eventName);
    if (detailType == null) return null;
    JsonObject obj = new JsonObject().put("key", key);
    JsonObject detail = new JsonObject().put("version", "0").put("bucket", new JsonObject().put("name", bucket.name()))
        .put("object", obj).put("request-id", requestId).put("requester", requester);
    if (sourceIp != null) detail.put("source-ip-address", sourceIp);
    switch (detailType) {
      case "Object Created" -> {
        sizeAndEtag(obj, object);
        version(obj, versionId);
        obj.put("sequencer", sequencer);
        detail.put("reason", switch (eventName) {
          case "ObjectCreated:Post" -> "POST Object";
          case "ObjectCreated:Copy" -> "CopyObject";
          case "ObjectCreated:CompleteMultipartUpload" -> "CompleteMultipartUpload";
          default -> "PutObject";
        });
      }
      case "Object Deleted" -> {
        boolean marker = eventName.endsWith("DeleteMarkerCreated");
        if (marker) obj.put("etag", EMPTY_ETAG);
        version(obj, versionId);
        obj.put("sequencer", sequencer);
        detail.put("reason", eventName.startsWith("Lifecycle") ? "Lifecycle Expiration" : "DeleteObject");
        detail.put("deletion-type", marker ? "Delete Marker Created" : "Permanently Deleted");
      }
      case "Object Restore Initiated", "Object Restore Completed", "Object Restore Expired" -> {
        sizeAndEtag(obj, object);
        version(obj, versionId);
        if (detailType.equals("Object Restore Completed") && object != null && object.restore() != null) {
          detail.put("restore-expiry-time", time(object.restore().dueAt()));
        }
        if (!detailType.equals("Object Restore Expired") && object != null) {
          detail.put("source-storage-class", object.storageClass());
        }
      }
      case "Object Storage Class Changed" -> {
        sizeAndEtag(obj, object);
        version(obj, versionId);
        if (object != null) detail.put("destination-storage-class", object.storageClass());
      }
      default -> { // Tags Added/Deleted, ACL Updated
        if (object != null) obj.put("etag", etag(object));
        version(obj, versionId);
      }
    }
    return new JsonObject().put("Id", id).put("Source", "aws.s3").put("DetailType", detailType)
        .put("Detail", detail.encode()).put("Resources", new JsonArray().add(bucket.arn())).put("TimeMillis", time);
  }

  private static void sizeAndEtag(JsonObject obj, StoredObject object) {
    if (object == null) return;
    obj.put("size", object.size()).put("etag", etag(object));
  }

  private static void version(JsonObject obj, String versionId) {
    if (versionId != null) obj.put("version-id", versionId);
  }

  private static String etag(StoredObject object) {
    return object.etag() == null ? EMPTY_ETAG : object.etag().replace("\"", "");
  }

  private static String time(long millis) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS));
  }
}
