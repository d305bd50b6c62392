package io.eventplane.storage.store;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Part;
import io.eventplane.storage.domain.StoredObject;
import io.eventplane.storage.domain.Upload;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where buckets and object metadata live in the node's store (column family {@value #COLUMN_FAMILY}),
 * every key starting with the bucket's partition (object bytes are blob files, see {@code BlobFiles}):
 *
 * <pre>
 *   P B bucket                        -> bucket (JSON)
 *   P O bucket \0 key                 -> the key's current version (or only object): metadata with its blob ids (JSON)
 *   P V bucket \0 key \0 ~seq(8)      -> a noncurrent version of the key (JSON), newest first ({@code ~seq} is
 *                                        {@code Long.MAX_VALUE - seq}, so a key's versions scan newest to oldest)
 *   P U uploadId                      -> multipart upload in progress (JSON)
 *   P R uploadId \0 partNumber(4)     -> an uploaded part (JSON)
 *   P N seq(8)                        -> a bucket notification not yet delivered (JSON): the outbox
 *   P C                               -> the partition's last notification sequence (8 bytes)
 *   P W due(8) kind bucket \0 key      -> a scheduled step of an object's life (JSON): a restore that
 *                                        completes, a restored copy that expires; due first so the due
 *                                        entries are one range scan
 *   P X seq(8)                        -> an object not yet copied to a replication destination (JSON): the
 *                                        replication outbox, numbered from the notification sequence
 * </pre>
 *
 * A key of a versioned bucket has its current version (which may be a delete marker) under {@code O},
 * where unversioned buckets keep their objects, and its older versions under {@code V}; a key has
 * {@code V} entries only while it has an {@code O} entry (deleting the current version promotes the
 * newest noncurrent one), so listings walk {@code O} and look up each key's {@code V} entries.
 *
 * Reads block and run off the event loop; writes go through the partition writer (replicated when clustered).
 */
public final class ObjectStore {
  public static final String COLUMN_FAMILY = "s3";
  private static final byte BUCKET = 'B';
  private static final byte OBJECT = 'O';
  private static final byte UPLOAD = 'U';
  private static final byte PART = 'R';
  private static final byte VERSION = 'V';
  private static final byte NOTICE = 'N';
  private static final byte SEQUENCE = 'C';
  private static final byte SCHEDULE = 'W';
  private static final byte REPLICATION_TASK = 'X';

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public ObjectStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  /** Buckets are named globally, so a bucket's partition depends on its name only. */
  public static int partitionOf(String bucket) {
    return Partitions.of("s3", "", bucket);
  }

  public Batch batch() {
    return store.batch();
  }

  /** Commits through the partition's writer; completes on {@code context} (see {@link PartitionWriter}). */
  public Future<Void> commit(int partition, Batch b, Context context) {
    return writer.commit(partition, b, context);
  }

  public void putBucket(Batch b, Bucket bucket) {
    b.put(cf, bucketKey(bucket.name()), bucket.toJson().toBuffer().getBytes());
  }

  public void deleteBucket(Batch b, String bucket) {
    b.delete(cf, bucketKey(bucket));
  }

  /** The partition's buckets. Blocking. */
  public List<Bucket> loadBuckets(int partition) {
    List<Bucket> out = new ArrayList<>();
    store.scan(cf, kind(partition, BUCKET), (k, v) -> {
      out.add(Bucket.fromJson(json(v)));
      return true;
    });
    return out;
  }

  public void putObject(Batch b, String bucket, StoredObject o) {
    b.put(cf, objectKey(bucket, o.key()), o.toJson().toBuffer().getBytes());
  }

  public void deleteObject(Batch b, String bucket, String key) {
    b.delete(cf, objectKey(bucket, key));
  }

  /** The object, or null. Blocking. */
  public StoredObject getObject(String bucket, String key) {
    byte[] v = store.get(cf, objectKey(bucket, key));
    return v == null ? null : StoredObject.fromJson(json(v));
  }

  /** {@link #getObject}, read on {@code context} where RocksDB has it in memory, else on a worker. */
  public Future<StoredObject> getObject(String bucket, String key, Context context) {
    return store.getMemoryFirst(cf, objectKey(bucket, key), context).map(v -> v == null ? null : StoredObject.fromJson(json(v)));
  }

  /**
   * Objects of the bucket whose keys start with {@code prefix} and sort after {@code after}, in key
   * order, until {@code visitor} says stop. Blocking.
   */
  public void scanObjects(String bucket, String prefix, String after, java.util.function.Predicate<StoredObject> visitor) {
    byte[] start = after == null || after.compareTo(prefix) < 0
        ? objectKey(bucket, prefix)
        : Keys.builder(64).bytes(objectKey(bucket, after)).u8(0).build();
    byte[] end = Keys.prefixEnd(objectKey(bucket, prefix));
    store.scanRange(cf, start, end, (k, v) -> visitor.test(StoredObject.fromJson(json(v))));
  }

  /** Whether the bucket holds any object, version or delete marker. Blocking. */
  public boolean hasObjects(String bucket) {
    boolean[] any = {false};
    for (byte[] prefix : new byte[][] {objectPrefix(bucket), versionsPrefix(bucket)}) {
      store.scan(cf, prefix, (k, v) -> {
        any[0] = true;
        return false;
      });
    }
    return any[0];
  }

  /** Keeps {@code o} as a noncurrent version of its key. */
  public void putVersion(Batch b, String bucket, StoredObject o) {
    b.put(cf, versionKey(bucket, o.key(), o.seq()), o.toJson().toBuffer().getBytes());
  }

  public void deleteVersion(Batch b, String bucket, StoredObject o) {
    b.delete(cf, versionKey(bucket, o.key(), o.seq()));
  }

  /** The noncurrent version of {@code key} written at {@code seq}, or null. Blocking. */
  public StoredObject getVersion(String bucket, String key, long seq) {
    byte[] v = store.get(cf, versionKey(bucket, key, seq));
    return v == null ? null : StoredObject.fromJson(json(v));
  }

  /** The noncurrent versions of {@code key}, newest first. Blocking. */
  public List<StoredObject> versions(String bucket, String key) {
    List<StoredObject> out = new ArrayList<>();
    store.scan(cf, keyVersionsPrefix(bucket, key), (k, v) -> {
      out.add(StoredObject.fromJson(json(v)));
      return true;
    });
    return out;
  }

  public void putUpload(Batch b, int partition, Upload u) {
    b.put(cf, uploadKey(partition, u.uploadId()), u.toJson().toBuffer().getBytes());
  }

  /** The upload and its parts' keys go; the parts' blobs are the caller's to delete or keep. */
  public void deleteUpload(Batch b, int partition, String uploadId) {
    b.delete(cf, uploadKey(partition, uploadId));
    b.deletePrefix(cf, partPrefix(partition, uploadId));
  }

  /** Blocking. */
  public Upload getUpload(int partition, String uploadId) {
    byte[] v = store.get(cf, uploadKey(partition, uploadId));
    return v == null ? null : Upload.fromJson(json(v));
  }

  /** The partition's uploads of a bucket, by key then initiation. Blocking. */
  public List<Upload> uploads(int partition, String bucket) {
    List<Upload> out = new ArrayList<>();
    store.scan(cf, kind(partition, UPLOAD), (k, v) -> {
      Upload u = Upload.fromJson(json(v));
      if (u.bucket().equals(bucket)) out.add(u);
      return true;
    });
    out.sort(java.util.Comparator.comparing(Upload::key).thenComparingLong(Upload::initiated));
    return out;
  }

  public void putPart(Batch b, int partition, String uploadId, Part part) {
    b.put(cf, partKey(partition, uploadId, part.number()), part.toJson().toBuffer().getBytes());
  }

  /** Blocking. */
  public Part getPart(int partition, String uploadId, int number) {
    byte[] v = store.get(cf, partKey(partition, uploadId, number));
    return v == null ? null : Part.fromJson(json(v));
  }

  /** The upload's parts in number order. Blocking. */
  public List<Part> parts(int partition, String uploadId) {
    List<Part> out = new ArrayList<>();
    store.scan(cf, partPrefix(partition, uploadId), (k, v) -> {
      out.add(Part.fromJson(json(v)));
      return true;
    });
    return out;
  }

  public void putNotice(Batch b, int partition, long seq, JsonObject notice) {
    b.put(cf, noticeKey(partition, seq), notice.toBuffer().getBytes());
    b.put(cf, kind(partition, SEQUENCE), ByteBuffer.allocate(8).putLong(seq).array());
  }

  public void deleteNotice(Batch b, int partition, long seq) {
    b.delete(cf, noticeKey(partition, seq));
  }

  /** Notices not yet delivered, oldest first, each with its {@code seq}. Blocking. */
  public List<JsonObject> notices(int partition) {
    List<JsonObject> out = new ArrayList<>();
    store.scan(cf, kind(partition, NOTICE), (k, v) -> {
      out.add(json(v).put("seq", Keys.readLong(k, 3)));
      return true;
    });
    return out;
  }

  /** Schedules {@code kind} for the object at {@code due} (epoch millis of the service's clock). */
  public void putSchedule(Batch b, String bucket, String key, char kind, long due) {
    JsonObject v = new JsonObject().put("bucket", bucket).put("key", key).put("kind", String.valueOf(kind)).put("due", due);
    b.put(cf, scheduleKey(bucket, key, kind, due), v.toBuffer().getBytes());
  }

  public void deleteSchedule(Batch b, String bucket, String key, char kind, long due) {
    b.delete(cf, scheduleKey(bucket, key, kind, due));
  }

  /** The partition's schedule entries due at or before {@code now}, earliest first (at most {@code max}). Blocking. */
  public List<JsonObject> dueSchedules(int partition, long now, int max) {
    List<JsonObject> out = new ArrayList<>();
    byte[] end = Keys.builder(12).bytes(kind(partition, SCHEDULE)).u64(now + 1).build();
    store.scanRange(cf, kind(partition, SCHEDULE), end, (k, v) -> {
      out.add(json(v));
      return out.size() < max;
    });
    return out;
  }

  /** A replication task in the write's batch; {@code seq} comes from the notification sequence, so it is saved too. */
  public void putReplicationTask(Batch b, int partition, long seq, JsonObject task) {
    b.put(cf, replicationTaskKey(partition, seq), task.toBuffer().getBytes());
    b.put(cf, kind(partition, SEQUENCE), ByteBuffer.allocate(8).putLong(seq).array());
  }

  public void deleteReplicationTask(Batch b, int partition, long seq) {
    b.delete(cf, replicationTaskKey(partition, seq));
  }

  /** Replication tasks not yet done, oldest first, each with its {@code seq}. Blocking. */
  public List<JsonObject> replicationTasks(int partition) {
    List<JsonObject> out = new ArrayList<>();
    store.scan(cf, kind(partition, REPLICATION_TASK), (k, v) -> {
      out.add(json(v).put("seq", Keys.readLong(k, 3)));
      return true;
    });
    return out;
  }

  /** Blocking. */
  public long lastSequence(int partition) {
    byte[] v = store.get(cf, kind(partition, SEQUENCE));
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  public void clearPartition(Batch b, int partition) {
    b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
  }

  /** Every blob that an object or a part of this store names (the start-up sweep keeps these). Blocking. */
  public static Set<String> referencedBlobs(Store store) {
    ColumnFamily cf = store.columnFamily(COLUMN_FAMILY);
    return referencedBlobs((prefix, visitor) -> store.scan(cf, prefix, visitor), () -> false);
  }

  /**
   * As {@link #referencedBlobs(Store)}, as of a point-in-time view (a blob referenced then is never
   * swept, whatever moves its reference later), ending early (with a partial set: do not sweep with
   * it) once {@code stop} says so.
   */
  public static Set<String> referencedBlobs(Store store, Store.StoreView view, java.util.function.BooleanSupplier stop) {
    ColumnFamily cf = store.columnFamily(COLUMN_FAMILY);
    return referencedBlobs((prefix, visitor) -> view.scanRange(cf, prefix, io.eventplane.common.store.Keys.prefixEnd(prefix), visitor),
        stop);
  }

  private interface PrefixScan {
    void scan(byte[] prefix, java.util.function.BiPredicate<byte[], byte[]> visitor);
  }

  private static Set<String> referencedBlobs(PrefixScan store, java.util.function.BooleanSupplier stop) {
    Set<String> out = new HashSet<>();
    for (int p = 0; p < Partitions.COUNT && !stop.getAsBoolean(); p++) {
      store.scan(kind(p, OBJECT), (k, v) -> {
        for (StoredObject.Segment s : StoredObject.fromJson(json(v)).segments()) out.add(s.blobId());
        return !stop.getAsBoolean();
      });
      store.scan(kind(p, VERSION), (k, v) -> {
        for (StoredObject.Segment s : StoredObject.fromJson(json(v)).segments()) out.add(s.blobId());
        return !stop.getAsBoolean();
      });
      store.scan(kind(p, PART), (k, v) -> {
        out.add(Part.fromJson(json(v)).blob().id());
        return !stop.getAsBoolean();
      });
    }
    return out;
  }

  private static JsonObject json(byte[] v) {
    return new JsonObject(Buffer.buffer(v));
  }

  private static byte[] kind(int partition, byte kind) {
    byte[] p = Partitions.prefix(partition);
    return new byte[] {p[0], p[1], kind};
  }

  private static byte[] bucketKey(String bucket) {
    return Keys.builder(68).bytes(Partitions.prefix(partitionOf(bucket))).u8(BUCKET).string(bucket).build();
  }

  private static byte[] objectPrefix(String bucket) {
    return Keys.builder(68).bytes(Partitions.prefix(partitionOf(bucket))).u8(OBJECT).part(bucket).build();
  }

  private static byte[] objectKey(String bucket, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return Keys.builder(68 + k.length).bytes(objectPrefix(bucket)).bytes(k).build();
  }

  private static byte[] versionsPrefix(String bucket) {
    return Keys.builder(68).bytes(Partitions.prefix(partitionOf(bucket))).u8(VERSION).part(bucket).build();
  }

  private static byte[] keyVersionsPrefix(String bucket, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return Keys.builder(77 + k.length).bytes(versionsPrefix(bucket)).bytes(k).u8(0).build();
  }

  private static byte[] versionKey(String bucket, String key, long seq) {
    return Keys.builder(77 + key.length() * 3).bytes(keyVersionsPrefix(bucket, key)).u64(Long.MAX_VALUE - seq).build();
  }

  private static byte[] uploadKey(int partition, String uploadId) {
    return Keys.builder(80).bytes(Partitions.prefix(partition)).u8(UPLOAD).string(uploadId).build();
  }

  private static byte[] partPrefix(int partition, String uploadId) {
    return Keys.builder(84).bytes(Partitions.prefix(partition)).u8(PART).part(uploadId).build();
  }

  private static byte[] partKey(int partition, String uploadId, int number) {
    return Keys.builder(84).bytes(partPrefix(partition, uploadId)).u8(number >>> 24).u8(number >>> 16).u8(number >>> 8)
        .u8(number).build();
  }

  private static byte[] scheduleKey(String bucket, String key, char kind, long due) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return Keys.builder(80 + k.length).bytes(Partitions.prefix(partitionOf(bucket))).u8(SCHEDULE).u64(due).u8(kind)
        .part(bucket).bytes(k).build();
  }

  private static byte[] replicationTaskKey(int partition, long seq) {
    return Keys.builder(11).bytes(Partitions.prefix(partition)).u8(REPLICATION_TASK).u64(seq).build();
  }

  private static byte[] noticeKey(int partition, long seq) {
    return Keys.builder(11).bytes(Partitions.prefix(partition)).u8(NOTICE).u64(seq).build();
  }
}
