package io.eventplane.storage.api;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Put/Get/DeleteBucketTagging: a bucket's tag set, under the limits of object tags but for their
 * count (50), stored in the bucket's configurations under {@value #NAME} in the order given.
 */
final class BucketTaggingOperations {
  static final String NAME = "tagging";
  static final int MAX_TAGS = 50;

  private final Buckets buckets;

  BucketTaggingOperations(Buckets buckets) {
    this.buckets = buckets;
  }

  Future<JsonObject> put(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    if (!(in.getValue("Tagging") instanceof JsonObject)) throw S3Errors.malformedXml();
    Map<String, String> tags = Inputs.tags(in, MAX_TAGS, "Bucket tag count cannot be greater than " + MAX_TAGS);
    JsonArray set = new JsonArray();
    tags.forEach((k, v) -> set.add(new JsonObject().put("Key", k).put("Value", v)));
    // An empty set leaves the bucket without tags, as DeleteBucketTagging does.
    JsonObject stored = set.isEmpty() ? null : new JsonObject().put("TagSet", set);
    return buckets.update(name, b -> b.withConfiguration(NAME, stored)).map(b -> new JsonObject());
  }

  Future<JsonObject> get(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject stored = bucket.configuration(NAME);
    if (stored == null) throw S3Errors.noSuchTagSet(bucket.name());
    return Future.succeededFuture(stored.copy());
  }

  Future<JsonObject> delete(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    return buckets.update(name, b -> b.withConfiguration(NAME, null)).map(b -> new JsonObject());
  }
}
