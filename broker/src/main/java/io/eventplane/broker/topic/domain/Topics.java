package io.eventplane.broker.topic.domain;

import io.eventplane.broker.topic.store.TopicStore;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The topics of the partitions one lane of this node's SNS service owns, in memory, with what
 * must survive a restart written through {@link TopicStore}. One instance per lane; every method
 * runs on the lane's context (its event-loop thread, checked under {@code assert} at the entry
 * points, so tests catch a lane's state touched from another thread); store reads run on a worker
 * and resume on the lane. A change is applied in memory and then committed; the caller answers
 * once the commit is durable (and, clustered, on the replicas).
 */
public final class Topics {
  public static final String SERVICE = "sns";
  /** How long a FIFO deduplication id holds. */
  public static final long DEDUP_WINDOW_MILLIS = 5 * 60_000L;

  private final Vertx vertx;
  private final Context context;
  private final TopicStore store;
  /** By ARN, sorted so that listing pages are stable. */
  private final TreeMap<String, Topic> topics = new TreeMap<>();
  private final Map<Integer, Set<String>> byPartition = new HashMap<>();
  private final Map<Integer, Long> lastSequence = new HashMap<>();
  /** FIFO deduplication per topic ARN: dedup id to the message it first accepted. */
  private final Map<String, Map<String, DedupEntry>> dedup = new HashMap<>();

  /** A deduplication id's first message and when the id stops holding. */
  public record DedupEntry(String messageId, long seq, long expiresAt) {}

  /** The lane's event-loop thread: the only one that may touch this state. */
  private final Thread owner;

  /** Created on the lane's context, whose thread becomes the owner of this state. */
  public Topics(Vertx vertx, Context context, TopicStore store) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.owner = Thread.currentThread();
  }

  /** For {@code assert}: true on the owning thread, else an AssertionError that names both threads. */
  boolean onOwnerThread() {
    Thread current = Thread.currentThread();
    if (current != owner) {
      throw new AssertionError("topic state of " + owner.getName() + " touched from " + current.getName());
    }
    return true;
  }

  public static int partitionOf(String account, String name) {
    return Partitions.of(SERVICE, account, name);
  }

  public static int partitionOf(TopicArn arn) {
    return partitionOf(arn.accountId(), arn.name());
  }

  public TopicStore store() {
    return store;
  }

  /** Reads a partition's topics from the store; completes on this context with its pending deliveries. */
  public Future<TopicStore.Snapshot> load(int partition) {
    assert onOwnerThread();
    return vertx.executeBlocking(() -> store.load(partition)).map(snapshot -> {
      assert onOwnerThread();
      Set<String> arns = byPartition.computeIfAbsent(partition, p -> new HashSet<>());
      for (Topic t : snapshot.topics()) {
        topics.put(t.arnString(), t);
        arns.add(t.arnString());
      }
      lastSequence.put(partition, snapshot.lastSequence());
      for (TopicStore.DedupRecord d : snapshot.dedup()) {
        String arn = new TopicArn(d.region(), d.account(), d.topic()).toString();
        dedup.computeIfAbsent(arn, a -> new HashMap<>()).put(d.dedupId(), new DedupEntry(d.messageId(), d.seq(), d.expiresAt()));
      }
      return snapshot;
    });
  }

  public void unload(int partition) {
    assert onOwnerThread();
    Set<String> arns = byPartition.remove(partition);
    if (arns != null) {
      for (String arn : arns) {
        topics.remove(arn);
        dedup.remove(arn);
      }
    }
    lastSequence.remove(partition);
  }

  public Topic get(String arn) {
    assert onOwnerThread();
    return topics.get(arn);
  }

  /** The topic, or NotFound. */
  public Topic require(String arn) {
    assert onOwnerThread();
    Topic t = arn == null ? null : topics.get(arn);
    if (t == null) throw TopicErrors.topicNotFound();
    return t;
  }

  /** Topics of an account and region held here, in ARN order, starting after {@code after} (exclusive). */
  public List<Topic> list(String account, String region, String after, int limit) {
    assert onOwnerThread();
    List<Topic> out = new ArrayList<>();
    for (Topic t : (after == null ? topics : topics.tailMap(after, false)).values()) {
      if (!t.accountId().equals(account) || !t.arn().region().equals(region)) continue;
      out.add(t);
      if (out.size() == limit) break;
    }
    return out;
  }

  public List<Topic> all() {
    assert onOwnerThread();
    return new ArrayList<>(topics.values());
  }

  public void add(int partition, Topic t) {
    assert onOwnerThread();
    topics.put(t.arnString(), t);
    byPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(t.arnString());
  }

  public void remove(int partition, Topic t) {
    assert onOwnerThread();
    topics.remove(t.arnString());
    dedup.remove(t.arnString());
    Set<String> arns = byPartition.get(partition);
    if (arns != null) arns.remove(t.arnString());
  }

  /** The next notification sequence of a partition (kept in the publish's batch by the caller). */
  public long nextSequence(int partition) {
    assert onOwnerThread();
    long next = lastSequence.getOrDefault(partition, 0L) + 1;
    lastSequence.put(partition, next);
    return next;
  }

  /** The earlier message of a FIFO deduplication id still in its window, or null. */
  public DedupEntry duplicate(String topicArn, String dedupId, long now) {
    assert onOwnerThread();
    Map<String, DedupEntry> entries = dedup.get(topicArn);
    DedupEntry e = entries == null ? null : entries.get(dedupId);
    return e != null && e.expiresAt() > now ? e : null;
  }

  public void remember(String topicArn, String dedupId, DedupEntry e) {
    assert onOwnerThread();
    dedup.computeIfAbsent(topicArn, a -> new HashMap<>()).put(dedupId, e);
  }

  /** Drops expired deduplication ids, here and in the store. */
  public void sweep(long now) {
    assert onOwnerThread();
    for (Map.Entry<String, Map<String, DedupEntry>> e : dedup.entrySet()) {
      TopicArn arn = TopicArn.parse(e.getKey());
      if (arn == null) continue;
      int partition = partitionOf(arn);
      Batch b = null;
      for (var it = e.getValue().entrySet().iterator(); it.hasNext(); ) {
        var d = it.next();
        if (d.getValue().expiresAt() <= now) {
          if (b == null) b = store.batch();
          store.deleteDedup(b, partition, arn, d.getKey());
          it.remove();
        }
      }
      if (b != null) commit(partition, b);
    }
  }

  /** Persists the topic (with its subscriptions) as it is now. */
  public Future<Void> save(int partition, Topic t) {
    assert onOwnerThread();
    Batch b = store.batch();
    store.putTopic(b, partition, t);
    return commit(partition, b);
  }

  public Future<Void> commit(int partition, Batch b) {
    assert onOwnerThread();
    return store.commit(partition, b, context);
  }

  /** Forgets every topic held here and deletes their keys (dev-mode reset). */
  public Future<Void> clear() {
    assert onOwnerThread();
    List<Future<Void>> all = new ArrayList<>();
    for (int partition : new ArrayList<>(byPartition.keySet())) {
      Batch b = store.batch();
      store.clearPartition(b, partition);
      all.add(commit(partition, b));
      byPartition.get(partition).forEach(topics::remove);
      byPartition.get(partition).clear();
      // Sequences go on rising: a delivery of a cleared notification still in flight (a retry waiting for
      // its time) must not find a new notification under its old number and deliver that instead.
    }
    dedup.clear();
    return Future.all(all).mapEmpty();
  }
}
