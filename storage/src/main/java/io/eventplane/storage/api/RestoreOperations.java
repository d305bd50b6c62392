package io.eventplane.storage.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.config.StorageSettings;
import io.eventplane.common.store.Batch;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.Lifecycle;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StorageClasses;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.notify.Notifier;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * RestoreObject of an archived object (GLACIER, DEEP_ARCHIVE) and the two steps that follow it: the
 * restore completes after the configured delay, and the restored copy expires after the request's
 * Days. Each step is a schedule entry of the bucket's partition written in the same batch as the
 * object's new restore state, so a restart or a failover resumes it; an entry whose due time no
 * longer matches the object's state (the object was replaced, or the restore extended) is dropped.
 */
final class RestoreOperations {
  static final char COMPLETE = 'C';
  static final char EXPIRE = 'E';
  private static final Set<String> TIERS = Set.of("Standard", "Bulk", "Expedited");

  private final Buckets buckets;
  private final Events events;
  private final Notifier notifier;
  private final Clock clock;
  private final StorageSettings settings;

  RestoreOperations(Buckets buckets, Events events, Notifier notifier, Clock clock, StorageSettings settings) {
    this.buckets = buckets;
    this.events = events;
    this.notifier = notifier;
    this.clock = clock;
    this.settings = settings;
  }

  /** 202 when a restore starts, 200 when a restored copy is there (its expiry moved to now + Days). */
  Future<JsonObject> restore(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    String key = Inputs.key(in);
    JsonObject request = in.getJsonObject("RestoreRequest");
    if (request == null) throw S3Errors.malformedXml();
    if (request.getString("Type") != null) {
      throw S3Errors.notImplemented("SELECT restore requests are not supported.");
    }
    int days = days(request.getValue("Days"));
    String tier = request.getString("Tier");
    if (tier != null && !TIERS.contains(tier)) throw S3Errors.malformedXml();
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), key, () ->
        buckets.blocking(() -> Optional.ofNullable(buckets.store().getObject(bucket.name(), key))).compose(found -> {
          StoredObject o = found.orElseThrow(() -> S3Errors.noSuchKey(key));
          if (!StorageClasses.archived(o.storageClass())) throw S3Errors.invalidObjectState(o.storageClass());
          StoredObject.Restore now = o.restore();
          if (now != null && now.ongoing()) throw S3Errors.restoreAlreadyInProgress();
          Batch batch = buckets.store().batch();
          StoredObject.Restore next;
          List<JsonObject> notices = List.of();
          if (now != null) {
            buckets.store().deleteSchedule(batch, bucket.name(), key, EXPIRE, now.dueAt());
            next = new StoredObject.Restore(false, days, expiry(clock.millis(), days));
            buckets.store().putSchedule(batch, bucket.name(), key, EXPIRE, next.dueAt());
          } else {
            next = new StoredObject.Restore(true, days, clock.millis() + settings.restoreDelayMillis());
            buckets.store().putSchedule(batch, bucket.name(), key, COMPLETE, next.dueAt());
          }
          StoredObject updated = o.withRestore(next);
          buckets.store().putObject(batch, bucket.name(), updated);
          if (now == null) notices = events.add(batch, bucket, key, "ObjectRestore:Post", updated, ctx, in.getString("SourceIp"));
          List<JsonObject> sent = notices;
          int status = now == null ? 202 : 200;
          return buckets.commit(partition, batch).map(v -> {
            sent.forEach(n -> notifier.deliver(partition, n));
            return new JsonObject().put("HttpStatus", status);
          });
        }));
  }

  /** A due schedule entry of this partition: completes a restore or expires a restored copy. */
  Future<Void> run(int partition, JsonObject entry) {
    String bucketName = entry.getString("bucket");
    String key = entry.getString("key");
    char kind = entry.getString("kind").charAt(0);
    long due = entry.getLong("due");
    Bucket bucket = buckets.find(bucketName);
    if (bucket == null) return drop(partition, bucketName, key, kind, due);
    RequestContext ctx = Events.system(bucket);
    return buckets.serially(bucketName, key, () ->
        buckets.blocking(() -> Optional.ofNullable(buckets.store().getObject(bucketName, key))).compose(found -> {
          StoredObject.Restore r = found.map(StoredObject::restore).orElse(null);
          boolean current = r != null && r.dueAt() == due && r.ongoing() == (kind == COMPLETE);
          Batch batch = buckets.store().batch();
          buckets.store().deleteSchedule(batch, bucketName, key, kind, due);
          if (!current) return buckets.commit(partition, batch);
          StoredObject updated;
          String event;
          if (kind == COMPLETE) {
            StoredObject.Restore done = new StoredObject.Restore(false, r.days(), expiry(clock.millis(), r.days()));
            buckets.store().putSchedule(batch, bucketName, key, EXPIRE, done.dueAt());
            updated = found.get().withRestore(done);
            event = "ObjectRestore:Completed";
          } else {
            updated = found.get().withRestore(null);
            event = "ObjectRestore:Delete";
          }
          buckets.store().putObject(batch, bucketName, updated);
          List<JsonObject> notices = events.add(batch, bucket, key, event, updated, ctx, null);
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            return null;
          });
        }));
  }

  private Future<Void> drop(int partition, String bucket, String key, char kind, long due) {
    Batch batch = buckets.store().batch();
    buckets.store().deleteSchedule(batch, bucket, key, kind, due);
    return buckets.commit(partition, batch);
  }

  /** S3 keeps a restored copy until midnight UTC after Days have passed (in configured days). */
  private long expiry(long from, int days) {
    return Lifecycle.ceilToDay(from + days * settings.dayLengthMillis(), settings.dayLengthMillis());
  }

  private static int days(Object v) {
    if (v == null) throw S3Errors.malformedXml();
    int n;
    try {
      n = Integer.parseInt(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw S3Errors.malformedXml();
    }
    if (n < 1) throw S3Errors.invalidArgument("Days must be a positive integer", "Days", String.valueOf(n));
    return n;
  }
}
