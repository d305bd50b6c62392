package io.eventplane.storage.api;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.Lifecycle;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Put/Get/DeleteBucketLifecycleConfiguration: the validated configuration is a stored subresource
 * of the bucket ({@code configurations.lifecycle}); {@link LifecycleSweep} applies it.
 */
final class LifecycleOperations {
  static final String CONFIGURATION = "lifecycle";
  /** The date form of x-amz-expiration and x-amz-restore: RFC 1123 with a two-digit day, as S3 writes it. */
  static final DateTimeFormatter HEADER_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
      .withZone(ZoneOffset.UTC);

  private final Buckets buckets;

  LifecycleOperations(Buckets buckets) {
    this.buckets = buckets;
  }

  Future<JsonObject> put(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject canonical = Lifecycle.validate(in.getJsonObject("LifecycleConfiguration"));
    return buckets.save(with(buckets.require(bucket.name()), canonical))
        .map(v -> new JsonObject().put("TransitionDefaultMinimumObjectSize", "all_storage_classes_128K"));
  }

  Future<JsonObject> get(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject config = bucket.configurations().getJsonObject(CONFIGURATION);
    if (config == null) throw S3Errors.noSuchLifecycleConfiguration(bucket.name());
    return Future.succeededFuture(config.copy().put("TransitionDefaultMinimumObjectSize", "all_storage_classes_128K"));
  }

  Future<JsonObject> delete(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    if (bucket.configurations().getValue(CONFIGURATION) == null) return Future.succeededFuture(new JsonObject());
    return buckets.save(with(bucket, null)).map(v -> new JsonObject());
  }

  private static Bucket with(Bucket b, JsonObject lifecycle) {
    JsonObject configurations = b.configurations().copy();
    if (lifecycle == null) configurations.remove(CONFIGURATION);
    else configurations.put(CONFIGURATION, lifecycle);
    return new Bucket(b.name(), b.accountId(), b.region(), b.createdAt(), b.notifications(), configurations);
  }

  /** The bucket's compiled lifecycle configuration, or null. */
  static Lifecycle of(Bucket b) {
    JsonObject config = b.configurations().getJsonObject(CONFIGURATION);
    return config == null ? null : Lifecycle.of(config);
  }

  /** x-amz-expiration for the object ({@code expiry-date="...", rule-id="..."}), or null when no rule expires it. */
  static String expirationHeader(Bucket bucket, StoredObject o, long dayLength) {
    Lifecycle lifecycle = of(bucket);
    if (lifecycle == null) return null;
    Lifecycle.Expiry e = lifecycle.expiry(o, dayLength);
    if (e == null) return null;
    return "expiry-date=\"" + HEADER_DATE.format(Instant.ofEpochMilli(e.at())) + "\", rule-id=\"" + e.ruleId() + "\"";
  }

  /** Whether the bucket has versioning: expiring a current version there writes a delete marker over it. */
  static boolean versioned(Bucket b) {
    return b.versioning() != null;
  }
}
