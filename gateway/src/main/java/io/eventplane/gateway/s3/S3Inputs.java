package io.eventplane.gateway.s3;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/** The members of an S3 operation's input that travel in headers and the query string. */
final class S3Inputs {
  private static final Map<String, String> HEADERS = Map.ofEntries(
      Map.entry("Content-Type", "ContentType"), Map.entry("Content-Encoding", "ContentEncoding"),
      Map.entry("Content-Disposition", "ContentDisposition"), Map.entry("Content-Language", "ContentLanguage"),
      Map.entry("Cache-Control", "CacheControl"), Map.entry("Expires", "Expires"),
      Map.entry("Content-MD5", "ContentMD5"), Map.entry("If-Match", "IfMatch"), Map.entry("If-None-Match", "IfNoneMatch"),
      Map.entry("If-Modified-Since", "IfModifiedSince"), Map.entry("If-Unmodified-Since", "IfUnmodifiedSince"),
      Map.entry("Range", "Range"), Map.entry("x-amz-storage-class", "StorageClass"),
      Map.entry("x-amz-copy-source", "CopySource"), Map.entry("x-amz-copy-source-range", "CopySourceRange"), Map.entry("x-amz-metadata-directive", "MetadataDirective"),
      Map.entry("x-amz-copy-source-if-match", "CopySourceIfMatch"),
      Map.entry("x-amz-copy-source-if-none-match", "CopySourceIfNoneMatch"),
      Map.entry("x-amz-copy-source-if-modified-since", "CopySourceIfModifiedSince"),
      Map.entry("x-amz-copy-source-if-unmodified-since", "CopySourceIfUnmodifiedSince"),
      Map.entry("x-amz-checksum-mode", "ChecksumMode"), Map.entry("x-amz-website-redirect-location", "WebsiteRedirectLocation"),
      Map.entry("x-amz-checksum-crc32", "ChecksumCRC32"), Map.entry("x-amz-checksum-crc32c", "ChecksumCRC32C"),
      Map.entry("x-amz-checksum-crc64nvme", "ChecksumCRC64NVME"), Map.entry("x-amz-checksum-sha1", "ChecksumSHA1"),
      Map.entry("x-amz-checksum-sha256", "ChecksumSHA256"), Map.entry("x-amz-tagging", "Tagging"),
      Map.entry("x-amz-tagging-directive", "TaggingDirective"), Map.entry("Origin", "Origin"),
      Map.entry("Access-Control-Request-Method", "AccessControlRequestMethod"),
      Map.entry("Access-Control-Request-Headers", "AccessControlRequestHeaders"), Map.entry("x-amz-acl", "ACL"),
      Map.entry("x-amz-grant-full-control", "GrantFullControl"), Map.entry("x-amz-grant-read", "GrantRead"),
      Map.entry("x-amz-grant-read-acp", "GrantReadACP"), Map.entry("x-amz-grant-write", "GrantWrite"),
      Map.entry("x-amz-grant-write-acp", "GrantWriteACP"),
      Map.entry("x-amz-skip-destination-validation", "SkipDestinationValidation"));
  private static final Map<String, String> QUERY = Map.ofEntries(
      Map.entry("prefix", "Prefix"), Map.entry("delimiter", "Delimiter"), Map.entry("max-keys", "MaxKeys"),
      Map.entry("continuation-token", "ContinuationToken"), Map.entry("start-after", "StartAfter"),
      Map.entry("encoding-type", "EncodingType"), Map.entry("marker", "Marker"), Map.entry("fetch-owner", "FetchOwner"),
      Map.entry("uploadId", "UploadId"), Map.entry("partNumber", "PartNumber"), Map.entry("max-parts", "MaxParts"),
      Map.entry("part-number-marker", "PartNumberMarker"), Map.entry("max-uploads", "MaxUploads"),
      Map.entry("key-marker", "KeyMarker"), Map.entry("upload-id-marker", "UploadIdMarker"),
      Map.entry("max-buckets", "MaxBuckets"), Map.entry("bucket-region", "BucketRegion"),
      Map.entry("versionId", "VersionId"), Map.entry("version-id-marker", "VersionIdMarker"));

  private S3Inputs() {}

  static JsonObject of(S3Request r) {
    JsonObject in = new JsonObject();
    if (r.bucket() != null) in.put("Bucket", r.bucket());
    if (r.key() != null) in.put("Key", r.key());
    MultiMap h = r.headers();
    HEADERS.forEach((header, member) -> {
      String v = h.get(header);
      if (v != null) in.put(member, v);
    });
    // The method decides which CORS rule an actual request from a browser matches.
    if (in.containsKey("Origin")) in.put("RequestMethod", r.method());
    String encoding = in.getString("ContentEncoding");
    if (encoding != null) {
      // aws-chunked is how the body travelled, not how the object is encoded.
      String rest = java.util.Arrays.stream(encoding.split(",")).map(String::trim)
          .filter(e -> !e.equalsIgnoreCase("aws-chunked") && !e.isEmpty()).reduce((a, b) -> a + "," + b).orElse(null);
      if (rest == null) in.remove("ContentEncoding");
      else in.put("ContentEncoding", rest);
    }
    JsonObject metadata = new JsonObject();
    for (Map.Entry<String, String> e : h.entries()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("x-amz-meta-")) metadata.put(name.substring("x-amz-meta-".length()), e.getValue());
    }
    if (!metadata.isEmpty()) in.put("Metadata", metadata);
    QUERY.forEach((param, member) -> {
      String v = r.query().get(param);
      if (v != null) in.put(member, v);
    });
    if (h.contains("x-amz-object-attributes")) {
      // One header with a comma-separated list, or the header repeated: either way, one list.
      in.put("ObjectAttributes", String.join(",", h.getAll("x-amz-object-attributes")));
    }
    if (h.get("x-amz-max-parts") != null) in.put("MaxParts", h.get("x-amz-max-parts"));
    if (h.get("x-amz-part-number-marker") != null) in.put("PartNumberMarker", h.get("x-amz-part-number-marker"));
    String algorithm = checksumAlgorithm(h);
    if (algorithm != null) in.put("ChecksumAlgorithm", algorithm);
    return in;
  }

  /**
   * The additional checksum a body comes with: named by {@code x-amz-sdk-checksum-algorithm} or
   * {@code x-amz-checksum-algorithm}, by the trailer it announces, or by the checksum header it carries.
   */
  static String checksumAlgorithm(MultiMap h) {
    String named = h.get("x-amz-sdk-checksum-algorithm");
    if (named == null) named = h.get("x-amz-checksum-algorithm");
    if (named != null) return named.toUpperCase(Locale.ROOT);
    String trailer = h.get("x-amz-trailer");
    if (trailer != null && trailer.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")) {
      return trailer.substring("x-amz-checksum-".length()).trim().toUpperCase(Locale.ROOT);
    }
    for (String a : new String[] {"crc32", "crc32c", "crc64nvme", "sha1", "sha256"}) {
      if (h.contains("x-amz-checksum-" + a)) return a.toUpperCase(Locale.ROOT);
    }
    return null;
  }
}
