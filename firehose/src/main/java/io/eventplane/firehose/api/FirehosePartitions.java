package io.eventplane.firehose.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.partition.Partitions;

/**
 * The partition of a Firehose call: {@code crc32("firehose/" + account + "/" + region) % 64} of the
 * request's context. Every delivery stream of an account and region lives there with its buffered
 * records, so every call (ListDeliveryStreams too) is answered by one lane.
 */
public final class FirehosePartitions {
  private FirehosePartitions() {}

  public static int of(ApiRequest request) {
    return of(request.context().accountId(), request.context().region());
  }

  public static int of(String account, String region) {
    return Partitions.of("firehose", account, region);
  }
}
