package io.eventplane.cloudtrail;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import java.time.Clock;

/**
 * What every CloudTrail lane of a node shares: the store and its replicated writer, the placement
 * view, the clock, the node's own gateway (log files are written to S3 through it) and how often a
 * logging trail delivers a log file.
 */
record CloudTrailNode(Store store, PartitionWriter writer, Placement placement, Clock clock, String gatewayUrl,
    io.eventplane.common.secret.GatewaySigner gatewaySigner, java.time.Duration deliveryInterval) {
  /** System property: seconds between a trail's log files (AWS delivers about every 5 minutes). */
  static final String DELIVERY_SECONDS = "eventplane.cloudtrail.deliverySeconds";

  static java.time.Duration configuredInterval() {
    return java.time.Duration.ofSeconds(Long.getLong(DELIVERY_SECONDS, 300));
  }
}
