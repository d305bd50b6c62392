package io.eventplane.storage.api;

import io.eventplane.common.blob.Blob;
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
  private final ReplicationTasks replication;

  ObjectOperations(Buckets buckets, Bodies bodies, Events events, Notifier notifier, Clock clock, ReplicationTasks replication) {
    this.buckets = buckets;
    this.bodies = bodies;
    this.events = events;
    this.notifier = notifier;
    this.clock = clock;
    this.replication = replication;
  }

  /** Before a body is streamed: the bucket exists and a conditional write may go ahead. */
  Future<JsonObject> prepareWrite(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    if (in.getString("IfNoneMatch") == null && in.getString("IfMatch") == null) return Future.succeededFuture(new JsonObject());
    return buckets.blocking(() -> buckets.store().getObject(bucket.name(), key)).map(existing -> {
      Conditions.forWrite(in, existing);
      return new JsonObject();
    });
  }

  Future<JsonObject> put(JsonObject in, RequestContext ctx) {
    Blob blob = Inputs.blob(in);
    Bucket bucket;
    String key;
    try {
      bucket = buckets.require(Inputs.bucket(in));
      key = Inputs.key(in);
      checkDigests(in, blob);
    } catch (RuntimeException e) {
      bodies.local().delete(blob.id());
      throw e;
    }
    StoredObject object = new StoredObject(key, blob.size(), "\"" + blob.md5Hex() + "\"", clock.millis(), Inputs.headers(in),
        Inputs.metadata(in), in.getString("StorageClass"), blob.checksumAlgorithm(), blob.checksum(), 0,
        StoredObject.single(blob), Inputs.tags(in));
    String eventName = in.getString("EventName", "ObjectCreated:Put");
    return bodies.replicate(bucket.name(), blob).compose(v -> replace(bucket, object, in, ctx, eventName)).map(v -> {
      JsonObject out = new JsonObject().put("ETag", object.etag());
      if (object.checksumAlgorithm() != null) out.put("Checksum" + object.checksumAlgorithm(), object.checksum());
      return out;
    }).onFailure(e -> bodies.delete(bucket.name(), blob.id()));
  }

  /**
   * Commits {@code object} in place of the key's current one (after any earlier write of the key),
   * with its notices, then deletes the replaced object's blobs.
   */
  Future<Void> replace(Bucket bucket, StoredObject written, JsonObject in, RequestContext ctx, String eventName) {
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), written.key(), () ->
        buckets.blocking(() -> java.util.Optional.ofNullable(buckets.store().getObject(bucket.name(), written.key())))
            .compose(existing -> {
              Conditions.forWrite(in, existing.orElse(null));
              Batch batch = buckets.store().batch();
              List<JsonObject> tasks = new ArrayList<>();
              StoredObject object = replication.add(batch, bucket, written, tasks);
              buckets.store().putObject(batch, bucket.name(), object);
              List<JsonObject> notices = events.add(batch, bucket, object.key(), eventName, object, ctx, in.getString("SourceIp"));
              return buckets.commit(partition, batch).map(v -> {
                notices.forEach(n -> notifier.deliver(partition, n));
                tasks.forEach(t -> replication.deliver(partition, t));
                existing.ifPresent(old -> deleteBlobsNotIn(bucket.name(), old, object));
                return null;
              });
            }));
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
    return buckets.blocking(() -> buckets.store().getObject(bucket.name(), key)).map(o -> {
      if (o == null) throw S3Errors.noSuchKey(key);
      JsonObject out = describe(o, "ENABLED".equals(in.getString("ChecksumMode")));
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
    return buckets.blocking(() -> buckets.store().getObject(bucket.name(), key)).map(o -> {
      if (o == null) throw S3Errors.noSuchKey(key);
      JsonArray set = new JsonArray();
      o.tags().forEach((k, v) -> set.add(new JsonObject().put("Key", k).put("Value", v)));
      return new JsonObject().put("TagSet", set);
    });
  }

  /** PutObjectTagging (or, with {@code delete}, DeleteObjectTagging): a new tag set, notifying ObjectTagging:Put/Delete. */
  Future<JsonObject> putTagging(JsonObject in, RequestContext ctx, boolean delete) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    if (!delete && !(in.getValue("Tagging") instanceof JsonObject)) throw S3Errors.malformedXml();
    Map<String, String> tags = delete ? Map.of() : Inputs.tags(in);
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), key, () ->
        buckets.blocking(() -> java.util.Optional.ofNullable(buckets.store().getObject(bucket.name(), key))).compose(existing -> {
          if (existing.isEmpty()) throw S3Errors.noSuchKey(key);
          StoredObject tagged = existing.get().withTags(tags);
          Batch batch = buckets.store().batch();
          buckets.store().putObject(batch, bucket.name(), tagged);
          List<JsonObject> notices = events.add(batch, bucket, key, delete ? "ObjectTagging:Delete" : "ObjectTagging:Put",
              tagged, ctx, in.getString("SourceIp"));
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            return new JsonObject();
          });
        }));
  }

  Future<JsonObject> delete(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    return remove(bucket, key, in, ctx).map(v -> new JsonObject());
  }

  /** Deletes the key (no error when it does not exist), notifying ObjectRemoved:Delete when something went. */
  Future<Boolean> remove(Bucket bucket, String key, JsonObject in, RequestContext ctx) {
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), key, () ->
        buckets.blocking(() -> java.util.Optional.ofNullable(buckets.store().getObject(bucket.name(), key))).compose(existing -> {
          if (existing.isEmpty()) return Future.succeededFuture(false);
          Batch batch = buckets.store().batch();
          buckets.store().deleteObject(batch, bucket.name(), key);
          List<JsonObject> notices = events.add(batch, bucket, key, "ObjectRemoved:Delete", null, ctx, in.getString("SourceIp"));
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            existing.get().segments().forEach(s -> bodies.delete(bucket.name(), s.blobId()));
            return true;
          });
        }));
  }

  /** DeleteObjects: up to 1,000 keys, each deleted or reported, Quiet leaving out the deleted ones. */
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
      if (key == null || key.isEmpty()) {
        all.add(Future.succeededFuture(new JsonObject().put("Error", new JsonObject().put("Key", String.valueOf(key))
            .put("Code", "InvalidArgument").put("Message", "Invalid key"))));
        continue;
      }
      all.add(remove(bucket, key, in, ctx).map(v -> new JsonObject().put("Deleted", new JsonObject().put("Key", key)))
          .otherwise(e -> new JsonObject().put("Error", new JsonObject().put("Key", key).put("Code", "InternalError")
              .put("Message", String.valueOf(e.getMessage())))));
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

  /**
   * CopyObject within this node's buckets: the blobs are linked, not read; metadata copied or
   * replaced by the directive; copying an object onto itself needs a change (REPLACE).
   */
  Future<JsonObject> copy(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    String[] source = CopySource.parse(in.getString("CopySource"));
    Bucket sourceBucket = buckets.find(source[0]);
    if (sourceBucket == null) {
      if (!buckets.owns(ObjectStore.partitionOf(source[0]))) {
        throw S3Errors.notImplemented("Copying from a bucket of another node is not supported yet.");
      }
      throw S3Errors.noSuchBucket(source[0]);
    }
    String directive = in.getString("MetadataDirective", "COPY");
    if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
      throw S3Errors.invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
    }
    return buckets.blocking(() -> buckets.store().getObject(source[0], source[1])).compose(src -> {
      if (src == null) throw S3Errors.noSuchKey(source[1]);
      if (Conditions.forRead(in, src, "CopySource") == Conditions.Outcome.NOT_MODIFIED) {
        throw S3Errors.preconditionFailed("x-amz-copy-source-If-None-Match");
      }
      if (source[0].equals(bucket.name()) && source[1].equals(key) && directive.equals("COPY")
          && in.getString("StorageClass") == null) {
        throw S3Errors.invalidRequest("This copy request is illegal because it is trying to copy an object to itself without "
            + "changing the object's metadata, storage class, website redirect location or encryption attributes.");
      }
      List<Future<String>> copies = new ArrayList<>();
      for (StoredObject.Segment s : src.segments()) copies.add(bodies.local().copy(s.blobId()));
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
            in.getString("StorageClass", src.storageClass()), src.checksumAlgorithm(), src.checksum(), src.partsCount(),
            segments, tags);
        JsonObject conditions = new JsonObject().put("Key", key).put("SourceIp", in.getString("SourceIp"));
        List<io.eventplane.storage.replication.BlobReplicas.BlobRef> refs = new ArrayList<>();
        for (StoredObject.Segment s : segments) refs.add(new io.eventplane.storage.replication.BlobReplicas.BlobRef(s.blobId(), s.size()));
        return bodies.replicate(bucket.name(), refs).compose(v -> replace(bucket, copy, conditions, ctx, "ObjectCreated:Copy"))
            .map(v -> new JsonObject().put("ETag", copy.etag())
                .put("LastModified", Instant.ofEpochMilli(copy.lastModified()).toString()))
            .onFailure(e -> segments.forEach(s -> bodies.delete(bucket.name(), s.blobId())));
      });
    });
  }
}
