package io.eventplane.storage.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.store.Batch;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.Lifecycle;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.domain.Upload;
import io.eventplane.storage.notify.Notifier;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies the lifecycle rules of a partition's buckets, run periodically by the partition's owner:
 * expired objects are deleted through the same path as a user's DeleteObject (blobs freed, the
 * {@code LifecycleExpiration:Delete} notice in the delete's batch), due transitions rewrite the
 * object's storage class ({@code LifecycleTransition}), old incomplete uploads are aborted. Each
 * action re-reads the object after every earlier write of its key and acts only if the rule still
 * applies, so a concurrent PUT is never undone. Nothing needs remembering between sweeps: a sweep
 * missed by a restart or a failover is simply done by the next one, on whichever node owns the
 * partition then.
 *
 * <p>On a versioned bucket an expired current version gets a delete marker over it
 * ({@code LifecycleExpiration:DeleteMarkerCreated}) and stays as a noncurrent version. Each key's
 * history is judged by {@link Lifecycle#historyActions}: expired noncurrent versions and expired
 * object delete markers are deleted for good ({@code LifecycleExpiration:Delete} with the version
 * id), due noncurrent transitions rewrite the version's class ({@code LifecycleTransition}). A
 * key's history actions run oldest version first, so deleting one never changes when a newer
 * version became noncurrent (its successor stays) or how many newer versions it has.
 */
final class LifecycleSweep {
  private final Buckets buckets;
  private final DeleteOperations deletes;
  private final MultipartOperations multipart;
  private final Events events;
  private final Notifier notifier;
  private final Clock clock;
  private final long dayLength;

  LifecycleSweep(Buckets buckets, DeleteOperations deletes, MultipartOperations multipart, Events events, Notifier notifier,
      Clock clock, long dayLength) {
    this.buckets = buckets;
    this.deletes = deletes;
    this.multipart = multipart;
    this.events = events;
    this.notifier = notifier;
    this.clock = clock;
    this.dayLength = dayLength;
  }

  /** One pass over the partition's buckets that have a lifecycle configuration. */
  Future<Void> sweep(int partition) {
    List<Future<Void>> all = new ArrayList<>();
    for (Bucket b : buckets.inPartition(partition)) {
      Lifecycle lifecycle = LifecycleOperations.of(b);
      if (lifecycle != null) all.add(sweep(b, lifecycle));
    }
    return Future.join(all).mapEmpty();
  }

  private record Action(StoredObject object, boolean expire, String transitionTo) {}

  private Future<Void> sweep(Bucket bucket, Lifecycle lifecycle) {
    long now = clock.millis();
    boolean histories = bucket.versioning() != null && lifecycle.touchesHistory();
    boolean versioned = LifecycleOperations.versioned(bucket);
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.blocking(() -> {
      List<Action> actions = new ArrayList<>();
      List<Lifecycle.HistoryAction> history = new ArrayList<>();
      buckets.store().scanObjects(bucket.name(), "", null, o -> {
        if (histories) {
          List<Lifecycle.HistoryAction> due = lifecycle.historyActions(o, buckets.store().versions(bucket.name(), o.key()), now,
              dayLength);
          java.util.Collections.reverse(due);
          history.addAll(due);
        }
        if (o.deleteMarker()) return true;
        Lifecycle.Expiry e = lifecycle.expiry(o, dayLength);
        if (e != null && e.at() <= now) {
          actions.add(new Action(o, true, null));
        } else {
          String to = lifecycle.transition(o, now, dayLength);
          if (to != null) actions.add(new Action(o, false, to));
        }
        return true;
      });
      List<Upload> uploads = new ArrayList<>();
      for (Upload u : buckets.store().uploads(partition, bucket.name())) {
        if (lifecycle.abortsUpload(u.key(), u.initiated(), now, dayLength)) uploads.add(u);
      }
      return new Object[] {actions, uploads, history};
    }).compose(found -> {
      @SuppressWarnings("unchecked") List<Action> actions = (List<Action>) found[0];
      @SuppressWarnings("unchecked") List<Upload> uploads = (List<Upload>) found[1];
      @SuppressWarnings("unchecked") List<Lifecycle.HistoryAction> history = (List<Lifecycle.HistoryAction>) found[2];
      List<Future<?>> done = new ArrayList<>();
      // Queued oldest first per key (serially keeps that order), before the current-version
      // actions, so a delete marker this sweep writes does not shift the history judged above.
      for (Lifecycle.HistoryAction h : history) done.add(apply(bucket, lifecycle, h, now));
      for (Action a : actions) {
        done.add(a.expire() ? expire(bucket, versioned, a.object()) : transition(bucket, a.object(), a.transitionTo()));
      }
      for (Upload u : uploads) done.add(multipart.abort(bucket, u));
      return Future.join(done).mapEmpty();
    });
  }

  /**
   * Deletes the object as DeleteObject does, if it is still the one that expired: on a versioned
   * bucket that is a delete marker over it (the version stays, noncurrent), as S3 expires there.
   */
  private Future<?> expire(Bucket bucket, boolean versioned, StoredObject expired) {
    RequestContext ctx = Events.system(bucket);
    if (versioned) {
      return deletes.markDeleted(bucket, expired.key(), now -> now != null && sameObject(now, expired),
          "LifecycleExpiration:DeleteMarkerCreated", ctx, null);
    }
    return deletes.removeIf(bucket, expired.key(), now -> sameObject(now, expired), "LifecycleExpiration:Delete", ctx, null);
  }

  private Future<Void> transition(Bucket bucket, StoredObject seen, String storageClass) {
    int partition = ObjectStore.partitionOf(bucket.name());
    RequestContext ctx = Events.system(bucket);
    return buckets.serially(bucket.name(), seen.key(), () ->
        buckets.blocking(() -> Optional.ofNullable(buckets.store().getObject(bucket.name(), seen.key()))).compose(found -> {
          if (found.isEmpty() || !sameObject(found.get(), seen) || !found.get().storageClass().equals(seen.storageClass())) {
            return Future.succeededFuture();
          }
          StoredObject moved = found.get().withStorageClass(storageClass);
          Batch batch = buckets.store().batch();
          buckets.store().putObject(batch, bucket.name(), moved);
          List<JsonObject> notices = events.add(batch, bucket, moved.key(), "LifecycleTransition", moved, ctx, null);
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            return null;
          });
        }));
  }

  /**
   * Applies one history action if, with the key's history read again after every earlier write of
   * the key, the rules still call for it on the same version.
   */
  private Future<?> apply(Bucket bucket, Lifecycle lifecycle, Lifecycle.HistoryAction action, long now) {
    StoredObject seen = action.version();
    RequestContext ctx = Events.system(bucket);
    if (action.kind() != Lifecycle.HistoryKind.TRANSITION_NONCURRENT) {
      return deletes.removeVersionIf(bucket, seen.key(), seen.shownVersionId(),
          f -> f.version().seq() == seen.seq() && stillDue(bucket, lifecycle, action, now) != null,
          "LifecycleExpiration:Delete", ctx, null);
    }
    int partition = ObjectStore.partitionOf(bucket.name());
    return buckets.serially(bucket.name(), seen.key(), () ->
        buckets.blocking(() -> Optional.ofNullable(stillDue(bucket, lifecycle, action, now))).compose(due -> {
          if (due.isEmpty()) return Future.succeededFuture();
          // The version as read now: a change the verdict does not depend on (an ACL) is kept.
          StoredObject moved = due.get().withStorageClass(action.storageClass());
          Batch batch = buckets.store().batch();
          buckets.store().putVersion(batch, bucket.name(), moved);
          List<JsonObject> notices = events.add(batch, bucket, moved.key(), "LifecycleTransition", moved, ctx, null,
              Versions.eventVersionId(bucket, moved));
          return buckets.commit(partition, batch).map(v -> {
            notices.forEach(n -> notifier.deliver(partition, n));
            return null;
          });
        }));
  }

  /**
   * Blocking: the version {@code action} names as read now, if the key's history still calls for
   * that action on it; otherwise null.
   */
  private StoredObject stillDue(Bucket bucket, Lifecycle lifecycle, Lifecycle.HistoryAction action, long now) {
    StoredObject current = buckets.store().getObject(bucket.name(), action.version().key());
    if (current == null) return null;
    List<StoredObject> noncurrent = buckets.store().versions(bucket.name(), current.key());
    for (Lifecycle.HistoryAction a : lifecycle.historyActions(current, noncurrent, now, dayLength)) {
      StoredObject v = a.version();
      // Delete markers have no ETag or class: compare by Objects.equals.
      if (a.kind() == action.kind() && v.seq() == action.version().seq() && v.lastModified() == action.version().lastModified()
          && java.util.Objects.equals(v.etag(), action.version().etag()) && v.tags().equals(action.version().tags())
          && java.util.Objects.equals(v.storageClass(), action.version().storageClass())) {
        return v;
      }
    }
    return null;
  }

  /** The same write of the key (a later PUT has another ETag or time; tags may have changed the rule's verdict, so compare them too). */
  private static boolean sameObject(StoredObject a, StoredObject b) {
    return a.etag().equals(b.etag()) && a.lastModified() == b.lastModified() && a.tags().equals(b.tags());
  }
}
