package io.eventplane.common.config;

import java.util.Locale;

/**
 * What a node measures ({@code --metrics}): nothing; its own meters and Vert.x's pool and JVM meters
 * (the default); or also Vert.x's per-request HTTP-server and per-message event-bus meters, which
 * cost more on the hot path than all the others together (docs/benchmarks.md, Metrics).
 */
public enum MetricsLevel {
  /** No registry, no recorders; {@code GET /metrics} answers 404. */
  OFF,
  /** The node's meters (API, store, replication, every service's) and Vert.x's pool and JVM meters. */
  ON,
  /** {@link #ON} and Vert.x's HTTP-server request and event-bus message meters. */
  DETAILED;

  public boolean enabled() {
    return this != OFF;
  }

  /** {@code on}, {@code off} or {@code detailed} ({@code true} and {@code false} as on and off), any case. */
  public static MetricsLevel parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "on", "true" -> ON;
      case "off", "false" -> OFF;
      case "detailed" -> DETAILED;
      default -> throw new IllegalArgumentException("metrics must be on, off or detailed: " + value);
    };
  }
}
