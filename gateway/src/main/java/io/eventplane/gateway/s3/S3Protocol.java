package io.eventplane.gateway.s3;

import io.eventplane.common.bus.Contracts;
import io.eventplane.gateway.binding.RestXmlBinding;
import io.eventplane.gateway.error.ErrorTable;
import java.util.Map;

/** S3 over REST-XML: its binding and error table (statuses from the S3 API reference's error list). */
public final class S3Protocol {
  static final ErrorTable ERRORS = ErrorTable.builder("")
      .code("NoSuchBucket", 404).code("NoSuchKey", 404).code("NoSuchUpload", 404).code("NoSuchVersion", 404)
      .code("BucketAlreadyOwnedByYou", 409).code("BucketAlreadyExists", 409).code("BucketNotEmpty", 409)
      .code("InvalidBucketName", 400).code("InvalidArgument", 400).code("InvalidRange", 416)
      .code("PreconditionFailed", 412).code("BadDigest", 400).code("InvalidDigest", 400)
      .code("EntityTooSmall", 400).code("EntityTooLarge", 400).code("InvalidPart", 400).code("InvalidPartOrder", 400)
      .code("MalformedXML", 400).code("InvalidRequest", 400).code("NotImplemented", 501).code("KeyTooLongError", 400)
      .code("MetadataTooLarge", 400).code("IllegalLocationConstraintException", 400).code("MethodNotAllowed", 405)
      .code("AccessDenied", 403).code("XAmzContentSHA256Mismatch", 400).code("IncompleteBody", 400)
      .code("MissingContentLength", 411).code("InvalidTag", 400).code("AuthorizationQueryParametersError", 400).code("InvalidObjectState", 403).code("SlowDown", 503)
      .code("AccessForbidden", 403).code("BadRequest", 400).code("NoSuchCORSConfiguration", 404).code("NoSuchTagSet", 404)
      .code("NoSuchBucketPolicy", 404).code("MalformedPolicy", 400).code("MalformedACLError", 400)
      .code("ServerSideEncryptionConfigurationNotFoundError", 404).code("OwnershipControlsNotFoundError", 404)
      .code("NoSuchPublicAccessBlockConfiguration", 404).code("UnresolvableGrantByEmailAddress", 400)
      .code("InvalidStorageClass", 400).code("RestoreAlreadyInProgress", 409).code("NoSuchLifecycleConfiguration", 404)
      .code("InvalidPolicyDocument", 400).code("MaxPostPreDataLengthExceeded", 400)
      .code("ReplicationConfigurationNotFoundError", 404).code("InvalidBucketState", 409)
      .renamed("InternalFailure", 500, "InternalError")
      .renamed("ServiceUnavailable", 503, "ServiceUnavailable")
      .renamed("RequestEntityTooLarge", 400, "EntityTooLarge")
      .renamed("InvalidAction", 501, "NotImplemented")
      .build();

  public static final RestXmlBinding BINDING = new RestXmlBinding("s3", Contracts.S3, ERRORS, Map.of());

  /** Operations whose request body is an XML document, and the input member it fills. */
  private static final Map<String, String> XML_BODIES = Map.ofEntries(
      Map.entry("CreateBucket", "CreateBucketConfiguration"), Map.entry("DeleteObjects", "Delete"),
      Map.entry("CompleteMultipartUpload", "MultipartUpload"),
      Map.entry("PutBucketNotificationConfiguration", "NotificationConfiguration"), Map.entry("PutObjectTagging", "Tagging"),
      Map.entry("PutBucketCors", "CORSConfiguration"), Map.entry("PutBucketTagging", "Tagging"),
      Map.entry("PutBucketEncryption", "ServerSideEncryptionConfiguration"),
      Map.entry("PutBucketAcl", "AccessControlPolicy"), Map.entry("PutObjectAcl", "AccessControlPolicy"),
      Map.entry("PutBucketOwnershipControls", "OwnershipControls"),
      Map.entry("PutPublicAccessBlock", "PublicAccessBlockConfiguration"),
      Map.entry("PutBucketLifecycleConfiguration", "LifecycleConfiguration"), Map.entry("RestoreObject", "RestoreRequest"),
      Map.entry("PutBucketVersioning", "VersioningConfiguration"),
      Map.entry("PutBucketReplication", "ReplicationConfiguration"));

  private S3Protocol() {}

  /** The operation's input members from the request's headers and query. */
  public static io.vertx.core.json.JsonObject input(S3Request request) {
    return S3Inputs.of(request);
  }

  /** Whether the operation's body is a small XML document (read whole, within a cap). */
  public static boolean hasXmlBody(String operation) {
    return XML_BODIES.containsKey(operation);
  }

  /** Adds what the XML body says to the input; MalformedXML when it does not parse. */
  public static void readXmlBody(String operation, io.vertx.core.buffer.Buffer body, io.vertx.core.json.JsonObject input) {
    io.vertx.core.json.JsonObject member = switch (operation) {
      case "CreateBucket" -> S3XmlBodies.createBucketConfiguration(body);
      case "DeleteObjects" -> S3XmlBodies.delete(body);
      case "CompleteMultipartUpload" -> S3XmlBodies.completeMultipartUpload(body);
      case "PutBucketNotificationConfiguration" -> S3XmlBodies.notificationConfiguration(body);
      case "PutObjectTagging" -> S3XmlBodies.tagging(body);
      case "PutBucketCors" -> S3XmlBodies.cors(body);
      case "PutBucketTagging" -> S3XmlBodies.tagging(body);
      case "PutBucketEncryption" -> S3XmlBodies.encryption(body);
      case "PutBucketAcl", "PutObjectAcl" -> S3XmlBodies.accessControlPolicy(body);
      case "PutBucketOwnershipControls" -> S3XmlBodies.ownershipControls(body);
      case "PutPublicAccessBlock" -> S3XmlBodies.publicAccessBlock(body);
      case "PutBucketLifecycleConfiguration" -> S3LifecycleXml.configuration(body);
      case "RestoreObject" -> S3LifecycleXml.restoreRequest(body);
      case "PutBucketVersioning" -> S3XmlBodies.versioningConfiguration(body);
      case "PutBucketReplication" -> S3ReplicationXml.read(body);
      default -> null;
    };
    if (member != null) input.put(XML_BODIES.get(operation), member);
    // A bucket policy is a JSON document, kept as the caller wrote it.
    if (operation.equals("PutBucketPolicy")) input.put("Policy", body.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The XML document an operation answers with, or null for none. */
  public static String xmlOutput(String operation, io.vertx.core.json.JsonObject output) {
    return S3XmlOutputs.of(operation, output);
  }

  /** The checksum algorithm the request's body comes with (named, announced as a trailer, or sent as a header), or null. */
  public static String checksumAlgorithm(io.vertx.core.MultiMap headers) {
    return S3Inputs.checksumAlgorithm(headers);
  }
}
