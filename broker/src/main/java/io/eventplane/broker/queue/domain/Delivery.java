package io.eventplane.broker.queue.domain;

/** A message handed out by a receive, with the delivery facts the system attributes report. */
public record Delivery(
    StoredMessage message, String receiptHandle, long seq, int receiveCount, long firstReceiveTimestamp, boolean fifo) {

  public String sequenceNumber() {
    return fifo ? Sending.sequenceNumber(seq) : null;
  }
}
