package io.eventplane.broker.queue.store;

import io.eventplane.broker.queue.domain.DedupEntry;
import io.eventplane.broker.queue.domain.MessageState;
import io.eventplane.broker.queue.domain.MoveTask;
import io.eventplane.broker.queue.domain.QueueRecord;
import io.eventplane.broker.queue.domain.StoredMessage;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where queues live in the node's store (column family {@value #COLUMN_FAMILY}). Every key starts
 * with the queue's partition (two bytes, see {@link Partitions}), so a partition is one key range.
 * Key layout, all byte-ordered:
 *
 * <pre>
 *   P Q account \0 region \0 name -> queue definition (JSON)
 *   P X account \0 region \0 name -> deleted-at millis (for QueueDeletedRecently)
 *   P m queueId seq              -> message (binary, with body)
 *   P s queueId seq              -> delivery state (binary, small: loaded when the partition is)
 *   P d queueId dedupKey         -> FIFO deduplication entry
 *   P t taskHandle               -> message move task (JSON), in the source queue's partition
 * </pre>
 *
 * Before queues had regions the two were {@code P q account \0 name} and {@code P x account \0 name};
 * {@link #migrate} rewrites those into the configured region when a node starts.
 *
 * A queue id carries its partition in its top bits ({@link #partitionOf(long)}). Writers add to a
 * {@link Batch} confined to one partition; reads block and run off the event loop.
 */
public final class QueueStore {
  public static final String COLUMN_FAMILY = "sqs";
  private static final byte QUEUE = 'Q';
  private static final byte DELETED = 'X';
  private static final byte LEGACY_QUEUE = 'q';
  private static final byte LEGACY_DELETED = 'x';
  private static final byte MESSAGE = 'm';
  private static final byte STATE = 's';
  private static final byte DEDUP = 'd';
  private static final byte TASK = 't';

  private static final int QUEUE_ID_SHIFT = 40;

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public QueueStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  /** The partition a queue id belongs to. */
  public static int partitionOf(long queueId) {
    return (int) (queueId >>> QUEUE_ID_SHIFT);
  }

  /** The n-th queue id of a partition. */
  public static long queueId(int partition, long n) {
    return ((long) partition << QUEUE_ID_SHIFT) | n;
  }

  public Batch batch() {
    return store.batch();
  }

  /** Commits through the partition's writer; completes on {@code context} (see {@link PartitionWriter}). */
  public Future<Void> commit(int partition, Batch batch, Context context) {
    return writer.commit(partition, batch, context);
  }

  public void putQueue(Batch b, QueueRecord q) {
    int p = partitionOf(q.id());
    b.put(cf, queueKey(p, q.accountId(), q.region(), q.name()), encodeQueue(q));
    b.delete(cf, deletedKey(p, q.accountId(), q.region(), q.name()));
  }

  public void deleteQueue(Batch b, QueueRecord q, long deletedAt) {
    int p = partitionOf(q.id());
    b.delete(cf, queueKey(p, q.accountId(), q.region(), q.name()));
    b.put(cf, deletedKey(p, q.accountId(), q.region(), q.name()), ByteBuffer.allocate(8).putLong(deletedAt).array());
    deleteAllMessages(b, q.id());
    b.deletePrefix(cf, queuePrefix(DEDUP, q.id()));
  }

  /** Deletes every key of the partition (dev-mode reset). */
  public Batch clearPartition(Batch b, int partition) {
    return b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
  }

  /** Puts the message and its state; returns the message's stored form (what a cache may keep). */
  public byte[] putMessage(Batch b, long queueId, StoredMessage m, MessageState s) {
    byte[] stored = MessageCodec.encode(m);
    b.put(cf, messageKey(MESSAGE, queueId, s.seq()), stored);
    putState(b, queueId, s);
    return stored;
  }

  public void putState(Batch b, long queueId, MessageState s) {
    b.put(cf, messageKey(STATE, queueId, s.seq()), MessageCodec.encodeState(s));
  }

  public void deleteMessage(Batch b, long queueId, long seq) {
    b.delete(cf, messageKey(MESSAGE, queueId, seq));
    b.delete(cf, messageKey(STATE, queueId, seq));
  }

  public void deleteAllMessages(Batch b, long queueId) {
    b.deletePrefix(cf, queuePrefix(MESSAGE, queueId));
    b.deletePrefix(cf, queuePrefix(STATE, queueId));
  }

  public void putDedup(Batch b, long queueId, String dedupKey, DedupEntry e) {
    byte[] id = e.messageId().getBytes(StandardCharsets.UTF_8);
    b.put(cf, dedupKey(queueId, dedupKey), ByteBuffer.allocate(16 + id.length).putLong(e.expiresAt()).putLong(e.seq()).put(id).array());
  }

  public void deleteDedup(Batch b, long queueId, String dedupKey) {
    b.delete(cf, dedupKey(queueId, dedupKey));
  }

  public void putMoveTask(Batch b, int partition, MoveTask t) {
    JsonObject json = new JsonObject()
        .put("taskHandle", t.taskHandle()).put("sourceArn", t.sourceArn()).put("destinationArn", t.destinationArn())
        .put("maxPerSecond", t.maxPerSecond()).put("status", t.status()).put("moved", t.moved()).put("toMove", t.toMove())
        .put("startedTimestamp", t.startedTimestamp()).put("failureReason", t.failureReason()).put("lastSeq", t.lastSeq());
    b.put(cf, Keys.builder(40).bytes(Partitions.prefix(partition)).u8(TASK).string(t.taskHandle()).build(),
        json.toBuffer().getBytes());
  }

  /** Reads messages by sequence; a missing one (deleted meanwhile) comes back null. Blocking. */
  /**
   * Messages by sequence, null where gone; read on {@code context} where RocksDB has them in memory,
   * the rest on a worker in one multiGet (see {@link Store#multiGetMemoryFirst}).
   */
  public Future<List<StoredMessage>> readMessages(long queueId, List<Long> seqs, Context context) {
    List<byte[]> keys = new ArrayList<>(seqs.size());
    for (long seq : seqs) keys.add(messageKey(MESSAGE, queueId, seq));
    return store.multiGetMemoryFirst(cf, keys, context).map(values -> {
      List<StoredMessage> out = new ArrayList<>(values.size());
      for (byte[] v : values) out.add(v == null ? null : MessageCodec.decode(v));
      return out;
    });
  }

  /** Everything the queue service keeps in memory for one partition, read when it takes the partition. Blocking. */
  public Snapshot load(int partition) {
    byte[] p = Partitions.prefix(partition);
    Map<String, QueueRecord> queues = new LinkedHashMap<>();
    store.scan(cf, kind(p, QUEUE), (k, v) -> {
      QueueRecord q = decodeQueue(v, null);
      queues.put(q.accountId() + '/' + q.region() + '/' + q.name(), q);
      return true;
    });
    Map<String, Long> deleted = new HashMap<>();
    store.scan(cf, kind(p, DELETED), (k, v) -> {
      String rest = new String(k, 3, k.length - 3, StandardCharsets.UTF_8);
      deleted.put(rest.replace('\0', '/'), ByteBuffer.wrap(v).getLong());
      return true;
    });
    Map<Long, List<MessageState>> states = new HashMap<>();
    store.scan(cf, kind(p, STATE), (k, v) -> {
      long qid = Keys.readLong(k, 3);
      long seq = Keys.readLong(k, 11);
      states.computeIfAbsent(qid, x -> new ArrayList<>()).add(MessageCodec.decodeState(seq, v));
      return true;
    });
    Map<Long, Map<String, DedupEntry>> dedup = new HashMap<>();
    store.scan(cf, kind(p, DEDUP), (k, v) -> {
      long qid = Keys.readLong(k, 3);
      String key = new String(k, 11, k.length - 11, StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.wrap(v);
      long expiresAt = b.getLong();
      long seq = b.getLong();
      String messageId = new String(v, 16, v.length - 16, StandardCharsets.UTF_8);
      dedup.computeIfAbsent(qid, x -> new LinkedHashMap<>()).put(key, new DedupEntry(messageId, seq, expiresAt));
      return true;
    });
    List<MoveTask> tasks = new ArrayList<>();
    store.scan(cf, kind(p, TASK), (k, v) -> {
      JsonObject j = new JsonObject(Buffer.buffer(v));
      tasks.add(new MoveTask(j.getString("taskHandle"), j.getString("sourceArn"), j.getString("destinationArn"),
          j.getInteger("maxPerSecond"), j.getString("status"), j.getLong("moved"), j.getLong("toMove"),
          j.getLong("startedTimestamp"), j.getString("failureReason"), j.getLong("lastSeq")));
      return true;
    });
    return new Snapshot(queues, deleted, states, dedup, tasks);
  }

  /** @param deleted deleted-at by "account/region/name" */
  public record Snapshot(
      Map<String, QueueRecord> queues,
      Map<String, Long> deleted,
      Map<Long, List<MessageState>> states,
      Map<Long, Map<String, DedupEntry>> dedup,
      List<MoveTask> moveTasks) {}

  private static byte[] kind(byte[] partitionPrefix, byte kind) {
    return new byte[] {partitionPrefix[0], partitionPrefix[1], kind};
  }

  private static byte[] queueKey(int partition, String account, String region, String name) {
    return Keys.builder(48).bytes(Partitions.prefix(partition)).u8(QUEUE).part(account).part(region).string(name).build();
  }

  private static byte[] deletedKey(int partition, String account, String region, String name) {
    return Keys.builder(48).bytes(Partitions.prefix(partition)).u8(DELETED).part(account).part(region).string(name).build();
  }

  /**
   * Rewrites queues stored before queues had regions into {@code region} (the node's configured
   * one), every partition of the local store, in one batch. Runs when the node starts, before any
   * service: every node holds the same data and rewrites it the same way, so replicas stay equal.
   * Blocking; idempotent (a store without old keys is left alone).
   */
  public static void migrate(Store store, String region) {
    ColumnFamily cf = store.columnFamily(COLUMN_FAMILY);
    try (Batch b = store.batch()) {
      for (int partition = 0; partition < Partitions.COUNT; partition++) {
        byte[] p = Partitions.prefix(partition);
        int part = partition;
        store.scan(cf, kind(p, LEGACY_QUEUE), (k, v) -> {
          QueueRecord q = decodeQueue(v, region);
          b.delete(cf, k);
          b.put(cf, queueKey(part, q.accountId(), region, q.name()), encodeQueue(q));
          return true;
        });
        store.scan(cf, kind(p, LEGACY_DELETED), (k, v) -> {
          String[] accountAndName = new String(k, 3, k.length - 3, StandardCharsets.UTF_8).split("\0", 2);
          b.delete(cf, k);
          b.put(cf, deletedKey(part, accountAndName[0], region, accountAndName[1]), v);
          return true;
        });
      }
      if (!b.isEmpty()) store.commit(b).join();
    }
  }

  private static byte[] queuePrefix(byte kind, long queueId) {
    return Keys.builder(11).bytes(Partitions.prefix(partitionOf(queueId))).u8(kind).u64(queueId).build();
  }

  private static byte[] messageKey(byte kind, long queueId, long seq) {
    return Keys.builder(19).bytes(Partitions.prefix(partitionOf(queueId))).u8(kind).u64(queueId).u64(seq).build();
  }

  private static byte[] dedupKey(long queueId, String key) {
    return Keys.builder(11 + key.length()).bytes(Partitions.prefix(partitionOf(queueId))).u8(DEDUP).u64(queueId).string(key).build();
  }

  private static byte[] encodeQueue(QueueRecord q) {
    JsonObject attrs = new JsonObject();
    q.attributes().forEach(attrs::put);
    JsonObject tags = new JsonObject();
    q.tags().forEach(tags::put);
    return new JsonObject().put("id", q.id()).put("accountId", q.accountId()).put("region", q.region()).put("name", q.name())
        .put("created", q.createdTimestamp()).put("modified", q.lastModifiedTimestamp())
        .put("attributes", attrs).put("tags", tags).toBuffer().getBytes();
  }

  /** @param legacyRegion the region of a record written before records had one */
  private static QueueRecord decodeQueue(byte[] v, String legacyRegion) {
    JsonObject j = new JsonObject(Buffer.buffer(v));
    Map<String, String> attrs = new HashMap<>();
    j.getJsonObject("attributes").forEach(e -> attrs.put(e.getKey(), String.valueOf(e.getValue())));
    Map<String, String> tags = new HashMap<>();
    j.getJsonObject("tags").forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    return new QueueRecord(j.getLong("id"), j.getString("accountId"), j.getString("region", legacyRegion), j.getString("name"),
        j.getLong("created"),
        j.getLong("modified"), attrs, tags);
  }
}
