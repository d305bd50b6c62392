package io.eventplane.storage.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.BucketName;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/** Buckets: created in the caller's region (or the LocationConstraint's), named globally. */
final class BucketOperations {
  /** Regions a LocationConstraint may name (the commercial ones and EU, S3's old name for eu-west-1). */
  private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-\\d|EU");
  private static final Set<String> NO_CONSTRAINT = Set.of("us-east-1");

  private final Buckets buckets;
  private final Clock clock;

  BucketOperations(Buckets buckets, Clock clock) {
    this.buckets = buckets;
    this.clock = clock;
  }

  Future<JsonObject> create(JsonObject in, RequestContext ctx) {
    String name = Inputs.bucket(in);
    JsonObject config = in.getJsonObject("CreateBucketConfiguration");
    String constraint = config == null ? null : config.getString("LocationConstraint");
    if (constraint != null && !constraint.isEmpty() && !REGION.matcher(constraint).matches()) {
      throw S3Errors.invalidArgument("Invalid LocationConstraint", "LocationConstraint", constraint);
    }
    String region = constraint == null || constraint.isEmpty() ? ctx.region() : constraint.equals("EU") ? "eu-west-1" : constraint;
    if (constraint != null && !constraint.isEmpty() && !region.equals(ctx.region())) {
      throw new io.eventplane.common.error.ServiceException("IllegalLocationConstraintException",
          "The " + constraint + " location constraint is incompatible for the region specific endpoint this request was sent to.");
    }
    if ((constraint == null || constraint.isEmpty()) && !NO_CONSTRAINT.contains(region) && config != null) {
      throw new io.eventplane.common.error.ServiceException("IllegalLocationConstraintException",
          "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.");
    }
    io.eventplane.storage.domain.AccessControlList acl = io.eventplane.storage.domain.AccessControlList.fromRequest(in,
        ctx.accountId());
    Bucket existing = buckets.find(name);
    if (existing == null && !buckets.owns(ObjectStore.partitionOf(name))) throw Buckets.notHere();
    if (existing != null) {
      if (!existing.accountId().equals(ctx.accountId())) throw S3Errors.alreadyExists(name);
      // us-east-1 answers a repeated create of one's own bucket with success, as S3 does.
      if (existing.region().equals("us-east-1") && region.equals("us-east-1")) return Future.succeededFuture(location(name));
      throw S3Errors.alreadyOwnedByYou(name);
    }
    Bucket bucket = new Bucket(name, ctx.accountId(), region, clock.millis(), null, null);
    if (acl != null) bucket = bucket.withConfiguration(AclOperations.NAME, acl.toJson());
    return buckets.save(bucket).map(v -> location(name));
  }

  private static JsonObject location(String name) {
    return new JsonObject().put("Location", "/" + name);
  }

  Future<JsonObject> head(JsonObject in) {
    Bucket b = buckets.require(Inputs.bucket(in));
    return Future.succeededFuture(new JsonObject().put("BucketRegion", b.region()));
  }

  Future<JsonObject> location(JsonObject in) {
    Bucket b = buckets.require(Inputs.bucket(in));
    return Future.succeededFuture(new JsonObject().put("LocationConstraint", b.region().equals("us-east-1") ? null : b.region()));
  }

  Future<JsonObject> delete(JsonObject in) {
    Bucket b = buckets.require(Inputs.bucket(in));
    return buckets.blocking(() -> buckets.store().hasObjects(b.name())
        || !buckets.store().uploads(ObjectStore.partitionOf(b.name()), b.name()).isEmpty()).compose(nonEmpty -> {
          if (nonEmpty) throw S3Errors.notEmpty(b.name());
          return buckets.delete(b).map(v -> new JsonObject());
        });
  }

  /** This node's share of ListBuckets: the account's buckets here. */
  JsonArray bucketsHere(String account) {
    JsonArray out = new JsonArray();
    for (Bucket b : buckets.ofAccount(account)) {
      out.add(new JsonObject().put("Name", b.name()).put("CreationDate", Instant.ofEpochMilli(b.createdAt()).toString())
          .put("BucketRegion", b.region()));
    }
    return out;
  }

  /** ListBuckets over every node's answer: by name, with Prefix, BucketRegion, MaxBuckets and ContinuationToken. */
  static JsonObject listing(java.util.List<JsonObject> all, JsonObject in, String account) {
    all.sort(java.util.Comparator.comparing(b -> b.getString("Name")));
    String prefix = in.getString("Prefix");
    String region = in.getString("BucketRegion");
    String token = in.getString("ContinuationToken");
    int max = Inputs.integer(in, "MaxBuckets", 1, 10_000, 10_000, "max-buckets");
    JsonArray page = new JsonArray();
    String last = null;
    boolean more = false;
    for (JsonObject b : all) {
      String name = b.getString("Name");
      if (prefix != null && !name.startsWith(prefix)) continue;
      if (region != null && !region.equals(b.getString("BucketRegion"))) continue;
      if (token != null && name.compareTo(token) <= 0) continue;
      if (page.size() == max) {
        more = true;
        break;
      }
      page.add(b);
      last = name;
    }
    JsonObject out = new JsonObject().put("Buckets", page).put("Owner", new JsonObject().put("ID", account)
        .put("DisplayName", "eventplane"));
    if (prefix != null) out.put("Prefix", prefix);
    if (more && in.getValue("MaxBuckets") != null) out.put("ContinuationToken", last);
    return out;
  }
}
