package io.eventplane.storage.api;

import io.eventplane.common.blob.Blob;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.store.Batch;
import io.eventplane.storage.blob.Checksums;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.Part;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.domain.Upload;
import io.eventplane.storage.notify.Notifier;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Multipart uploads: each part is a blob of its own; completing an upload writes the object's
 * metadata naming the listed parts' blobs in order (no bytes are copied), with the ETag S3 gives
 * it ({@code md5 of the parts' MD5s-N}), and notifies once.
 */
final class MultipartOperations {
  /** Every part but the last must be at least this large. */
  static final long MIN_PART = 5L * 1024 * 1024;

  private final Buckets buckets;
  private final Bodies bodies;
  private final Events events;
  private final Notifier notifier;
  private final Clock clock;
  /** The length of a lifecycle day (x-amz-expiration of the completed object). */
  private final long dayLength;
  private final Versions versions;
  private final ReplicationTasks replication;

  MultipartOperations(Buckets buckets, Bodies bodies, Events events, Notifier notifier, Clock clock, long dayLength,
      Versions versions, ReplicationTasks replication) {
    this.versions = versions;
    this.replication = replication;
    this.buckets = buckets;
    this.bodies = bodies;
    this.events = events;
    this.notifier = notifier;
    this.clock = clock;
    this.dayLength = dayLength;
  }

  Future<JsonObject> create(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    io.eventplane.storage.domain.StorageClasses.require(in.getString("StorageClass"));
    String checksum = in.getString("ChecksumAlgorithm");
    if (checksum != null && !Checksums.ALGORITHMS.contains(checksum)) {
      throw S3Errors.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: "
          + "[CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
    }
    String uploadId = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        java.util.UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Upload upload = new Upload(uploadId, bucket.name(), key, clock.millis(), Inputs.headers(in), Inputs.metadata(in),
        in.getString("StorageClass"), checksum, Inputs.tags(in),
        io.eventplane.storage.domain.AccessControlList.fromRequest(in, bucket.accountId()));
    int partition = ObjectStore.partitionOf(bucket.name());
    Batch b = buckets.store().batch();
    buckets.store().putUpload(b, partition, upload);
    return buckets.commit(partition, b).map(v -> {
      JsonObject out = new JsonObject().put("Bucket", bucket.name()).put("Key", key).put("UploadId", uploadId);
      if (checksum != null) out.put("ChecksumAlgorithm", checksum);
      return out;
    });
  }

  Future<Upload> upload(Bucket bucket, String key, String uploadId) {
    if (uploadId == null) throw S3Errors.noSuchUpload("");
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.blocking(() -> buckets.store().getUpload(partition, uploadId)).map(u -> {
      if (u == null || !u.bucket().equals(bucket.name()) || !u.key().equals(key)) throw S3Errors.noSuchUpload(uploadId);
      return u;
    });
  }

  /** Before a part's body is streamed: the upload exists. */
  Future<JsonObject> prepare(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    Inputs.integer(in, "PartNumber", 1, 10_000, 1, "partNumber");
    return upload(bucket, Inputs.key(in), in.getString("UploadId")).map(u -> new JsonObject());
  }

  Future<JsonObject> uploadPart(JsonObject in) {
    Blob blob = Inputs.blob(in);
    try {
      Bucket bucket = buckets.require(Inputs.bucket(in));
      String key = Inputs.key(in);
      int number = Inputs.integer(in, "PartNumber", 1, 10_000, 1, "partNumber");
      ObjectOperations.checkDigests(in, blob);
      return upload(bucket, key, in.getString("UploadId")).compose(u -> commitPart(bucket, u, number, blob))
          .onFailure(e -> bodies.delete(bucket.name(), blob.id()));
    } catch (RuntimeException e) {
      bodies.local().delete(blob.id());
      throw e;
    }
  }

  /**
   * Makes {@code blob} part {@code number} of the upload (replacing an earlier one of that number):
   * on the replicas first, then in the store. Answers the part's ETag and checksum.
   */
  Future<JsonObject> commitPart(Bucket bucket, Upload u, int number, Blob blob) {
    int partition = ObjectStore.partitionOf(bucket.name());
    return bodies.replicate(bucket.name(), blob).compose(v -> buckets.serially(bucket.name(), "\u0000" + u.uploadId(),
        () -> buckets.blocking(() -> java.util.Optional.ofNullable(buckets.store().getPart(partition, u.uploadId(), number)))
            .compose(previous -> {
              Part part = new Part(number, blob, clock.millis());
              Batch b = buckets.store().batch();
              buckets.store().putPart(b, partition, u.uploadId(), part);
              return buckets.commit(partition, b).map(x -> {
                previous.ifPresent(p -> bodies.delete(bucket.name(), p.blob().id()));
                JsonObject out = new JsonObject().put("ETag", part.etag())
                    .put("LastModified", Instant.ofEpochMilli(part.lastModified()).toString());
                if (blob.checksumAlgorithm() != null) out.put("Checksum" + blob.checksumAlgorithm(), blob.checksum());
                return out;
              });
            })));
  }

  Future<JsonObject> complete(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    JsonObject body = in.getJsonObject("MultipartUpload");
    JsonArray listed = body == null ? null : body.getJsonArray("Parts");
    if (listed == null || listed.isEmpty()) {
      throw S3Errors.malformedXml();
    }
    int partition = ObjectStore.partitionOf(bucket.name());
    return upload(bucket, key, in.getString("UploadId")).compose(u -> buckets.serially(bucket.name(), "\u0000" + u.uploadId(),
        () -> buckets.blocking(() -> buckets.store().parts(partition, u.uploadId())).compose(stored -> {
          List<Part> chosen = choose(stored, listed);
          MessageDigest md5s = Checksums.md5();
          List<StoredObject.Segment> segments = new ArrayList<>();
          long size = 0;
          for (Part p : chosen) {
            md5s.update(p.blob().md5());
            segments.add(new StoredObject.Segment(p.blob().id(), p.blob().size()));
            size += p.blob().size();
          }
          String etag = "\"" + java.util.HexFormat.of().formatHex(md5s.digest()) + "-" + chosen.size() + "\"";
          StoredObject object = new StoredObject(key, size, etag, clock.millis(), u.headers(), u.metadata(), u.storageClass(),
              null, null, chosen.size(), segments, u.tags(), u.acl());
          Set<String> kept = new HashSet<>();
          for (StoredObject.Segment s : segments) kept.add(s.blobId());
          return buckets.serially(bucket.name(), key, () ->
              buckets.blocking(() -> versions.load(bucket, key))
                  .compose(state -> {
                    Conditions.forWrite(in, state.live());
                    StoredObject version = versions.stamp(bucket, state, object);
                    Batch b = buckets.store().batch();
                    List<JsonObject> tasks = new ArrayList<>();
                    StoredObject pending = replication.add(b, bucket, version, tasks);
                    List<StoredObject> replaced = versions.makeCurrent(b, bucket, state, pending);
                    buckets.store().deleteUpload(b, partition, u.uploadId());
                    List<JsonObject> notices = events.add(b, bucket, key, "ObjectCreated:CompleteMultipartUpload", pending, ctx,
                        in.getString("SourceIp"), Versions.eventVersionId(bucket, pending));
                    return buckets.commit(partition, b).map(v -> {
                      notices.forEach(n -> notifier.deliver(partition, n));
                      tasks.forEach(t -> replication.deliver(partition, t));
                      for (Part p : stored) if (!kept.contains(p.blob().id())) bodies.delete(bucket.name(), p.blob().id());
                      replaced.forEach(old -> old.segments().forEach(s -> {
                        if (!kept.contains(s.blobId())) bodies.delete(bucket.name(), s.blobId());
                      }));
                      JsonObject out = new JsonObject().put("Location", "/" + bucket.name() + "/" + key)
                          .put("Bucket", bucket.name()).put("Key", key).put("ETag", etag);
                      String expiration = LifecycleOperations.expirationHeader(bucket, object, dayLength);
                      if (expiration != null) out.put("Expiration", expiration);
                      Versions.putVersionId(out, bucket, version);
                      return out;
                    });
                  }));
        })));
  }

  /** The parts the request lists, checked as S3 checks them: ascending, uploaded, ETags matching, large enough. */
  private static List<Part> choose(List<Part> stored, JsonArray listed) {
    java.util.Map<Integer, Part> byNumber = new java.util.HashMap<>();
    for (Part p : stored) byNumber.put(p.number(), p);
    List<Part> chosen = new ArrayList<>();
    int previous = 0;
    for (Object o : listed) {
      JsonObject entry = (JsonObject) o;
      int number;
      try {
        number = Integer.parseInt(String.valueOf(entry.getValue("PartNumber")).trim());
      } catch (NumberFormatException e) {
        throw S3Errors.malformedXml();
      }
      if (number <= previous) throw S3Errors.invalidPartOrder();
      previous = number;
      Part p = byNumber.get(number);
      String etag = entry.getString("ETag");
      if (p == null || etag == null || !Conditions.etagMatches(etag, p.etag())) {
        throw S3Errors.invalidPart("One or more of the specified parts could not be found.  The part may not have been "
            + "uploaded, or the specified entity tag may not match the part's entity tag.");
      }
      chosen.add(p);
    }
    for (int i = 0; i < chosen.size() - 1; i++) {
      if (chosen.get(i).blob().size() < MIN_PART) throw S3Errors.entityTooSmall(chosen.get(i).blob().size(), MIN_PART);
    }
    return chosen;
  }

  Future<JsonObject> abort(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    return upload(bucket, key, in.getString("UploadId")).compose(u -> abort(bucket, u));
  }

  /** Aborts the upload if it is still there (a lifecycle rule races a completion): its parts' blobs go. */
  Future<JsonObject> abort(Bucket bucket, Upload u) {
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), "\u0000" + u.uploadId(),
        () -> buckets.blocking(() -> buckets.store().getUpload(partition, u.uploadId()) == null ? null
            : buckets.store().parts(partition, u.uploadId())).compose(parts -> {
          if (parts == null) return Future.succeededFuture(new JsonObject());
          Batch b = buckets.store().batch();
          buckets.store().deleteUpload(b, partition, u.uploadId());
          return buckets.commit(partition, b).map(v -> {
            parts.forEach(p -> bodies.delete(bucket.name(), p.blob().id()));
            return new JsonObject();
          });
        }));
  }

  Future<JsonObject> listParts(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    int max = Inputs.integer(in, "MaxParts", 0, Integer.MAX_VALUE, 1000, "max-parts");
    int marker = Inputs.integer(in, "PartNumberMarker", 0, Integer.MAX_VALUE, 0, "part-number-marker");
    int partition = ObjectStore.partitionOf(bucket.name());
    return upload(bucket, key, in.getString("UploadId")).compose(u -> buckets.blocking(() -> buckets.store().parts(partition,
        u.uploadId())).map(parts -> {
          JsonArray out = new JsonArray();
          int last = 0;
          boolean more = false;
          for (Part p : parts) {
            if (p.number() <= marker) continue;
            if (out.size() == Math.min(max, 1000)) {
              more = true;
              break;
            }
            JsonObject e = new JsonObject().put("PartNumber", p.number())
                .put("LastModified", Instant.ofEpochMilli(p.lastModified()).toString()).put("ETag", p.etag())
                .put("Size", p.blob().size());
            if (p.blob().checksumAlgorithm() != null) e.put("Checksum" + p.blob().checksumAlgorithm(), p.blob().checksum());
            out.add(e);
            last = p.number();
          }
          JsonObject owner = new JsonObject().put("ID", bucket.accountId()).put("DisplayName", "eventplane");
          JsonObject result = new JsonObject().put("Bucket", bucket.name()).put("Key", key).put("UploadId", u.uploadId())
              .put("PartNumberMarker", marker).put("MaxParts", max).put("IsTruncated", more).put("Parts", out)
              .put("Initiator", owner).put("Owner", owner)
              .put("StorageClass", u.storageClass() == null ? "STANDARD" : u.storageClass());
          if (more) result.put("NextPartNumberMarker", last);
          if (u.checksumAlgorithm() != null) result.put("ChecksumAlgorithm", u.checksumAlgorithm());
          return result;
        }));
  }

  Future<JsonObject> listUploads(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    int max = Inputs.integer(in, "MaxUploads", 0, Integer.MAX_VALUE, 1000, "max-uploads");
    String prefix = in.getString("Prefix", "");
    String keyMarker = in.getString("KeyMarker");
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.blocking(() -> buckets.store().uploads(partition, bucket.name())).map(all -> {
      JsonArray out = new JsonArray();
      boolean more = false;
      Upload lastShown = null;
      for (Upload u : all) {
        if (!u.key().startsWith(prefix)) continue;
        if (keyMarker != null && u.key().compareTo(keyMarker) <= 0) continue;
        if (out.size() == Math.min(max, 1000)) {
          more = true;
          break;
        }
        JsonObject owner = new JsonObject().put("ID", bucket.accountId()).put("DisplayName", "eventplane");
        out.add(new JsonObject().put("Key", u.key()).put("UploadId", u.uploadId())
            .put("Initiated", Instant.ofEpochMilli(u.initiated()).toString())
            .put("StorageClass", u.storageClass() == null ? "STANDARD" : u.storageClass()).put("Owner", owner)
            .put("Initiator", owner));
        lastShown = u;
      }
      JsonObject result = new JsonObject().put("Bucket", bucket.name()).put("KeyMarker", keyMarker == null ? "" : keyMarker)
          .put("UploadIdMarker", "").put("MaxUploads", max).put("IsTruncated", more).put("Uploads", out);
      if (!prefix.isEmpty()) result.put("Prefix", prefix);
      if (more && lastShown != null) result.put("NextKeyMarker", lastShown.key()).put("NextUploadIdMarker", lastShown.uploadId());
      return result;
    });
  }
}
