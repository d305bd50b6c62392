package io.eventplane.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What metrics cost on the hot path: SQS SendMessage (AWS JSON, SigV4-signed as SDKs sign) against two
 * Eventplane servers that differ only in {@code --metrics on} and {@code --metrics off} (both
 * {@code --auth off}), modes interleaved within each round. Reports the median requests/s, p50 and p99
 * per mode and caller count and the ratio of on to off (issue 18's goal: within 5%). The on server is
 * scraped once at the end, and its counted sends are reported, so a run shows metrics were recorded.
 *
 * <pre>bench/run-metrics-bench.sh [--rounds 3] [--callers 1,16] [--warmup 2] [--measure 5] [--jit-warmup 5]
 *     [--modes on,off] [--durability none|fsync] [--root .]</pre>
 */
public final class MetricsBench {
  private static final String KEY = "EVENTPLANEBENCHADMIN";
  private static final String SECRET = "bench/secret/0123456789abcdefghijklmnopqrstuv";
  private static final String JSON = "application/x-amz-json-1.0";
  private static final String QUEUE = "metrics-bench";

  record Options(Path root, int rounds, List<Integer> callers, int warmup, int measure, int jitWarmup,
      List<String> modes, String durability) {
    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
        m.put(args[i].substring(2), args[i + 1]);
      }
      return new Options(Path.of(m.getOrDefault("root", ".")), Integer.parseInt(m.getOrDefault("rounds", "3")),
          Arrays.stream(m.getOrDefault("callers", "1,16").split(",")).map(String::trim).map(Integer::valueOf).toList(),
          Integer.parseInt(m.getOrDefault("warmup", "2")), Integer.parseInt(m.getOrDefault("measure", "5")),
          Integer.parseInt(m.getOrDefault("jit-warmup", "5")),
          Arrays.stream(m.getOrDefault("modes", "on,off").split(",")).map(String::trim).toList(),
          m.getOrDefault("durability", "none"));
    }
  }

  record Measured(String mode, int callers, int round, HttpLoad.Result result) {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = Files.createDirectories(options.root().resolve("bench/target/bench-results/metrics-" + stamp));
    String machine = ClusterBench.machine(options.root());
    Target target = options.durability().equals("fsync") ? Target.EVENTPLANE_FSYNC : Target.EVENTPLANE_NONE;
    Target.Layout layout = Target.Layout.of(options.root());
    int maxCallers = options.callers().stream().mapToInt(Integer::intValue).max().orElse(16);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    HttpLoad load = new HttpLoad(vertx, 2, maxCallers);
    Map<String, ServerProcess> servers = new LinkedHashMap<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> servers.values().forEach(ServerProcess::close)));
    List<Measured> measured = new ArrayList<>();
    try {
      for (String mode : options.modes()) {
        servers.put(mode, ServerProcess.start(target, layout, List.of(), List.of("--metrics", mode, "--auth", "off",
            "--admin-access-key-id", KEY, "--admin-secret-access-key", SECRET), out));
      }
      Map<String, String> queueUrls = new LinkedHashMap<>();
      for (Map.Entry<String, ServerProcess> e : servers.entrySet()) {
        ApiGatewayBench.awaitHealthy(e.getValue().port, "/_eventplane/health");
        queueUrls.put(e.getKey(), createQueue(e.getValue().port));
      }
      if (options.jitWarmup() > 0) {
        for (String mode : options.modes()) {
          HttpLoad.Result r = load.run(servers.get(mode).port, maxCallers, 0, options.jitWarmup(), 200,
              servers.get(mode).pid(), sendMessage(servers.get(mode).port, queueUrls.get(mode), maxCallers));
          if (r.errors() > 0) throw new IllegalStateException(mode + ": errors in the warm-up, first: " + r.firstError());
        }
      }
      for (int round = 1; round <= options.rounds(); round++) {
        for (int callers : options.callers()) {
          for (String mode : options.modes()) {
            ServerProcess server = servers.get(mode);
            HttpLoad.Result r = load.run(server.port, callers, options.warmup(), options.measure(), 200, server.pid(),
                sendMessage(server.port, queueUrls.get(mode), callers));
            measured.add(new Measured(mode, callers, round, r));
            SnsBench.log("round %d metrics %-3s %2d callers: %8.0f req/s p50 %6.2f ms p99 %6.2f ms | server cores %.2f%s",
                round, mode, callers, r.perSecond(), r.p50Ms(), r.p99Ms(), r.cpu().serverCores(),
                r.errors() > 0 ? " | errors " + r.errors() + ": " + r.firstError() : "");
          }
        }
      }
      StringBuilder scrapes = new StringBuilder();
      for (Map.Entry<String, ServerProcess> e : servers.entrySet()) {
        scrapes.append(scrapeLine(e.getKey(), e.getValue().port));
      }
      String report = report(machine, options, measured, String.join(" ", args)) + scrapes;
      Files.writeString(out.resolve("report.md"), report);
      System.out.println(report);
      System.err.println("report and server logs: " + out);
    } finally {
      servers.values().forEach(ServerProcess::close);
      load.close();
      vertx.close().await();
    }
  }

  /** Caller i's next SendMessage, signed afresh each time by its own signer. */
  private static java.util.function.IntFunction<HttpLoad.Call> sendMessage(int port, String queueUrl, int callers) {
    Buffer body = Buffer.buffer("{\"QueueUrl\":\"" + queueUrl + "\",\"MessageBody\":\"" + SqsBench.MESSAGE_BODY + "\"}");
    BenchSigner[] signers = new BenchSigner[callers];
    for (int i = 0; i < callers; i++) signers[i] = new BenchSigner(KEY, SECRET, "us-east-1", "sqs", port);
    return i -> new HttpLoad.Call(HttpMethod.POST, "/", signers[i].jsonPost(JSON, "AmazonSQS.SendMessage", body), body);
  }

  private static String createQueue(int port) throws Exception {
    Buffer body = Buffer.buffer("{\"QueueName\":\"" + QUEUE + "\"}");
    MultiMap headers = new BenchSigner(KEY, SECRET, "us-east-1", "sqs", port).jsonPost(JSON, "AmazonSQS.CreateQueue", body);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes()));
    headers.forEach(h -> request.header(h.getKey(), h.getValue()));
    HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) throw new IllegalStateException("CreateQueue: " + answer.statusCode() + " " + answer.body());
    return new io.vertx.core.json.JsonObject(answer.body()).getString("QueueUrl");
  }

  /** What the server's {@code /metrics} says of the bench queue's sends (404 with metrics off). */
  private static String scrapeLine(String mode, int port) throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    String sent = answer.body().lines()
        .filter(l -> l.startsWith("eventplane_sqs_messages_sent_total{") && l.contains("queue=\"" + QUEUE + "\""))
        .findFirst().orElse("(no sent counter)");
    return String.format(Locale.ROOT, "%n/metrics with --metrics %s: HTTP %d; %s%n", mode, answer.statusCode(),
        answer.statusCode() == 200 ? sent : "no metrics");
  }

  static String report(String machine, Options options, List<Measured> measured, String args) {
    StringBuilder md = new StringBuilder();
    md.append("## Metrics: SendMessage with --metrics on and off\n\n")
        .append("Command: `bench/run-metrics-bench.sh ").append(args).append("`  \n")
        .append("Machine: ").append(machine).append("  \n")
        .append(String.format(Locale.ROOT, "Durability %s; %d rounds of %d s (after %d s warm-up) per mode and caller count, "
            + "modes interleaved; every request SigV4-signed, --auth off on both; medians over rounds.%n%n",
            options.durability(), options.rounds(), options.measure(), options.warmup()))
        .append("| callers | metrics | req/s | p50 ms | p99 ms | server cores | req/s vs off | p99 vs off |\n")
        .append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (int callers : options.callers()) {
      double offRate = median(measured, "off", callers, r -> r.perSecond());
      double offP99 = median(measured, "off", callers, r -> r.p99Ms());
      for (String mode : options.modes()) {
        double rate = median(measured, mode, callers, r -> r.perSecond());
        double p99 = median(measured, mode, callers, r -> r.p99Ms());
        md.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.2f | %.2f | %.2f | %s | %s |%n", callers, mode, rate,
            median(measured, mode, callers, r -> r.p50Ms()), p99, median(measured, mode, callers, r -> r.cpu().serverCores()),
            Double.isNaN(offRate) ? "-" : String.format(Locale.ROOT, "%.2f", rate / offRate),
            Double.isNaN(offP99) ? "-" : String.format(Locale.ROOT, "%.2f", p99 / offP99)));
      }
    }
    long errors = measured.stream().mapToLong(m -> m.result().errors()).sum();
    md.append("\nErrors in measured windows: ").append(errors).append('\n');
    return md.toString();
  }

  private static double median(List<Measured> measured, String mode, int callers,
      java.util.function.ToDoubleFunction<HttpLoad.Result> value) {
    double[] v = measured.stream().filter(m -> m.mode().equals(mode) && m.callers() == callers)
        .mapToDouble(m -> value.applyAsDouble(m.result())).sorted().toArray();
    if (v.length == 0) return Double.NaN;
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
