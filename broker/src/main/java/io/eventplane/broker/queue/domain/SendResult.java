package io.eventplane.broker.queue.domain;

/** What SendMessage answers for one message. sequenceNumber is null for standard queues. */
public record SendResult(
    String messageId, String md5OfBody, String md5OfMessageAttributes, String md5OfSystemAttributes, String sequenceNumber) {}
