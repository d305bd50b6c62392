package io.eventplane.storage.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The event S3 sends to a notification destination, exactly in AWS's shape (event message
 * structure version 2.1): {@code {"Records":[{...}]}}, or the {@code s3:TestEvent} sent when a
 * configuration is saved.
 */
public final class S3EventRecord {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private S3EventRecord() {}

  /**
   * @param eventName without the {@code s3:} prefix, e.g. {@code ObjectCreated:Put}
   * @param object the object created (size and ETag shown), or null for a removal
   * @param sequencer a hex value that increases for the events of one key
   */
  public static JsonObject of(String region, long time, String eventName, String principal, String sourceIp,
      String requestId, String hostId, String configurationId, Bucket bucket, String key, StoredObject object,
      String versionId, String sequencer) {
    JsonObject obj = new JsonObject().put("key", encodeKey(key));
    if (object != null) obj.put("size", object.size()).put("eTag", object.etag().replace("\"", ""));
    if (versionId != null) obj.put("versionId", versionId);
    obj.put("sequencer", sequencer);
    JsonObject record = new JsonObject()
        .put("eventVersion", "2.1")
        .put("eventSource", "aws:s3")
        .put("awsRegion", region)
        .put("eventTime", TIME.format(Instant.ofEpochMilli(time)))
        .put("eventName", eventName)
        .put("userIdentity", new JsonObject().put("principalId", principal))
        .put("requestParameters", new JsonObject().put("sourceIPAddress", sourceIp))
        .put("responseElements", new JsonObject().put("x-amz-request-id", requestId).put("x-amz-id-2", hostId))
        .put("s3", new JsonObject()
            .put("s3SchemaVersion", "1.0")
            .put("configurationId", configurationId)
            .put("bucket", new JsonObject().put("name", bucket.name())
                .put("ownerIdentity", new JsonObject().put("principalId", bucket.accountId())).put("arn", bucket.arn()))
            .put("object", obj));
    return new JsonObject().put("Records", new JsonArray().add(record));
  }

  /** The message S3 sends to each queue and topic of a configuration when it is saved. */
  public static JsonObject testEvent(String bucket, long time, String requestId, String hostId) {
    return new JsonObject().put("Service", "Amazon S3").put("Event", "s3:TestEvent")
        .put("Time", TIME.format(Instant.ofEpochMilli(time))).put("Bucket", bucket).put("RequestId", requestId)
        .put("HostId", hostId);
  }

  /** A time as events write it, e.g. {@code 2024-09-05T21:04:32.527Z}. */
  public static String time(long millis) {
    return TIME.format(Instant.ofEpochMilli(millis));
  }

  /** Keys in events are URL-encoded as S3 encodes them: a space becomes {@code +}. */
  public static String encodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/").replace("*", "%2A").replace("%7E", "~");
  }
}
