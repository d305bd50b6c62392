package io.eventplane.common.timer;

/** A durable timer as handed to its handler when it fires. */
public record Timer(String kind, String id, long fireAtMillis, byte[] payload) {}
