package io.eventplane.storage.api;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A bucket's versioning state: never set (unversioned), Enabled or Suspended. Once enabled a
 * bucket never returns to unversioned, as on S3: it can only be suspended.
 */
final class VersioningOperations {
  private final Buckets buckets;

  VersioningOperations(Buckets buckets) {
    this.buckets = buckets;
  }

  Future<JsonObject> get(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject out = new JsonObject();
    if (bucket.versioning() != null) out.put("Status", bucket.versioning());
    String mfa = bucket.configurations().getString("mfaDelete");
    if (mfa != null) out.put("MfaDelete", mfa);
    return Future.succeededFuture(out);
  }

  Future<JsonObject> put(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject config = in.getJsonObject("VersioningConfiguration", new JsonObject());
    String status = config.getString("Status");
    String mfa = config.getString("MfaDelete");
    if (status != null && !status.equals("Enabled") && !status.equals("Suspended")) throw io.eventplane.storage.domain.S3Errors.malformedXml();
    if (mfa != null && !mfa.equals("Enabled") && !mfa.equals("Disabled")) throw io.eventplane.storage.domain.S3Errors.malformedXml();
    if ("Enabled".equals(mfa)) {
      // S3 wants the root account's MFA device in x-amz-mfa to enable MFA delete; there are no MFA devices here.
      throw io.eventplane.storage.domain.S3Errors.notImplemented("MFA delete is not available: there are no MFA devices.");
    }
    if ("Suspended".equals(status) && bucket.configurations().containsKey(io.eventplane.storage.domain.ReplicationConfig.CONFIGURATION)) {
      throw io.eventplane.storage.domain.S3Errors.invalidBucketState("A replication configuration is present on this bucket, so "
          + "you cannot change the versioning state. To change the versioning state, first delete the replication configuration.");
    }
    Bucket next = status == null ? bucket : bucket.withConfiguration(Bucket.VERSIONING, status);
    if (mfa != null) next = next.withConfiguration("mfaDelete", mfa);
    return buckets.save(next).map(v -> new JsonObject());
  }
}
