package io.eventplane.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * SNS fan-out on one node with {@code --durability fsync}: for topics with 1, 10 and 50 SQS
 * subscriptions (raw delivery), the publish throughput (16 closed-loop publishers) and, at a fixed
 * publish rate, the end-to-end latency from the publish call to the message being received from
 * every subscribed queue (consumers long-poll every queue the whole time and delete what they get).
 *
 * <pre>bench/run-sns-bench.sh [--subscribers 1,10,50] [--rate 1000] [--clients 16] [--jit-warmup 20]
 *     [--warmup 5] [--measure 15] [--pollers 3] [--root .]</pre>
 *
 * <p>{@code --pollers} is the number of concurrent ReceiveMessage loops per queue: one loop per
 * queue cannot drain 1,000 messages/s when each receive takes more than 10 ms.
 *
 * <p>The fixed rate is {@code --rate} publishes/s, lowered to half the measured closed-loop peak
 * when the server cannot sustain it for that subscriber count (the report says which rate ran).
 */
public final class SnsBench {
  private static final String ACCOUNT = "000000000000";

  record Options(Path root, List<Integer> subscribers, double rate, int clients, int jitWarmup, int warmup, int measure,
      int pollers) {
    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
      return new Options(Path.of(m.getOrDefault("root", ".")).toAbsolutePath().normalize(),
          Arrays.stream(m.getOrDefault("subscribers", "1,10,50").split(",")).map(String::trim).map(Integer::parseInt).toList(),
          Double.parseDouble(m.getOrDefault("rate", "1000")), Integer.parseInt(m.getOrDefault("clients", "16")),
          Integer.parseInt(m.getOrDefault("jit-warmup", "20")), Integer.parseInt(m.getOrDefault("warmup", "5")),
          Integer.parseInt(m.getOrDefault("measure", "15")), Integer.parseInt(m.getOrDefault("pollers", "3")));
    }
  }

  /** One subscriber count's results. */
  record Result(int subscribers, double publishesPerSecond, double publishP50, double publishP99, double rate,
      long published, long completed, double e2eP50, double e2eP99, double e2eMax, double fixedPublishP50,
      double fixedPublishP99, double serverCores) {}

  private final Options options;
  private final Vertx vertx;
  private final HttpClientAgent http;
  private int port;

  private SnsBench(Options options) {
    this.options = options;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(256));
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = Files.createDirectories(options.root().resolve("bench/target/bench-results/sns-" + stamp));
    SnsBench bench = new SnsBench(options);
    String machine = ClusterBench.machine(options.root());
    Path data = Files.createTempDirectory("eventplane-sns-bench");
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
      List<Result> results = new ArrayList<>();
      boolean first = true;
      for (int n : options.subscribers()) {
        results.add(bench.measure(n, first ? options.jitWarmup() : 0, server.pid()));
        first = false;
      }
      String report = render(machine, options, results);
      Files.writeString(out.resolve("report.md"), report);
      System.out.println(report);
      System.out.println("report and server log: " + out);
    } finally {
      if (server != null) {
        server.destroy();
        if (!server.waitFor(15, TimeUnit.SECONDS)) server.destroyForcibly();
      }
      bench.vertx.close().await();
      try (var paths = Files.walk(data)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Result measure(int n, int jitWarmupSeconds, long serverPid) throws Exception {
    String topic = sns("CreateTopic", Map.of("Name", "bench-" + n)).replaceAll("(?s).*<TopicArn>([^<]+)</TopicArn>.*", "$1");
    List<String> queueUrls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = "bench-" + n + "-q" + i;
      JsonObject created = sqs("CreateQueue", new JsonObject().put("QueueName", name));
      queueUrls.add(created.getString("QueueUrl"));
      sns("Subscribe", Map.of("TopicArn", topic, "Protocol", "sqs", "Endpoint", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name,
          "Attributes.entry.1.key", "RawMessageDelivery", "Attributes.entry.1.value", "true"));
    }
    Tracker tracker = new Tracker(n);
    AtomicBoolean consuming = new AtomicBoolean(true);
    for (String url : queueUrls) {
      for (int i = 0; i < options.pollers(); i++) consume(url, tracker, consuming);
    }
    try {
      if (jitWarmupSeconds > 0) {
        log("%d subscribers: JIT warm-up %d s", n, jitWarmupSeconds);
        closedLoop(topic, tracker, jitWarmupSeconds, null);
        tracker.drain(60);
      }
      log("%d subscribers: closed loop, %d publishers", n, options.clients());
      closedLoop(topic, tracker, options.warmup(), null);
      Histogram publishLatency = histogram();
      CpuShare.Sample cpuBefore = CpuShare.sample(serverPid);
      long t0 = System.nanoTime();
      long acked = closedLoop(topic, tracker, options.measure(), publishLatency);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cores = CpuShare.between(cpuBefore, CpuShare.sample(serverPid)).serverCores();
      double peak = acked / seconds;
      log("%d subscribers: %.0f publishes/s (%.0f deliveries/s), publish p50 %.2f p99 %.2f ms; draining", n, peak, peak * n,
          publishLatency.getValueAtPercentile(50) / 1000.0, publishLatency.getValueAtPercentile(99) / 1000.0);
      tracker.drain(120);
      double rate = peak >= options.rate() * 1.2 ? options.rate() : Math.floor(peak * 0.5);
      log("%d subscribers: fixed rate %.0f publishes/s", n, rate);
      openLoop(topic, tracker, rate, options.warmup(), null);
      tracker.drain(60);
      tracker.startRecording();
      Histogram fixedPublish = histogram();
      long published = openLoop(topic, tracker, rate, options.measure(), fixedPublish);
      tracker.drain(60);
      Histogram e2e = tracker.stopRecording();
      log("%d subscribers: publish-to-all-%d-queues p50 %.2f p99 %.2f ms (%d of %d complete)", n, n,
          e2e.getValueAtPercentile(50) / 1000.0, e2e.getValueAtPercentile(99) / 1000.0, e2e.getTotalCount(), published);
      return new Result(n, peak, publishLatency.getValueAtPercentile(50) / 1000.0,
          publishLatency.getValueAtPercentile(99) / 1000.0, rate, published, e2e.getTotalCount(),
          e2e.getValueAtPercentile(50) / 1000.0, e2e.getValueAtPercentile(99) / 1000.0, e2e.getMaxValue() / 1000.0,
          fixedPublish.getValueAtPercentile(50) / 1000.0, fixedPublish.getValueAtPercentile(99) / 1000.0, cores);
    } finally {
      consuming.set(false);
    }
  }

  /** Per published message: when it was published and how many queues have yet to give it back. */
  private static final class Tracker {
    private final int queues;
    private final Map<Long, long[]> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile Histogram recording;

    Tracker(int queues) {
      this.queues = queues;
    }

    long next() {
      return sequence.incrementAndGet();
    }

    void published(long seq, long nanos) {
      inFlight.put(seq, new long[] {nanos, queues});
    }

    void received(long seq) {
      long[] entry = inFlight.get(seq);
      if (entry == null) return;
      synchronized (entry) {
        if (--entry[1] == 0) {
          inFlight.remove(seq);
          Histogram h = recording;
          if (h != null) h.recordValue(Math.max(1, (System.nanoTime() - entry[0]) / 1000));
        }
      }
    }

    void startRecording() {
      recording = histogram();
    }

    Histogram stopRecording() {
      Histogram h = recording;
      recording = null;
      return h;
    }

    void drain(int seconds) throws InterruptedException {
      long deadline = System.currentTimeMillis() + seconds * 1000L;
      while (!inFlight.isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(20);
      if (!inFlight.isEmpty()) log("  %d messages not received from every queue after %d s", inFlight.size(), seconds);
      inFlight.clear();
    }
  }

  private void consume(String url, Tracker tracker, AtomicBoolean consuming) {
    if (!consuming.get()) return;
    sqsCall("ReceiveMessage", new JsonObject().put("QueueUrl", url).put("MaxNumberOfMessages", 10).put("WaitTimeSeconds", 2))
        .onComplete(ar -> {
          if (ar.failed()) {
            vertx.setTimer(100, t -> consume(url, tracker, consuming));
            return;
          }
          JsonArray messages = ar.result().getJsonArray("Messages", new JsonArray());
          JsonArray entries = new JsonArray();
          for (int i = 0; i < messages.size(); i++) {
            JsonObject m = messages.getJsonObject(i);
            tracker.received(Long.parseLong(m.getString("Body").substring(0, m.getString("Body").indexOf(':'))));
            entries.add(new JsonObject().put("Id", "e" + i).put("ReceiptHandle", m.getString("ReceiptHandle")));
          }
          if (!entries.isEmpty()) sqsCall("DeleteMessageBatch", new JsonObject().put("QueueUrl", url).put("Entries", entries));
          consume(url, tracker, consuming);
        });
  }

  /** Closed-loop publishers for {@code seconds}; the number of acknowledged publishes. */
  private long closedLoop(String topic, Tracker tracker, int seconds, Histogram latency) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong acked = new AtomicLong();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(options.clients());
    for (int c = 0; c < options.clients(); c++) publishLoop(topic, tracker, end, latency, acked, done);
    done.await(seconds + 60L, TimeUnit.SECONDS);
    return acked.get();
  }

  private void publishLoop(String topic, Tracker tracker, long end, Histogram latency, AtomicLong acked,
      java.util.concurrent.CountDownLatch done) {
    if (System.nanoTime() >= end) {
      done.countDown();
      return;
    }
    publishOne(topic, tracker, latency).onComplete(ar -> {
      if (ar.succeeded()) acked.incrementAndGet();
      publishLoop(topic, tracker, end, latency, acked, done);
    });
  }

  /** Publishes at a fixed rate (paced from a 1 ms ticker) for {@code seconds}; the number sent. */
  private long openLoop(String topic, Tracker tracker, double rate, int seconds, Histogram latency)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    AtomicLong sent = new AtomicLong();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      if (now >= end) {
        vertx.cancelTimer(id);
        done.countDown();
        return;
      }
      long due = (long) ((now - start) / 1e9 * rate);
      while (sent.get() < due) {
        sent.incrementAndGet();
        publishOne(topic, tracker, latency);
      }
    });
    done.await(seconds + 30L, TimeUnit.SECONDS);
    return sent.get();
  }

  private Future<String> publishOne(String topic, Tracker tracker, Histogram latency) {
    long seq = tracker.next();
    long t = System.nanoTime();
    tracker.published(seq, t);
    return snsCall("Publish", Map.of("TopicArn", topic, "Message", seq + ":" + "x".repeat(200))).onComplete(ar -> {
      if (latency != null && ar.succeeded()) latency.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
    });
  }

  private static Histogram histogram() {
    return new SynchronizedHistogram(120_000_000L, 3);
  }

  private Future<String> snsCall(String action, Map<String, String> params) {
    StringBuilder form = new StringBuilder("Action=").append(action).append("&Version=2010-03-31");
    params.forEach((k, v) -> form.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/")
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/sns/aws4_request, "
            + "SignedHeaders=host, Signature=" + "0".repeat(64));
    return http.request(o).compose(r -> r.send(form.toString())).compose(r -> r.body().compose(b -> r.statusCode() == 200
        ? Future.succeededFuture(b.toString()) : Future.failedFuture(action + " -> " + r.statusCode() + " " + b)));
  }

  private String sns(String action, Map<String, String> params) throws Exception {
    return snsCall(action, params).await(30, TimeUnit.SECONDS);
  }

  private Future<JsonObject> sqsCall(String action, JsonObject body) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/")
        .putHeader("Content-Type", "application/x-amz-json-1.0").putHeader("X-Amz-Target", "AmazonSQS." + action);
    return http.request(o).compose(r -> r.send(body.toBuffer())).compose(r -> r.body().compose(b -> r.statusCode() == 200
        ? Future.succeededFuture(b.length() == 0 ? new JsonObject() : b.toJsonObject())
        : Future.failedFuture(action + " -> " + r.statusCode() + " " + b)));
  }

  private JsonObject sqs(String action, JsonObject body) throws Exception {
    return sqsCall(action, body).await(30, TimeUnit.SECONDS);
  }

  private void awaitHealthy() throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        int status = http.request(HttpMethod.GET, port, "127.0.0.1", "/_eventplane/health")
            .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp.statusCode()))).await(2, TimeUnit.SECONDS);
        if (status == 200) return;
      } catch (Exception e) {
        // not up yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the server did not become healthy within 60 s");
  }

  private static String render(String machine, Options o, List<Result> results) {
    StringBuilder md = new StringBuilder("# Eventplane SNS fan-out benchmark\n\n");
    md.append("Machine: ").append(machine).append("\n\n");
    md.append(String.format(Locale.ROOT, "Setup: one node, `--durability fsync`; per subscriber count a topic with that many "
        + "SQS subscriptions (raw delivery); %d closed-loop publishers for %d s (after %d s warm-up; %d s JIT warm-up before the "
        + "first count); then publishes at a fixed rate for %d s with %d consumers per queue long-polling it the whole time "
        + "(ReceiveMessage max 10, DeleteMessageBatch); end-to-end = publish call started to the message received from the "
        + "last of the queues. Message 200+ bytes. \"Deliveries queued/s\" is publishes/s times subscribers: what the outbox "
        + "took in, not what was delivered in that time.%n%n", o.clients(), o.measure(), o.warmup(), o.jitWarmup(), o.measure(),
        o.pollers()));
    md.append("| subscribers | publishes/s (closed loop) | deliveries queued/s | Publish p50 / p99 ms | server cores | fixed rate /s "
        + "| complete / published | publish-to-all-queues p50 / p99 / max ms | Publish p50 / p99 ms at that rate |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      md.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f / %.2f | %.2f | %.0f | %d / %d | %.2f / %.2f / %.2f | %.2f / %.2f |%n",
          r.subscribers(), r.publishesPerSecond(), r.publishesPerSecond() * r.subscribers(), r.publishP50(), r.publishP99(),
          r.serverCores(), r.rate(), r.completed(), r.published(), r.e2eP50(), r.e2eP99(), r.e2eMax(), r.fixedPublishP50(),
          r.fixedPublishP99()));
    }
    return md.toString();
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[%tT] " + format + "%n", java.util.stream.Stream.concat(
        java.util.stream.Stream.of(new java.util.Date()), Arrays.stream(args)).toArray());
  }
}
