package io.eventplane.functions.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.eventplane.functions.code.CodePackage;
import io.eventplane.functions.code.S3CodeLocation;
import io.eventplane.functions.code.S3CodeSource;
import io.eventplane.functions.domain.FunctionErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * The package a CreateFunction (its {@code Code}) or UpdateFunctionCode (its top-level members)
 * names: the ZipFile in the request or an object in S3, with Lambda's rules for choosing between
 * them and for their values.
 */
final class CodeSources {
  /** FunctionCode.S3Bucket in Lambda's model. */
  private static final Pattern BUCKET = Pattern.compile("^[0-9A-Za-z\\.\\-_]*(?<!\\.)$");

  private final S3CodeSource s3;

  CodeSources(S3CodeSource s3) {
    this.s3 = s3;
  }

  /**
   * @param members the object holding ZipFile/S3Bucket/S3Key/S3ObjectVersion
   * @param path how validation messages name those members ({@code "code."} for CreateFunction's Code, else empty)
   */
  Future<CodePackage> packageOf(JsonObject members, String path, RequestContext ctx) {
    Object zip = members.getValue("ZipFile");
    String bucket = FunctionInputs.string(members, "S3Bucket");
    String key = FunctionInputs.string(members, "S3Key");
    String version = FunctionInputs.string(members, "S3ObjectVersion");
    boolean fromS3 = bucket != null || key != null || version != null;
    if (zip != null) {
      if (fromS3) throw FunctionErrors.invalid("Please do not provide other FunctionCode parameters when providing a ZipFile.");
      return Future.succeededFuture(FunctionInputs.zipFile(zip, path.isEmpty() ? "ZipFile" : "Code.ZipFile"));
    }
    if (!fromS3) throw FunctionErrors.invalid("Please provide a source for function code.");
    if (bucket != null) {
      if (bucket.length() < 3) throw FunctionErrors.validation(bucket, path + "s3Bucket", "Member must have length greater than or equal to 3");
      if (bucket.length() > 63) throw FunctionErrors.validation(bucket, path + "s3Bucket", "Member must have length less than or equal to 63");
      if (!BUCKET.matcher(bucket).matches()) {
        throw FunctionErrors.validation(bucket, path + "s3Bucket", "Member must satisfy regular expression pattern: " + BUCKET.pattern());
      }
    }
    if (key != null && key.length() > 1024) {
      throw FunctionErrors.validation(key, path + "s3Key", "Member must have length less than or equal to 1024");
    }
    if (version != null && (version.isEmpty() || version.length() > 1024)) {
      throw FunctionErrors.validation(version, path + "s3ObjectVersion", "Member must have length between 1 and 1024");
    }
    if (bucket == null || key == null || key.isEmpty()) {
      throw FunctionErrors.invalid("S3 Bucket and Key are required for uploading with S3 parameters.");
    }
    try {
      return s3.fetch(new S3CodeLocation(bucket, key, version), ctx);
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }
}
