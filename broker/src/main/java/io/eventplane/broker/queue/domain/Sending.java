package io.eventplane.broker.queue.domain;

import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * SendMessage and SendMessageBatch: queue-specific checks (size, FIFO group and deduplication),
 * then one store batch for all accepted messages; messages become receivable once it is durable.
 */
public final class Sending {
  private final Queues queues;
  private final Receiving receiving;
  private final String senderId;

  public Sending(Queues queues, Receiving receiving, String senderId) {
    this.queues = queues;
    this.receiving = receiving;
    this.senderId = senderId;
  }

  /** Sends each request; a result is either a {@link SendResult} or the {@link ServiceException} for that entry. */
  public Future<List<Object>> send(Queue q, List<SendRequest> requests) {
    long now = queues.clock().millis();
    List<Object> results = new ArrayList<>(requests.size());
    List<MessageState> added = new ArrayList<>();
    List<byte[]> addedStored = new ArrayList<>();
    List<String> reservedDedup = new ArrayList<>();
    Batch batch = queues.store().batch();
    for (SendRequest r : requests) {
      try {
        results.add(prepare(q, r, now, batch, added, addedStored, reservedDedup));
      } catch (ServiceException e) {
        results.add(e);
      }
    }
    if (batch.isEmpty()) {
      batch.close();
      return Future.succeededFuture(results);
    }
    return queues.commit(q, batch)
        .onFailure(e -> reservedDedup.forEach(q.dedup::remove))
        .map(v -> {
          if (!q.deleted) {
            long at = queues.clock().millis();
            for (int i = 0; i < added.size(); i++) {
              MessageState m = added.get(i);
              if (m.seq >= q.purgedBelowSeq) {
                queues.recent().put(m, addedStored.get(i));
                q.index().add(m, at);
              }
            }
            receiving.wake(q);
          }
          queues.metrics().sent(q, added.size());
          queues.metrics().sentSizes(q, added);
          return results;
        });
  }

  /**
   * The FIFO rules SendMessageBatch applies to the request as a whole: one entry without a
   * MessageGroupId, or without a deduplication id on a queue without content-based deduplication,
   * fails the whole batch (InvalidParameterValue, as SQS answers), where a lone SendMessage
   * without a group says MissingParameter.
   */
  public void checkBatch(Queue q, List<SendRequest> requests) {
    if (!q.fifo()) return;
    for (SendRequest r : requests) {
      if (r.groupId() == null) throw QueueErrors.invalidParameter("The request must contain the parameter MessageGroupId.");
    }
    for (SendRequest r : requests) {
      if (r.deduplicationId() == null && !q.contentBasedDeduplication()) throw noDeduplicationId();
    }
  }

  private static ServiceException noDeduplicationId() {
    return QueueErrors.invalidParameter(
        "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
  }

  private SendResult prepare(Queue q, SendRequest r, long now, Batch batch, List<MessageState> added,
      List<byte[]> addedStored, List<String> reservedDedup) {
    int size = r.size();
    if (size > q.maximumMessageSize()) {
      throw QueueErrors.invalidParameter("One or more parameters are invalid. Reason: Message must be shorter than "
          + q.maximumMessageSize() + " bytes.");
    }
    String md5Body = Md5Digests.ofBody(r.body());
    String md5Attrs = Md5Digests.ofAttributes(r.messageAttributes());
    String md5Sys = Md5Digests.ofAttributes(r.systemAttributes());
    String dedupId = r.deduplicationId();
    String dedupKey = null;
    if (q.fifo()) {
      if (r.groupId() == null) throw QueueErrors.missingParameter("MessageGroupId");
      if (r.delaySeconds() != null && r.delaySeconds() != 0) {
        throw QueueErrors.invalidParameter("DelaySeconds", r.delaySeconds(),
            "The request include parameter that is not valid for this queue type.");
      }
      if (dedupId == null) {
        if (!q.contentBasedDeduplication()) throw noDeduplicationId();
        dedupId = sha256(r.body());
      }
      dedupKey = q.dedupPerGroup() ? r.groupId() + '\0' + dedupId : dedupId;
      DedupEntry seen = q.dedupEntry(dedupKey, now);
      if (seen != null) {
        return new SendResult(seen.messageId(), md5Body, md5Attrs, md5Sys, sequenceNumber(seen.seq()));
      }
    } else if (r.deduplicationId() != null) {
      throw QueueErrors.invalidParameter("MessageDeduplicationId", r.deduplicationId(),
          "The request include parameter that is not valid for this queue type.");
    }
    long seq = q.nextSeq++;
    String messageId = Ids.uuid();
    // A FIFO queue's delay is the queue's only (a per-message 0, the one value it accepts, does not
    // override it); a standard queue's message may set its own.
    int delay = r.delaySeconds() != null && !q.fifo() ? r.delaySeconds() : q.delaySeconds();
    MessageState state = new MessageState(seq, r.groupId(), now, size, now + delay * 1000L, 0, 0, 0);
    StoredMessage message = new StoredMessage(messageId, r.body(), now, senderId, r.groupId(), dedupId,
        r.messageAttributes(), r.storedSystemAttributes(), null);
    byte[] stored = queues.store().putMessage(batch, q.id(), message, state);
    if (dedupKey != null) {
      DedupEntry entry = new DedupEntry(messageId, seq, now + Queue.DEDUP_WINDOW_MILLIS);
      q.dedup.put(dedupKey, entry);
      reservedDedup.add(dedupKey);
      queues.store().putDedup(batch, q.id(), dedupKey, entry);
    }
    added.add(state);
    addedStored.add(stored);
    return new SendResult(messageId, md5Body, md5Attrs, md5Sys, q.fifo() ? sequenceNumber(seq) : null);
  }

  /**
   * A FIFO message's SequenceNumber as SQS forms it: 20 digits with no leading zero (so never
   * "0..."), growing with the queue's sequence.
   */
  static String sequenceNumber(long seq) {
    return "1" + String.format("%019d", seq);
  }

  private static String sha256(String body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
