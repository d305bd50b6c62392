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
