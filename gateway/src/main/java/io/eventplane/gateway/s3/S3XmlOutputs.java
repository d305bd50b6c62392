package io.eventplane.gateway.s3;

import io.eventplane.gateway.query.XmlWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The XML bodies S3 answers with, one method per operation that has one, from the service's JSON output. */
final class S3XmlOutputs {
  static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

  private S3XmlOutputs() {}

  /** The XML body of an operation's output, or null when it answers with no body. */
  static String of(String operation, JsonObject out) {
    return switch (operation) {
      case "ListBuckets" -> listBuckets(out);
      case "GetBucketLocation" -> location(out);
      case "ListObjectsV2", "ListObjects" -> listObjects(out, operation.equals("ListObjectsV2"));
      case "ListObjectVersions" -> listVersions(out);
      case "DeleteObjects" -> deleteResult(out);
      case "CopyObject" -> simple("CopyObjectResult", out, "LastModified", "ETag");
      case "UploadPartCopy" -> copyPart(out);
      case "PostObject" -> postResponse(out);
      case "GetObjectAttributes" -> attributes(out);
      case "CreateMultipartUpload" -> simple("InitiateMultipartUploadResult", out, "Bucket", "Key", "UploadId");
      case "CompleteMultipartUpload" -> simple("CompleteMultipartUploadResult", out, "Location", "Bucket", "Key", "ETag");
      case "ListParts" -> listParts(out);
      case "ListMultipartUploads" -> listUploads(out);
      case "GetBucketNotificationConfiguration" -> notifications(out);
      case "GetObjectTagging" -> tagging(out);
      case "GetBucketCors" -> cors(out);
      case "GetBucketAcl", "GetObjectAcl" -> acl(out);
      case "GetBucketOwnershipControls" -> ownershipControls(out.getJsonObject("OwnershipControls"));
      case "GetPublicAccessBlock" -> publicAccessBlock(out.getJsonObject("PublicAccessBlockConfiguration"));
      case "GetBucketTagging" -> tagging(out);
      case "GetBucketPolicyStatus" -> XmlWriter.document().start("PolicyStatus", NS)
          .element("IsPublic", String.valueOf(out.getJsonObject("PolicyStatus").getBoolean("IsPublic"))).end().toString();
      case "GetBucketEncryption" -> encryption(out.getJsonObject("ServerSideEncryptionConfiguration"));
      case "GetBucketLifecycleConfiguration" -> S3LifecycleXml.output(out);
      case "GetBucketVersioning" -> simple("VersioningConfiguration", out, "Status", "MfaDelete");
      case "GetBucketReplication" -> S3ReplicationXml.write(out.getJsonObject("ReplicationConfiguration"));
      default -> null;
    };
  }

  /** POST Object's answer to {@code success_action_status=201}: S3 writes it without a namespace. */
  private static String postResponse(JsonObject out) {
    return XmlWriter.document().start("PostResponse").element("Location", out.getString("Location"))
        .element("Bucket", out.getString("Bucket")).element("Key", out.getString("Key")).element("ETag", out.getString("ETag"))
        .end().toString();
  }

  /** The attributes asked for, in the order S3's model lists them. */
  private static String attributes(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("GetObjectAttributesResponse", NS);
    if (out.getString("ETag") != null) x.element("ETag", out.getString("ETag"));
    JsonObject checksum = out.getJsonObject("Checksum");
    if (checksum != null) {
      x.start("Checksum");
      for (String a : new String[] {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"}) {
        if (checksum.getString("Checksum" + a) != null) x.element("Checksum" + a, checksum.getString("Checksum" + a));
      }
      x.element("ChecksumType", checksum.getString("ChecksumType")).end();
    }
    JsonObject parts = out.getJsonObject("ObjectParts");
    if (parts != null) x.start("ObjectParts").element("PartsCount", String.valueOf(parts.getValue("PartsCount"))).end();
    if (out.getString("StorageClass") != null) x.element("StorageClass", out.getString("StorageClass"));
    if (out.getValue("ObjectSize") != null) x.element("ObjectSize", String.valueOf(out.getValue("ObjectSize")));
    return x.end().toString();
  }

  private static String copyPart(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("CopyPartResult", NS).element("LastModified", out.getString("LastModified"))
        .element("ETag", out.getString("ETag"));
    for (String a : new String[] {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"}) {
      if (out.getString("Checksum" + a) != null) x.element("Checksum" + a, out.getString("Checksum" + a));
    }
    return x.end().toString();
  }

  private static String simple(String root, JsonObject out, String... members) {
    XmlWriter x = XmlWriter.document().start(root, NS);
    for (String m : members) if (out.getValue(m) != null) x.element(m, String.valueOf(out.getValue(m)));
    return x.end().toString();
  }

  private static String listBuckets(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("ListAllMyBucketsResult", NS);
    owner(x, "Owner", out.getJsonObject("Owner"));
    x.start("Buckets");
    for (Object o : out.getJsonArray("Buckets", new JsonArray())) {
      JsonObject b = (JsonObject) o;
      x.start("Bucket").element("Name", b.getString("Name")).element("CreationDate", b.getString("CreationDate"))
          .element("BucketRegion", b.getString("BucketRegion")).end();
    }
    x.end();
    if (out.getString("ContinuationToken") != null) x.element("ContinuationToken", out.getString("ContinuationToken"));
    if (out.getString("Prefix") != null) x.element("Prefix", out.getString("Prefix"));
    return x.end().toString();
  }

  private static void owner(XmlWriter x, String element, JsonObject owner) {
    if (owner == null) return;
    x.start(element).element("ID", owner.getString("ID")).element("DisplayName", owner.getString("DisplayName")).end();
  }

  private static String location(JsonObject out) {
    String region = out.getString("LocationConstraint");
    XmlWriter x = XmlWriter.document();
    return region == null ? x.start("LocationConstraint", NS).end().toString()
        : x.start("LocationConstraint", NS).text(region).end().toString();
  }

  private static String listObjects(JsonObject out, boolean v2) {
    XmlWriter x = XmlWriter.document().start("ListBucketResult", NS);
    x.element("Name", out.getString("Name")).element("Prefix", out.getString("Prefix", ""));
    if (!v2) {
      x.element("Marker", out.getString("Marker", ""));
      if (out.getString("NextMarker") != null) x.element("NextMarker", out.getString("NextMarker"));
    }
    x.element("MaxKeys", String.valueOf(out.getValue("MaxKeys")));
    if (out.getString("Delimiter") != null) x.element("Delimiter", out.getString("Delimiter"));
    x.element("IsTruncated", String.valueOf(out.getBoolean("IsTruncated", false)));
    if (v2) {
      x.element("KeyCount", String.valueOf(out.getValue("KeyCount")));
      if (out.getString("ContinuationToken") != null) x.element("ContinuationToken", out.getString("ContinuationToken"));
      if (out.getString("NextContinuationToken") != null) {
        x.element("NextContinuationToken", out.getString("NextContinuationToken"));
      }
      if (out.getString("StartAfter") != null) x.element("StartAfter", out.getString("StartAfter"));
    }
    if (out.getString("EncodingType") != null) x.element("EncodingType", out.getString("EncodingType"));
    for (Object o : out.getJsonArray("Contents", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      x.start("Contents").element("Key", c.getString("Key")).element("LastModified", c.getString("LastModified"))
          .element("ETag", c.getString("ETag"));
      if (c.getString("ChecksumAlgorithm") != null) x.element("ChecksumAlgorithm", c.getString("ChecksumAlgorithm"));
      x.element("Size", String.valueOf(c.getValue("Size"))).element("StorageClass", c.getString("StorageClass")).end();
    }
    for (Object o : out.getJsonArray("CommonPrefixes", new JsonArray())) {
      x.start("CommonPrefixes").element("Prefix", ((JsonObject) o).getString("Prefix")).end();
    }
    return x.end().toString();
  }

  /** ListVersionsResult: Version and DeleteMarker entries interleaved in the listing's order, as S3 sends them. */
  private static String listVersions(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("ListVersionsResult", NS);
    x.element("Name", out.getString("Name")).element("Prefix", out.getString("Prefix", ""))
        .element("KeyMarker", out.getString("KeyMarker", "")).element("VersionIdMarker", out.getString("VersionIdMarker", ""));
    if (out.getString("NextKeyMarker") != null) x.element("NextKeyMarker", out.getString("NextKeyMarker"));
    if (out.getString("NextVersionIdMarker") != null) x.element("NextVersionIdMarker", out.getString("NextVersionIdMarker"));
    x.element("MaxKeys", String.valueOf(out.getValue("MaxKeys")));
    if (out.getString("Delimiter") != null) x.element("Delimiter", out.getString("Delimiter"));
    x.element("IsTruncated", String.valueOf(out.getBoolean("IsTruncated", false)));
    if (out.getString("EncodingType") != null) x.element("EncodingType", out.getString("EncodingType"));
    for (Object o : out.getJsonArray("Versions", new JsonArray())) {
      JsonObject v = (JsonObject) o;
      boolean marker = v.getBoolean("DeleteMarker", false);
      x.start(marker ? "DeleteMarker" : "Version").element("Key", v.getString("Key"))
          .element("VersionId", v.getString("VersionId")).element("IsLatest", String.valueOf(v.getBoolean("IsLatest")))
          .element("LastModified", v.getString("LastModified"));
      if (!marker) {
        x.element("ETag", v.getString("ETag")).element("Size", String.valueOf(v.getValue("Size")));
        if (v.getString("ChecksumAlgorithm") != null) x.element("ChecksumAlgorithm", v.getString("ChecksumAlgorithm"));
        x.element("StorageClass", v.getString("StorageClass"));
      }
      owner(x, "Owner", v.getJsonObject("Owner"));
      x.end();
    }
    for (Object o : out.getJsonArray("CommonPrefixes", new JsonArray())) {
      x.start("CommonPrefixes").element("Prefix", ((JsonObject) o).getString("Prefix")).end();
    }
    return x.end().toString();
  }

  private static String deleteResult(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("DeleteResult", NS);
    for (Object o : out.getJsonArray("Deleted", new JsonArray())) {
      JsonObject d = (JsonObject) o;
      x.start("Deleted").element("Key", d.getString("Key"));
      if (d.getString("VersionId") != null) x.element("VersionId", d.getString("VersionId"));
      if (d.getBoolean("DeleteMarker", false)) {
        x.element("DeleteMarker", "true").element("DeleteMarkerVersionId", d.getString("DeleteMarkerVersionId"));
      }
      x.end();
    }
    for (Object o : out.getJsonArray("Errors", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      x.start("Error").element("Key", e.getString("Key"));
      if (e.getString("VersionId") != null) x.element("VersionId", e.getString("VersionId"));
      x.element("Code", e.getString("Code")).element("Message", e.getString("Message")).end();
    }
    return x.end().toString();
  }

  private static String listParts(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("ListPartsResult", NS);
    x.element("Bucket", out.getString("Bucket")).element("Key", out.getString("Key")).element("UploadId", out.getString("UploadId"));
    owner(x, "Initiator", out.getJsonObject("Initiator"));
    owner(x, "Owner", out.getJsonObject("Owner"));
    x.element("StorageClass", out.getString("StorageClass"));
    if (out.getString("ChecksumAlgorithm") != null) x.element("ChecksumAlgorithm", out.getString("ChecksumAlgorithm"));
    x.element("PartNumberMarker", String.valueOf(out.getValue("PartNumberMarker")));
    if (out.getValue("NextPartNumberMarker") != null) {
      x.element("NextPartNumberMarker", String.valueOf(out.getValue("NextPartNumberMarker")));
    }
    x.element("MaxParts", String.valueOf(out.getValue("MaxParts"))).element("IsTruncated", String.valueOf(out.getValue("IsTruncated")));
    for (Object o : out.getJsonArray("Parts", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      x.start("Part").element("PartNumber", String.valueOf(p.getValue("PartNumber")))
          .element("LastModified", p.getString("LastModified")).element("ETag", p.getString("ETag"))
          .element("Size", String.valueOf(p.getValue("Size")));
      for (String a : new String[] {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"}) {
        if (p.getString("Checksum" + a) != null) x.element("Checksum" + a, p.getString("Checksum" + a));
      }
      x.end();
    }
    return x.end().toString();
  }

  private static String listUploads(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("ListMultipartUploadsResult", NS);
    x.element("Bucket", out.getString("Bucket")).element("KeyMarker", out.getString("KeyMarker", ""))
        .element("UploadIdMarker", out.getString("UploadIdMarker", ""));
    if (out.getString("NextKeyMarker") != null) x.element("NextKeyMarker", out.getString("NextKeyMarker"));
    if (out.getString("NextUploadIdMarker") != null) x.element("NextUploadIdMarker", out.getString("NextUploadIdMarker"));
    if (out.getString("Prefix") != null) x.element("Prefix", out.getString("Prefix"));
    x.element("MaxUploads", String.valueOf(out.getValue("MaxUploads")))
        .element("IsTruncated", String.valueOf(out.getValue("IsTruncated")));
    for (Object o : out.getJsonArray("Uploads", new JsonArray())) {
      JsonObject u = (JsonObject) o;
      x.start("Upload").element("Key", u.getString("Key")).element("UploadId", u.getString("UploadId"));
      owner(x, "Initiator", u.getJsonObject("Initiator"));
      owner(x, "Owner", u.getJsonObject("Owner"));
      x.element("StorageClass", u.getString("StorageClass")).element("Initiated", u.getString("Initiated")).end();
    }
    return x.end().toString();
  }

  private static String tagging(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("Tagging", NS).start("TagSet");
    for (Object o : out.getJsonArray("TagSet", new JsonArray())) {
      JsonObject t = (JsonObject) o;
      x.start("Tag").element("Key", t.getString("Key")).element("Value", t.getString("Value")).end();
    }
    return x.end().end().toString();
  }

  private static String notifications(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("NotificationConfiguration", NS);
    configs(x, out, "TopicConfigurations", "TopicConfiguration", "TopicArn", "Topic");
    configs(x, out, "QueueConfigurations", "QueueConfiguration", "QueueArn", "Queue");
    configs(x, out, "LambdaFunctionConfigurations", "CloudFunctionConfiguration", "LambdaFunctionArn", "CloudFunction");
    if (out.getValue("EventBridgeConfiguration") != null) x.empty("EventBridgeConfiguration");
    return x.end().toString();
  }

  private static void configs(XmlWriter x, JsonObject out, String list, String element, String arnMember, String arnElement) {
    for (Object o : out.getJsonArray(list, new JsonArray())) {
      JsonObject c = (JsonObject) o;
      x.start(element).element("Id", c.getString("Id"));
      JsonObject filter = c.getJsonObject("Filter");
      if (filter != null) {
        x.start("Filter").start("S3Key");
        for (Object r : filter.getJsonObject("Key").getJsonArray("FilterRules", new JsonArray())) {
          JsonObject rule = (JsonObject) r;
          x.start("FilterRule").element("Name", rule.getString("Name")).element("Value", rule.getString("Value")).end();
        }
        x.end().end();
      }
      x.element(arnElement, c.getString(arnMember));
      for (Object e : c.getJsonArray("Events", new JsonArray())) x.element("Event", String.valueOf(e));
      x.end();
    }
  }

  /** CORSConfiguration, each rule's elements in the order S3 writes them. */
  private static String cors(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("CORSConfiguration", NS);
    for (Object o : out.getJsonArray("CORSRules", new JsonArray())) {
      JsonObject r = (JsonObject) o;
      x.start("CORSRule");
      if (r.getValue("ID") != null) x.element("ID", r.getString("ID"));
      for (Object m : r.getJsonArray("AllowedMethods", new JsonArray())) x.element("AllowedMethod", String.valueOf(m));
      for (Object m : r.getJsonArray("AllowedOrigins", new JsonArray())) x.element("AllowedOrigin", String.valueOf(m));
      for (Object m : r.getJsonArray("AllowedHeaders", new JsonArray())) x.element("AllowedHeader", String.valueOf(m));
      if (r.getValue("MaxAgeSeconds") != null) x.element("MaxAgeSeconds", String.valueOf(r.getValue("MaxAgeSeconds")));
      for (Object m : r.getJsonArray("ExposeHeaders", new JsonArray())) x.element("ExposeHeader", String.valueOf(m));
      x.end();
    }
    return x.end().toString();
  }

  private static String encryption(JsonObject config) {
    XmlWriter x = XmlWriter.document().start("ServerSideEncryptionConfiguration", NS);
    for (Object o : config.getJsonArray("Rules", new JsonArray())) {
      JsonObject rule = (JsonObject) o;
      x.start("Rule");
      JsonObject d = rule.getJsonObject("ApplyServerSideEncryptionByDefault");
      if (d != null) {
        x.start("ApplyServerSideEncryptionByDefault").element("SSEAlgorithm", d.getString("SSEAlgorithm"));
        if (d.getString("KMSMasterKeyID") != null) x.element("KMSMasterKeyID", d.getString("KMSMasterKeyID"));
        x.end();
      }
      x.element("BucketKeyEnabled", String.valueOf(rule.getBoolean("BucketKeyEnabled", false))).end();
    }
    return x.end().toString();
  }

  private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  /** AccessControlPolicy: the owner, then each grant with its grantee typed as S3 types it (xsi:type). */
  private static String acl(JsonObject out) {
    XmlWriter x = XmlWriter.document().start("AccessControlPolicy", NS);
    owner(x, "Owner", out.getJsonObject("Owner"));
    x.start("AccessControlList");
    for (Object o : out.getJsonArray("Grants", new JsonArray())) {
      JsonObject g = (JsonObject) o;
      JsonObject who = g.getJsonObject("Grantee");
      x.start("Grant").startWithAttributes("Grantee", "xmlns:xsi", XSI, "xsi:type", who.getString("Type"));
      for (String member : new String[] {"ID", "DisplayName", "URI"}) {
        if (who.getString(member) != null) x.element(member, who.getString(member));
      }
      x.end().element("Permission", g.getString("Permission")).end();
    }
    return x.end().end().toString();
  }

  private static String ownershipControls(JsonObject controls) {
    XmlWriter x = XmlWriter.document().start("OwnershipControls", NS);
    for (Object o : controls.getJsonArray("Rules", new JsonArray())) {
      x.start("Rule").element("ObjectOwnership", ((JsonObject) o).getString("ObjectOwnership")).end();
    }
    return x.end().toString();
  }

  private static String publicAccessBlock(JsonObject config) {
    XmlWriter x = XmlWriter.document().start("PublicAccessBlockConfiguration", NS);
    for (String setting : new String[] {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"}) {
      x.element(setting, String.valueOf(config.getBoolean(setting, false)));
    }
    return x.end().toString();
  }
}
