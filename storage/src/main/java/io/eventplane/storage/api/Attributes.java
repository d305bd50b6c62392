package io.eventplane.storage.api;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * GetObjectAttributes: the attributes asked for, and only those. An object of a multipart upload
 * shows its parts count; its parts themselves only when they carry checksums, which parts here do
 * not keep once completed (so, as S3 does for such objects, the count alone).
 */
final class Attributes {
  /** The names S3 knows (spelled exactly so). */
  private static final Set<String> NAMES = Set.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");

  private final Buckets buckets;

  Attributes(Buckets buckets) {
    this.buckets = buckets;
  }

  Future<JsonObject> get(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    Set<String> asked = asked(in.getString("ObjectAttributes"));
    return buckets.blocking(() -> buckets.store().getObject(bucket.name(), key)).map(o -> {
      if (o == null) throw S3Errors.noSuchKey(key);
      JsonObject out = new JsonObject()
          .put("LastModified", ObjectOperations.HTTP_DATE.format(Instant.ofEpochMilli(o.lastModified())));
      if (asked.contains("ETag")) out.put("ETag", o.etag().replace("\"", ""));
      if (asked.contains("Checksum") && o.checksumAlgorithm() != null) {
        out.put("Checksum", new JsonObject().put("Checksum" + o.checksumAlgorithm(), o.checksum())
            .put("ChecksumType", o.partsCount() > 0 ? "COMPOSITE" : "FULL_OBJECT"));
      }
      if (asked.contains("ObjectParts") && o.partsCount() > 0) {
        out.put("ObjectParts", new JsonObject().put("PartsCount", o.partsCount()));
      }
      if (asked.contains("StorageClass")) out.put("StorageClass", o.storageClass());
      if (asked.contains("ObjectSize")) out.put("ObjectSize", o.size());
      return out;
    });
  }

  /** {@code x-amz-object-attributes}: comma-separated names, at least one, each one S3 knows. */
  private static Set<String> asked(String header) {
    Set<String> out = new LinkedHashSet<>();
    if (header != null) {
      for (String name : header.split(",")) {
        String n = name.trim();
        if (n.isEmpty()) continue;
        if (!NAMES.contains(n)) throw S3Errors.invalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", n);
        out.add(n);
      }
    }
    if (out.isEmpty()) {
      throw S3Errors.invalidRequest("The x-amz-object-attributes header specifying the attributes to be retrieved is either "
          + "missing or empty");
    }
    return out;
  }
}
