package io.eventplane.cloudtrail.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.partition.Partitions;

/**
 * The audit partition of a call: {@code crc32("cloudtrail/" + account + "/" + region) % 64} of the
 * request's context. Every CloudTrail call is about the caller's account and region (LookupEvents
 * reads them, the gateway's PutRecords writes them), so every call has one.
 */
public final class AuditPartitions {
  private AuditPartitions() {}

  public static int of(ApiRequest request) {
    return of(request.context().accountId(), request.context().region());
  }

  public static int of(String account, String region) {
    return Partitions.of("cloudtrail", account, region);
  }
}
