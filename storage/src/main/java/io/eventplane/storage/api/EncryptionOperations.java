package io.eventplane.storage.api;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Put/Get/DeleteBucketEncryption, stored under {@value #NAME}. Since January 2023 every S3 bucket
 * encrypts with SSE-S3 by default, so a bucket without a configuration (or whose configuration was
 * deleted) answers that default rather than an error. Bodies are not encrypted at rest here; the
 * setting is kept and returned for clients that read it.
 */
final class EncryptionOperations {
  static final String NAME = "encryption";
  private static final Set<String> ALGORITHMS = Set.of("AES256", "aws:kms", "aws:kms:dsse");

  private final Buckets buckets;

  EncryptionOperations(Buckets buckets) {
    this.buckets = buckets;
  }

  static JsonObject defaultConfiguration() {
    return new JsonObject().put("Rules", new JsonArray().add(new JsonObject()
        .put("ApplyServerSideEncryptionByDefault", new JsonObject().put("SSEAlgorithm", "AES256"))
        .put("BucketKeyEnabled", false)));
  }

  Future<JsonObject> put(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    JsonObject config = in.getJsonObject("ServerSideEncryptionConfiguration");
    JsonArray rules = config == null ? null : config.getJsonArray("Rules");
    if (rules == null || rules.size() != 1) throw S3Errors.malformedXml();
    JsonObject rule = rules.getJsonObject(0);
    JsonObject byDefault = rule.getJsonObject("ApplyServerSideEncryptionByDefault");
    JsonObject stored = new JsonObject();
    if (byDefault != null) {
      String algorithm = byDefault.getString("SSEAlgorithm");
      if (algorithm == null || !ALGORITHMS.contains(algorithm)) throw S3Errors.malformedXml();
      String key = byDefault.getString("KMSMasterKeyID");
      if (key != null && algorithm.equals("AES256")) {
        throw S3Errors.invalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or "
            + "aws:kms:dsse", "ApplyServerSideEncryptionByDefault", null);
      }
      JsonObject d = new JsonObject().put("SSEAlgorithm", algorithm);
      if (key != null) d.put("KMSMasterKeyID", key);
      stored.put("ApplyServerSideEncryptionByDefault", d);
    }
    Object bucketKey = rule.getValue("BucketKeyEnabled");
    stored.put("BucketKeyEnabled", bucketKey != null && Boolean.parseBoolean(String.valueOf(bucketKey).trim()));
    JsonObject value = new JsonObject().put("Rules", new JsonArray().add(stored));
    return buckets.update(name, b -> b.withConfiguration(NAME, value)).map(b -> new JsonObject());
  }

  Future<JsonObject> get(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject stored = bucket.configuration(NAME);
    return Future.succeededFuture(new JsonObject().put("ServerSideEncryptionConfiguration",
        stored == null ? defaultConfiguration() : stored.copy()));
  }

  Future<JsonObject> delete(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    return buckets.update(name, b -> b.withConfiguration(NAME, null)).map(b -> new JsonObject());
  }
}
