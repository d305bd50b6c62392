package io.eventplane.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsFormatTest {
  @Test
  void prometheusTextWhenNothingOrPlainTextIsAsked() {
    assertThat(MetricsFormat.accepted(null)).isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
    assertThat(MetricsFormat.accepted("")).isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
    assertThat(MetricsFormat.accepted("*/*")).isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
    assertThat(MetricsFormat.accepted("text/plain;version=0.0.4;q=1")).isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
  }

  @Test
  void openMetricsWhenTheScrapeAcceptsIt() {
    // What Prometheus 2.x sends by default.
    assertThat(MetricsFormat.accepted(
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")).isEqualTo(MetricsFormat.OPEN_METRICS);
    assertThat(MetricsFormat.accepted("text/plain; q=0.5, Application/OpenMetrics-Text; version=1.0.0"))
        .isEqualTo(MetricsFormat.OPEN_METRICS);
  }

  @Test
  void openMetricsRefusedWithQZeroOrABrokenQ() {
    assertThat(MetricsFormat.accepted("application/openmetrics-text;q=0, text/plain")).isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
    assertThat(MetricsFormat.accepted("application/openmetrics-text;q=x")).isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
  }

  @Test
  void contentTypesAreTheFormatsOwn() {
    assertThat(MetricsFormat.PROMETHEUS_TEXT.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(MetricsFormat.OPEN_METRICS.contentType()).isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
  }
}
