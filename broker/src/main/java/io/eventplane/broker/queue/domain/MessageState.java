package io.eventplane.broker.queue.domain;

/**
 * What the queue keeps in memory about one message: enough to choose what to deliver and to count,
 * without the body (which stays in the store). Mutated only on the queue service's context.
 */
public final class MessageState {
  public enum Status { DELAYED, VISIBLE, IN_FLIGHT }

  final long seq;
  final String groupId;
  final long sentTimestamp;
  final int size;
  long visibleAt;
  int receiveCount;
  long firstReceiveTimestamp;
  long receiptToken;
  Status status;
  /**
   * When the message last became visible, as an order among its queue's messages (FIFO only): ties
   * of {@link #visibleAt} (one millisecond, or a receive with a visibility timeout of 0) are broken by
   * which became visible first. Not stored: a restart numbers the loaded messages in sequence order.
   */
  long visibleStamp;
  /** The message's stored form while {@link MessageCache} holds it, else null. */
  byte[] cached;

  public MessageState(long seq, String groupId, long sentTimestamp, int size, long visibleAt, int receiveCount,
      long firstReceiveTimestamp, long receiptToken) {
    this.seq = seq;
    this.groupId = groupId;
    this.sentTimestamp = sentTimestamp;
    this.size = size;
    this.visibleAt = visibleAt;
    this.receiveCount = receiveCount;
    this.firstReceiveTimestamp = firstReceiveTimestamp;
    this.receiptToken = receiptToken;
  }

  public long seq() { return seq; }
  public String groupId() { return groupId; }
  public long sentTimestamp() { return sentTimestamp; }
  public int size() { return size; }
  public long visibleAt() { return visibleAt; }
  public int receiveCount() { return receiveCount; }
  public long firstReceiveTimestamp() { return firstReceiveTimestamp; }
  public long receiptToken() { return receiptToken; }
  public Status status() { return status; }
}
