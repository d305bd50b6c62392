package io.eventplane.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

/**
 * What metrics cost on the hot path: SQS SendMessage against two Eventplane servers that differ only in
 * {@code --metrics on} and {@code --metrics off} (and {@code detailed}, with {@code --modes on,off,detailed}),
 * all {@code --auth off} ({@link ModeComparison}; issue 18's goal: within 5%). Each server is scraped once
 * at the end, and the counted sends are reported, so a run shows metrics were recorded.
 *
 * <pre>bench/run-metrics-bench.sh [--rounds 3] [--callers 1,16] [--warmup 2] [--measure 5] [--jit-warmup 5]
 *     [--modes on,off,detailed] [--durability none|fsync] [--jfr on] [--root .]</pre>
 */
public final class MetricsBench implements ModeComparison.Comparison {
  private static final String QUEUE = "metrics-bench";

  public static void main(String[] args) throws Exception {
    ModeComparison.run(new MetricsBench(), args);
  }

  @Override public String name() {
    return "metrics";
  }

  @Override public String title() {
    return "Metrics: SendMessage with --metrics on and off";
  }

  @Override public String requests() {
    return "every request SigV4-signed, --auth off on both";
  }

  @Override public List<String> defaultModes() {
    return List.of("on", "off");
  }

  @Override public String baseline() {
    return "off";
  }

  @Override public List<String> serverArgs(String mode) {
    return List.of("--metrics", mode, "--auth", "off");
  }

  @Override public String queue() {
    return QUEUE;
  }

  /** What the server's {@code /metrics} says of the bench queue's sends (404 with metrics off). */
  @Override public String afterRun(String mode, int port) throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    String sent = answer.body().lines()
        .filter(l -> l.startsWith("eventplane_sqs_messages_sent_total{") && l.contains("queue=\"" + QUEUE + "\""))
        .findFirst().orElse("(no sent counter)");
    return String.format(Locale.ROOT, "%n/metrics with --metrics %s: HTTP %d; %s%n", mode, answer.statusCode(),
        answer.statusCode() == 200 ? sent : "no metrics");
  }
}
