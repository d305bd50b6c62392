package io.eventplane.broker.queue.domain;

import io.eventplane.broker.queue.domain.QueueAttributes.RedriveAllowPolicy;
import io.eventplane.broker.queue.domain.QueueAttributes.RedrivePolicy;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One queue as the service holds it: its definition, the message index, the FIFO deduplication
 * window, receive attempts and long-poll waiters. Owned by the queue service's context.
 */
public final class Queue {
  public static final long DEDUP_WINDOW_MILLIS = 5 * 60 * 1000;

  private QueueRecord record;
  private final String arn;
  private final MessageIndex index;
  private RedrivePolicy redrivePolicy;
  private RedriveAllowPolicy redriveAllowPolicy;
  long nextSeq;
  /** Sends committed below this sequence were purged while in flight to the store. */
  long purgedBelowSeq;
  long lastPurgeAt = Long.MIN_VALUE;
  boolean deleted;
  /** This node gave the queue's partition up; the queue lives on at the new owner. */
  boolean released;
  final LinkedHashMap<String, DedupEntry> dedup = new LinkedHashMap<>();
  final Map<String, ReceiveAttempt> attempts = new HashMap<>();
  final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  long wakeTimerId = -1;
  long wakeAt = Long.MAX_VALUE;

  /** A FIFO receive that may be retried with the same ReceiveRequestAttemptId. */
  record ReceiveAttempt(long expiresAt, List<ReceiptHandle> handles) {}

  public Queue(QueueRecord record, String arn) {
    this.arn = arn;
    this.index = new MessageIndex(record.fifo());
    setRecord(record);
  }

  void setRecord(QueueRecord r) {
    this.record = r;
    String rp = r.attributes().get(QueueAttributes.REDRIVE_POLICY);
    this.redrivePolicy = rp == null || rp.isEmpty() ? null : RedrivePolicy.parse(rp);
    String rap = r.attributes().get(QueueAttributes.REDRIVE_ALLOW_POLICY);
    this.redriveAllowPolicy = rap == null || rap.isEmpty() ? null : RedriveAllowPolicy.parse(rap);
  }

  public QueueRecord record() {
    return record;
  }

  public long id() {
    return record.id();
  }

  public int partition() {
    return io.eventplane.broker.queue.store.QueueStore.partitionOf(record.id());
  }

  public String name() {
    return record.name();
  }

  public String accountId() {
    return record.accountId();
  }

  public String arn() {
    return arn;
  }

  public boolean fifo() {
    return record.fifo();
  }

  public MessageIndex index() {
    return index;
  }

  public RedrivePolicy redrivePolicy() {
    return redrivePolicy;
  }

  public RedriveAllowPolicy redriveAllowPolicy() {
    return redriveAllowPolicy;
  }

  int intAttribute(String name) {
    return Integer.parseInt(record.attributes().get(name));
  }

  public int visibilityTimeoutSeconds() {
    return intAttribute(QueueAttributes.VISIBILITY_TIMEOUT);
  }

  public int delaySeconds() {
    return intAttribute(QueueAttributes.DELAY_SECONDS);
  }

  public int maximumMessageSize() {
    return intAttribute(QueueAttributes.MAXIMUM_MESSAGE_SIZE);
  }

  public long retentionMillis() {
    return intAttribute(QueueAttributes.MESSAGE_RETENTION_PERIOD) * 1000L;
  }

  public int receiveWaitTimeSeconds() {
    return intAttribute(QueueAttributes.RECEIVE_WAIT_TIME);
  }

  public boolean contentBasedDeduplication() {
    return "true".equals(record.attributes().get(QueueAttributes.CONTENT_BASED_DEDUP));
  }

  public boolean dedupPerGroup() {
    return "messageGroup".equals(record.attributes().get(QueueAttributes.DEDUPLICATION_SCOPE));
  }

  public boolean isDeleted() {
    return deleted;
  }

  /** The dedup entry for the key if still within its window; drops expired entries as it goes. */
  DedupEntry dedupEntry(String key, long now) {
    expireDedup(now);
    return dedup.get(key);
  }

  /** Removes expired dedup entries from memory and returns their keys (to delete from the store). */
  List<String> expireDedup(long now) {
    List<String> expired = new java.util.ArrayList<>();
    Iterator<Map.Entry<String, DedupEntry>> it = dedup.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, DedupEntry> e = it.next();
      if (e.getValue().expiresAt() > now) break;
      expired.add(e.getKey());
      it.remove();
    }
    attempts.values().removeIf(a -> a.expiresAt() <= now);
    return expired;
  }
}
