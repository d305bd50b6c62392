package io.eventplane.storage.api;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Put/Get/DeleteBucketOwnershipControls, stored under {@value #NAME} and returned; not enforced
 * (ACLs are accepted whatever the setting, as with ObjectWriter), so a bucket without controls
 * answers OwnershipControlsNotFoundError, as S3 did before it made BucketOwnerEnforced the default.
 */
final class OwnershipControlsOperations {
  static final String NAME = "ownershipControls";
  static final Set<String> VALUES = Set.of("BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced");

  private final Buckets buckets;

  OwnershipControlsOperations(Buckets buckets) {
    this.buckets = buckets;
  }

  Future<JsonObject> put(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    JsonObject given = in.getJsonObject("OwnershipControls");
    JsonArray rules = given == null ? null : given.getJsonArray("Rules");
    if (rules == null || rules.size() != 1 || !(rules.getValue(0) instanceof JsonObject rule)
        || !VALUES.contains(rule.getString("ObjectOwnership"))) {
      throw S3Errors.malformedXml();
    }
    JsonObject stored = new JsonObject().put("Rules", new JsonArray().add(
        new JsonObject().put("ObjectOwnership", rule.getString("ObjectOwnership"))));
    return buckets.update(name, b -> b.withConfiguration(NAME, stored)).map(b -> new JsonObject());
  }

  Future<JsonObject> get(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject stored = bucket.configuration(NAME);
    if (stored == null) throw S3Errors.noOwnershipControls(bucket.name());
    return Future.succeededFuture(new JsonObject().put("OwnershipControls", stored.copy()));
  }

  Future<JsonObject> delete(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    return buckets.update(name, b -> b.withConfiguration(NAME, null)).map(b -> new JsonObject());
  }
}
