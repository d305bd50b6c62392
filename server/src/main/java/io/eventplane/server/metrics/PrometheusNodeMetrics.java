package io.eventplane.server.metrics;

import io.eventplane.common.metrics.NodeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The node's metrics with {@code --metrics on}: one Prometheus registry per node, made before Vert.x
 * so that Vert.x's own metrics (HTTP server, event bus, pools) land in it too.
 */
public final class PrometheusNodeMetrics implements NodeMetrics, AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final java.util.List<java.util.function.Supplier<io.vertx.core.Future<Void>>> refreshes =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public String scrape(String contentType) {
    return registry.scrape(contentType);
  }

  @Override
  public Runnable beforeScrape(java.util.function.Supplier<io.vertx.core.Future<Void>> refresh) {
    refreshes.add(refresh);
    return () -> refreshes.remove(refresh);
  }

  @Override
  public io.vertx.core.Future<Void> refreshGauges() {
    java.util.List<io.vertx.core.Future<Void>> all = new java.util.ArrayList<>();
    for (java.util.function.Supplier<io.vertx.core.Future<Void>> r : refreshes) all.add(r.get());
    return io.vertx.core.Future.join(all).transform(ar -> io.vertx.core.Future.succeededFuture());
  }

  @Override
  public void close() {
    registry.close();
  }
}
