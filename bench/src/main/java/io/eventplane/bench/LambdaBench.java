package io.eventplane.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Functions on one node ({@code --durability fsync}), over Lambda's REST-JSON API as the SDKs call
 * it: cold start (CreateFunction, then the first Invoke, each with a new function so that every
 * one starts a new worker JVM), warm Invoke latency and throughput with 1 and with 8 closed-loop
 * callers (8 callers make the node start 8 instances), and SQS -> function throughput through an
 * event source mapping with MaximumConcurrency 2 and 8. The invoked handler is the examples jar's
 * {@code Diagnostics} with an empty event (it reads its context and answers a small JSON object);
 * the queue's is {@code OrderProcessor}.
 *
 * <pre>bench/run-lambda-bench.sh [--cold 10] [--jit-warmup 20] [--measure 15] [--messages 10000] [--root .]</pre>
 */
public final class LambdaBench {
  private static final String HANDLER = "io.eventplane.examples.Diagnostics::handleRequest";
  private static final String ROLE = "arn:aws:iam::000000000000:role/bench";

  record Options(Path root, int cold, int jitWarmup, int measure, int messages) {
    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
      return new Options(Path.of(m.getOrDefault("root", ".")).toAbsolutePath().normalize(),
          Integer.parseInt(m.getOrDefault("cold", "10")), Integer.parseInt(m.getOrDefault("jit-warmup", "20")),
          Integer.parseInt(m.getOrDefault("measure", "15")), Integer.parseInt(m.getOrDefault("messages", "10000")));
    }
  }

  record Load(int callers, long invocations, double seconds, Histogram micros) {
    double perSecond() {
      return invocations / seconds;
    }
  }

  private final Options options;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private String zipBase64;
  private int port;

  private LambdaBench(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = Files.createDirectories(options.root().resolve("bench/target/bench-results/lambda-" + stamp));
    LambdaBench bench = new LambdaBench(options);
    bench.zipBase64 = Base64.getEncoder().encodeToString(
        Files.readAllBytes(options.root().resolve("examples/target/eventplane-examples.jar")));
    String machine = ClusterBench.machine(options.root());
    Path data = Files.createTempDirectory("eventplane-lambda-bench");
    Process server = null;
    try {
      bench.port = freePort();
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          options.root().resolve("server/target/eventplane.jar").toString(), "--port", Integer.toString(bench.port),
          "--bind", "127.0.0.1", "--data-dir", data.toString(), "--durability", "fsync");
      server = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(out.resolve("server.log").toFile())).start();
      Process started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
      bench.awaitHealthy();

      List<double[]> cold = new ArrayList<>();
      for (int i = 0; i < options.cold(); i++) cold.add(bench.coldStart("cold-" + i));
      bench.create("warm");
      bench.invoke("warm");
      SnsBench.log("JIT warm-up %d s", options.jitWarmup());
      bench.load("warm", 1, options.jitWarmup());
      Load one = bench.load("warm", 1, options.measure());
      SnsBench.log("1 caller: %.0f invocations/s, p50 %.2f ms", one.perSecond(), one.micros().getValueAtPercentile(50) / 1000.0);
      Load eight = bench.load("warm", 8, options.measure());
      SnsBench.log("8 callers: %.0f invocations/s, p50 %.2f ms", eight.perSecond(), eight.micros().getValueAtPercentile(50) / 1000.0);
      List<double[]> sqs = new ArrayList<>();
      for (int concurrency : new int[] {2, 8}) sqs.add(bench.sqsToFunction(concurrency, options.messages()));
      String report = render(machine, options, cold, one, eight, sqs);
      Files.writeString(out.resolve("report.md"), report);
      System.out.println(report);
      System.out.println("report and server log: " + out);
    } finally {
      if (server != null) {
        server.destroy();
        if (!server.waitFor(15, TimeUnit.SECONDS)) server.destroyForcibly();
      }
      try (var paths = Files.walk(data)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** {create ms, first invoke ms, create-to-first-response ms} of a new function. */
  private double[] coldStart(String name) throws Exception {
    long t0 = System.nanoTime();
    create(name);
    long t1 = System.nanoTime();
    invoke(name);
    long t2 = System.nanoTime();
    double[] r = {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t2 - t0) / 1e6};
    SnsBench.log("cold start %s: create %.1f ms, first invoke %.1f ms, total %.1f ms", name, r[0], r[1], r[2]);
    return r;
  }

  private void create(String name) throws Exception {
    String body = "{\"FunctionName\":\"" + name + "\",\"Runtime\":\"java17\",\"Role\":\"" + ROLE + "\",\"Handler\":\""
        + HANDLER + "\",\"MemorySize\":256,\"Timeout\":30,\"Code\":{\"ZipFile\":\"" + zipBase64 + "\"}}";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/2015-03-31/functions"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) throw new IllegalStateException("CreateFunction " + name + ": " + r.statusCode() + " " + r.body());
  }

  private void invoke(String name) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/2015-03-31/functions/" + name + "/invocations"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || r.headers().firstValue("X-Amz-Function-Error").isPresent()) {
      throw new IllegalStateException("Invoke " + name + ": " + r.statusCode() + " " + r.body());
    }
  }

  /**
   * SQS -> function: {@code messages} messages wait in a queue, then a mapping (batch 10,
   * MaximumConcurrency {@code concurrency}) is enabled; measured until the queue is empty.
   * Returns {concurrency, messages, seconds}.
   */
  private double[] sqsToFunction(int concurrency, int messages) throws Exception {
    String queue = "bench-orders-" + concurrency;
    sqs("CreateQueue", "{\"QueueName\":\"" + queue + "\",\"Attributes\":{\"VisibilityTimeout\":\"60\"}}");
    String url = "http://127.0.0.1:" + port + "/000000000000/" + queue;
    String function = "sqs-consumer-" + concurrency;
    String body = "{\"FunctionName\":\"" + function + "\",\"Runtime\":\"java17\",\"Role\":\"" + ROLE + "\",\"Handler\":\""
        + "io.eventplane.examples.OrderProcessor::handleRequest\",\"MemorySize\":256,\"Timeout\":30,\"Code\":{\"ZipFile\":\""
        + zipBase64 + "\"}}";
    post("/2015-03-31/functions", body, 201);
    String mapping = post("/2015-03-31/event-source-mappings", "{\"FunctionName\":\"" + function + "\",\"EventSourceArn\":"
        + "\"arn:aws:sqs:us-east-1:000000000000:" + queue + "\",\"BatchSize\":10,\"Enabled\":false,"
        + "\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"],\"ScalingConfig\":{\"MaximumConcurrency\":" + concurrency + "}}", 202);
    String uuid = mapping.replaceAll("(?s).*\"UUID\":\"([^\"]+)\".*", "$1");
    ExecutorService senders = Executors.newFixedThreadPool(8);
    List<Future<?>> sent = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      sent.add(senders.submit(() -> {
        for (int i = thread * 10; i < messages; i += 80) {
          StringBuilder entries = new StringBuilder();
          for (int j = 0; j < 10 && i + j < messages; j++) {
            if (j > 0) entries.append(',');
            entries.append("{\"Id\":\"").append(j).append("\",\"MessageBody\":\"order ").append(i + j).append("\"}");
          }
          sqs("SendMessageBatch", "{\"QueueUrl\":\"" + url + "\",\"Entries\":[" + entries + "]}");
        }
        return null;
      }));
    }
    for (Future<?> f : sent) f.get();
    senders.shutdown();
    long started = System.nanoTime();
    HttpResponse<String> enabled = http.send(HttpRequest.newBuilder(uri("/2015-03-31/event-source-mappings/" + uuid))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"Enabled\":true}")).build(), HttpResponse.BodyHandlers.ofString());
    if (enabled.statusCode() != 202) throw new IllegalStateException("UpdateEventSourceMapping: " + enabled.body());
    while (true) {
      String attrs = sqs("GetQueueAttributes", "{\"QueueUrl\":\"" + url + "\",\"AttributeNames\":[\"All\"]}");
      boolean empty = attrs.contains("\"ApproximateNumberOfMessages\":\"0\"")
          && attrs.contains("\"ApproximateNumberOfMessagesNotVisible\":\"0\"");
      if (empty) break;
      if (System.nanoTime() - started > 600_000_000_000L) throw new IllegalStateException("the queue did not drain: " + attrs);
      Thread.sleep(20);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    SnsBench.log("SQS -> function, MaximumConcurrency %d: %d messages in %.1f s = %.0f messages/s", concurrency, messages,
        seconds, messages / seconds);
    return new double[] {concurrency, messages, seconds};
  }

  private String sqs(String action, String json) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/")).header("X-Amz-Target", "AmazonSQS." + action)
        .header("Content-Type", "application/x-amz-json-1.0").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(action + ": " + r.statusCode() + " " + r.body());
    return r.body();
  }

  private String post(String path, String json, int status) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != status) throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
    return r.body();
  }

  private Load load(String name, int callers, int seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long started = System.nanoTime();
    List<Future<Histogram>> all = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      all.add(pool.submit(() -> {
        Histogram h = new Histogram(60_000_000L, 3);
        while (System.nanoTime() < end) {
          long t = System.nanoTime();
          invoke(name);
          h.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
        }
        return h;
      }));
    }
    Histogram total = new Histogram(60_000_000L, 3);
    for (Future<Histogram> f : all) total.add(f.get());
    double took = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    return new Load(callers, total.getTotalCount(), took, total);
  }

  private static String render(String machine, Options o, List<double[]> cold, Load one, Load eight, List<double[]> sqs) {
    StringBuilder md = new StringBuilder("# Lambda benchmark\n\n");
    md.append("Machine: ").append(machine).append("\n\n");
    md.append(String.format(Locale.ROOT, "Handler `%s` (examples jar, %s), java17, 256 MB; one node, fsync. "
        + "JIT warm-up %d s, each load %d s.%n%n", HANDLER, "shaded with aws-lambda-java-events", o.jitWarmup(), o.measure()));
    md.append("## Cold start (CreateFunction, then the first Invoke of that function)\n\n");
    md.append("| | median | min | max |\n|---|---|---|---|\n");
    for (int i = 0; i < 3; i++) {
      int k = i;
      double[] v = cold.stream().mapToDouble(c -> c[k]).sorted().toArray();
      String what = switch (i) {
        case 0 -> "CreateFunction (store the 2.3 MB package)";
        case 1 -> "first Invoke (new worker JVM, runtime client, handler init)";
        default -> "create to first response";
      };
      md.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms |%n", what, median(v), v[0], v[v.length - 1]));
    }
    md.append(String.format(Locale.ROOT, "%n%d functions, each cold once.%n%n", cold.size()));
    md.append("## Warm invocations\n\n| callers | invocations/s | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|\n");
    for (Load l : List.of(one, eight)) {
      Histogram h = l.micros();
      md.append(String.format(Locale.ROOT, "| %d | %.0f | %.2f ms | %.2f ms | %.2f ms | %.1f ms |%n", l.callers(), l.perSecond(),
          h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
          h.getMaxValue() / 1000.0));
    }
    md.append("\n## SQS -> function (event source mapping, BatchSize 10, ReportBatchItemFailures)\n\n");
    md.append("Messages waiting in the queue when the mapping is enabled; measured until the queue is empty. Handler: "
        + "`OrderProcessor` (logs each message).\n\n| MaximumConcurrency | messages | seconds | messages/s |\n|---|---|---|---|\n");
    for (double[] r : sqs) {
      md.append(String.format(Locale.ROOT, "| %.0f | %.0f | %.1f | %.0f |%n", r[0], r[1], r[2], r[1] / r[2]));
    }
    return md.toString();
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private void awaitHealthy() throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(uri("/_eventplane/health")).GET().build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
      } catch (java.io.IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the server did not become healthy");
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
