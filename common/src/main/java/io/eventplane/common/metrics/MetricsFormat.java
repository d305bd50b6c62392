package io.eventplane.common.metrics;

import java.util.Locale;

/**
 * The text formats {@code GET /metrics} answers in, chosen from the scrape's {@code Accept} header as
 * Prometheus negotiates: OpenMetrics 1.0 when the header names {@code application/openmetrics-text}
 * (Prometheus sends it first by default), else the Prometheus text format 0.0.4.
 */
public enum MetricsFormat {
  PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
  OPEN_METRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

  private final String contentType;

  MetricsFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The {@code Content-Type} of an answer in this format (also what the registry's scrape takes). */
  public String contentType() {
    return contentType;
  }

  /**
   * The format for an {@code Accept} header (null or absent: Prometheus text). A media range of
   * OpenMetrics with {@code q=0} refuses it.
   */
  public static MetricsFormat accepted(String accept) {
    if (accept == null) return PROMETHEUS_TEXT;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/openmetrics-text")) continue;
      boolean refused = false;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim().toLowerCase(Locale.ROOT);
        if (p.startsWith("q=")) {
          try {
            refused = Double.parseDouble(p.substring(2).trim()) <= 0;
          } catch (NumberFormatException e) {
            refused = true;
          }
        }
      }
      if (!refused) return OPEN_METRICS;
    }
    return PROMETHEUS_TEXT;
  }
}
