package io.eventplane.gateway.authz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * "Actions, resources, and condition keys for Amazon S3": buckets are {@code arn:aws:s3:::bucket},
 * objects {@code arn:aws:s3:::bucket/key} (no region or account). Many operations share an action
 * (ListObjects/ListObjectsV2/HeadBucket are s3:ListBucket, HeadObject is s3:GetObject, every
 * Delete of a bucket configuration is its Put action); a request naming a versionId needs the
 * {@code ...Version} action; CopyObject/UploadPartCopy also read their source.
 */
final class S3Actions {
  private S3Actions() {}

  static final ServiceActions TABLE = ActionTable.builder("s3")
      .rule("ListBuckets", (c, a) -> List.of(Target.of("s3:ListAllMyBuckets", "*")))
      .rule("CreateBucket", bucket("s3:CreateBucket"))
      .rule("DeleteBucket", bucket("s3:DeleteBucket"))
      .rule("HeadBucket", bucket("s3:ListBucket"))
      .rule("GetBucketLocation", bucket("s3:GetBucketLocation"))
      .rule("ListObjects", S3Actions::listBucket)
      .rule("ListObjectsV2", S3Actions::listBucket)
      .rule("ListObjectVersions", (c, a) -> List.of(listKeys(Target.of("s3:ListBucketVersions", bucketArn(c)), c)))
      .rule("ListMultipartUploads", bucket("s3:ListBucketMultipartUploads"))
      .rule("PutBucketNotificationConfiguration", bucket("s3:PutBucketNotification"))
      .rule("GetBucketNotificationConfiguration", bucket("s3:GetBucketNotification"))
      .rule("PutBucketVersioning", bucket("s3:PutBucketVersioning"))
      .rule("GetBucketVersioning", bucket("s3:GetBucketVersioning"))
      .rule("PutBucketReplication", bucket("s3:PutReplicationConfiguration"))
      .rule("GetBucketReplication", bucket("s3:GetReplicationConfiguration"))
      .rule("DeleteBucketReplication", bucket("s3:PutReplicationConfiguration"))
      .rule("PutBucketLifecycleConfiguration", bucket("s3:PutLifecycleConfiguration"))
      .rule("GetBucketLifecycleConfiguration", bucket("s3:GetLifecycleConfiguration"))
      .rule("DeleteBucketLifecycle", bucket("s3:PutLifecycleConfiguration"))
      .rule("PutBucketCors", bucket("s3:PutBucketCORS"))
      .rule("GetBucketCors", bucket("s3:GetBucketCORS"))
      .rule("DeleteBucketCors", bucket("s3:PutBucketCORS"))
      .rule("PutBucketTagging", bucket("s3:PutBucketTagging"))
      .rule("GetBucketTagging", bucket("s3:GetBucketTagging"))
      .rule("DeleteBucketTagging", bucket("s3:PutBucketTagging"))
      .rule("PutBucketPolicy", bucket("s3:PutBucketPolicy"))
      .rule("GetBucketPolicy", bucket("s3:GetBucketPolicy"))
      .rule("DeleteBucketPolicy", bucket("s3:DeleteBucketPolicy"))
      .rule("GetBucketPolicyStatus", bucket("s3:GetBucketPolicyStatus"))
      .rule("PutBucketAcl", (c, a) -> List.of(acl(Target.of("s3:PutBucketAcl", bucketArn(c)), c)))
      .rule("GetBucketAcl", bucket("s3:GetBucketAcl"))
      .rule("PutBucketEncryption", bucket("s3:PutEncryptionConfiguration"))
      .rule("GetBucketEncryption", bucket("s3:GetEncryptionConfiguration"))
      .rule("DeleteBucketEncryption", bucket("s3:PutEncryptionConfiguration"))
      .rule("PutBucketOwnershipControls", bucket("s3:PutBucketOwnershipControls"))
      .rule("GetBucketOwnershipControls", bucket("s3:GetBucketOwnershipControls"))
      .rule("DeleteBucketOwnershipControls", bucket("s3:PutBucketOwnershipControls"))
      .rule("PutPublicAccessBlock", bucket("s3:PutBucketPublicAccessBlock"))
      .rule("GetPublicAccessBlock", bucket("s3:GetBucketPublicAccessBlock"))
      .rule("DeletePublicAccessBlock", bucket("s3:PutBucketPublicAccessBlock"))
      .rule("GetObject", versioned("s3:GetObject"))
      .rule("HeadObject", versioned("s3:GetObject"))
      .rule("GetObjectAttributes", versioned("s3:GetObjectAttributes"))
      .rule("DeleteObject", versioned("s3:DeleteObject"))
      .rule("GetObjectAcl", versioned("s3:GetObjectAcl"))
      .rule("PutObjectAcl", (c, a) -> List.of(acl(versionedTarget("s3:PutObjectAcl", c), c)))
      .rule("GetObjectTagging", versioned("s3:GetObjectTagging"))
      .rule("PutObjectTagging", versioned("s3:PutObjectTagging"))
      .rule("DeleteObjectTagging", versioned("s3:DeleteObjectTagging"))
      .rule("RestoreObject", object("s3:RestoreObject"))
      .rule("PutObject", S3Actions::putObject)
      .rule("PostObject", S3Actions::putObject)
      .rule("CreateMultipartUpload", S3Actions::putObject)
      .rule("UploadPart", object("s3:PutObject"))
      .rule("CompleteMultipartUpload", object("s3:PutObject"))
      .rule("AbortMultipartUpload", object("s3:AbortMultipartUpload"))
      .rule("ListParts", object("s3:ListMultipartUploadParts"))
      .rule("CopyObject", (c, a) -> {
        List<Target> targets = new ArrayList<>(putObject(c, a));
        targets.add(copySource(c));
        return targets;
      })
      .rule("UploadPartCopy", (c, a) -> List.of(Target.of("s3:PutObject", objectArn(c)), copySource(c)))
      .rule("DeleteObjects", S3Actions::deleteObjects)
      // A browser's CORS preflight is answered from the bucket's CORS rules, unsigned, as S3 does.
      .free(io.eventplane.gateway.s3.S3Request.PREFLIGHT)
      // A subresource this gateway does not serve is answered NotImplemented before anything is read.
      .free("Unsupported")
      .build();

  private static ActionTable.Rule bucket(String action) {
    return (c, a) -> List.of(Target.of(action, bucketArn(c)));
  }

  private static ActionTable.Rule object(String action) {
    return (c, a) -> List.of(Target.of(action, objectArn(c)));
  }

  private static ActionTable.Rule versioned(String action) {
    return (c, a) -> List.of(versionedTarget(action, c));
  }

  /** The action, or its {@code ...Version} form when the request names a version (s3:versionid set). */
  private static Target versionedTarget(String action, ApiCall c) {
    String version = c.string("VersionId");
    if (version == null) return Target.of(action, objectArn(c));
    return Target.of(versionAction(action), objectArn(c)).with("s3:versionid", version);
  }

  /** s3:GetObject to s3:GetObjectVersion, s3:GetObjectAcl to s3:GetObjectVersionAcl, ... */
  static String versionAction(String action) {
    if (action.equals("s3:GetObjectAttributes")) return "s3:GetObjectVersionAttributes";
    return action.endsWith("Object") ? action + "Version" : action.replace("Object", "ObjectVersion");
  }

  private static List<Target> listBucket(ApiCall c, Arns a) {
    return List.of(listKeys(Target.of("s3:ListBucket", bucketArn(c)), c));
  }

  /** s3:prefix, s3:delimiter and s3:max-keys as the request gives them. */
  private static Target listKeys(Target t, ApiCall c) {
    Object max = c.input().getValue("MaxKeys");
    return t.with("s3:prefix", c.string("Prefix")).with("s3:delimiter", c.string("Delimiter"))
        .with("s3:max-keys", max == null ? null : max.toString());
  }

  /** PutObject and its kin; an ACL or tags in the headers also need s3:PutObjectAcl / s3:PutObjectTagging. */
  private static List<Target> putObject(ApiCall c, Arns a) {
    String object = objectArn(c);
    List<Target> targets = new ArrayList<>(3);
    targets.add(acl(Target.of("s3:PutObject", object), c));
    if (c.string("ACL") != null || hasGrant(c)) targets.add(acl(Target.of("s3:PutObjectAcl", object), c));
    if (c.string("Tagging") != null) targets.add(Target.of("s3:PutObjectTagging", object));
    return targets;
  }

  private static Target acl(Target t, ApiCall c) {
    return t.with("s3:x-amz-acl", c.string("ACL"));
  }

  private static boolean hasGrant(ApiCall c) {
    for (String g : new String[] {"GrantFullControl", "GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP"}) {
      if (c.string(g) != null) return true;
    }
    return false;
  }

  /** The source of a copy: {@code bucket/key[?versionId=v]}, percent-encoded, with or without a leading slash. */
  static Target copySource(ApiCall c) {
    String source = c.string("CopySource");
    if (source == null) return Target.of("s3:GetObject", "arn:aws:s3:::*");
    String version = null;
    int q = source.indexOf("?versionId=");
    if (q >= 0) {
      version = source.substring(q + "?versionId=".length());
      source = source.substring(0, q);
    }
    source = URLDecoder.decode(source.replace("+", "%2B"), StandardCharsets.UTF_8);
    if (source.startsWith("/")) source = source.substring(1);
    String arn = "arn:aws:s3:::" + source;
    return version == null ? Target.of("s3:GetObject", arn)
        : Target.of("s3:GetObjectVersion", arn).with("s3:versionid", version);
  }

  /** DeleteObjects: s3:DeleteObject (or s3:DeleteObjectVersion) on each key of the request. */
  private static List<Target> deleteObjects(ApiCall c, Arns a) {
    String bucket = c.string("Bucket");
    List<Target> targets = new ArrayList<>();
    if (c.input().getValue("Delete") instanceof JsonObject delete && delete.getValue("Objects") instanceof JsonArray objects) {
      for (Object o : objects) {
        if (!(o instanceof JsonObject entry) || !(entry.getValue("Key") instanceof String key)) continue;
        String arn = "arn:aws:s3:::" + bucket + "/" + key;
        Target t = entry.getValue("VersionId") instanceof String v
            ? Target.of("s3:DeleteObjectVersion", arn).with("s3:versionid", v) : Target.of("s3:DeleteObject", arn);
        if (!targets.contains(t)) targets.add(t);
      }
    }
    if (targets.isEmpty()) targets.add(Target.of("s3:DeleteObject", "arn:aws:s3:::" + bucket + "/*"));
    return targets;
  }

  static String bucketArn(ApiCall c) {
    String bucket = c.string("Bucket");
    return "arn:aws:s3:::" + (bucket != null ? bucket : "*");
  }

  /** The object; a POST form upload whose key is not read yet stands for any key of the bucket. */
  static String objectArn(ApiCall c) {
    String key = c.string("Key");
    return bucketArn(c) + "/" + (key != null ? key : "*");
  }
}
