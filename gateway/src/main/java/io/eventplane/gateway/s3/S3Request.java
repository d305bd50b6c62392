package io.eventplane.gateway.s3;

import io.vertx.core.MultiMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3 request as addressed: bucket and key from the path ({@code /bucket/key}) or, virtual-hosted,
 * the bucket from the Host ({@code bucket.localhost:4566}, {@code bucket.s3.<any domain>}), and the
 * operation from the method, the subresources in the query and a few headers.
 *
 * @param bucket null for the service (ListBuckets)
 * @param key null for a bucket operation
 */
public record S3Request(String method, String bucket, String key, String operation, MultiMap query, MultiMap headers) {
  private static final Pattern VIRTUAL_HOST = Pattern.compile(
      "([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\\.(?:localhost|s3[.-][A-Za-z0-9.-]*|s3)(?::\\d{1,5})?");

  /** The bucket a virtual-hosted Host header names, or null. */
  public static String virtualHostBucket(String host) {
    if (host == null) return null;
    Matcher m = VIRTUAL_HOST.matcher(host.toLowerCase(java.util.Locale.ROOT));
    if (!m.matches()) return null;
    String bucket = m.group(1);
    // s3.<region>.amazonaws.com and friends name no bucket.
    return bucket.equals("s3") || bucket.startsWith("s3.") || bucket.startsWith("s3-") ? null : bucket;
  }

  public static S3Request of(String method, String rawPath, String host, MultiMap query, MultiMap headers) {
    String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    String bucket = virtualHostBucket(host);
    String key;
    if (bucket != null) {
      key = path.length() > 1 ? path.substring(1) : null;
    } else {
      String rest = path.startsWith("/") ? path.substring(1) : path;
      int slash = rest.indexOf('/');
      bucket = rest.isEmpty() ? null : slash < 0 ? rest : rest.substring(0, slash);
      key = slash < 0 || slash == rest.length() - 1 ? null : rest.substring(slash + 1);
    }
    return new S3Request(method, bucket, key, operation(method, bucket, key, query, headers), query, headers);
  }

  /** The browser's CORS preflight ({@code OPTIONS}), which S3 answers without an operation name of its own. */
  public static final String PREFLIGHT = "eventplane:CorsPreflight";

  /** Bucket subresources S3 stores and returns: the query parameter and the operations' common suffix. */
  private static final java.util.Map<String, String> BUCKET_CONFIGURATIONS = java.util.Map.of("cors", "BucketCors",
      "tagging", "BucketTagging", "policy", "BucketPolicy", "acl", "BucketAcl", "encryption", "BucketEncryption",
      "ownershipControls", "BucketOwnershipControls", "publicAccessBlock", "PublicAccessBlock");

  /** The operation, or null when S3 has none for this method and address. */
  static String operation(String method, String bucket, String key, MultiMap q, MultiMap h) {
    if (bucket == null) return method.equals("GET") ? "ListBuckets" : null;
    if (method.equals("OPTIONS")) return PREFLIGHT;
    if (key == null && q.contains("lifecycle")) {
      return switch (method) {
        case "PUT" -> "PutBucketLifecycleConfiguration";
        case "GET" -> "GetBucketLifecycleConfiguration";
        case "DELETE" -> "DeleteBucketLifecycle";
        default -> null;
      };
    }
    if (key != null && q.contains("restore") && method.equals("POST")) return "RestoreObject";
    if (key == null) {
      if (method.equals("GET") && q.contains("policyStatus")) return "GetBucketPolicyStatus";
      for (var e : BUCKET_CONFIGURATIONS.entrySet()) {
        if (!q.contains(e.getKey())) continue;
        return switch (method) {
          case "PUT" -> "Put" + e.getValue();
          case "GET" -> "Get" + e.getValue();
          // There is no DeleteBucketAcl: an ACL is replaced, never removed.
          case "DELETE" -> e.getKey().equals("acl") ? null : "Delete" + e.getValue();
          default -> null;
        };
      }
      return switch (method) {
        case "PUT" -> q.contains("notification") ? "PutBucketNotificationConfiguration"
            : q.contains("versioning") ? "PutBucketVersioning"
            : q.contains("replication") ? "PutBucketReplication"
            : hasSubresource(q) ? "Unsupported" : "CreateBucket";
        case "HEAD" -> "HeadBucket";
        case "DELETE" -> q.contains("replication") ? "DeleteBucketReplication"
            : hasSubresource(q) ? "Unsupported" : "DeleteBucket";
        // A POST to the bucket without a subresource is a browser (HTML form) upload.
        case "POST" -> q.contains("delete") ? "DeleteObjects" : hasSubresource(q) ? "Unsupported" : "PostObject";
        case "GET" -> q.contains("location") ? "GetBucketLocation"
            : q.contains("notification") ? "GetBucketNotificationConfiguration"
            : q.contains("versioning") ? "GetBucketVersioning"
            : q.contains("replication") ? "GetBucketReplication"
            : q.contains("uploads") ? "ListMultipartUploads"
            : q.contains("versions") ? "ListObjectVersions"
            : "2".equals(q.get("list-type")) ? "ListObjectsV2"
            : hasSubresource(q) ? "Unsupported" : "ListObjects";
        default -> null;
      };
    }
    if (q.contains("acl")) {
      return switch (method) {
        case "PUT" -> "PutObjectAcl";
        case "GET" -> "GetObjectAcl";
        default -> null;
      };
    }
    if (q.contains("tagging")) {
      return switch (method) {
        case "PUT" -> "PutObjectTagging";
        case "GET" -> "GetObjectTagging";
        case "DELETE" -> "DeleteObjectTagging";
        default -> null;
      };
    }
    return switch (method) {
      case "PUT" -> q.contains("uploadId") || q.contains("partNumber")
          ? (h.contains("x-amz-copy-source") ? "UploadPartCopy" : "UploadPart")
          : hasSubresource(q) ? "Unsupported"
          : h.contains("x-amz-copy-source") ? "CopyObject" : "PutObject";
      case "GET" -> q.contains("uploadId") ? "ListParts" : q.contains("attributes") ? "GetObjectAttributes"
          : hasSubresource(q) ? "Unsupported" : "GetObject";
      case "HEAD" -> "HeadObject";
      case "DELETE" -> q.contains("uploadId") ? "AbortMultipartUpload" : hasSubresource(q) ? "Unsupported" : "DeleteObject";
      case "POST" -> q.contains("uploads") ? "CreateMultipartUpload" : q.contains("uploadId") ? "CompleteMultipartUpload"
          : "Unsupported";
      default -> null;
    };
  }

  /** Subresources this gateway does not serve yet (tagging, versioning, policy, ...). */
  private static boolean hasSubresource(MultiMap q) {
    for (String name : new String[] {"acl", "policy", "cors", "lifecycle", "tagging", "versioning", "versions", "website",
        "encryption", "replication", "logging", "attributes", "restore", "object-lock", "retention", "legal-hold",
        "ownershipControls", "publicAccessBlock", "accelerate", "requestPayment", "intelligent-tiering", "analytics",
        "inventory", "metrics", "select", "torrent"}) {
      if (q.contains(name)) return true;
    }
    return false;
  }

  /** The resource errors name: {@code /bucket/key} or {@code /bucket}. */
  public String resource() {
    if (bucket == null) return "/";
    return key == null ? "/" + bucket : "/" + bucket + "/" + key;
  }
}
