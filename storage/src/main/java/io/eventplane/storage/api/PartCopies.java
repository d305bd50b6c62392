package io.eventplane.storage.api;

import io.eventplane.storage.blob.RangeStream;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * UploadPartCopy: a part made of (a byte range of) an existing object. The part is a new blob,
 * written on this node (the bucket's owner) from the source's blobs and then committed as an
 * uploaded part is, replicas first: its ETag is the MD5 of the bytes copied, as on S3. The source's
 * blobs are hard-linked for the copy's duration, so that the source being replaced or deleted
 * meanwhile cannot cut the copy short. A source in a bucket another node owns is read from that
 * node ({@link RemoteSource}) and streamed into the new blob here.
 */
final class PartCopies {
  /** S3's largest copy source without a range. */
  static final long MAX_COPY = 5L * 1024 * 1024 * 1024;
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,19})-(\\d{1,19})");

  private final Buckets buckets;
  private final Bodies bodies;
  private final MultipartOperations multipart;
  /** Null standalone, where every bucket is here. */
  private final RemoteSource remote;

  PartCopies(Buckets buckets, Bodies bodies, MultipartOperations multipart, RemoteSource remote) {
    this.buckets = buckets;
    this.bodies = bodies;
    this.multipart = multipart;
    this.remote = remote;
  }

  Future<JsonObject> copyPart(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    int number = Inputs.integer(in, "PartNumber", 1, 10_000, 1, "partNumber");
    String[] source = CopySource.parse(in.getString("CopySource"));
    String range = in.getString("CopySourceRange");
    long[] asked = range == null ? null : parseRange(range);
    Bucket sourceBucket = buckets.find(source[0]);
    if (sourceBucket == null) {
      if (!buckets.owns(ObjectStore.partitionOf(source[0]))) {
        if (remote == null) throw S3Errors.notImplemented("Copying from a bucket of another node is not supported yet.");
        long max = asked == null ? MAX_COPY : asked[1] - asked[0] + 1;
        return multipart.upload(bucket, key, in.getString("UploadId")).compose(u ->
            remote.copy(source[0], source[1], in, asked, body -> bodies.local().write(body, u.checksumAlgorithm(), max))
                .compose(blob -> multipart.commitPart(bucket, u, number, blob)
                    .onFailure(e -> bodies.delete(bucket.name(), blob.id()))));
      }
      throw S3Errors.noSuchBucket(source[0]);
    }
    return multipart.upload(bucket, key, in.getString("UploadId")).compose(u ->
        buckets.blocking(() -> buckets.store().getObject(source[0], source[1])).compose(src -> {
          if (src == null) throw S3Errors.noSuchKey(source[1]);
          if (Conditions.forRead(in, src, "CopySource") == Conditions.Outcome.NOT_MODIFIED) {
            throw S3Errors.preconditionFailed("x-amz-copy-source-If-None-Match");
          }
          long from = 0;
          long length = src.size();
          if (asked != null) {
            if (asked[1] >= src.size()) {
              throw S3Errors.invalidRequest("Range specified is not valid for source object of size: " + src.size());
            }
            from = asked[0];
            length = asked[1] - asked[0] + 1;
          } else if (src.size() > MAX_COPY) {
            throw S3Errors.invalidRequest("The specified copy source is larger than the maximum allowable size for a copy "
                + "source: " + MAX_COPY);
          }
          return copy(src, from, length, u.checksumAlgorithm())
              .compose(blob -> multipart.commitPart(bucket, u, number, blob)
                  .onFailure(e -> bodies.delete(bucket.name(), blob.id())));
        }));
  }

  /** A new blob of the source's bytes {@code [from, from + length)}. */
  private Future<io.eventplane.common.blob.Blob> copy(StoredObject src, long from, long length, String checksum) {
    JsonArray segments = ObjectOperations.segments(src, from, length);
    List<Future<String>> links = new ArrayList<>();
    for (Object o : segments) links.add(bodies.local().copy(((JsonObject) o).getString("Blob")));
    return Future.all(links).compose(linked -> {
      List<RangeStream.Range> ranges = new ArrayList<>();
      for (int i = 0; i < segments.size(); i++) {
        JsonObject s = segments.getJsonObject(i);
        ranges.add(new RangeStream.Range(links.get(i).result(), s.getLong("Offset"), s.getLong("Length")));
      }
      return bodies.local().write(new RangeStream(bodies.local(), ranges), checksum, length);
    }).eventually(() -> {
      for (Future<String> l : links) if (l.succeeded()) bodies.local().delete(l.result());
      return Future.succeededFuture();
    });
  }

  /** {@code bytes=first-last}, both given, first not after last; InvalidArgument otherwise. */
  static long[] parseRange(String header) {
    Matcher m = RANGE.matcher(header.trim());
    if (m.matches()) {
      try {
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        if (first <= last) return new long[] {first, last};
      } catch (NumberFormatException tooLarge) {
        // falls through to the error
      }
    }
    throw S3Errors.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and "
        + "last are the zero-based offsets of the first and last bytes to copy", "x-amz-copy-source-range", header);
  }
}
