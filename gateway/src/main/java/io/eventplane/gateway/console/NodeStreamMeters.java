package io.eventplane.gateway.console;

import io.eventplane.common.metrics.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A stream's numbers as this node's Prometheus registry has them (what {@code GET /metrics} serves):
 * {@code eventplane_kinesis_incoming_records_total} and {@code _bytes_total} since the node started,
 * and each consumer's {@code eventplane_kinesis_consumer_iterator_age_seconds}. The node that owns
 * the stream's partition counts them, so on another node of a cluster they are absent. Read-only:
 * the console never registers a meter (a search finds, never creates).
 */
final class NodeStreamMeters {
  private final MeterRegistry registry;

  private NodeStreamMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Null with {@code --metrics off}. */
  static NodeStreamMeters of(NodeMetrics metrics) {
    return metrics.enabled() ? new NodeStreamMeters(metrics.registry()) : null;
  }

  /** Records and bytes this node counted for the stream, or null when it counted none. */
  double[] incoming(String account, String region, String stream) {
    Counter records = registry.find("eventplane_kinesis_incoming_records").tags("account", account, "region", region, "stream", stream)
        .counter();
    Counter bytes = registry.find("eventplane_kinesis_incoming_bytes").tags("account", account, "region", region, "stream", stream)
        .counter();
    if (records == null && bytes == null) return null;
    return new double[] {records == null ? 0 : records.count(), bytes == null ? 0 : bytes.count()};
  }

  /** The consumer's iterator age in milliseconds on this node, or null when this node does not track it. */
  Double consumerLagMillis(String account, String region, String stream, String consumer) {
    Gauge g = registry.find("eventplane_kinesis_consumer_iterator_age_seconds")
        .tags("account", account, "region", region, "stream", stream, "consumer", consumer).gauge();
    return g == null ? null : g.value() * 1000;
  }
}
