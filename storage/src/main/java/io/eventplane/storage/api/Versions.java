package io.eventplane.storage.api;

import io.eventplane.common.store.Batch;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a write or delete of one key does to its versions, by the bucket's versioning status:
 * unversioned, the new object replaces the old; Enabled, the current version becomes noncurrent
 * and the new one (object or delete marker) gets a fresh id; Suspended, the new one is the null
 * version, replacing any earlier null version wherever it is in the key's history. The methods
 * that load block (call them through {@code buckets.blocking}); the rest add to the caller's batch
 * and return the versions whose blobs go once the batch is committed. Callers hold the key's
 * {@code serially} turn. Runs on the storage service's context.
 *
 * <p>A version id is 32 URL-safe characters: 16 hex digits of {@code Long.MAX_VALUE - seq} (so
 * ids sort newest first and name where a noncurrent version is stored) and 16 random ones (so ids
 * cannot be guessed from one another).
 */
final class Versions {
  static final String ENABLED = "Enabled";
  private static final char[] URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

  private final Buckets buckets;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private long lastSeq;

  Versions(Buckets buckets, Clock clock) {
    this.buckets = buckets;
    this.clock = clock;
  }

  /** A key's current version and, when a write would make a new null version, the noncurrent null one it replaces. */
  record State(StoredObject current, StoredObject noncurrentNull) {
    /** The current version unless it is a delete marker: what reads and conditions see. */
    StoredObject live() {
      return current == null || current.deleteMarker() ? null : current;
    }
  }

  /** A version found by id: whether it is the current one, and the key's noncurrent versions newest first when it is. */
  record Found(StoredObject version, boolean current, List<StoredObject> noncurrent) {}

  /** Blocking. */
  State load(Bucket bucket, String key) {
    StoredObject current = buckets.store().getObject(bucket.name(), key);
    StoredObject noncurrentNull = null;
    if ("Suspended".equals(bucket.versioning())) {
      for (StoredObject v : buckets.store().versions(bucket.name(), key)) {
        if (v.versionId() == null) noncurrentNull = v;
      }
    }
    return new State(current, noncurrentNull);
  }

  /** The version {@code versionId} ({@code "null"} for the null version) of the key, or null. Blocking. */
  Found find(Bucket bucket, String key, String versionId) {
    String id = versionId.equals("null") ? null : versionId;
    StoredObject current = buckets.store().getObject(bucket.name(), key);
    if (current == null) return null;
    if (java.util.Objects.equals(current.versionId(), id)) {
      return new Found(current, true, buckets.store().versions(bucket.name(), key));
    }
    if (id == null) {
      for (StoredObject v : buckets.store().versions(bucket.name(), key)) {
        if (v.versionId() == null) return new Found(v, false, List.of());
      }
      return null;
    }
    StoredObject v = buckets.store().getVersion(bucket.name(), key, seqOf(id));
    return v != null && id.equals(v.versionId()) ? new Found(v, false, List.of()) : null;
  }

  /** {@code o} as the version a write to the bucket makes now, newer than the key's current one. */
  StoredObject stamp(Bucket bucket, State s, StoredObject o) {
    long seq = nextSeq(s.current() == null ? 0 : s.current().seq());
    return o.withVersion(ENABLED.equals(bucket.versioning()) ? newId(seq) : null, seq);
  }

  /** A delete marker of the key as a delete without a version id makes it now in a versioned bucket. */
  StoredObject marker(Bucket bucket, State s, String key) {
    return stamp(bucket, s, StoredObject.deleteMarker(key, clock.millis(), null, 0));
  }

  /** Adds to the batch: {@code o} (stamped) becomes the key's current version. */
  List<StoredObject> makeCurrent(Batch b, Bucket bucket, State s, StoredObject o) {
    ObjectStore store = buckets.store();
    List<StoredObject> replaced = new ArrayList<>();
    if (s.current() != null) {
      boolean keep = ENABLED.equals(bucket.versioning()) || (bucket.versioning() != null && s.current().versionId() != null);
      if (keep) store.putVersion(b, bucket.name(), s.current());
      else replaced.add(s.current());
    }
    if (s.noncurrentNull() != null) {
      store.deleteVersion(b, bucket.name(), s.noncurrentNull());
      replaced.add(s.noncurrentNull());
    }
    store.putObject(b, bucket.name(), o);
    return replaced;
  }

  /** Adds to the batch: the found version goes for good; when it was current, the newest noncurrent one takes its place. */
  void remove(Batch b, Bucket bucket, Found f) {
    ObjectStore store = buckets.store();
    if (!f.current()) {
      store.deleteVersion(b, bucket.name(), f.version());
      return;
    }
    store.deleteObject(b, bucket.name(), f.version().key());
    if (!f.noncurrent().isEmpty()) {
      StoredObject next = f.noncurrent().get(0);
      store.deleteVersion(b, bucket.name(), next);
      store.putObject(b, bucket.name(), next);
    }
  }

  /** The x-amz-version-id a response about {@code o} carries: none for a bucket that was never versioned. */
  static void putVersionId(JsonObject out, Bucket bucket, StoredObject o) {
    if (bucket.versioning() != null || o.versionId() != null) out.put("VersionId", o.shownVersionId());
  }

  /** The versionId an event about {@code o} shows: only buckets whose versioning was ever set have one. */
  static String eventVersionId(Bucket bucket, StoredObject o) {
    return bucket.versioning() != null || o.versionId() != null ? o.shownVersionId() : null;
  }

  /** A versionId parameter S3 would accept: {@code null} or one of ours; otherwise InvalidArgument, as S3 answers. */
  static String requireWellFormed(String versionId) {
    if (versionId != null && !versionId.equals("null") && seqOf(versionId) < 0) {
      throw S3Errors.invalidArgument("Invalid version id specified", "versionId", versionId);
    }
    return versionId;
  }

  /** The seq a version id names, or -1 when it is not one of ours. */
  static long seqOf(String versionId) {
    if (versionId.length() != 32) return -1;
    for (int i = 16; i < 32; i++) {
      char c = versionId.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_') return -1;
    }
    try {
      long inverted = HexFormat.fromHexDigitsToLong(versionId, 0, 16);
      return inverted < 0 ? -1 : Long.MAX_VALUE - inverted;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /**
   * Milliseconds times 1000 plus a counter, strictly increasing on this node and above the key's
   * current version ({@code floor}), so a key's versions keep their order and stay distinct across
   * restarts and failovers whatever the clocks do.
   */
  private long nextSeq(long floor) {
    lastSeq = Math.max(Math.max(lastSeq + 1, clock.millis() * 1000), floor + 1);
    return lastSeq;
  }

  private String newId(long seq) {
    return idOf(seq, random);
  }

  static String idOf(long seq, java.util.random.RandomGenerator random) {
    StringBuilder id = new StringBuilder(32).append(HexFormat.of().toHexDigits(Long.MAX_VALUE - seq));
    for (int i = 0; i < 16; i++) id.append(URL_SAFE[random.nextInt(URL_SAFE.length)]);
    return id.toString();
  }
}
