package io.eventplane.storage.api;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * ListObjectVersions: every version and delete marker, by key in UTF-8 byte order and newest first
 * within a key, rolled up into common prefixes at the delimiter, at most MaxKeys (1,000) entries a
 * page (versions, markers and prefixes count alike). A page resumes after KeyMarker, or within
 * KeyMarker's versions after VersionIdMarker. Every key with versions has a current entry in the
 * store, so the walk goes over current entries and reads each key's older versions.
 */
final class VersionListing {
  private final Buckets buckets;

  VersionListing(Buckets buckets) {
    this.buckets = buckets;
  }

  Future<JsonObject> list(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    int max = Math.min(Inputs.integer(in, "MaxKeys", 0, Integer.MAX_VALUE, 1000, "max-keys"), 1000);
    String encoding = in.getString("EncodingType");
    if (encoding != null && !encoding.equals("url")) {
      throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encoding);
    }
    String keyMarker = emptyToNull(in.getString("KeyMarker"));
    String versionIdMarker = emptyToNull(in.getString("VersionIdMarker"));
    if (versionIdMarker != null && keyMarker == null) {
      throw S3Errors.invalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker",
          versionIdMarker);
    }
    Versions.requireWellFormed(versionIdMarker);
    Page page = new Page(bucket, in.getString("Prefix", ""), emptyToNull(in.getString("Delimiter")), keyMarker,
        versionIdMarker, max);
    return buckets.blocking(page::run).map(p -> p.output(in, max));
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** One page, gathered off the event loop. */
  private final class Page {
    final Bucket bucket;
    final String prefix;
    final String delimiter;
    final String keyMarker;
    final String versionIdMarker;
    final int max;
    final JsonArray entries = new JsonArray();
    final TreeSet<String> prefixes = new TreeSet<>();
    boolean truncated;
    String nextKey;
    String nextVersionId;

    Page(Bucket bucket, String prefix, String delimiter, String keyMarker, String versionIdMarker, int max) {
      this.bucket = bucket;
      this.prefix = prefix;
      this.delimiter = delimiter;
      this.keyMarker = keyMarker;
      this.versionIdMarker = versionIdMarker;
      this.max = max;
    }

    Page run() {
      if (max == 0) return this;
      if (versionIdMarker != null && keyMarker.startsWith(prefix)) {
        StoredObject current = buckets.store().getObject(bucket.name(), keyMarker);
        if (current != null && !addKey(current, versionIdMarker)) return this;
      }
      buckets.store().scanObjects(bucket.name(), prefix, keyMarker, current -> {
        String rolled = rollUp(current.key());
        if (rolled == null) return addKey(current, null);
        // A prefix already shown, on this page or (it is the marker) on an earlier one.
        if (prefixes.contains(rolled) || (keyMarker != null && rolled.compareTo(keyMarker) <= 0)) return true;
        if (!room()) return false;
        prefixes.add(rolled);
        nextKey = rolled;
        nextVersionId = null;
        return true;
      });
      return this;
    }

    /** The key's versions newest first, those after {@code afterVersionId} only when given; false once the page is full. */
    private boolean addKey(StoredObject current, String afterVersionId) {
      List<StoredObject> all = new ArrayList<>();
      all.add(current);
      all.addAll(buckets.store().versions(bucket.name(), current.key()));
      boolean skipping = afterVersionId != null;
      for (StoredObject v : all) {
        if (skipping) {
          skipping = !v.shownVersionId().equals(afterVersionId);
          continue;
        }
        if (!room()) return false;
        entries.add(entry(v, v == current));
        nextKey = v.key();
        nextVersionId = v.shownVersionId();
      }
      return true;
    }

    private boolean room() {
      if (entries.size() + prefixes.size() < max) return true;
      truncated = true;
      return false;
    }

    private JsonObject entry(StoredObject v, boolean latest) {
      JsonObject owner = new JsonObject().put("ID", bucket.accountId()).put("DisplayName", "eventplane");
      JsonObject e = new JsonObject().put("DeleteMarker", v.deleteMarker()).put("Key", v.key())
          .put("VersionId", v.shownVersionId()).put("IsLatest", latest)
          .put("LastModified", Instant.ofEpochMilli(v.lastModified()).toString()).put("Owner", owner);
      if (!v.deleteMarker()) {
        e.put("ETag", v.etag()).put("Size", v.size()).put("StorageClass", v.storageClass());
        if (v.checksumAlgorithm() != null) e.put("ChecksumAlgorithm", v.checksumAlgorithm());
      }
      return e;
    }

    String rollUp(String key) {
      if (delimiter == null) return null;
      int at = key.indexOf(delimiter, prefix.length());
      return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    JsonObject output(JsonObject in, int maxKeys) {
      boolean url = "url".equals(in.getString("EncodingType"));
      JsonArray shown = new JsonArray();
      for (Object o : entries) {
        JsonObject e = ((JsonObject) o).copy();
        if (url) e.put("Key", Listing.encode(e.getString("Key")));
        shown.add(e);
      }
      JsonArray common = new JsonArray();
      for (String p : prefixes) common.add(new JsonObject().put("Prefix", url ? Listing.encode(p) : p));
      JsonObject out = new JsonObject().put("Name", bucket.name()).put("Prefix", url ? Listing.encode(prefix) : prefix)
          .put("KeyMarker", keyMarker == null ? "" : url ? Listing.encode(keyMarker) : keyMarker)
          .put("VersionIdMarker", versionIdMarker == null ? "" : versionIdMarker).put("MaxKeys", maxKeys)
          .put("IsTruncated", truncated).put("Versions", shown).put("CommonPrefixes", common);
      if (truncated) {
        out.put("NextKeyMarker", url ? Listing.encode(nextKey) : nextKey);
        if (nextVersionId != null) out.put("NextVersionIdMarker", nextVersionId);
      }
      if (delimiter != null) out.put("Delimiter", url ? Listing.encode(delimiter) : delimiter);
      if (url) out.put("EncodingType", "url");
      return out;
    }
  }
}
