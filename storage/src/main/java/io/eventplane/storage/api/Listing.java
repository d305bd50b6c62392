package io.eventplane.storage.api;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.TreeSet;

/**
 * ListObjectsV2 and ListObjects: keys in UTF-8 byte order from the store, rolled up into common
 * prefixes at the delimiter, a page of at most MaxKeys (1,000) entries (keys and prefixes count alike).
 */
final class Listing {
  private final Buckets buckets;

  Listing(Buckets buckets) {
    this.buckets = buckets;
  }

  Future<JsonObject> v2(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String token = in.getString("ContinuationToken");
    String after = in.getString("StartAfter");
    if (token != null) {
      try {
        after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw S3Errors.invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
      }
    }
    Page page = page(bucket, in, after);
    return page.run().map(p -> {
      JsonObject out = p.common(in).put("KeyCount", p.keys.size() + p.prefixes.size());
      if (token != null) out.put("ContinuationToken", token);
      if (in.getString("StartAfter") != null) out.put("StartAfter", in.getString("StartAfter"));
      if (p.truncated) {
        out.put("NextContinuationToken", Base64.getUrlEncoder().withoutPadding()
            .encodeToString(p.last.getBytes(StandardCharsets.UTF_8)));
      }
      return out;
    });
  }

  Future<JsonObject> v1(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String marker = in.getString("Marker");
    return page(bucket, in, marker).run().map(p -> {
      JsonObject out = p.common(in).put("Marker", marker == null ? "" : marker);
      if (p.truncated && in.getString("Delimiter") != null) out.put("NextMarker", p.last);
      return out;
    });
  }

  private Page page(Bucket bucket, JsonObject in, String after) {
    int max = Inputs.integer(in, "MaxKeys", 0, Integer.MAX_VALUE, 1000, "max-keys");
    String encoding = in.getString("EncodingType");
    if (encoding != null && !encoding.equals("url")) {
      throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encoding);
    }
    return new Page(bucket.name(), in.getString("Prefix", ""), in.getString("Delimiter"), after, Math.min(max, 1000));
  }

  /** One page of a listing, gathered off the event loop. */
  private final class Page {
    final String bucket;
    final String prefix;
    final String delimiter;
    final String after;
    final int max;
    final JsonArray keys = new JsonArray();
    final TreeSet<String> prefixes = new TreeSet<>();
    boolean truncated;
    String last;

    Page(String bucket, String prefix, String delimiter, String after, int max) {
      this.bucket = bucket;
      this.prefix = prefix;
      this.delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
      this.after = after;
      this.max = max;
    }

    Future<Page> run() {
      return buckets.blocking(() -> {
        if (max == 0) return this;
        buckets.store().scanObjects(bucket, prefix, after, o -> {
          if (o.deleteMarker()) return true;
          String rolled = rollUp(o.key());
          if (rolled != null && prefixes.contains(rolled)) return true;
          if (keys.size() + prefixes.size() == max) {
            truncated = true;
            return false;
          }
          if (rolled != null) {
            prefixes.add(rolled);
            last = rolled;
          } else {
            keys.add(entry(o));
            last = o.key();
          }
          return true;
        });
        return this;
      });
    }

    /** The common prefix a key rolls up into, or null when it is listed itself. */
    String rollUp(String key) {
      if (delimiter == null) return null;
      int at = key.indexOf(delimiter, prefix.length());
      return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    JsonObject common(JsonObject in) {
      boolean url = "url".equals(in.getString("EncodingType"));
      JsonArray contents = new JsonArray();
      for (Object o : keys) {
        JsonObject e = ((JsonObject) o).copy();
        if (url) e.put("Key", encode(e.getString("Key")));
        contents.add(e);
      }
      JsonArray common = new JsonArray();
      for (String p : prefixes) common.add(new JsonObject().put("Prefix", url ? encode(p) : p));
      JsonObject out = new JsonObject().put("Name", bucket).put("Prefix", url ? encode(prefix) : prefix)
          .put("MaxKeys", in.getValue("MaxKeys") == null ? 1000 : Inputs.integer(in, "MaxKeys", 0, Integer.MAX_VALUE, 1000, "max-keys"))
          .put("IsTruncated", truncated).put("Contents", contents).put("CommonPrefixes", common);
      if (delimiter != null) out.put("Delimiter", url ? encode(delimiter) : delimiter);
      if (url) out.put("EncodingType", "url");
      return out;
    }
  }

  static JsonObject entry(StoredObject o) {
    JsonObject e = new JsonObject().put("Key", o.key()).put("LastModified", Instant.ofEpochMilli(o.lastModified()).toString())
        .put("ETag", o.etag()).put("Size", o.size()).put("StorageClass", o.storageClass());
    if (o.checksumAlgorithm() != null) e.put("ChecksumAlgorithm", o.checksumAlgorithm());
    return e;
  }

  static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/")
        .replace("*", "%2A").replace("%7E", "~");
  }
}
