package io.eventplane.kinesis.store;

/** A record as a shard keeps it: its position, arrival time, whether it was written encrypted, its partition key and data. */
public record StoredRecord(long position, long arrivalMillis, boolean encrypted, String partitionKey, byte[] data) {}
