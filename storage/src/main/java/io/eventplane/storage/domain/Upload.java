package io.eventplane.storage.domain;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A multipart upload in progress: where it will land and the headers its object will have.
 *
 * @param acl the ACL its object will have, or null for the default
 */
public record Upload(String uploadId, String bucket, String key, long initiated, Map<String, String> headers,
    Map<String, String> metadata, String storageClass, String checksumAlgorithm, Map<String, String> tags,
    AccessControlList acl) {

  public Upload {
    headers = Map.copyOf(headers);
    metadata = Map.copyOf(metadata);
    tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
  }

  /** An upload whose object gets the default ACL. */
  public Upload(String uploadId, String bucket, String key, long initiated, Map<String, String> headers,
      Map<String, String> metadata, String storageClass, String checksumAlgorithm, Map<String, String> tags) {
    this(uploadId, bucket, key, initiated, headers, metadata, storageClass, checksumAlgorithm, tags, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("uploadId", uploadId).put("bucket", bucket).put("key", key).put("initiated", initiated)
        .put("headers", new JsonObject(new java.util.LinkedHashMap<>(headers)))
        .put("metadata", new JsonObject(new java.util.LinkedHashMap<>(metadata))).put("storageClass", storageClass)
        .put("checksumAlgorithm", checksumAlgorithm).put("tags", new JsonObject(new java.util.LinkedHashMap<>(tags)))
        .put("acl", acl == null ? null : acl.toJson());
  }

  public static Upload fromJson(JsonObject j) {
    return new Upload(j.getString("uploadId"), j.getString("bucket"), j.getString("key"), j.getLong("initiated"),
        StoredObject.strings(j.getJsonObject("headers")), StoredObject.strings(j.getJsonObject("metadata")),
        j.getString("storageClass"), j.getString("checksumAlgorithm"), StoredObject.strings(j.getJsonObject("tags")),
        AccessControlList.fromJson(j.getJsonObject("acl")));
  }
}
