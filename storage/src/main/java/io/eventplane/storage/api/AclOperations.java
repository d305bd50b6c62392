package io.eventplane.storage.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.store.Batch;
import io.eventplane.storage.domain.AccessControlList;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.notify.Notifier;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Get/PutBucketAcl and Get/PutObjectAcl. A bucket's ACL lives in its configurations under
 * {@value #NAME}, an object's with the object; neither is enforced yet. Setting an object's ACL
 * notifies {@code s3:ObjectAcl:Put}, in the same batch as the change.
 */
final class AclOperations {
  static final String NAME = "acl";

  private final Buckets buckets;
  private final Events events;
  private final Notifier notifier;

  AclOperations(Buckets buckets, Events events, Notifier notifier) {
    this.buckets = buckets;
    this.events = events;
    this.notifier = notifier;
  }

  /** The ACL a Put*Acl request sets; one that sets none is MalformedACLError, as there is nothing to put. */
  private static AccessControlList required(JsonObject in, String accountId) {
    AccessControlList acl = AccessControlList.fromRequest(in, accountId);
    if (acl == null) {
      throw new io.eventplane.common.error.ServiceException(io.eventplane.common.error.ServiceError.sender("MalformedACLError",
          "The XML you provided was not well-formed or did not validate against our published schema"));
    }
    return acl;
  }

  Future<JsonObject> getBucket(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    AccessControlList acl = AccessControlList.fromJson(bucket.configuration(NAME));
    return Future.succeededFuture((acl == null ? AccessControlList.ownerOnly(bucket.accountId()) : acl).toJson());
  }

  Future<JsonObject> putBucket(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    AccessControlList acl = required(in, bucket.accountId());
    return buckets.update(bucket.name(), b -> b.withConfiguration(NAME, acl.toJson())).map(b -> new JsonObject());
  }

  Future<JsonObject> getObject(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    return buckets.blocking(() -> buckets.store().getObject(bucket.name(), key)).map(o -> {
      if (o == null) throw S3Errors.noSuchKey(key);
      return (o.acl() == null ? AccessControlList.ownerOnly(bucket.accountId()) : o.acl()).toJson();
    });
  }

  Future<JsonObject> putObject(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    AccessControlList acl = required(in, bucket.accountId());
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), key, () ->
        buckets.blocking(() -> java.util.Optional.ofNullable(buckets.store().getObject(bucket.name(), key))).compose(existing -> {
          if (existing.isEmpty()) throw S3Errors.noSuchKey(key);
          StoredObject changed = existing.get().withAcl(acl);
          Batch batch = buckets.store().batch();
          buckets.store().putObject(batch, bucket.name(), changed);
          AccessControlList before = existing.get().acl() == null ? AccessControlList.ownerOnly(bucket.accountId())
              : existing.get().acl();
          List<JsonObject> notices = events.add(batch, bucket, key, "ObjectAcl:Put", changed, ctx, in.getString("SourceIp"),
              null, !before.equals(acl));
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            return new JsonObject();
          });
        }));
  }
}
