package io.eventplane.broker.queue.domain;

/** A message as {@link Peeking} saw it: the stored message and its delivery state at that moment. */
public record PeekedMessage(StoredMessage message, Facts facts) {
  /** @param visibleAt when an in-flight or delayed message becomes visible (epoch ms) */
  public record Facts(MessageState.Status status, int receiveCount, long visibleAt) {}
}
