package io.eventplane.server.metrics;

import io.eventplane.common.config.MetricsLevel;
import io.eventplane.common.metrics.NodeMetrics;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Vert.x's own metrics (HTTP server requests, event-bus messages, worker pools, JVM) in the node's
 * registry. Labels are chosen so that series stay bounded: never the request path (S3 keys, invoke
 * URLs, queue URLs would make one series each), never the remote address, never the event-bus
 * address (replies go to a fresh address per request).
 */
public final class VertxMetrics {
  /** The labels Vert.x may put on its meters: all of them bounded. */
  static final Set<Label> LABELS = EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_SIDE, Label.EB_FAILURE,
      Label.POOL_TYPE, Label.POOL_NAME, Label.CLIENT_NAME);

  private VertxMetrics() {}

  /** The categories left out at {@link MetricsLevel#ON}; {@link MetricsLevel#DETAILED} keeps HTTP server and event bus. */
  static Set<String> disabledCategories(MetricsLevel level) {
    Set<String> off = new java.util.HashSet<>(Set.of(MetricsDomain.NET_SERVER.toCategory(), MetricsDomain.NET_CLIENT.toCategory(),
        MetricsDomain.DATAGRAM_SOCKET.toCategory(), MetricsDomain.VERTICLES.toCategory()));
    if (level != MetricsLevel.DETAILED) {
      off.add(MetricsDomain.HTTP_SERVER.toCategory());
      off.add(MetricsDomain.EVENT_BUS.toCategory());
    }
    return off;
  }

  /** Options with Vert.x metrics on when the node's metrics are; unchanged when they are off. */
  public static VertxOptions apply(VertxOptions options, NodeMetrics metrics, MetricsLevel level) {
    if (!metrics.enabled()) return options;
    return options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        // Vert.x keeps backends by registry name JVM-wide: nodes sharing a JVM (tests) would share the first one's.
        .setRegistryName("eventplane-" + java.util.UUID.randomUUID())
        .setJvmMetricsEnabled(true)
        .setLabels(LABELS)
        // Net and datagram sockets say nothing HTTP does not; verticle counts are constant. HTTP server
        // requests and event-bus messages are measured per call by the gateway's own API metrics
        // (eventplane_api_*): Vert.x's per-request and per-message meters cost more than all of ours
        // (docs/benchmarks.md, Metrics), so only --metrics detailed has them.
        .setDisabledMetricsCategories(disabledCategories(level)));
  }

  /** The builder with the node's registry as Vert.x's metrics backend, when metrics are on. */
  public static VertxBuilder withRegistry(VertxBuilder builder, NodeMetrics metrics) {
    return metrics.enabled() ? builder.withMetrics(new MicrometerMetricsFactory(metrics.registry())) : builder;
  }
}
