package io.eventplane.broker.topic.mobile;

import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.broker.topic.store.TopicStore;
import io.eventplane.common.store.Batch;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The platform applications (with their endpoints), the accounts' SMS records and the recorded
 * push and SMS messages of the partitions one SNS lane owns, in memory, written through
 * {@link TopicStore} in the same partitions (so they are replicated, fail over and survive a
 * kill -9 like topics). One instance per lane, next to its {@link Topics}, whose partition
 * sequence and commits it shares; every method runs on the lane's thread (checked under
 * {@code assert} by {@link Topics}).
 */
public final class MobileState {
  /**
   * Recorded messages kept per partition (64 partitions: at most 64,000 in all), so that a
   * long-running server that is never cleared does not grow without bound.
   */
  static final int RECORDED_PER_PARTITION = 1_000;

  private final Topics topics;
  private final TopicStore store;
  /** By ARN, sorted so that listings are stable. */
  private final TreeMap<String, PlatformApplication> applications = new TreeMap<>();
  private final Map<String, SmsAccount> smsAccounts = new HashMap<>();
  /** Recorded messages by partition, in sequence order. */
  private final Map<Integer, TreeMap<Long, JsonObject>> sent = new HashMap<>();
  private final Map<Integer, Set<String>> applicationsByPartition = new HashMap<>();
  private final Map<Integer, Set<String>> smsByPartition = new HashMap<>();

  public MobileState(Topics topics) {
    this.topics = topics;
    this.store = topics.store();
  }

  /** Takes the partition's applications, SMS records and recorded messages from its snapshot. */
  public void load(int partition, TopicStore.Snapshot snapshot) {
    for (PlatformApplication a : snapshot.applications()) {
      applications.put(a.arnString(), a);
      applicationsByPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(a.arnString());
    }
    for (SmsAccount a : snapshot.smsAccounts()) {
      smsAccounts.put(smsKey(a.account(), a.region()), a);
      smsByPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(smsKey(a.account(), a.region()));
    }
    TreeMap<Long, JsonObject> records = sent.computeIfAbsent(partition, p -> new TreeMap<>());
    for (TopicStore.SentRecord r : snapshot.sent()) records.put(r.seq(), r.record());
  }

  public void unload(int partition) {
    Set<String> arns = applicationsByPartition.remove(partition);
    if (arns != null) arns.forEach(applications::remove);
    Set<String> keys = smsByPartition.remove(partition);
    if (keys != null) keys.forEach(smsAccounts::remove);
    sent.remove(partition);
  }

  /** Forgets everything (dev-mode reset; the keys go with the partitions' range delete). */
  public void clear() {
    applications.clear();
    smsAccounts.clear();
    sent.clear();
    applicationsByPartition.clear();
    smsByPartition.clear();
  }

  public PlatformApplication application(String arn) {
    return applications.get(arn);
  }

  /** The applications of an account and region held here, in ARN order. */
  public List<PlatformApplication> applications(String account, String region) {
    List<PlatformApplication> out = new ArrayList<>();
    for (PlatformApplication a : applications.values()) {
      if (a.arn().accountId().equals(account) && a.arn().region().equals(region)) out.add(a);
    }
    return out;
  }

  public Future<Void> saveApplication(PlatformApplication app) {
    int partition = app.arn().partition();
    applications.put(app.arnString(), app);
    applicationsByPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(app.arnString());
    Batch b = store.batch();
    store.putApplication(b, partition, app);
    return topics.commit(partition, b);
  }

  public Future<Void> deleteApplication(PlatformApplication app) {
    int partition = app.arn().partition();
    applications.remove(app.arnString());
    Set<String> arns = applicationsByPartition.get(partition);
    if (arns != null) arns.remove(app.arnString());
    Batch b = store.batch();
    store.deleteApplication(b, partition, app);
    return topics.commit(partition, b);
  }

  /** The account's SMS record in a region, made empty (not stored) if it has none yet. */
  public SmsAccount sms(String account, String region) {
    smsByPartition.computeIfAbsent(PlatformArn.smsPartition(account), p -> new HashSet<>()).add(smsKey(account, region));
    return smsAccounts.computeIfAbsent(smsKey(account, region), k -> new SmsAccount(account, region));
  }

  public Future<Void> saveSms(SmsAccount account) {
    int partition = PlatformArn.smsPartition(account.account());
    Batch b = store.batch();
    store.putSmsAccount(b, partition, account);
    return topics.commit(partition, b);
  }

  /**
   * Adds a recorded message to a batch of the partition (the caller commits it). The record
   * carries its own kind, account, region and target, which the listings filter on.
   */
  public void record(Batch b, int partition, JsonObject record) {
    long seq = topics.nextSequence(partition);
    store.putSequence(b, partition, seq);
    store.putSent(b, partition, seq, record);
    TreeMap<Long, JsonObject> records = sent.computeIfAbsent(partition, p -> new TreeMap<>());
    records.put(seq, record);
    // Bounded: the oldest go in the same batch once a partition holds RECORDED_PER_PARTITION.
    while (records.size() > RECORDED_PER_PARTITION) store.deleteSent(b, partition, records.pollFirstEntry().getKey());
  }

  /** Records one message in a batch of its own. */
  public Future<Void> record(int partition, JsonObject record) {
    Batch b = store.batch();
    record(b, partition, record);
    return topics.commit(partition, b);
  }

  /** The recorded messages held here that match, oldest first per partition. */
  public List<JsonObject> recorded(Predicate<JsonObject> matches) {
    List<JsonObject> out = new ArrayList<>();
    for (TreeMap<Long, JsonObject> records : sent.values()) {
      for (JsonObject r : records.values()) if (matches.test(r)) out.add(r);
    }
    return out;
  }

  /** Deletes the recorded messages held here that match; completes with how many. */
  public Future<Integer> clearRecorded(Predicate<JsonObject> matches) {
    List<Future<Void>> commits = new ArrayList<>();
    int count = 0;
    for (Map.Entry<Integer, TreeMap<Long, JsonObject>> e : sent.entrySet()) {
      Batch b = null;
      for (var it = e.getValue().entrySet().iterator(); it.hasNext(); ) {
        var r = it.next();
        if (!matches.test(r.getValue())) continue;
        if (b == null) b = store.batch();
        store.deleteSent(b, e.getKey(), r.getKey());
        it.remove();
        count++;
      }
      if (b != null) commits.add(topics.commit(e.getKey(), b));
    }
    int deleted = count;
    return Future.all(commits).map(v -> deleted);
  }

  private static String smsKey(String account, String region) {
    return account + "\u0000" + region;
  }
}
