package io.eventplane.broker.queue.domain;

/** A message on its way from one queue to another (dead-letter move, redrive), with its size for the target's limits. */
public record MovedMessage(StoredMessage message, int size) {}
