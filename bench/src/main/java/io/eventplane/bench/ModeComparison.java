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
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * What a server flag costs on the hot path: SQS SendMessage (AWS JSON, SigV4-signed as SDKs sign)
 * against one Eventplane server per value ("mode") of the flag, modes interleaved within each round and
 * their order reversed every other round (so neither mode always runs first, after the other's load).
 * Reports the median requests/s, p50 and p99 per mode and caller count, each mode's ratio to the
 * baseline mode, and the ratio paired round by round (each round's two runs are seconds apart, so the
 * machine's slow drifts cancel) with its median. {@link AuthBench} ({@code --auth}) and {@link MetricsBench} ({@code --metrics}) are
 * its two uses; a {@link Comparison} says what differs between them.
 *
 * <p>Arguments: {@code [--rounds 3] [--callers 1,16] [--warmup 2] [--measure 5] [--jit-warmup 5]
 * [--modes ...] [--durability none|fsync] [--jfr MODES] [--root .]}; {@code --jfr} names the modes whose
 * server records a JFR profile into the results directory.
 */
final class ModeComparison {
  static final String ADMIN_KEY = "EVENTPLANEBENCHADMIN";
  static final String ADMIN_SECRET = "bench/secret/0123456789abcdefghijklmnopqrstuv";
  private static final String JSON = "application/x-amz-json-1.0";

  /** What one comparison measures. */
  interface Comparison {
    /** Short name: the results directory's prefix and the script's ({@code bench/run-NAME-bench.sh}). */
    String name();

    /** The report's heading. */
    String title();

    /** One sentence on how the requests are made, for the report. */
    String requests();

    List<String> defaultModes();

    /** The mode the others are compared with. */
    String baseline();

    /** The server's arguments in that mode (the admin key is added to them). */
    List<String> serverArgs(String mode);

    /** The queue SendMessage writes to. */
    String queue();

    /** The access key {id, secret} the load signs with, made on a started server. */
    default String[] signingKey(int port) throws Exception {
      return new String[] {ADMIN_KEY, ADMIN_SECRET};
    }

    /** Lines for the end of the report, read from each mode's server after the run. */
    default String afterRun(String mode, int port) throws Exception {
      return "";
    }
  }

  record Options(Path root, int rounds, List<Integer> callers, int warmup, int measure, int jitWarmup,
      List<String> modes, String durability, List<String> jfr) {
    static Options parse(String[] args, List<String> defaultModes) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
        m.put(args[i].substring(2), args[i + 1]);
      }
      return new Options(Path.of(m.getOrDefault("root", ".")), Integer.parseInt(m.getOrDefault("rounds", "3")),
          list(m.getOrDefault("callers", "1,16")).stream().map(Integer::valueOf).toList(),
          Integer.parseInt(m.getOrDefault("warmup", "2")), Integer.parseInt(m.getOrDefault("measure", "5")),
          Integer.parseInt(m.getOrDefault("jit-warmup", "5")),
          m.containsKey("modes") ? list(m.get("modes")) : defaultModes, m.getOrDefault("durability", "none"),
          m.containsKey("jfr") ? list(m.get("jfr")) : List.of());
    }

    private static List<String> list(String commaSeparated) {
      return Arrays.stream(commaSeparated.split(",")).map(String::trim).toList();
    }
  }

  record Measured(String mode, int callers, int round, HttpLoad.Result result) {}

  private ModeComparison() {}

  static void run(Comparison comparison, String[] args) throws Exception {
    Options options = Options.parse(args, comparison.defaultModes());
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = Files.createDirectories(options.root().resolve("bench/target/bench-results/" + comparison.name() + "-" + stamp));
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
        List<String> jvm = options.jfr().contains(mode)
            ? List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + out.resolve(mode + ".jfr"))
            : List.of();
        List<String> serverArgs = new ArrayList<>(comparison.serverArgs(mode));
        serverArgs.addAll(List.of("--admin-access-key-id", ADMIN_KEY, "--admin-secret-access-key", ADMIN_SECRET));
        servers.put(mode, ServerProcess.start(target, layout, jvm, serverArgs, out));
      }
      Map<String, IntFunction<IntFunction<HttpLoad.Call>>> sends = new LinkedHashMap<>();
      for (Map.Entry<String, ServerProcess> e : servers.entrySet()) {
        int port = e.getValue().port;
        ApiGatewayBench.awaitHealthy(port, "/_eventplane/health");
        String queueUrl = createQueue(port, comparison.queue());
        String[] key = comparison.signingKey(port);
        sends.put(e.getKey(), callers -> sendMessage(port, queueUrl, callers, key));
      }
      if (options.jitWarmup() > 0) {
        for (String mode : options.modes()) {
          ServerProcess server = servers.get(mode);
          HttpLoad.Result r = load.run(server.port, maxCallers, 0, options.jitWarmup(), 200, server.pid(),
              sends.get(mode).apply(maxCallers));
          if (r.errors() > 0) throw new IllegalStateException(mode + ": errors in the warm-up, first: " + r.firstError());
        }
      }
      for (int round = 1; round <= options.rounds(); round++) {
        for (int callers : options.callers()) {
          for (String mode : roundOrder(options.modes(), round)) {
            ServerProcess server = servers.get(mode);
            HttpLoad.Result r = load.run(server.port, callers, options.warmup(), options.measure(), 200, server.pid(),
                sends.get(mode).apply(callers));
            measured.add(new Measured(mode, callers, round, r));
            SnsBench.log("round %d %s %-5s %2d callers: %8.0f req/s p50 %6.2f ms p99 %6.2f ms | server cores %.2f%s",
                round, comparison.name(), mode, callers, r.perSecond(), r.p50Ms(), r.p99Ms(), r.cpu().serverCores(),
                r.errors() > 0 ? " | errors " + r.errors() + ": " + r.firstError() : "");
          }
        }
      }
      StringBuilder report = new StringBuilder(report(comparison, machine, options, measured, String.join(" ", args)));
      for (Map.Entry<String, ServerProcess> e : servers.entrySet()) {
        report.append(comparison.afterRun(e.getKey(), e.getValue().port));
      }
      Files.writeString(out.resolve("report.md"), report);
      System.out.println(report);
      System.err.println("report and server logs: " + out);
    } finally {
      servers.values().forEach(ServerProcess::close);
      load.close();
      vertx.close().await();
    }
  }

  /** The modes in their given order in odd rounds, reversed in even ones. */
  static List<String> roundOrder(List<String> modes, int round) {
    if (round % 2 == 1) return modes;
    List<String> reversed = new ArrayList<>(modes);
    java.util.Collections.reverse(reversed);
    return reversed;
  }

  /** Caller i's next SendMessage, signed afresh each time by its own signer (signers are per caller, not shared). */
  private static IntFunction<HttpLoad.Call> sendMessage(int port, String queueUrl, int callers, String[] key) {
    Buffer body = Buffer.buffer("{\"QueueUrl\":\"" + queueUrl + "\",\"MessageBody\":\"" + SqsBench.MESSAGE_BODY + "\"}");
    BenchSigner[] signers = new BenchSigner[callers];
    for (int i = 0; i < callers; i++) signers[i] = new BenchSigner(key[0], key[1], "us-east-1", "sqs", port);
    return i -> new HttpLoad.Call(HttpMethod.POST, "/", signers[i].jsonPost(JSON, "AmazonSQS.SendMessage", body), body);
  }

  private static String createQueue(int port, String name) throws Exception {
    Buffer body = Buffer.buffer("{\"QueueName\":\"" + name + "\"}");
    MultiMap headers = new BenchSigner(ADMIN_KEY, ADMIN_SECRET, "us-east-1", "sqs", port)
        .jsonPost(JSON, "AmazonSQS.CreateQueue", body);
    String answer = send(port, body, headers, "CreateQueue");
    return new io.vertx.core.json.JsonObject(answer).getString("QueueUrl");
  }

  /** Posts a signed body to the server's edge port; the answer's body, or an exception unless HTTP 200. */
  static String send(int port, Buffer body, MultiMap headers, String what) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes()));
    headers.forEach(h -> request.header(h.getKey(), h.getValue()));
    HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) throw new IllegalStateException(what + ": " + answer.statusCode() + " " + answer.body());
    return answer.body();
  }

  static String report(Comparison comparison, String machine, Options options, List<Measured> measured, String args) {
    String base = comparison.baseline();
    StringBuilder md = new StringBuilder();
    md.append("## ").append(comparison.title()).append("\n\n")
        .append("Command: `bench/run-").append(comparison.name()).append("-bench.sh ").append(args).append("`  \n")
        .append("Machine: ").append(machine).append("  \n")
        .append(String.format(Locale.ROOT, "Durability %s; %d rounds of %d s (after %d s warm-up) per mode and caller count, "
            + "modes interleaved, their order reversed every other round; %s; medians over rounds.%n%n",
            options.durability(), options.rounds(), options.measure(), options.warmup(), comparison.requests()))
        .append("| callers | mode | req/s | p50 ms | p99 ms | server cores | req/s vs ").append(base)
        .append(" | p99 vs ").append(base).append(" |\n")
        .append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (int callers : options.callers()) {
      double baseRate = median(measured, base, callers, r -> r.perSecond());
      double baseP99 = median(measured, base, callers, r -> r.p99Ms());
      for (String mode : options.modes()) {
        double rate = median(measured, mode, callers, r -> r.perSecond());
        double p99 = median(measured, mode, callers, r -> r.p99Ms());
        md.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.2f | %.2f | %.2f | %s | %s |%n", callers, mode, rate,
            median(measured, mode, callers, r -> r.p50Ms()), p99, median(measured, mode, callers, r -> r.cpu().serverCores()),
            Double.isNaN(baseRate) ? "-" : String.format(Locale.ROOT, "%.2f", rate / baseRate),
            Double.isNaN(baseP99) ? "-" : String.format(Locale.ROOT, "%.2f", p99 / baseP99)));
      }
    }
    md.append('\n');
    for (int callers : options.callers()) {
      for (String mode : options.modes()) {
        if (mode.equals(base)) continue;
        double[] paired = pairedRatios(measured, mode, base, callers);
        if (paired.length == 0) continue;
        md.append(String.format(Locale.ROOT, "Req/s %s vs %s at %d callers, round by round: %s (median %.2f)%n", mode, base,
            callers, Arrays.stream(paired).mapToObj(r -> String.format(Locale.ROOT, "%.2f", r))
                .collect(java.util.stream.Collectors.joining(", ")), medianOf(paired.clone())));
      }
    }
    long errors = measured.stream().mapToLong(m -> m.result().errors()).sum();
    md.append("\nErrors in measured windows: ").append(errors).append('\n');
    return md.toString();
  }

  /** Each round's requests/s of the mode divided by the baseline's in the same round, in round order. */
  static double[] pairedRatios(List<Measured> measured, String mode, String base, int callers) {
    Map<Integer, Double> baseRates = new LinkedHashMap<>();
    measured.stream().filter(m -> m.mode().equals(base) && m.callers() == callers)
        .forEach(m -> baseRates.put(m.round(), m.result().perSecond()));
    return measured.stream().filter(m -> m.mode().equals(mode) && m.callers() == callers && baseRates.containsKey(m.round()))
        .mapToDouble(m -> m.result().perSecond() / baseRates.get(m.round())).toArray();
  }

  private static double median(List<Measured> measured, String mode, int callers, ToDoubleFunction<HttpLoad.Result> value) {
    return medianOf(measured.stream().filter(m -> m.mode().equals(mode) && m.callers() == callers)
        .mapToDouble(m -> value.applyAsDouble(m.result())).toArray());
  }

  private static double medianOf(double[] v) {
    Arrays.sort(v);
    if (v.length == 0) return Double.NaN;
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
