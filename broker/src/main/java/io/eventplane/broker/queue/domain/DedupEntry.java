package io.eventplane.broker.queue.domain;

/** A FIFO deduplication id seen within the 5-minute window, with what the first send answered. */
public record DedupEntry(String messageId, long seq, long expiresAt) {}
