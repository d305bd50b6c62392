package io.eventplane.storage.api;

import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Put/Get/DeleteBucketPolicy and GetBucketPolicyStatus. The document is kept byte for byte as
 * given (under {@value #NAME}) and handed back so; in {@code --auth iam} the gateway enforces it
 * (asking {@value #FOR_AUTHORIZATION}).
 */
final class PolicyOperations {
  static final String NAME = "policy";
  /** The gateway's question before it authorizes a call on a bucket ({@code --auth iam}): its owner and policy. */
  static final String FOR_AUTHORIZATION = "eventplane:BucketPolicy";
  /** S3's limit on a bucket policy. */
  static final int MAX_BYTES = 20 * 1024;

  private final Buckets buckets;

  PolicyOperations(Buckets buckets) {
    this.buckets = buckets;
  }

  Future<JsonObject> put(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    String policy = in.getString("Policy", "");
    if (policy.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw S3Errors.malformedPolicy("Policy exceeds the maximum allowed document size.");
    }
    parse(policy);
    return buckets.update(name, b -> b.withConfiguration(NAME, new JsonObject().put("Policy", policy))).map(b -> new JsonObject());
  }

  private static JsonObject parse(String policy) {
    String notJson = "Policies must be valid JSON and the first byte must be '{'";
    if (!policy.startsWith("{")) throw S3Errors.malformedPolicy(notJson);
    try {
      return new JsonObject(policy);
    } catch (DecodeException | ClassCastException e) {
      throw S3Errors.malformedPolicy(notJson);
    }
  }

  Future<JsonObject> get(JsonObject in) {
    return Future.succeededFuture(stored(in).copy());
  }

  private JsonObject stored(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject stored = bucket.configuration(NAME);
    if (stored == null) throw S3Errors.noSuchBucketPolicy(bucket.name());
    return stored;
  }

  /** {@code {"Account": owner, "Policy": document}} (no Policy when the bucket has none). */
  Future<JsonObject> forAuthorization(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject stored = bucket.configuration(NAME);
    JsonObject out = new JsonObject().put("Account", bucket.accountId());
    if (stored != null) out.put("Policy", stored.getString("Policy"));
    return Future.succeededFuture(out);
  }

  Future<JsonObject> delete(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    return buckets.update(name, b -> b.withConfiguration(NAME, null)).map(b -> new JsonObject());
  }

  /** GetBucketPolicyStatus: public when a statement allows everyone ({@code "*"}) without a condition. */
  Future<JsonObject> status(JsonObject in) {
    JsonObject policy = parse(stored(in).getString("Policy"));
    return Future.succeededFuture(new JsonObject().put("PolicyStatus", new JsonObject().put("IsPublic", isPublic(policy))));
  }

  static boolean isPublic(JsonObject policy) {
    Object statements = policy.getValue("Statement");
    JsonArray list = statements instanceof JsonArray a ? a : new JsonArray().add(statements);
    for (Object o : list) {
      if (!(o instanceof JsonObject s)) continue;
      if ("Allow".equals(s.getValue("Effect")) && s.getValue("Condition") == null && everyone(s.getValue("Principal"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean everyone(Object principal) {
    if ("*".equals(principal)) return true;
    if (!(principal instanceof JsonObject p)) return false;
    Object aws = p.getValue("AWS");
    return "*".equals(aws) || (aws instanceof JsonArray a && a.contains("*"));
  }
}
