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

  public static ServiceException replicationConfigurationNotFound(String bucket) {
    return error("ReplicationConfigurationNotFoundError", "The replication configuration was not found",
        new JsonObject().put("BucketName", bucket));
  }

  public static ServiceException invalidBucketState(String message) {
    return error("InvalidBucketState", message, null);
  }
}
