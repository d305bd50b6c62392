package io.eventplane.broker.topic.store;

import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.TopicArn;
import io.eventplane.broker.topic.mobile.PlatformApplication;
import io.eventplane.broker.topic.mobile.SmsAccount;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where topics live in the node's store (column family {@value #COLUMN_FAMILY}), every key
 * starting with the topic's partition:
 *
 * <pre>
 *   P T account \0 region \0 name    -> topic with its subscriptions (JSON)
 *   P m seq                          -> notification to deliver (JSON)
 *   P d seq \0 subscriptionArn       -> pending delivery: attempts so far (JSON)
 *   P X account \0 region \0 topic \0 dedupId -> FIFO deduplication: message id and expiry (JSON)
 *   P c                              -> the partition's last notification sequence (8 bytes)
 *   P A account \0 region \0 app/Platform/Name -> platform application with its endpoints (JSON)
 *   P S account \0 region                       -> the account's SMS settings, opt-outs, sandbox numbers (JSON)
 *   P R seq                                     -> a push or SMS message recorded instead of sent (JSON)
 * </pre>
 *
 * A platform application lives in the partition of {@code "app/" + platform + "/" + name} (see
 * {@code PlatformArn.partition}), an account's SMS record in the partition of {@code "sms"}, both
 * hashed like a topic's name; a recorded message lives in the partition whose lane made the
 * delivery (the endpoint's application, the topic of an SMS subscription, the account's SMS
 * partition for a direct SMS) and takes the partition's notification sequence.
 *
 * Before topics had regions in their keys, topics and deduplication ids were {@code P t account \0 name}
 * and {@code P x account \0 topic \0 dedupId}; {@link #migrate} rewrites them when a node starts.
 *
 * The outbox is the {@code m} and {@code d} keys: a publish writes the notification and one
 * pending delivery per matching subscription in one batch; a delivery's end deletes its key, and
 * the last one the notification's.
 */
public final class TopicStore {
  public static final String COLUMN_FAMILY = "sns";
  private static final byte TOPIC = 'T';
  private static final byte LEGACY_TOPIC = 't';
  private static final byte LEGACY_DEDUP = 'x';
  private static final byte MESSAGE = 'm';
  private static final byte DELIVERY = 'd';
  private static final byte DEDUP = 'X';
  private static final byte SEQUENCE = 'c';
  private static final byte APPLICATION = 'A';
  private static final byte SMS = 'S';
  private static final byte SENT = 'R';

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public TopicStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  public Batch batch() {
    return store.batch();
  }

  /** Commits through the partition's writer; completes on {@code context} (see {@link PartitionWriter}). */
  public Future<Void> commit(int partition, Batch batch, Context context) {
    return writer.commit(partition, batch, context);
  }

  public void putTopic(Batch b, int partition, Topic t) {
    JsonObject json = t.toJson();
    JsonArray subs = new JsonArray();
    for (Subscription s : t.subscriptions().values()) subs.add(s.toJson());
    json.put("subscriptions", subs);
    if (!t.deactivated().isEmpty()) {
      JsonArray deactivated = new JsonArray();
      for (Subscription s : t.deactivated().values()) deactivated.add(s.toJson());
      json.put("deactivated", deactivated);
    }
    b.put(cf, topicKey(partition, t.arn()), json.toBuffer().getBytes());
  }

  public void deleteTopic(Batch b, int partition, Topic t) {
    b.delete(cf, topicKey(partition, t.arn()));
    b.deletePrefix(cf, Keys.builder(64).bytes(Partitions.prefix(partition)).u8(DEDUP).part(t.accountId())
        .part(t.arn().region()).part(t.name()).build());
  }

  public void putNotification(Batch b, int partition, Notification n) {
    b.put(cf, messageKey(partition, n.seq()), n.toJson().toBuffer().getBytes());
  }

  public void deleteNotification(Batch b, int partition, long seq) {
    b.delete(cf, messageKey(partition, seq));
  }

  public void putDelivery(Batch b, int partition, long seq, String subscriptionArn, int attempts) {
    b.put(cf, deliveryKey(partition, seq, subscriptionArn), new JsonObject().put("attempts", attempts).toBuffer().getBytes());
  }

  public void deleteDelivery(Batch b, int partition, long seq, String subscriptionArn) {
    b.delete(cf, deliveryKey(partition, seq, subscriptionArn));
  }

  public void putDedup(Batch b, int partition, TopicArn topic, String dedupId, String messageId, long seq, long expiresAt) {
    b.put(cf, dedupKey(partition, topic, dedupId),
        new JsonObject().put("messageId", messageId).put("seq", seq).put("expiresAt", expiresAt).toBuffer().getBytes());
  }

  public void deleteDedup(Batch b, int partition, TopicArn topic, String dedupId) {
    b.delete(cf, dedupKey(partition, topic, dedupId));
  }

  /** The partition's sequence high-water mark, so FIFO sequence numbers keep rising across restarts. */
  public void putSequence(Batch b, int partition, long seq) {
    b.put(cf, kind(Partitions.prefix(partition), SEQUENCE), java.nio.ByteBuffer.allocate(8).putLong(seq).array());
  }

  public void putApplication(Batch b, int partition, PlatformApplication app) {
    b.put(cf, applicationKey(partition, app), app.toJson().toBuffer().getBytes());
  }

  public void deleteApplication(Batch b, int partition, PlatformApplication app) {
    b.delete(cf, applicationKey(partition, app));
  }

  public void putSmsAccount(Batch b, int partition, SmsAccount account) {
    b.put(cf, Keys.builder(32).bytes(Partitions.prefix(partition)).u8(SMS).part(account.account()).string(account.region()).build(),
        account.toJson().toBuffer().getBytes());
  }

  public void putSent(Batch b, int partition, long seq, JsonObject record) {
    b.put(cf, sentKey(partition, seq), record.toBuffer().getBytes());
  }

  public void deleteSent(Batch b, int partition, long seq) {
    b.delete(cf, sentKey(partition, seq));
  }

  /** Deletes every key of the partition (dev-mode reset). */
  public void clearPartition(Batch b, int partition) {
    b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
  }

  /** A pending delivery as stored. */
  public record PendingDelivery(long seq, String subscriptionArn, int attempts) {}

  /** A FIFO deduplication entry as stored. */
  public record DedupRecord(String account, String region, String topic, String dedupId, String messageId, long seq, long expiresAt) {}

  /** A recorded (not sent) push or SMS message as stored. */
  public record SentRecord(long seq, JsonObject record) {}

  /** Everything of one partition, read when this node takes it. Blocking. */
  public record Snapshot(List<Topic> topics, Map<Long, Notification> notifications, List<PendingDelivery> deliveries,
      List<DedupRecord> dedup, long lastSequence, List<PlatformApplication> applications, List<SmsAccount> smsAccounts,
      List<SentRecord> sent) {}

  public Snapshot load(int partition) {
    byte[] p = Partitions.prefix(partition);
    List<Topic> topics = new ArrayList<>();
    store.scan(cf, kind(p, TOPIC), (k, v) -> {
      JsonObject j = new JsonObject(Buffer.buffer(v));
      Topic t = Topic.fromJson(j);
      for (Object s : j.getJsonArray("subscriptions", new JsonArray())) {
        Subscription sub = Subscription.fromJson((JsonObject) s);
        t.subscriptions().put(sub.arn(), sub);
      }
      for (Object s : j.getJsonArray("deactivated", new JsonArray())) {
        Subscription sub = Subscription.fromJson((JsonObject) s);
        t.deactivated().put(sub.arn(), sub);
      }
      topics.add(t);
      return true;
    });
    Map<Long, Notification> notifications = new LinkedHashMap<>();
    store.scan(cf, kind(p, MESSAGE), (k, v) -> {
      Notification n = Notification.fromJson(new JsonObject(Buffer.buffer(v)));
      notifications.put(n.seq(), n);
      return true;
    });
    List<PendingDelivery> deliveries = new ArrayList<>();
    store.scan(cf, kind(p, DELIVERY), (k, v) -> {
      long seq = Keys.readLong(k, 3);
      String arn = new String(k, 12, k.length - 12, StandardCharsets.UTF_8);
      deliveries.add(new PendingDelivery(seq, arn, new JsonObject(Buffer.buffer(v)).getInteger("attempts", 0)));
      return true;
    });
    List<DedupRecord> dedup = new ArrayList<>();
    store.scan(cf, kind(p, DEDUP), (k, v) -> {
      String[] parts = new String(k, 3, k.length - 3, StandardCharsets.UTF_8).split("\0", 4);
      JsonObject j = new JsonObject(Buffer.buffer(v));
      if (parts.length == 4) {
        dedup.add(new DedupRecord(parts[0], parts[1], parts[2], parts[3], j.getString("messageId"), j.getLong("seq"),
            j.getLong("expiresAt")));
      }
      return true;
    });
    List<PlatformApplication> applications = new ArrayList<>();
    store.scan(cf, kind(p, APPLICATION), (k, v) -> {
      applications.add(PlatformApplication.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    List<SmsAccount> smsAccounts = new ArrayList<>();
    store.scan(cf, kind(p, SMS), (k, v) -> {
      smsAccounts.add(SmsAccount.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    List<SentRecord> sent = new ArrayList<>();
    store.scan(cf, kind(p, SENT), (k, v) -> {
      sent.add(new SentRecord(Keys.readLong(k, 3), new JsonObject(Buffer.buffer(v))));
      return true;
    });
    byte[] last = store.get(cf, kind(p, SEQUENCE));
    long lastSequence = last == null ? 0 : java.nio.ByteBuffer.wrap(last).getLong();
    for (long seq : notifications.keySet()) lastSequence = Math.max(lastSequence, seq);
    for (SentRecord r : sent) lastSequence = Math.max(lastSequence, r.seq());
    return new Snapshot(topics, notifications, deliveries, dedup, lastSequence, applications, smsAccounts, sent);
  }

  private static byte[] kind(byte[] partitionPrefix, byte kind) {
    return new byte[] {partitionPrefix[0], partitionPrefix[1], kind};
  }

  private static byte[] topicKey(int partition, TopicArn arn) {
    return Keys.builder(56).bytes(Partitions.prefix(partition)).u8(TOPIC).part(arn.accountId()).part(arn.region())
        .string(arn.name()).build();
  }

  /**
   * Rewrites topics and deduplication ids stored before their keys had regions: a topic keeps the
   * region of its ARN, a deduplication id takes {@code region} (the node's configured one, which
   * every topic was created in then). Runs when the node starts, before any service, on every
   * node alike. Blocking; idempotent.
   */
  public static void migrate(Store store, String region) {
    ColumnFamily cf = store.columnFamily(COLUMN_FAMILY);
    try (Batch b = store.batch()) {
      for (int partition = 0; partition < Partitions.COUNT; partition++) {
        byte[] p = Partitions.prefix(partition);
        int part = partition;
        store.scan(cf, kind(p, LEGACY_TOPIC), (k, v) -> {
          Topic t = Topic.fromJson(new JsonObject(Buffer.buffer(v)));
          b.delete(cf, k);
          b.put(cf, topicKey(part, t.arn()), v);
          return true;
        });
        store.scan(cf, kind(p, LEGACY_DEDUP), (k, v) -> {
          String[] parts = new String(k, 3, k.length - 3, StandardCharsets.UTF_8).split("\0", 3);
          b.delete(cf, k);
          if (parts.length == 3) b.put(cf, dedupKey(part, new TopicArn(region, parts[0], parts[1]), parts[2]), v);
          return true;
        });
      }
      if (!b.isEmpty()) store.commit(b).join();
    }
  }

  private static byte[] applicationKey(int partition, PlatformApplication app) {
    return Keys.builder(64).bytes(Partitions.prefix(partition)).u8(APPLICATION).part(app.arn().accountId())
        .part(app.arn().region()).string(app.arn().applicationKey()).build();
  }

  private static byte[] sentKey(int partition, long seq) {
    return Keys.builder(11).bytes(Partitions.prefix(partition)).u8(SENT).u64(seq).build();
  }

  private static byte[] messageKey(int partition, long seq) {
    return Keys.builder(11).bytes(Partitions.prefix(partition)).u8(MESSAGE).u64(seq).build();
  }

  private static byte[] deliveryKey(int partition, long seq, String subscriptionArn) {
    return Keys.builder(12 + subscriptionArn.length()).bytes(Partitions.prefix(partition)).u8(DELIVERY).u64(seq)
        .u8(0).string(subscriptionArn).build();
  }

  private static byte[] dedupKey(int partition, TopicArn topic, String dedupId) {
    return Keys.builder(80).bytes(Partitions.prefix(partition)).u8(DEDUP).part(topic.accountId()).part(topic.region())
        .part(topic.name()).string(dedupId).build();
  }

}
