package io.eventplane.storage.api;

import io.eventplane.common.blob.Blob;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.store.Batch;
import io.eventplane.storage.domain.AccessControlList;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StorageClasses;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.notify.Notifier;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Object reads and writes. A write's body is already a durable blob when it arrives here; the write
 * commits the metadata that names it (and its notices) in one batch, then deletes the blobs of the
 * object it replaced. A read answers the metadata and the blob ranges the gateway streams.
 */
final class ObjectOperations {
  static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;

  private final Buckets buckets;
  private final Bodies bodies;
  private final Events events;
  private final Notifier notifier;
  private final Clock clock;
  private final CopySources sources;
  private final Versions versions;
  private final ReplicationTasks replication;
  /** The length of a lifecycle day (x-amz-expiration). */
  private final long dayLength;

  ObjectOperations(Buckets buckets, Bodies bodies, Events events, Notifier notifier, Clock clock, long dayLength,
      CopySources sources, Versions versions, ReplicationTasks replication) {
    this.sources = sources;
    this.replication = replication;
    this.versions = versions;
    this.buckets = buckets;
    this.bodies = bodies;
    this.events = events;
    this.notifier = notifier;
    this.clock = clock;
    this.dayLength = dayLength;
  }

  /** Before a body is streamed: the bucket exists and a conditional write may go ahead. */
  Future<JsonObject> prepareWrite(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    // A bad x-amz-acl or storage class is refused before the body streams, not after.
    AccessControlList.fromRequest(in, bucket.accountId());
    StorageClasses.require(in.getString("StorageClass"));
    if (in.getString("IfNoneMatch") == null && in.getString("IfMatch") == null) return Future.succeededFuture(new JsonObject());
    return buckets.blocking(() -> buckets.store().getObject(bucket.name(), key)).map(existing -> {
      Conditions.forWrite(in, existing == null || existing.deleteMarker() ? null : existing);
      return new JsonObject();
    });
  }

  Future<JsonObject> put(JsonObject in, RequestContext ctx) {
    Blob blob = Inputs.blob(in);
    Bucket bucket;
    String key;
    AccessControlList acl;
    try {
      bucket = buckets.require(Inputs.bucket(in));
      key = Inputs.key(in);
      acl = AccessControlList.fromRequest(in, ctx.accountId());
      StorageClasses.require(in.getString("StorageClass"));
      checkDigests(in, blob);
    } catch (RuntimeException e) {
      bodies.local().delete(blob.id());
      throw e;
    }
    StoredObject object = new StoredObject(key, blob.size(), "\"" + blob.md5Hex() + "\"", clock.millis(), Inputs.headers(in),
        Inputs.metadata(in), in.getString("StorageClass"), blob.checksumAlgorithm(), blob.checksum(), 0,
        StoredObject.single(blob), Inputs.tags(in), acl);
    String eventName = in.getString("EventName", "ObjectCreated:Put");
    return bodies.replicate(bucket.name(), blob).compose(v -> replace(bucket, object, in, ctx, eventName)).map(stored -> {
      JsonObject out = new JsonObject().put("ETag", object.etag());
      expiration(bucket, object, out);
      if (object.checksumAlgorithm() != null) out.put("Checksum" + object.checksumAlgorithm(), object.checksum());
      Versions.putVersionId(out, bucket, stored);
      return out;
    }).onFailure(e -> bodies.delete(bucket.name(), blob.id()));
  }

  /** Deletes a blob the gateway wrote for a write that is refused before it commits (it is on no replica yet). */
  void discard(Blob blob) {
    bodies.local().delete(blob.id());
  }

  /**
   * Commits {@code object} as the key's current version (after any earlier write of the key), with
   * its notices, then deletes the blobs of the version it replaced (none when the bucket keeps it).
   *
   * @return the object as stored, with its version id
   */
  Future<StoredObject> replace(Bucket bucket, StoredObject object, JsonObject in, RequestContext ctx, String eventName) {
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), object.key(), () ->
        buckets.blocking(() -> versions.load(bucket, object.key())).compose(state -> {
          Conditions.forWrite(in, state.live());
          Batch batch = buckets.store().batch();
          List<JsonObject> tasks = new ArrayList<>();
          StoredObject stored = replication.add(batch, bucket, versions.stamp(bucket, state, object), tasks);
          List<StoredObject> replaced = versions.makeCurrent(batch, bucket, state, stored);
          List<JsonObject> notices = events.add(batch, bucket, object.key(), eventName, stored, ctx, in.getString("SourceIp"),
              Versions.eventVersionId(bucket, stored));
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            tasks.forEach(t -> replication.deliver(partition, t));
            replaced.forEach(old -> deleteBlobsNotIn(bucket.name(), old, stored));
            return stored;
          });
        }));
  }

  /**
   * The object a read names: the current version, or the version {@code versionId}. NoSuchKey
   * (with the delete marker's headers when the current version is one), NoSuchVersion, or 405 for a
   * delete marker named by id, as S3 answers. Blocking.
   */
  private StoredObject readable(Bucket bucket, String key, String versionId, String method) {
    if (versionId == null) return readableCurrent(buckets.store().getObject(bucket.name(), key), key);
    Versions.Found f = versions.find(bucket, key, versionId);
    if (f == null) throw S3Errors.noSuchVersion(key, versionId);
    StoredObject o = f.version();
    if (o.deleteMarker()) {
      throw S3Errors.deleteMarkerRead(method, o.shownVersionId(), HTTP_DATE.format(Instant.ofEpochMilli(o.lastModified())));
    }
    return o;
  }

  /** The key's current version as a read without a version id sees it. */
  private static StoredObject readableCurrent(StoredObject o, String key) {
    if (o == null) throw S3Errors.noSuchKey(key);
    if (o.deleteMarker()) throw S3Errors.noSuchKeyDeleted(key, o.shownVersionId());
    return o;
  }

  private void deleteBlobsNotIn(String bucket, StoredObject old, StoredObject now) {
    for (StoredObject.Segment s : old.segments()) {
      if (now.segments().stream().noneMatch(n -> n.blobId().equals(s.blobId()))) bodies.delete(bucket, s.blobId());
    }
  }

  /** Content-MD5 and x-amz-checksum-* (header or trailer) against what was computed while streaming. */
  static void checkDigests(JsonObject in, Blob blob) {
    String md5 = in.getString("ContentMD5");
    if (md5 != null) {
      byte[] given;
      try {
        given = java.util.Base64.getDecoder().decode(md5.trim());
      } catch (IllegalArgumentException e) {
        throw S3Errors.invalidDigest();
      }
      if (given.length != 16) throw S3Errors.invalidDigest();
      if (!java.util.Arrays.equals(given, blob.md5())) {
        throw S3Errors.badDigest("The Content-MD5 you specified did not match what we received.");
      }
    }
    String[] declared = Inputs.declaredChecksum(in);
    if (declared != null && blob.checksum() != null && declared[0].equals(blob.checksumAlgorithm())
        && !declared[1].equals(blob.checksum())) {
      throw S3Errors.badDigest("The " + declared[0] + " you specified did not match the calculated checksum.");
    }
  }

  /** GetObject and HeadObject: metadata, and for a read with a body the blob ranges to stream. */
  Future<JsonObject> get(JsonObject in, boolean withBody) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    String versionId = Versions.requireWellFormed(in.getString("VersionId"));
    // The hot case, the current version, reads on this context when the store has it in memory.
    Future<StoredObject> found = versionId == null
        ? buckets.currentObject(bucket.name(), key).map(o -> readableCurrent(o, key))
        : buckets.blocking(() -> readable(bucket, key, versionId, withBody ? "GET" : "HEAD"));
    return found.map(o -> {
      if (withBody && !StorageClasses.readable(o)) throw S3Errors.invalidObjectState(o.storageClass());
      JsonObject out = describe(o, "ENABLED".equals(in.getString("ChecksumMode")));
      Versions.putVersionId(out, bucket, o);
      expiration(bucket, o, out);
      if (o.restore() != null) {
        out.put("Restore", o.restore().ongoing() ? "ongoing-request=\"true\""
            : "ongoing-request=\"false\", expiry-date=\"" + LifecycleOperations.HEADER_DATE.format(
                Instant.ofEpochMilli(o.restore().dueAt())) + "\"");
      }
      if (Conditions.forRead(in, o, "") == Conditions.Outcome.NOT_MODIFIED) return out.put("NotModified", true);
      long from = 0;
      long length = o.size();
      String range = in.getString("Range");
      Integer partNumber = in.getValue("PartNumber") == null ? null
          : Inputs.integer(in, "PartNumber", 1, 10_000, 1, "partNumber");
      if (partNumber != null && o.partsCount() > 0) {
        if (partNumber > o.segments().size()) throw S3Errors.invalidRange(o.size(), "part " + partNumber);
        for (int i = 0; i < partNumber - 1; i++) from += o.segments().get(i).size();
        length = o.segments().get(partNumber - 1).size();
        out.put("PartsCount", o.partsCount());
      } else if (range != null) {
        long[] r = Ranges.parse(range, o.size());
        if (r != null) {
          from = r[0];
          length = r[1] - r[0] + 1;
        }
      }
      if (from != 0 || length != o.size() || partNumber != null) {
        out.put("ContentRange", "bytes " + from + "-" + (from + length - 1) + "/" + o.size()).put("Partial", true);
      }
      out.put("ContentLength", length);
      if (withBody) out.put("Segments", segments(o, from, length));
      return out;
    });
  }

  /** {@code Expiration} (x-amz-expiration) when a lifecycle rule of the bucket expires the object. */
  private void expiration(Bucket bucket, StoredObject o, JsonObject out) {
    String header = LifecycleOperations.expirationHeader(bucket, o, dayLength);
    if (header != null) out.put("Expiration", header);
  }

  /** What GetObject and HeadObject show of an object. */
  static JsonObject describe(StoredObject o, boolean checksums) {
    JsonObject out = new JsonObject().put("ETag", o.etag())
        .put("LastModified", HTTP_DATE.format(Instant.ofEpochMilli(o.lastModified())))
        .put("ContentLength", o.size()).put("AcceptRanges", "bytes")
        .put("Headers", new JsonObject(new java.util.LinkedHashMap<>(o.headers())))
        .put("Metadata", new JsonObject(new java.util.LinkedHashMap<>(o.metadata())));
    if (!o.headers().containsKey("Content-Type")) out.getJsonObject("Headers").put("Content-Type", o.contentType());
    if (!"STANDARD".equals(o.storageClass())) out.put("StorageClass", o.storageClass());
    if (!o.tags().isEmpty()) out.put("TagCount", o.tags().size());
    if (checksums && o.checksumAlgorithm() != null) {
      out.put("Checksum" + o.checksumAlgorithm(), o.checksum());
      if (o.partsCount() > 0) out.put("ChecksumType", "COMPOSITE");
    }
    return out;
  }

  /** The blob ranges covering {@code [from, from + length)} of the object. */
  static JsonArray segments(StoredObject o, long from, long length) {
    JsonArray out = new JsonArray();
    long position = 0;
    long end = from + length;
    for (StoredObject.Segment s : o.segments()) {
      long segEnd = position + s.size();
      if (segEnd > from && position < end) {
        long start = Math.max(from, position) - position;
        long stop = Math.min(end, segEnd) - position;
        out.add(new JsonObject().put("Blob", s.blobId()).put("Offset", start).put("Length", stop - start));
      }
      position = segEnd;
    }
    return out;
  }

  /** GetObjectTagging: the tag set, in the order it was given. */
  Future<JsonObject> getTagging(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    String versionId = Versions.requireWellFormed(in.getString("VersionId"));
    return buckets.blocking(() -> readable(bucket, key, versionId, "GET")).map(o -> {
      JsonArray set = new JsonArray();
      o.tags().forEach((k, v) -> set.add(new JsonObject().put("Key", k).put("Value", v)));
      JsonObject out = new JsonObject().put("TagSet", set);
      Versions.putVersionId(out, bucket, o);
      return out;
    });
  }

  private record Tagged(StoredObject version, boolean current) {}

  /** PutObjectTagging (or, with {@code delete}, DeleteObjectTagging): a new tag set, notifying ObjectTagging:Put/Delete. */
  Future<JsonObject> putTagging(JsonObject in, RequestContext ctx, boolean delete) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    if (!delete && !(in.getValue("Tagging") instanceof JsonObject)) throw S3Errors.malformedXml();
    Map<String, String> tags = delete ? Map.of() : Inputs.tags(in);
    String versionId = Versions.requireWellFormed(in.getString("VersionId"));
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), key, () ->
        buckets.blocking(() -> {
          StoredObject o = readable(bucket, key, versionId, delete ? "DELETE" : "PUT");
          // Tags change a version in place: the current one under O, a noncurrent one under V.
          StoredObject current = buckets.store().getObject(bucket.name(), key);
          return new Tagged(o, current != null && current.seq() == o.seq());
        }).compose(found -> {
          StoredObject tagged = found.version().withTags(tags);
          Batch batch = buckets.store().batch();
          if (found.current()) buckets.store().putObject(batch, bucket.name(), tagged);
          else buckets.store().putVersion(batch, bucket.name(), tagged);
          List<JsonObject> notices = events.add(batch, bucket, key, delete ? "ObjectTagging:Delete" : "ObjectTagging:Put",
              tagged, ctx, in.getString("SourceIp"), Versions.eventVersionId(bucket, tagged));
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            JsonObject out = new JsonObject();
            Versions.putVersionId(out, bucket, tagged);
            return out;
          });
        }));
  }

  /**
   * CopyObject: from a bucket of this node the blobs are linked, not read; from another node's the
   * bytes are fetched from it. Metadata copied or replaced by the directive; copying an object onto
   * itself needs a change (REPLACE).
   */
  Future<JsonObject> copy(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    String[] source = CopySource.parse(in.getString("CopySource"));
    // S3 gives a copy the ACL the request names, else the default: never the source's.
    AccessControlList acl = AccessControlList.fromRequest(in, ctx.accountId());
    StorageClasses.require(in.getString("StorageClass"));
    String sourceVersion = Versions.requireWellFormed(source[2]);
    String directive = in.getString("MetadataDirective", "COPY");
    if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
      throw S3Errors.invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
    }
    return sources.find(source[0], source[1], sourceVersion, ctx).compose(found -> {
      StoredObject src = found.object();
      if (!StorageClasses.readable(src)) throw S3Errors.invalidObjectState(src.storageClass());
      if (Conditions.forRead(in, src, "CopySource") == Conditions.Outcome.NOT_MODIFIED) {
        throw S3Errors.preconditionFailed("x-amz-copy-source-If-None-Match");
      }
      // Copying an older version onto its own key is how S3 restores a version: no change needed then.
      if (sourceVersion == null && source[0].equals(bucket.name()) && source[1].equals(key) && directive.equals("COPY")
          && in.getString("StorageClass") == null) {
        throw S3Errors.invalidRequest("This copy request is illegal because it is trying to copy an object to itself without "
            + "changing the object's metadata, storage class, website redirect location or encryption attributes.");
      }
      List<Future<String>> copies = new ArrayList<>();
      for (StoredObject.Segment s : src.segments()) copies.add(sources.copy(found, s));
      return Future.all(copies).compose(done -> {
        List<StoredObject.Segment> segments = new ArrayList<>();
        for (int i = 0; i < copies.size(); i++) {
          segments.add(new StoredObject.Segment(copies.get(i).result(), src.segments().get(i).size()));
        }
        boolean replace = directive.equals("REPLACE");
        // A copy is a new object: the source's replication status is not its own.
        Map<String, String> headers = replace ? Inputs.headers(in) : ReplicationTasks.withStatus(src, null).headers();
        Map<String, String> metadata = replace ? Inputs.metadata(in) : src.metadata();
        Map<String, String> tags = "REPLACE".equals(in.getString("TaggingDirective")) ? Inputs.tags(in) : src.tags();
        StoredObject copy = new StoredObject(key, src.size(), src.etag(), clock.millis(), headers, metadata,
            // Without x-amz-storage-class a copy is STANDARD, whatever the source's class (S3's rule).
            in.getString("StorageClass"), src.checksumAlgorithm(), src.checksum(), src.partsCount(),
            segments, tags, acl);
        JsonObject conditions = new JsonObject().put("Key", key).put("SourceIp", in.getString("SourceIp"));
        List<io.eventplane.storage.replication.BlobReplicas.BlobRef> refs = new ArrayList<>();
        for (StoredObject.Segment s : segments) refs.add(new io.eventplane.storage.replication.BlobReplicas.BlobRef(s.blobId(), s.size()));
        return bodies.replicate(bucket.name(), refs).compose(v -> replace(bucket, copy, conditions, ctx, "ObjectCreated:Copy"))
            .map(stored -> {
              JsonObject out = new JsonObject().put("ETag", copy.etag())
                  .put("LastModified", Instant.ofEpochMilli(copy.lastModified()).toString());
              expiration(bucket, copy, out);
              Versions.putVersionId(out, bucket, stored);
              if (sourceVersion != null || found.versioned()) out.put("CopySourceVersionId", src.shownVersionId());
              return out;
            })
            .onFailure(e -> segments.forEach(s -> bodies.delete(bucket.name(), s.blobId())));
      });
    });
  }
}
