package io.eventplane.storage.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonObject;

/** S3's errors, worded as S3 words them; the gateway's table gives each its HTTP status. */
public final class S3Errors {
  private S3Errors() {}

  private static ServiceException error(String code, String message, JsonObject details) {
    return new ServiceException(new ServiceError(code, message, io.eventplane.common.error.Fault.SENDER, details));
  }

  public static ServiceException noSuchBucket(String bucket) {
    return error("NoSuchBucket", "The specified bucket does not exist", new JsonObject().put("BucketName", bucket));
  }

  public static ServiceException noSuchKey(String key) {
    return error("NoSuchKey", "The specified key does not exist.", new JsonObject().put("Key", key));
  }

  /**
   * NoSuchKey for a key whose current version is a delete marker: S3 says so in headers. (An error's
   * {@code Headers} member becomes response headers, not an element of the error body.)
   */
  public static ServiceException noSuchKeyDeleted(String key, String markerVersionId) {
    return error("NoSuchKey", "The specified key does not exist.", new JsonObject().put("Key", key)
        .put("Headers", new JsonObject().put("x-amz-delete-marker", "true").put("x-amz-version-id", markerVersionId)));
  }

  public static ServiceException noSuchVersion(String key, String versionId) {
    return error("NoSuchVersion", "The specified version does not exist.",
        new JsonObject().put("Key", key).put("VersionId", versionId));
  }

  /** A GET or HEAD of a delete marker by its version id: 405, with the marker's headers and {@code Allow: DELETE}. */
  public static ServiceException deleteMarkerRead(String method, String versionId, String lastModified) {
    return error("MethodNotAllowed", "The specified method is not allowed against this resource.",
        new JsonObject().put("Method", method).put("ResourceType", "DeleteMarker")
            .put("Headers", new JsonObject().put("x-amz-delete-marker", "true").put("x-amz-version-id", versionId)
                .put("Allow", "DELETE").put("Last-Modified", lastModified)));
  }

  public static ServiceException noSuchUpload(String uploadId) {
    return error("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been "
        + "aborted or completed.", new JsonObject().put("UploadId", uploadId));
  }

  public static ServiceException alreadyOwnedByYou(String bucket) {
    return error("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.",
        new JsonObject().put("BucketName", bucket));
  }

  public static ServiceException alreadyExists(String bucket) {
    return error("BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all "
        + "users of the system. Please select a different name and try again.", new JsonObject().put("BucketName", bucket));
  }

  public static ServiceException notEmpty(String bucket) {
    return error("BucketNotEmpty", "The bucket you tried to delete is not empty", new JsonObject().put("BucketName", bucket));
  }

  public static ServiceException invalidBucketName(String bucket) {
    return error("InvalidBucketName", "The specified bucket is not valid.", new JsonObject().put("BucketName", bucket));
  }

  public static ServiceException invalidArgument(String message, String name, String value) {
    JsonObject d = new JsonObject();
    if (name != null) d.put("ArgumentName", name).put("ArgumentValue", value);
    return error("InvalidArgument", message, d);
  }

  /**
   * PutBucketNotificationConfiguration's refusal of destinations it could not validate (missing, or
   * whose policy does not let S3 send there): every refused destination, numbered as S3 numbers them
   * ({@code ArgumentName1}/{@code ArgumentValue1}, {@code ArgumentName2}/...).
   *
   * @param refused each destination's name as S3 gives it and why it was refused, in the configuration's order
   */
  public static ServiceException destinationsNotValidated(java.util.List<java.util.Map.Entry<String, String>> refused) {
    JsonObject d = new JsonObject();
    for (int i = 0; i < refused.size(); i++) {
      d.put("ArgumentName" + (i + 1), refused.get(i).getKey()).put("ArgumentValue" + (i + 1), refused.get(i).getValue());
    }
    return error("InvalidArgument", UNABLE_TO_VALIDATE_DESTINATIONS, d);
  }

  /** S3's message for destinations it could not validate. */
  public static final String UNABLE_TO_VALIDATE_DESTINATIONS = "Unable to validate the following destination configurations";

  public static ServiceException invalidRange(long size, String range) {
    return error("InvalidRange", "The requested range is not satisfiable",
        new JsonObject().put("RangeRequested", range).put("ActualObjectSize", size));
  }

  public static ServiceException preconditionFailed(String condition) {
    return error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
        new JsonObject().put("Condition", condition));
  }

  public static ServiceException badDigest(String message) {
    return error("BadDigest", message, null);
  }

  public static ServiceException invalidDigest() {
    return error("InvalidDigest", "The Content-MD5 you specified was invalid.", null);
  }

  public static ServiceException entityTooSmall(long size, long min) {
    return error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
        new JsonObject().put("ProposedSize", size).put("MinSizeAllowed", min));
  }

  public static ServiceException entityTooLarge(long size, long max) {
    return error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
        new JsonObject().put("ProposedSize", size).put("MaxSizeAllowed", max));
  }

  public static ServiceException invalidPart(String message) {
    return error("InvalidPart", message, null);
  }

  public static ServiceException invalidPartOrder() {
    return error("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.", null);
  }

  public static ServiceException malformedXml() {
    return error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema",
        null);
  }

  public static ServiceException invalidRequest(String message) {
    return error("InvalidRequest", message, null);
  }

  public static ServiceException notImplemented(String message) {
    return new ServiceException(new ServiceError("NotImplemented", message, io.eventplane.common.error.Fault.RECEIVER));
  }

  /** A browser's request that S3's CORS rules turn away; {@code Method} and {@code ResourceType} say which. */
  public static ServiceException accessForbidden(String message, String method, String resourceType) {
    return error("AccessForbidden", message, new JsonObject().put("Method", method).put("ResourceType", resourceType));
  }

  public static ServiceException badRequest(String message) {
    return error("BadRequest", message, null);
  }

  private static ServiceException missing(String code, String message, String bucket) {
    return error(code, message, new JsonObject().put("BucketName", bucket));
  }

  public static ServiceException noSuchCorsConfiguration(String bucket) {
    return missing("NoSuchCORSConfiguration", "The CORS configuration does not exist", bucket);
  }

  public static ServiceException noSuchTagSet(String bucket) {
    return missing("NoSuchTagSet", "The TagSet does not exist", bucket);
  }

  public static ServiceException noSuchBucketPolicy(String bucket) {
    return missing("NoSuchBucketPolicy", "The bucket policy does not exist", bucket);
  }

  public static ServiceException malformedPolicy(String message) {
    return error("MalformedPolicy", message, null);
  }

  public static ServiceException noEncryptionConfiguration(String bucket) {
    return missing("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found",
        bucket);
  }

  public static ServiceException noOwnershipControls(String bucket) {
    return missing("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", bucket);
  }

  public static ServiceException noPublicAccessBlock(String bucket) {
    return missing("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", bucket);
  }

  public static ServiceException invalidStorageClass(String given) {
    return error("InvalidStorageClass", "The storage class you specified is not valid",
        new JsonObject().put("StorageClassRequested", given));
  }

  /** A read or restore the object's storage class does not allow (an archived object not restored, say). */
  public static ServiceException invalidObjectState(String storageClass) {
    return error("InvalidObjectState", "The operation is not valid for the object's storage class",
        new JsonObject().put("StorageClass", storageClass));
  }

  public static ServiceException restoreAlreadyInProgress() {
    return error("RestoreAlreadyInProgress", "Object restore is already in progress", null);
  }

  public static ServiceException noSuchLifecycleConfiguration(String bucket) {
    return error("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist",
        new JsonObject().put("BucketName", bucket));
  }

  public static ServiceException replicationConfigurationNotFound(String bucket) {
    return error("ReplicationConfigurationNotFoundError", "The replication configuration was not found",
        new JsonObject().put("BucketName", bucket));
  }

  public static ServiceException invalidBucketState(String message) {
    return error("InvalidBucketState", message, null);
  }
}
