package io.eventplane.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The markdown report of {@link ApiGatewayBench}: medians over the rounds, the ratios the issue asks for. */
final class ApiGatewayReport {
  private ApiGatewayReport() {}

  static String render(String machine, ApiGatewayBench.Options o, List<ApiGatewayBench.Measured> measured,
                       List<IngestLatency.Sample> ingest, String args) {
    StringBuilder md = new StringBuilder("# API Gateway benchmark\n\n");
    md.append("Machine: ").append(machine).append("\n\n");
    md.append("Command: `bench/run-apigateway-bench.sh ").append(args).append("`\n\n");
    md.append(String.format(Locale.ROOT, "Eventplane one node, `--durability fsync --apigateway-throttle off`; bare-http is the SQS bench's "
        + "BareEndpoint in its own JVM. %d rounds; each load: %d s warm-up, %d s measured, closed loop; body %d B. "
        + "Medians over the rounds (req/s min-max in brackets).%n%n", o.rounds(), o.warmup(), o.measure(), o.body()));
    Map<String, List<ApiGatewayBench.Measured>> groups = new LinkedHashMap<>();
    for (ApiGatewayBench.Measured m : measured) {
      groups.computeIfAbsent(m.endpoint() + "|" + m.result().callers(), k -> new ArrayList<>()).add(m);
    }
    md.append("| endpoint | callers | req/s | p50 | p99 | server cores | errors |\n|---|---|---|---|---|---|---|\n");
    groups.forEach((key, runs) -> {
      String[] parts = key.split("\\|");
      double[] rates = sorted(runs, m -> m.result().perSecond());
      md.append(String.format(Locale.ROOT, "| %s | %s | %.0f [%.0f-%.0f] | %.2f ms | %.2f ms | %.2f | %d |%n", parts[0],
          parts[1], median(rates), rates[0], rates[rates.length - 1], median(sorted(runs, m -> m.result().p50Ms())),
          median(sorted(runs, m -> m.result().p99Ms())), median(sorted(runs, m -> m.result().cpu().serverCores())),
          runs.stream().mapToLong(m -> m.result().errors()).sum()));
    });
    md.append("\n## Ratios (median over the rounds of each round's ratio)\n\n");
    for (int c : o.callers()) {
      ratio(md, measured, "mock-route", "bare-http", c, "MOCK route req/s / bare Vert.x endpoint req/s (goal >= 0.50)",
          false);
      ratio(md, measured, "kinesis-direct", "kinesis-route", c,
          "direct PutRecord req/s / Kinesis-PutRecord route req/s (goal <= 1.5)", false);
      ratio(md, measured, "kinesis-route", "kinesis-direct", c,
          "Kinesis-PutRecord route p50 / direct PutRecord p50 (goal <= 1.5)", true);
    }
    for (int c : o.lambdaCallers()) {
      ratio(md, measured, "lambda-proxy-route", "lambda-invoke", c, "Lambda proxy route p50 / Invoke p50", true);
    }
    if (!ingest.isEmpty()) {
      md.append("\n## Ingest end to end: POST to the route -> Kinesis -> Firehose -> object in the bucket\n\n");
      md.append("| Firehose buffer interval | samples | median | min | max |\n|---|---|---|---|---|\n");
      ingest.stream().map(IngestLatency.Sample::interval).distinct().forEach(interval -> {
        double[] v = ingest.stream().filter(s -> s.interval() == interval).mapToDouble(IngestLatency.Sample::millis)
            .sorted().toArray();
        md.append(String.format(Locale.ROOT, "| %s | %d | %.0f ms | %.0f ms | %.0f ms |%n",
            interval == 0 ? "0 (disabled)" : interval + " s", v.length, median(v), v[0], v[v.length - 1]));
      });
    }
    return md.toString();
  }

  private static void ratio(StringBuilder md, List<ApiGatewayBench.Measured> measured, String a, String b, int callers,
                            String what, boolean latency) {
    List<Double> ratios = new ArrayList<>();
    for (ApiGatewayBench.Measured x : measured) {
      if (!x.endpoint().equals(a) || x.result().callers() != callers) continue;
      for (ApiGatewayBench.Measured y : measured) {
        if (y.endpoint().equals(b) && y.result().callers() == callers && y.round() == x.round()) {
          ratios.add(latency ? x.result().p50Ms() / y.result().p50Ms() : x.result().perSecond() / y.result().perSecond());
        }
      }
    }
    if (ratios.isEmpty()) return;
    double[] v = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    md.append(String.format(Locale.ROOT, "- %d callers: %s: **%.2f** (rounds %.2f-%.2f)%n", callers, what, median(v), v[0],
        v[v.length - 1]));
  }

  private static double[] sorted(List<ApiGatewayBench.Measured> runs, ToDoubleFunction<ApiGatewayBench.Measured> f) {
    return runs.stream().mapToDouble(f).sorted().toArray();
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
