package io.eventplane.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * A node's metrics, as Prometheus scrapes them at {@code GET /metrics}: the one registry of the node
 * that services record into, and the scrape of it in a text format. Provided in
 * {@link io.eventplane.common.service.NodeResources}; {@link #NONE} with {@code --metrics off}, so a
 * service asks {@link #enabled()} once when it sets up and installs no recorder at all when off (the
 * hot path then does no metric work).
 *
 * <p>Labels must stay bounded: service, operation, error code, resource names (queue names); never
 * message ids, request ids, object keys or full request paths.
 */
public interface NodeMetrics {
  /** Metrics off: nothing is kept, nothing is served. */
  NodeMetrics NONE = new NodeMetrics() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public MeterRegistry registry() {
      throw new IllegalStateException("metrics are off (--metrics off): ask enabled() first");
    }

    @Override
    public String scrape(String contentType) {
      throw new IllegalStateException("metrics are off (--metrics off)");
    }

    @Override
    public Runnable beforeScrape(java.util.function.Supplier<io.vertx.core.Future<Void>> refresh) {
      return () -> {};
    }

    @Override
    public io.vertx.core.Future<Void> refreshGauges() {
      return io.vertx.core.Future.succeededFuture();
    }
  };

  boolean enabled();

  /** Where meters are registered; only when {@link #enabled()}. */
  MeterRegistry registry();

  /**
   * Every meter of the node in the text format of {@code contentType} ({@link MetricsFormat}). Gauges
   * are computed now (some read RocksDB properties): call it on a worker, never on an event loop.
   */
  String scrape(String contentType);

  /**
   * Runs {@code refresh} before each scrape: a service whose state belongs to a context (an SQS lane's
   * queues) copies its gauges' values there, on that context, instead of the scrape reading that state
   * from a worker thread. Returns what stops it (a lane that stops).
   */
  Runnable beforeScrape(java.util.function.Supplier<io.vertx.core.Future<Void>> refresh);

  /** Runs every {@link #beforeScrape} refresh; completes when all did (a failed one leaves its gauges as they were). */
  io.vertx.core.Future<Void> refreshGauges();
}
