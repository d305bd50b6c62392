package io.eventplane.broker.queue.domain;

import io.eventplane.broker.queue.store.QueueStore;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The registry of the queues this node owns (those in the partitions placement gave it) and their
 * lifecycle: create, look up, attributes, tags, permissions, purge, delete, and the sweeps that
 * expire old messages and dedup entries. Queues in other partitions are reached through the
 * {@link QueueDirectory}. One instance per lane of the SQS service, holding only that lane's
 * partitions; all methods run on the lane's context (its event-loop thread, checked under
 * {@code assert} at the entry points, so tests catch a lane's state touched from another thread);
 * store I/O goes through {@link #commit} and {@link #blocking}.
 */
public final class Queues {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
  private static final Pattern FIFO_NAME = Pattern.compile("[A-Za-z0-9_-]{1,75}\\.fifo");
  static final long DELETED_RECENTLY_MILLIS = 60_000;
  static final long PURGE_IN_PROGRESS_MILLIS = 60_000;
  private static final int MAX_TAGS = 50;

  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final QueueStore store;
  private final Map<String, Queue> byName = new HashMap<>();
  private final Map<Long, Queue> byId = new HashMap<>();
  private final Map<String, Queue> byArn = new HashMap<>();
  private final Map<String, Long> deletedAt = new HashMap<>();
  /** The partitions this node serves, with the number of the next queue created in each. */
  private final Map<Integer, Long> owned = new HashMap<>();
  private final MessageCache recent = new MessageCache(MESSAGE_CACHE_BYTES);
  /**
   * The lane's budget for recently sent messages kept in memory (a receive soon after the send
   * needs no store read). Everything in it survives the young collections it lives through, so a
   * larger budget costs GC copying on every young pause while messages pile up unreceived
   * (docs/benchmarks.md, issue 12: the tail). {@code -Deventplane.sqs.messageCacheBytes} to try another.
   */
  static final long MESSAGE_CACHE_BYTES = Long.getLong("eventplane.sqs.messageCacheBytes", 64L * 1024 * 1024);
  private QueueDirectory directory;
  /** The lane's event-loop thread: the only one that may touch this state. */
  private final Thread owner;

  /** Created on the lane's context, whose thread becomes the owner of this state. */
  private QueueMetrics metrics = QueueMetrics.NONE;

  public Queues(Vertx vertx, Context context, Clock clock, QueueStore store) {
    this.vertx = vertx;
    this.context = context;
    this.clock = clock;
    this.store = store;
    this.owner = Thread.currentThread();
  }

  /** For {@code assert}: true on the owning thread, else an AssertionError that names both threads. */
  boolean onOwnerThread() {
    Thread current = Thread.currentThread();
    if (current != owner) {
      throw new AssertionError("queue state of " + owner.getName() + " touched from " + current.getName());
    }
    return true;
  }

  /** Where sends, receives, deletes and dead-letter moves are counted ({@link QueueMetrics#NONE} until set). */
  public void setMetrics(QueueMetrics metrics) {
    this.metrics = metrics;
  }

  public QueueMetrics metrics() {
    return metrics;
  }

  public void setDirectory(QueueDirectory directory) {
    this.directory = directory;
  }

  QueueDirectory directory() { return directory; }

  /** The partition a queue name belongs to. */
  public static int partitionOf(String account, String name) {
    return Partitions.of("sqs", account, name);
  }

  public boolean owns(int partition) {
    assert onOwnerThread();
    return owned.containsKey(partition);
  }

  /** Whether the queue an ARN names would be in one of this node's partitions. */
  public boolean ownsArn(String arn) {
    QueueArn a = QueueArn.parse(arn);
    return a != null && owns(partitionOf(a.accountId(), a.name()));
  }

  Vertx vertx() { return vertx; }
  public Clock clock() { return clock; }
  QueueStore store() { return store; }
  MessageCache recent() {
    assert onOwnerThread();
    return recent;
  }

  /** Reads the messages of these states, from the recent-message cache where it can, else from the store (memory first). */
  Future<java.util.List<StoredMessage>> readMessages(Queue q, java.util.List<MessageState> states) {
    assert onOwnerThread();
    java.util.List<StoredMessage> out = new ArrayList<>(states.size());
    java.util.List<Long> missing = new ArrayList<>();
    for (MessageState state : states) {
      StoredMessage m = recent.get(state);
      out.add(m);
      if (m == null) missing.add(state.seq);
    }
    if (missing.isEmpty()) return Future.succeededFuture(out);
    return store.readMessages(q.id(), missing, context).map(read -> {
      int j = 0;
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i) == null) out.set(i, read.get(j++));
      }
      return out;
    });
  }

  /** Commits a batch of the queue's partition (replicated when clustered), resuming on the service context. */
  Future<Void> commit(Queue q, Batch batch) {
    return commit(q.partition(), batch);
  }

  Future<Void> commit(int partition, Batch batch) {
    assert onOwnerThread();
    return store.commit(partition, batch, context);
  }

  /** Runs blocking store reads off the event loop, resuming on the service context. */
  <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /** Takes a partition: restores its queues from the store (the blocking part runs on a worker). */
  public Future<QueueStore.Snapshot> load(int partition) {
    assert onOwnerThread();
    return blocking(() -> store.load(partition)).onSuccess(s -> restore(partition, s));
  }

  /**
   * Gives a partition up: forgets its queues; receives waiting on them end empty (the client polls
   * again and reaches the new owner).
   */
  public void unload(int partition) {
    assert onOwnerThread();
    owned.remove(partition);
    for (Queue q : new ArrayList<>(byName.values())) {
      if (q.partition() != partition) continue;
      unregister(q);
      q.released = true;
      recent.removeAll(q.index().all());
      failWaiters(q);
      if (q.wakeTimerId >= 0) vertx.cancelTimer(q.wakeTimerId);
    }
    deletedAt.keySet().removeIf(k -> {
      String[] parts = k.split("/", 3);
      return partitionOf(parts[0], parts[2]) == partition;
    });
  }

  private void restore(int partition, QueueStore.Snapshot s) {
    assert onOwnerThread();
    long now = clock.millis();
    long nextQueue = 1;
    for (QueueRecord r : s.queues().values()) {
      Queue q = register(r);
      for (MessageState m : s.states().getOrDefault(r.id(), List.of())) {
        q.index().add(m, now);
      }
      q.nextSeq = q.index().lastSeq() + 1;
      s.dedup().getOrDefault(r.id(), Map.of()).entrySet().stream()
          .sorted(Map.Entry.comparingByValue(java.util.Comparator.comparingLong(DedupEntry::expiresAt)))
          .forEach(e -> q.dedup.put(e.getKey(), e.getValue()));
      for (DedupEntry e : q.dedup.values()) q.nextSeq = Math.max(q.nextSeq, e.seq() + 1);
      nextQueue = Math.max(nextQueue, (r.id() & 0xFF_FFFF_FFFFL) + 1);
    }
    deletedAt.putAll(s.deleted());
    owned.put(partition, nextQueue);
  }

  private Queue register(QueueRecord r) {
    Queue q = new Queue(r, arn(r.region(), r.accountId(), r.name()));
    byName.put(key(r.accountId(), r.region(), r.name()), q);
    byId.put(r.id(), q);
    byArn.put(q.arn(), q);
    return q;
  }

  /** Queues are named within an account and a region. */
  private static String key(String account, String region, String name) {
    return account + '/' + region + '/' + name;
  }

  public static String arn(String region, String account, String name) {
    return "arn:aws:sqs:" + region + ":" + account + ":" + name;
  }

  public Queue require(String account, String region, String name) {
    assert onOwnerThread();
    Queue q = byName.get(key(account, region, name));
    if (q == null) {
      if (!owns(partitionOf(account, name))) throw notHere();
      throw QueueErrors.queueDoesNotExist();
    }
    return q;
  }

  /** The request reached a node that does not (or no longer) serve the queue's partition. */
  public static ServiceException notHere() {
    return new ServiceException(ServiceError.unavailable("The queue's partition is moving between nodes; retry."));
  }

  /** A queue of this node's partitions by ARN, else null. */
  public Queue byArn(String arn) {
    assert onOwnerThread();
    return byArn.get(arn);
  }

  public Collection<Queue> all() {
    assert onOwnerThread();
    return byName.values();
  }

  public static void validateName(String name) {
    boolean fifo = name.endsWith(".fifo");
    if (!(fifo ? FIFO_NAME : NAME).matcher(name).matches()) {
      throw QueueErrors.invalidParameter(
          "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    }
  }

  /**
   * CreateQueue: idempotent when a queue of that name exists with the same attributes given;
   * QueueNameExists when an attribute differs.
   */
  public Future<Queue> create(String account, String region, String name, Map<String, String> given,
      Map<String, String> tags) {
    assert onOwnerThread();
    validateName(name);
    boolean fifo = name.endsWith(".fifo");
    Map<String, String> attributes = QueueAttributes.forCreate(given, fifo);
    validateTags(tags);
    int partition = partitionOf(account, name);
    if (!owns(partition)) throw notHere();
    Queue existing = byName.get(key(account, region, name));
    long now = clock.millis();
    if (existing != null) {
      // Compared in the form SQS keeps them ("True" is "true"), against what the queue reports.
      Map<String, String> current = QueueAttributes.reported(existing.record().attributes());
      for (Map.Entry<String, String> e : QueueAttributes.validate(given, fifo).entrySet()) {
        if (!e.getValue().equals(current.get(e.getKey()))) {
          throw new ServiceException("QueueNameExists",
              "A queue already exists with the same name and a different value for attribute " + e.getKey());
        }
      }
      return Future.succeededFuture(existing);
    }
    Long deleted = deletedAt.get(key(account, region, name));
    if (deleted != null && now - deleted < DELETED_RECENTLY_MILLIS) {
      throw new ServiceException("QueueDeletedRecently",
          "You must wait 60 seconds after deleting a queue before you can create another queue with the same name.");
    }
    String selfArn = arn(region, account, name);
    return checkRedrive(selfArn, fifo, attributes).compose(ok -> {
      Queue raced = byName.get(key(account, region, name));
      if (raced != null) return Future.succeededFuture(raced);
      if (!owns(partition)) return Future.failedFuture(notHere());
      long n = owned.merge(partition, 1L, Long::sum) - 1;
      QueueRecord record = new QueueRecord(QueueStore.queueId(partition, n), account, region, name, now, now, attributes,
          tags);
      Queue q = register(record);
      deletedAt.remove(key(account, region, name));
      Batch b = store.batch();
      store.putQueue(b, record);
      return commit(q, b).map(q).onFailure(e -> unregister(q));
    });
  }

  private void unregister(Queue q) {
    byName.remove(key(q.accountId(), q.record().region(), q.name()));
    byId.remove(q.id());
    byArn.remove(q.arn());
  }

  /** Checks a RedrivePolicy against its dead-letter queue, which may live in another partition. */
  private Future<Void> checkRedrive(String sourceArn, boolean fifo, Map<String, String> attributes) {
    String rp = attributes.get(QueueAttributes.REDRIVE_POLICY);
    if (rp == null || rp.isEmpty()) return Future.succeededFuture();
    QueueAttributes.RedrivePolicy policy = QueueAttributes.RedrivePolicy.parse(rp);
    String dlqArn = policy.deadLetterTargetArn();
    return directory.facts(dlqArn).map(dlq -> {
      if (dlq == null) {
        throw QueueErrors.invalidParameter(QueueAttributes.REDRIVE_POLICY, rp, "Dead letter target does not exist.");
      }
      if (dlq.fifo() != fifo) {
        throw QueueErrors.invalidParameter(QueueAttributes.REDRIVE_POLICY, rp,
            "Dead-letter queue must be same type of queue as the source.");
      }
      if (dlq.redriveAllowPolicy() != null && !dlq.redriveAllowPolicy().allows(sourceArn)) {
        throw QueueErrors.invalidParameter(QueueAttributes.REDRIVE_POLICY, rp,
            "Queue " + sourceArn + " is not allowed to use " + dlqArn + " as its dead-letter queue.");
      }
      return null;
    });
  }

  /** What a redrive check needs to know of a queue here; null when there is no such queue. */
  public QueueFacts facts(String arn) {
    assert onOwnerThread();
    Queue q = byArn.get(arn);
    return q == null ? null : new QueueFacts(q.fifo(), q.record().attributes().get(QueueAttributes.REDRIVE_ALLOW_POLICY));
  }

  public Future<Void> setAttributes(Queue q, Map<String, String> given) {
    assert onOwnerThread();
    Map<String, String> changes = QueueAttributes.forSet(given, q.fifo());
    Map<String, String> merged = new HashMap<>(q.record().attributes());
    merged.putAll(changes);
    QueueAttributes.applySse(merged, changes);
    merged.values().removeIf(String::isEmpty);
    QueueAttributes.checkCombination(merged);
    return checkRedrive(q.arn(), q.fifo(), merged).compose(ok -> {
      if (q.deleted || q.released) return Future.failedFuture(q.deleted ? QueueErrors.queueDoesNotExist() : notHere());
      Map<String, String> latest = new HashMap<>(q.record().attributes());
      latest.putAll(changes);
      QueueAttributes.applySse(latest, changes);
      latest.values().removeIf(String::isEmpty);
      return saveRecord(q, q.record().withAttributes(latest, clock.millis()));
    });
  }

  /** GetQueueAttributes: the named attributes ("All" for every one), computed ones included. */
  public Map<String, String> attributes(Queue q, List<String> names) {
    assert onOwnerThread();
    for (String n : names) {
      if (!QueueAttributes.isKnown(n)) throw QueueErrors.invalidAttributeName(n);
    }
    boolean all = names.contains("All");
    MessageIndex index = q.index();
    index.promote(clock.millis());
    Map<String, String> values = QueueAttributes.reported(q.record().attributes());
    values.put("ApproximateNumberOfMessages", Integer.toString(index.visibleCount()));
    values.put("ApproximateNumberOfMessagesNotVisible", Integer.toString(index.inFlightCount()));
    values.put("ApproximateNumberOfMessagesDelayed", Integer.toString(index.delayedCount()));
    values.put("CreatedTimestamp", Long.toString(q.record().createdTimestamp() / 1000));
    values.put("LastModifiedTimestamp", Long.toString(q.record().lastModifiedTimestamp() / 1000));
    values.put("QueueArn", q.arn());
    if (all) return values;
    Map<String, String> out = new TreeMap<>();
    for (String n : names) {
      String v = values.get(n);
      if (v != null) out.put(n, v);
    }
    return out;
  }

  private static void validateTags(Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) throw QueueErrors.invalidParameter("Too many tags added for queue. A queue can have at most 50 tags.");
    for (Map.Entry<String, String> e : tags.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().length() > 128) {
        throw QueueErrors.invalidParameter("Tag keys must be between 1 and 128 characters in length.");
      }
      if (e.getValue() == null || e.getValue().length() > 256) {
        throw QueueErrors.invalidParameter("Tag values must be between 0 and 256 characters in length.");
      }
    }
  }

  public Future<Void> tag(Queue q, Map<String, String> tags) {
    Map<String, String> merged = new HashMap<>(q.record().tags());
    merged.putAll(tags);
    validateTags(merged);
    return saveRecord(q, q.record().withTags(merged));
  }

  public Future<Void> untag(Queue q, List<String> keys) {
    Map<String, String> merged = new HashMap<>(q.record().tags());
    keys.forEach(merged::remove);
    return saveRecord(q, q.record().withTags(merged));
  }

  /** AddPermission/RemovePermission keep the queue's Policy document in the attribute. */
  public Future<Void> setPolicy(Queue q, String policy) {
    Map<String, String> attrs = new HashMap<>(q.record().attributes());
    if (policy == null) attrs.remove(QueueAttributes.POLICY);
    else attrs.put(QueueAttributes.POLICY, policy);
    return saveRecord(q, q.record().withAttributes(attrs, clock.millis()));
  }

  private Future<Void> saveRecord(Queue q, QueueRecord updated) {
    assert onOwnerThread();
    q.setRecord(updated);
    Batch b = store.batch();
    store.putQueue(b, updated);
    return commit(q, b);
  }

  public List<Queue> list(String account, String region, String prefix) {
    assert onOwnerThread();
    List<Queue> out = new ArrayList<>();
    for (Queue q : byName.values()) {
      if (q.accountId().equals(account) && q.record().region().equals(region) && (prefix == null || q.name().startsWith(prefix))) out.add(q);
    }
    out.sort(java.util.Comparator.comparing(Queue::name));
    return out;
  }

  /** The queues of this node's partitions whose dead-letter queue is {@code dlqArn}. */
  public List<Queue> deadLetterSources(String dlqArn) {
    assert onOwnerThread();
    List<Queue> out = new ArrayList<>();
    for (Queue q : byName.values()) {
      if (q.redrivePolicy() != null && q.redrivePolicy().deadLetterTargetArn().equals(dlqArn)) out.add(q);
    }
    out.sort(java.util.Comparator.comparing(Queue::name));
    return out;
  }

  public Future<Void> delete(Queue q) {
    assert onOwnerThread();
    long now = clock.millis();
    unregister(q);
    q.deleted = true;
    deletedAt.put(key(q.accountId(), q.record().region(), q.name()), now);
    recent.removeAll(q.index().all());
    q.index().clear();
    failWaiters(q);
    Batch b = store.batch();
    store.deleteQueue(b, q.record(), now);
    return commit(q, b);
  }

  public Future<Void> purge(Queue q) {
    assert onOwnerThread();
    long now = clock.millis();
    if (q.lastPurgeAt != Long.MIN_VALUE && now - q.lastPurgeAt < PURGE_IN_PROGRESS_MILLIS) {
      throw new ServiceException("PurgeQueueInProgress",
          "Only one PurgeQueue operation on " + q.name() + " is allowed every 60 seconds.");
    }
    q.lastPurgeAt = now;
    q.purgedBelowSeq = q.nextSeq;
    recent.removeAll(q.index().all());
    q.index().clear();
    Batch b = store.batch();
    store.deleteAllMessages(b, q.id());
    // Purging forgets the FIFO deduplication window too: a message sent again after a purge is
    // delivered, as on SQS.
    for (String key : q.dedup.keySet()) store.deleteDedup(b, q.id(), key);
    q.dedup.clear();
    q.attempts.clear();
    return commit(q, b);
  }

  private void failWaiters(Queue q) {
    for (Waiter w : q.waiters) {
      if (w.timerId >= 0) vertx.cancelTimer(w.timerId);
      w.done = true;
      w.retry.accept(false);
    }
    q.waiters.clear();
  }

  /** Deletes messages past their retention period and dedup entries past their window: a batch per partition. */
  public Future<Void> sweep() {
    assert onOwnerThread();
    long now = clock.millis();
    Map<Integer, Batch> batches = new HashMap<>();
    for (Queue q : byName.values()) {
      long retention = q.retentionMillis();
      for (MessageState m : q.index().oldestWhile(m -> m.sentTimestamp + retention <= now, 10_000)) {
        q.index().remove(m, now);
        recent.remove(m);
        store.deleteMessage(batches.computeIfAbsent(q.partition(), p -> store.batch()), q.id(), m.seq);
      }
      for (String key : q.expireDedup(now)) {
        store.deleteDedup(batches.computeIfAbsent(q.partition(), p -> store.batch()), q.id(), key);
      }
    }
    List<Future<Void>> commits = new ArrayList<>();
    batches.forEach((p, b) -> commits.add(commit(p, b)));
    return Future.all(commits).mapEmpty();
  }

  /** Dev-mode reset: forgets every queue of this node's partitions and deletes their keys (on the replicas too). */
  public Future<Void> clear() {
    assert onOwnerThread();
    for (Queue q : byName.values()) {
      q.deleted = true;
      failWaiters(q);
      if (q.wakeTimerId >= 0) vertx.cancelTimer(q.wakeTimerId);
    }
    byName.clear();
    recent.clear();
    byId.clear();
    byArn.clear();
    deletedAt.clear();
    List<Future<Void>> commits = new ArrayList<>();
    for (int p : new ArrayList<>(owned.keySet())) {
      owned.put(p, 1L);
      commits.add(commit(p, store.clearPartition(store.batch(), p)));
    }
    return Future.all(commits).mapEmpty();
  }
}
