package io.eventplane.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

/**
 * SQS benchmark: Eventplane (fsync and none) against ElasticMQ and a bare Vert.x endpoint, all
 * in the same run, each in its own child JVM on a loopback port. See docs/benchmarks.md.
 *
 * <pre>bench/run-sqs-bench.sh [--runs 3] [--clients 16] [--generator-warmup 4] [--jit-warmup 3]
 *     [--warmup 2] [--measure 4]
 *     [--targets bare-http,elasticmq,eventplane-fsync,eventplane-none] [--rate N] [--queues 8]
 *     (more targets: eventplane-fsync-t1, eventplane-fsync-t2, fsync with 1 and 2 service threads)
 *     [--jfr] [--server-jvm-opts "-Xmx512m ..."] [--server-args "--service-threads 1"] [--loops 2] [--root .]
 *     [--data-trail] (Eventplane targets: a CloudTrail trail logging every SQS data event, {@link DataTrail})</pre>
 */
public final class SqsBench {

  static final String MESSAGE_BODY = "b".repeat(BareEndpoint.BODY_BYTES);

  /** Command-line options; durations in seconds. */
  record Options(Path root, List<Target> targets, int runs, int clients, Duration generatorWarmup,
                 Duration jitWarmup,
                 Duration warmup, Duration measure, Duration idle, long maxMessages, double rate, boolean jfr,
                 List<String> serverJvmOptions, int loops, List<String> serverArgs, int queues,
                 String account, boolean dataTrail) {

    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (!args[i].startsWith("--")) {
          throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
        String key = args[i].substring(2);
        boolean flag = key.equals("jfr") || key.equals("data-trail");
        m.put(key, flag ? "true" : args[++i]);
      }
      List<Target> targets = Arrays.stream(m.getOrDefault("targets",
              "bare-http,elasticmq,eventplane-fsync,eventplane-none").split(","))
          .map(String::trim).map(Target::byId).toList();
      String jvm = m.getOrDefault("server-jvm-opts", "").trim();
      return new Options(Path.of(m.getOrDefault("root", ".")), targets,
          Integer.parseInt(m.getOrDefault("runs", "3")),
          Integer.parseInt(m.getOrDefault("clients", "16")),
          Duration.ofSeconds(Long.parseLong(m.getOrDefault("generator-warmup", "4"))),
          Duration.ofSeconds(Long.parseLong(m.getOrDefault("jit-warmup", "3"))),
          Duration.ofSeconds(Long.parseLong(m.getOrDefault("warmup", "2"))),
          Duration.ofSeconds(Long.parseLong(m.getOrDefault("measure", "4"))),
          Duration.ofSeconds(Long.parseLong(m.getOrDefault("idle", "3"))),
          Long.parseLong(m.getOrDefault("max-messages", "5000000")),
          Double.parseDouble(m.getOrDefault("rate", "0")),
          Boolean.parseBoolean(m.getOrDefault("jfr", "false")),
          jvm.isEmpty() ? List.of() : List.of(jvm.split("\\s+")),
          Integer.parseInt(m.getOrDefault("loops", "2")),
          words(m.getOrDefault("server-args", "")),
          Integer.parseInt(m.getOrDefault("queues", "8")),
          m.getOrDefault("account", "000000000000"),
          Boolean.parseBoolean(m.getOrDefault("data-trail", "false")));
    }

    /** Extra options for the Eventplane targets' command line ({@code --service-threads 2}). */
    private static List<String> words(String s) {
      return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }
  }

  /** Everything measured for one target in one run. */
  record TargetRun(Target target, int run, long startupMs, long healthMs, long idleRssKib,
                   long loadedRssKib, List<String> notes,
                   Map<String, LoadScenarios.Result> scenarios) {}

  /** Open-loop senders: enough that one slow answer doesn't put a sender behind schedule. */
  static final int OPEN_LOOP_CONNECTIONS = 64;

  static final String UNBATCHED = "unbatched";
  static final String BATCHED = "batched";
  static final String SEND_ONLY = "send-only";
  static final String FIXED_RATE = "fixed-rate";
  /** The same load spread over {@code --queues} queues, whose partitions spread over the lanes. */
  static final String MULTI_SEND = "multi-send";
  static final String MULTI_SEND_BATCH = "multi-send-batch";
  static final String MULTI_CYCLE = "multi-unbatched";
  static final List<String> MULTI = List.of(MULTI_SEND, MULTI_SEND_BATCH, MULTI_CYCLE);

  private final Options options;
  private final Target.Layout layout;
  private final Vertx vertx;
  private final Path logDir;
  private final List<Context> contexts;
  private final AtomicReference<ServerProcess> current = new AtomicReference<>();

  private SqsBench(Options options, Vertx vertx, List<Context> contexts, Path logDir) {
    this.options = options;
    this.contexts = contexts;
    this.layout = Target.Layout.of(options.root());
    this.vertx = vertx;
    this.logDir = logDir;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path outDir = Files.createDirectories(
        Target.Layout.of(options.root()).repoRoot().resolve("bench/target/bench-results/" + stamp));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.loops()));
    SqsBench bench = new SqsBench(options, vertx, eventLoopContexts(vertx, options.loops()), outDir);
    // Ctrl-C or a crash must not leave a server running.
    Thread hook = new Thread(() -> {
      ServerProcess p = bench.current.get();
      if (p != null) {
        p.close();
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      bench.warmUpGenerator();
      List<TargetRun> runs = bench.runAll();
      String report = Report.render(options, runs, String.join(" ", args));
      Files.writeString(outDir.resolve("report.md"), report);
      System.out.println(report);
      System.err.println("report and server logs: " + outDir);
    } finally {
      vertx.close().await();
    }
  }

  /** One context per event loop: deploying n instances hands out the loops round-robin. */
  private static List<Context> eventLoopContexts(Vertx vertx, int n) {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(n)).await();
    return List.copyOf(contexts);
  }

  private List<TargetRun> runAll() throws Exception {
    List<TargetRun> all = new ArrayList<>();
    for (int run = 1; run <= options.runs(); run++) {
      for (Target target : options.targets()) {
        String missing = target.missing(layout);
        if (missing != null) {
          progress("run %d: skipping %s, %s does not exist", run, target.id, missing);
          continue;
        }
        all.add(runTarget(target, run));
      }
    }
    return all;
  }

  private TargetRun runTarget(Target target, int run) throws Exception {
    List<String> jvm = new ArrayList<>(options.serverJvmOptions());
    if (options.jfr() && target.isEventplane()) {
      jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
          + logDir.resolve(target.id + "-run" + run + ".jfr"));
    }
    try (ServerProcess server = ServerProcess.start(target, layout, jvm, options.serverArgs(), logDir)) {
      current.set(server);
      return measure(server, run);
    } finally {
      current.set(null);
    }
  }

  private TargetRun measure(ServerProcess server, int run) throws Exception {
    Target target = server.target;
    List<Lane> lanes = lanes(server.port);
    try {
      Lane main = lanes.get(0);
      long[] ready = awaitReady(server, main);
      progress("run %d: %s (pid %d, port %d) served its first request after %d ms",
          run, target.id, server.pid(), server.port, ready[1]);
      if (options.dataTrail() && target.isEventplane()) {
        DataTrail.start(main.http(), server.port);
        progress("  trail %s logs every SQS data event into bucket %s", DataTrail.TRAIL, DataTrail.BUCKET);
      }
      Thread.sleep(options.idle().toMillis());
      long idleRss = server.rssKib();
      List<String> notes = target == Target.BARE ? List.of() : conformance(main, run);
      notes.forEach(n -> progress("  note: %s", n));

      int c = options.clients();
      // JIT warm-up of the server on the call mix of all scenarios, not reported.
      warmUp(lanes, server, options.jitWarmup());

      LoadScenarios load = new LoadScenarios(vertx, lanes, options.warmup(), options.measure(),
          options.maxMessages(), server.pid(), new ThreadCpu(server.pid(), server.log));
      Map<String, LoadScenarios.Result> results = new LinkedHashMap<>();
      keep(results, load.cycles(UNBATCHED, queue(main, UNBATCHED), MESSAGE_BODY, 1, c));
      keep(results, load.cycles(BATCHED, queue(main, BATCHED), MESSAGE_BODY, 10, c));
      LoadScenarios.Result peak = load.sendOnly(SEND_ONLY, queue(main, SEND_ONLY), MESSAGE_BODY, c);
      keep(results, peak);
      double rate = options.rate() > 0 ? options.rate() : Math.max(1, peak.messagesPerSecond() / 2);
      keep(results, load.fixedRateSend(FIXED_RATE, queue(main, FIXED_RATE), MESSAGE_BODY, rate,
          OPEN_LOOP_CONNECTIONS));
      if (options.queues() > 0) {
        keep(results, load.sendOnly(MULTI_SEND, spreadQueues(main, MULTI_SEND), MESSAGE_BODY, 1, c));
        keep(results, load.sendOnly(MULTI_SEND_BATCH, spreadQueues(main, MULTI_SEND_BATCH), MESSAGE_BODY, 10, c));
        keep(results, load.cycles(MULTI_CYCLE, spreadQueues(main, MULTI_CYCLE), MESSAGE_BODY, 1, c));
      }
      long loadedRss = server.rssKib();
      if (!server.alive()) {
        throw new IllegalStateException(target.id + " died during the run:\n" + server.logTail());
      }
      return new TargetRun(target, run, ready[1], ready[0], idleRss, loadedRss, notes, results);
    } finally {
      // Closed before the server stops, so no pooled connection sees the reset.
      for (Lane lane : lanes) {
        lane.http().close().await();
      }
    }
  }

  /**
   * Warms the load generator itself once, against a bare endpoint, so that the first target
   * measured doesn't pay for the bench JVM's JIT compilation.
   */
  private void warmUpGenerator() throws Exception {
    if (options.generatorWarmup().isZero() || Target.BARE.missing(layout) != null) {
      return;
    }
    progress("warming up the load generator for %d s against a bare endpoint",
        options.generatorWarmup().toSeconds() * 3);
    try (ServerProcess server = ServerProcess.start(Target.BARE, layout, List.of(), List.of(), logDir)) {
      current.set(server);
      List<Lane> lanes = lanes(server.port);
      try {
        awaitReady(server, lanes.get(0));
        warmUp(lanes, server, options.generatorWarmup());
      } finally {
        for (Lane lane : lanes) {
          lane.http().close().await();
        }
      }
    } finally {
      current.set(null);
    }
  }

  /** Unreported load of every shape, {@code each} long. */
  private void warmUp(List<Lane> lanes, ServerProcess server, Duration each) throws Exception {
    if (each.isZero()) {
      return;
    }
    LoadScenarios jit = new LoadScenarios(vertx, lanes, Duration.ZERO, each, options.maxMessages(),
        server.pid());
    int c = options.clients();
    jit.cycles("warm-up", queue(lanes.get(0), "warm-up"), MESSAGE_BODY, 1, c);
    jit.cycles("warm-up", queue(lanes.get(0), "warm-up"), MESSAGE_BODY, 10, c);
    jit.sendOnly("warm-up", queue(lanes.get(0), "warm-up"), MESSAGE_BODY, c);
  }

  /** One HTTP client per bench event loop, each with its share of the connections. */
  private List<Lane> lanes(int port) {
    List<Lane> lanes = new ArrayList<>();
    int connections = Math.max(OPEN_LOOP_CONNECTIONS, options.clients()) / contexts.size() + 1;
    for (Context context : contexts) {
      HttpClientAgent http = vertx.createHttpClient(
          new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true)
              .setConnectTimeout(1_000),
          new PoolOptions().setHttp1MaxSize(connections));
      lanes.add(new Lane(context, http, new SqsCalls(http, port)));
    }
    return lanes;
  }

  private void keep(Map<String, LoadScenarios.Result> results, LoadScenarios.Result r) {
    results.put(r.scenario(), r);
    StringBuilder ops = new StringBuilder();
    r.latencies().forEach((op, s) -> ops.append(String.format(" | %s p50 %.2f p99 %.2f ms",
        op, s.p50Ms(), s.p99Ms())));
    progress("  %-10s %9.0f msg/s | cores: server %.2f bench %.2f other %.2f%s%s%s", r.scenario(),
        r.messagesPerSecond(), r.cpu().serverCores(), r.cpu().benchCores(), r.cpu().otherCores(), ops,
        r.errors() > 0 ? " | errors " + r.errors() + ": " + r.firstError() : "",
        r.emptyReceives() > 0 ? " | empty receives " + r.emptyReceives() : "");
    if (!r.threads().groups().isEmpty()) {
      StringBuilder groups = new StringBuilder();
      r.threads().groups().forEach((g, cores) -> groups.append(String.format(" | %s %.2f", g, cores)));
      progress("  %-10s server threads, cores%s", "", groups);
    }
  }

  /**
   * {@code --queues} fresh queues, queue i in a partition p with {@code p % queues == i}, so they
   * spread evenly over any lane count that divides the queue count (4 + 4 on 2 lanes for 8).
   */
  private List<String> spreadQueues(Lane lane, String scenario) {
    int n = options.queues();
    List<String> urls = new ArrayList<>();
    String stem = "bench-" + scenario + "-" + System.nanoTime() + "-";
    for (int i = 0, k = 0; i < n; k++) {
      String name = stem + k;
      if (sqsPartition(options.account(), name) % n == i % Math.min(n, PARTITIONS)) {
        urls.add(await(lane.run(c -> c.createQueue(name))));
        i++;
      }
    }
    return urls;
  }

  /** The server's partition count ({@code Partitions.COUNT}). */
  static final int PARTITIONS = 64;

  /**
   * The partition Eventplane puts an SQS queue in: {@code Queues.partitionOf} =
   * {@code Partitions.of("sqs", account, name)}, a CRC32 of "sqs/account/name" mod 64. Repeated
   * here because the bench talks to the server only over HTTP; the per-thread table shows whether
   * the queues really landed on different lanes.
   */
  static int sqsPartition(String account, String name) {
    CRC32 crc = new CRC32();
    crc.update(("sqs/" + account + "/" + name).getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % PARTITIONS);
  }

  /** A fresh queue, so no scenario starts with another one's leftovers. */
  private static String queue(Lane lane, String scenario) {
    return await(lane.run(c -> c.createQueue("bench-" + scenario + "-" + System.nanoTime())));
  }

  /**
   * Polls until the server answers; returns {ms to a 200 from the health endpoint (Eventplane
   * only, else -1), ms to the first successful ListQueues}, both from process start.
   */
  private static long[] awaitReady(ServerProcess server, Lane lane) throws Exception {
    long health = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!server.alive()) {
        throw new IllegalStateException(server.target.id + " exited while starting:\n" + server.logTail());
      }
      try {
        if (server.target.isEventplane() && health < 0) {
          if (lane.run(c -> c.get("/_eventplane/health")).await(1, TimeUnit.SECONDS) == 200) {
            health = server.millisSinceStart();
          }
        }
        if (!server.target.isEventplane() || health >= 0) {
          lane.run(c -> c.call("ListQueues", new JsonObject().toBuffer())).await(1, TimeUnit.SECONDS);
          return new long[] {health, server.millisSinceStart()};
        }
      } catch (Exception notYet) {
        // not listening yet, or not ready
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException(server.target.id + " not ready after 60 s:\n" + server.logTail());
  }

  /**
   * A short round trip that the load loops rely on: the body and its MD5 come back intact, a
   * deleted message is gone, batch calls list their entries. Problems become notes in the report.
   */
  private static List<String> conformance(Lane lane, int run) {
    List<String> notes = new ArrayList<>();
    try {
      String url = await(lane.run(c -> c.createQueue("bench-check-" + run)));
      String body = "conformance " + run + " \u00e9\u6f22";
      JsonObject sent = await(lane.run(c -> c.callJson("SendMessage",
          new JsonObject().put("QueueUrl", url).put("MessageBody", body))));
      if (!md5(body).equals(sent.getString("MD5OfMessageBody"))) {
        notes.add("SendMessage MD5OfMessageBody " + sent.getString("MD5OfMessageBody")
            + " != " + md5(body) + " (answer " + sent + ")");
      }
      JsonObject got = await(lane.run(c -> c.callJson("ReceiveMessage",
          new JsonObject().put("QueueUrl", url).put("MaxNumberOfMessages", 1))));
      var messages = got.getJsonArray("Messages");
      if (messages == null || messages.size() != 1) {
        notes.add("ReceiveMessage after one send answered " + got);
        return notes;
      }
      JsonObject m = messages.getJsonObject(0);
      if (!body.equals(m.getString("Body")) || !md5(body).equals(m.getString("MD5OfBody"))) {
        notes.add("ReceiveMessage returned " + m + " for body '" + body + "'");
      }
      // Body not parsed: ElasticMQ answers DeleteMessage with an empty one.
      await(lane.run(c -> c.call("DeleteMessage", new JsonObject().put("QueueUrl", url)
          .put("ReceiptHandle", m.getString("ReceiptHandle")).toBuffer())));
      JsonObject again = await(lane.run(c -> c.callJson("ReceiveMessage",
          new JsonObject().put("QueueUrl", url).put("MaxNumberOfMessages", 10))));
      if (again.getJsonArray("Messages") != null && !again.getJsonArray("Messages").isEmpty()) {
        notes.add("ReceiveMessage after DeleteMessage still answered " + again);
      }
      JsonObject batch = new JsonObject(SqsCalls.sendBatchBody(url, "x", 2));
      JsonObject batchAnswer = await(lane.run(c -> c.callJson("SendMessageBatch", batch)));
      if (batchAnswer.getJsonArray("Successful") == null
          || batchAnswer.getJsonArray("Successful").size() != 2) {
        notes.add("SendMessageBatch of 2 answered " + batchAnswer);
      }
    } catch (Exception e) {
      notes.add("conformance round trip failed: " + e.getMessage());
    }
    return notes;
  }

  private static String md5(String s) throws Exception {
    byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
    return String.format("%032x", new BigInteger(1, d));
  }

  /** Waits for a single call from the main thread; a server that never answers is an error. */
  private static <T> T await(Future<T> call) {
    try {
      return call.await(15, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within 15 s", e);
    }
  }

  static void progress(String format, Object... args) {
    System.err.println(String.format(format, args));
  }
}
