package io.eventplane.storage.domain;

import io.eventplane.common.blob.Blob;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An object's metadata: what S3 shows of it and the blobs that hold its bytes, in order (one for a
 * single PUT, one per part for a multipart upload, so completing an upload copies nothing).
 *
 * @param etag quoted, as S3 shows it: the MD5 of the bytes, or of the parts' MD5s with {@code -N}
 * @param headers the stored representation headers (Content-Type, Content-Encoding, Cache-Control, ...) by name
 * @param metadata user metadata ({@code x-amz-meta-*}) without the prefix, names lower-cased
 * @param tags the object's tag set, in the order given
 * @param acl the object's ACL, or null for S3's default (its owner has FULL_CONTROL)
 * @param restore the state of a RestoreObject of an archived object (GLACIER, DEEP_ARCHIVE), or null
 * @param versionId the version's id, or null for the "null" version (every object of an unversioned
 *     bucket, objects written before versioning was enabled, and writes while it is suspended)
 * @param deleteMarker a delete marker: no bytes, no ETag; a key whose current version is one reads as absent
 * @param seq when the version was written (a per-node hybrid clock: milliseconds times 1000 plus a
 *     counter); orders a key's versions, 0 for objects stored before versions existed
 */
public record StoredObject(String key, long size, String etag, long lastModified, Map<String, String> headers,
    Map<String, String> metadata, String storageClass, String checksumAlgorithm, String checksum, int partsCount,
    List<Segment> segments, Map<String, String> tags, AccessControlList acl, Restore restore, String versionId,
    boolean deleteMarker, long seq) {

  /** One blob of the object's bytes. */
  public record Segment(String blobId, long size) {}

  /**
   * A restore of an archived object: in progress until {@code dueAt}, then a readable copy until
   * {@code dueAt} (its expiry). The due time also names the schedule entry that moves it on, so an
   * entry left by an earlier restore of the key is recognised as stale.
   */
  public record Restore(boolean ongoing, int days, long dueAt) {
    JsonObject toJson() {
      return new JsonObject().put("ongoing", ongoing).put("days", days).put("due", dueAt);
    }

    static Restore fromJson(JsonObject j) {
      return j == null ? null : new Restore(j.getBoolean("ongoing"), j.getInteger("days"), j.getLong("due"));
    }
  }

  /** An object as it is written: never restored. */
  public StoredObject(String key, long size, String etag, long lastModified, Map<String, String> headers,
      Map<String, String> metadata, String storageClass, String checksumAlgorithm, String checksum, int partsCount,
      List<Segment> segments, Map<String, String> tags, AccessControlList acl) {
    this(key, size, etag, lastModified, headers, metadata, storageClass, checksumAlgorithm, checksum, partsCount, segments,
        tags, acl, null, null, false, 0);
  }

  public StoredObject {
    Objects.requireNonNull(key, "key");
    headers = Map.copyOf(headers);
    metadata = Map.copyOf(metadata);
    segments = List.copyOf(segments);
    tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    storageClass = storageClass == null ? "STANDARD" : storageClass;
  }

  /** An object as it is written, with the default ACL and no version yet (the write gives it one, see {@link #withVersion}). */
  public StoredObject(String key, long size, String etag, long lastModified, Map<String, String> headers,
      Map<String, String> metadata, String storageClass, String checksumAlgorithm, String checksum, int partsCount,
      List<Segment> segments, Map<String, String> tags) {
    this(key, size, etag, lastModified, headers, metadata, storageClass, checksumAlgorithm, checksum, partsCount, segments,
        tags, null, null, null, false, 0);
  }

  /** A version as it is stored, with the default ACL and never restored. */
  public StoredObject(String key, long size, String etag, long lastModified, Map<String, String> headers,
      Map<String, String> metadata, String storageClass, String checksumAlgorithm, String checksum, int partsCount,
      List<Segment> segments, Map<String, String> tags, String versionId, boolean deleteMarker, long seq) {
    this(key, size, etag, lastModified, headers, metadata, storageClass, checksumAlgorithm, checksum, partsCount, segments,
        tags, null, null, versionId, deleteMarker, seq);
  }

  /** A delete marker of {@code key}. */
  public static StoredObject deleteMarker(String key, long lastModified, String versionId, long seq) {
    return new StoredObject(key, 0, null, lastModified, Map.of(), Map.of(), null, null, null, 0, List.of(), Map.of(),
        versionId, true, seq);
  }

  /** The same object as the version {@code versionId} (null: the null version) written at {@code seq}. */
  public StoredObject withVersion(String newVersionId, long newSeq) {
    return new StoredObject(key, size, etag, lastModified, headers, metadata, storageClass, checksumAlgorithm, checksum,
        partsCount, segments, tags, acl, restore, newVersionId, deleteMarker, newSeq);
  }

  /** The version id as S3 shows it: the null version's is {@code null}. */
  public String shownVersionId() {
    return versionId == null ? "null" : versionId;
  }

  public static List<Segment> single(Blob blob) {
    return List.of(new Segment(blob.id(), blob.size()));
  }

  /** The same object with another tag set (tagging changes neither the bytes nor the ETag). */
  public StoredObject withTags(Map<String, String> newTags) {
    return new StoredObject(key, size, etag, lastModified, headers, metadata, storageClass, checksumAlgorithm, checksum,
        partsCount, segments, newTags, acl, restore, versionId, deleteMarker, seq);
  }

  /** The same object with other stored headers (a replication status, say); nothing else changes. */
  public StoredObject withHeaders(Map<String, String> newHeaders) {
    return new StoredObject(key, size, etag, lastModified, newHeaders, metadata, storageClass, checksumAlgorithm, checksum,
        partsCount, segments, tags, acl, restore, versionId, deleteMarker, seq);
  }

  /** The same object with another ACL (neither the bytes nor the ETag change). */
  public StoredObject withAcl(AccessControlList newAcl) {
    return new StoredObject(key, size, etag, lastModified, headers, metadata, storageClass, checksumAlgorithm, checksum,
        partsCount, segments, tags, newAcl, restore, versionId, deleteMarker, seq);
  }

  /** The same object in another storage class (a lifecycle transition): a restored copy does not carry over. */
  public StoredObject withStorageClass(String newClass) {
    return new StoredObject(key, size, etag, lastModified, headers, metadata, newClass, checksumAlgorithm, checksum,
        partsCount, segments, tags, acl, null, versionId, deleteMarker, seq);
  }

  public StoredObject withRestore(Restore newRestore) {
    return new StoredObject(key, size, etag, lastModified, headers, metadata, storageClass, checksumAlgorithm, checksum,
        partsCount, segments, tags, acl, newRestore, versionId, deleteMarker, seq);
  }

  public String contentType() {
    return headers.getOrDefault("Content-Type", "binary/octet-stream");
  }

  public JsonObject toJson() {
    JsonArray segs = new JsonArray();
    for (Segment s : segments) segs.add(new JsonObject().put("blob", s.blobId()).put("size", s.size()));
    JsonObject j = new JsonObject().put("key", key).put("size", size).put("etag", etag).put("modified", lastModified)
        .put("headers", new JsonObject(new LinkedHashMap<>(headers))).put("metadata", new JsonObject(new LinkedHashMap<>(metadata)))
        .put("storageClass", storageClass).put("checksumAlgorithm", checksumAlgorithm).put("checksum", checksum)
        .put("parts", partsCount).put("segments", segs).put("tags", new JsonObject(new LinkedHashMap<>(tags)))
        .put("acl", acl == null ? null : acl.toJson()).put("restore", restore == null ? null : restore.toJson());
    // Left out when unset, so objects of unversioned buckets are stored as before versions existed.
    if (versionId != null) j.put("versionId", versionId);
    if (deleteMarker) j.put("deleteMarker", true);
    if (seq != 0) j.put("seq", seq);
    return j;
  }

  public static StoredObject fromJson(JsonObject j) {
    List<Segment> segs = new ArrayList<>();
    for (Object o : j.getJsonArray("segments", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      segs.add(new Segment(s.getString("blob"), s.getLong("size")));
    }
    return new StoredObject(j.getString("key"), j.getLong("size"), j.getString("etag"), j.getLong("modified"),
        strings(j.getJsonObject("headers")), strings(j.getJsonObject("metadata")), j.getString("storageClass"),
        j.getString("checksumAlgorithm"), j.getString("checksum"), j.getInteger("parts", 0), segs,
        strings(j.getJsonObject("tags")), AccessControlList.fromJson(j.getJsonObject("acl")),
        Restore.fromJson(j.getJsonObject("restore")), j.getString("versionId"),
        Boolean.TRUE.equals(j.getBoolean("deleteMarker")), j.getLong("seq") == null ? 0 : j.getLong("seq"));
  }

  static Map<String, String> strings(JsonObject j) {
    Map<String, String> out = new LinkedHashMap<>();
    if (j != null) j.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
    return out;
  }
}
