package io.eventplane.broker.queue.domain;

/**
 * A receive, validated for ranges.
 *
 * @param visibilityTimeoutSeconds null: the queue's
 * @param waitTimeSeconds null: the queue's ReceiveMessageWaitTimeSeconds
 */
public record ReceiveRequest(int maxMessages, Integer visibilityTimeoutSeconds, Integer waitTimeSeconds, String attemptId) {}
