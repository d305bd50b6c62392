package io.eventplane.storage.api;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Put/Get/DeletePublicAccessBlock, stored under {@value #NAME} and returned, not enforced (public
 * ACLs and policies are accepted whatever it says), so a bucket without one answers
 * NoSuchPublicAccessBlockConfiguration.
 */
final class PublicAccessBlockOperations {
  static final String NAME = "publicAccessBlock";
  static final List<String> SETTINGS = List.of("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
      "RestrictPublicBuckets");

  private final Buckets buckets;

  PublicAccessBlockOperations(Buckets buckets) {
    this.buckets = buckets;
  }

  Future<JsonObject> put(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    JsonObject given = in.getJsonObject("PublicAccessBlockConfiguration");
    if (given == null) throw S3Errors.malformedXml();
    JsonObject stored = new JsonObject();
    for (String setting : SETTINGS) {
      Object v = given.getValue(setting);
      String text = v == null ? "false" : String.valueOf(v).trim();
      if (!text.equals("true") && !text.equals("false")) throw S3Errors.malformedXml();
      stored.put(setting, Boolean.parseBoolean(text));
    }
    return buckets.update(name, b -> b.withConfiguration(NAME, stored)).map(b -> new JsonObject());
  }

  Future<JsonObject> get(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject stored = bucket.configuration(NAME);
    if (stored == null) throw S3Errors.noPublicAccessBlock(bucket.name());
    return Future.succeededFuture(new JsonObject().put("PublicAccessBlockConfiguration", stored.copy()));
  }

  Future<JsonObject> delete(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    return buckets.update(name, b -> b.withConfiguration(NAME, null)).map(b -> new JsonObject());
  }
}
