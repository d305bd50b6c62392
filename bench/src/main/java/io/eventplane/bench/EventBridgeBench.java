package io.eventplane.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * EventBridge side by side: Eventplane (its jar on its single-node defaults, fsync) and moto in
 * server mode, started by this run on free loopback ports, driven by the same client with the
 * same workload, in interleaved rounds (round r: every case on Eventplane, then on moto).
 *
 * <pre>bench/run-eventbridge-bench.sh [--rounds 3] [--rules 1,100,10000] [--match one,none] [--clients 16]
 *     [--batch 10] [--jit-warmup 20] [--warmup 3] [--measure 10] [--max-window 180] [--rate 500]
 *     [--latency-rules 100] [--latency-batch 10] [--pollers 8] [--replay-events 10000] [--moto-replay-events 300]
 *     [--drain-timeout 180] [--targets eventplane,moto] [--eventplane-args "..."] [--eventplane-alt-args "..."]
 *     [--server-jvm-opts "..."] [--python python3]</pre>
 *
 * <p>The workload. Bus {@code bench-<N>} holds N rules; rule {@code r<i>} has the pattern
 * {@code {"source":[{"prefix":"bench."}],"detail-type":["OrderPlaced"],"detail":{"customer":["c<i>"]}}}
 * and one target, the SQS queue {@code bench-sink-<N>} (every rule the same queue). An event is
 * source {@code bench.orders}, detail-type {@code OrderPlaced}, detail
 * {@code {"customer":"c<k>","seq":..,"orderId":..,"amount":..,"currency":"EUR","items":[..]}} (~200 bytes)
 * with k uniform in [0, N): it matches exactly one rule ({@code --match one}); with {@code --match none}
 * the customer is {@code nobody-<k>}, which no rule names, so the matcher runs and nothing is
 * delivered.
 *
 * <ul>
 *   <li><b>Throughput</b> (per N and match kind): {@code --clients} closed-loop clients, each one
 *       PutEvents of {@code --batch} entries outstanding; warm-up, then a window; entries/s counts
 *       the entries acknowledged (not in FailedEntries) by calls that ended inside the window. The
 *       window is {@code --measure} seconds, held open (up to {@code --max-window}) until
 *       {@code --clients} calls have ended in it, for a server whose calls outlast the window. The
 *       queue is not consumed during the window; afterwards the bench waits until the sink queue's
 *       ApproximateNumberOfMessages has every matched entry acknowledged so far and reports how long
 *       after the window that took (Eventplane acknowledges before it delivers; moto delivers
 *       inside PutEvents), so one case's deliveries never run into the next.</li>
 *   <li><b>Latency</b>: bus {@code bench-latency} with {@code --latency-rules} rules as above to queue
 *       {@code bench-latency}; PutEvents of {@code --latency-batch} entries (default 10) at
 *       {@code --rate} events/s (half the target's closed-loop peak when that is under 1.2 times the
 *       rate), open loop (a 1 ms ticker sends what is due); {@code --pollers}
 *       loops long-poll the queue (ReceiveMessage max 10, WaitTimeSeconds 1) and delete what they
 *       get (DeleteMessageBatch). Latency: PutEvents issued -> the event's message received, for the
 *       events sent inside the window.</li>
 *   <li><b>Replay</b>: a fresh bus with an archive (no pattern) gets {@code --replay-events} events
 *       ({@code --moto-replay-events} on moto, which replays inside StartReplay at its delivery speed)
 *       (closed loop as above, no rule on the bus yet); once DescribeArchive counts them all, a rule
 *       matching {@code source prefix bench.} with a fresh queue target is put, and StartReplay
 *       replays the window of the puts to the bus. Reported: events/s to DescribeReplay's
 *       COMPLETED (polled every 20 ms) and to every replayed event received from the queue.</li>
 * </ul>
 *
 * <p>{@code --eventplane-alt-args} adds a second Eventplane target started with those arguments
 * in place of {@code --eventplane-args}: the same run then compares two server settings side by
 * side (e.g. the audit trail on and off).
 */
public final class EventBridgeBench {
  private static final String PATTERN = "{\"source\":[{\"prefix\":\"bench.\"}],\"detail-type\":[\"OrderPlaced\"],"
      + "\"detail\":{\"customer\":[\"c%d\"]}}";

  record Options(Path root, int rounds, List<Integer> rules, List<String> match, int clients, int batch, int jitWarmup,
      int warmup, int measure, double rate, int latencyRules, int latencyBatch, int pollers, int replayEvents,
      List<String> targets, List<String> eventplaneArgs, List<String> altArgs, List<String> jvm, String python,
      int drainTimeout, int maxWindow, int motoReplayEvents) {
    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option value, got " + args[i]);
        m.put(args[i].substring(2), args[i + 1]);
      }
      if (args.length % 2 != 0) throw new IllegalArgumentException("option without a value: " + args[args.length - 1]);
      List<String> known = List.of("root", "rounds", "rules", "match", "clients", "batch", "jit-warmup", "warmup", "measure",
          "rate", "latency-rules", "latency-batch", "pollers", "replay-events", "targets", "eventplane-args",
          "eventplane-alt-args", "server-jvm-opts", "python", "drain-timeout", "max-window", "moto-replay-events");
      for (String k : m.keySet()) if (!known.contains(k)) throw new IllegalArgumentException("unknown option --" + k);
      return new Options(Path.of(m.getOrDefault("root", ".")).toAbsolutePath().normalize(),
          Integer.parseInt(m.getOrDefault("rounds", "3")), ints(m.getOrDefault("rules", "1,100,10000")),
          words(m.getOrDefault("match", "one,none")), Integer.parseInt(m.getOrDefault("clients", "16")),
          Integer.parseInt(m.getOrDefault("batch", "10")), Integer.parseInt(m.getOrDefault("jit-warmup", "20")),
          Integer.parseInt(m.getOrDefault("warmup", "3")), Integer.parseInt(m.getOrDefault("measure", "10")),
          Double.parseDouble(m.getOrDefault("rate", "500")), Integer.parseInt(m.getOrDefault("latency-rules", "100")),
          Integer.parseInt(m.getOrDefault("latency-batch", "10")), Integer.parseInt(m.getOrDefault("pollers", "8")),
          Integer.parseInt(m.getOrDefault("replay-events", "10000")), words(m.getOrDefault("targets", "eventplane,moto")),
          split(m.getOrDefault("eventplane-args", "")), m.containsKey("eventplane-alt-args")
              ? split(m.get("eventplane-alt-args")) : null, split(m.getOrDefault("server-jvm-opts", "")),
          m.getOrDefault("python", "python3"), Integer.parseInt(m.getOrDefault("drain-timeout", "180")),
          Integer.parseInt(m.getOrDefault("max-window", "180")), Integer.parseInt(m.getOrDefault("moto-replay-events", "300")));
    }

    private static List<Integer> ints(String s) {
      return words(s).stream().map(Integer::parseInt).toList();
    }

    private static List<String> words(String s) {
      return Arrays.stream(s.split(",")).map(String::trim).filter(w -> !w.isEmpty()).toList();
    }

    private static List<String> split(String s) {
      return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }
  }

  /** One throughput window. */
  record Throughput(String target, int round, int rules, String match, double entriesPerSecond, long calls,
      double windowSeconds, double callP50, double callP99, long failedEntries, long errors, double deliveredAfterSeconds, double serverCores,
      double benchCores, double otherCores) {}

  /** One latency window. */
  record Latency(String target, int round, double rate, int batch, long sent, long received, double p50, double p99, double max,
      double callP50, double callP99, double receiveP50, double receiveP99, double serverCores, double otherCores) {}

  /** One replay. */
  record ReplayRun(String target, int round, int events, double toCompleted, double toReceived, long received,
      String state) {}

  /** What a target has set up once and reuses every round. */
  private static final class Setup {
    final Map<Integer, String> sinkUrls = new LinkedHashMap<>();
    final Map<Integer, Long> expected = new ConcurrentHashMap<>();
    String latencyQueue;
    double ruleSeconds;
    final List<String> notes = new ArrayList<>();
  }

  private final Options options;
  private final Vertx vertx;
  private final HttpClientAgent http;
  private final AtomicLong seq = new AtomicLong();

  private EventBridgeBench(Options options) {
    this.options = options;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(256));
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = Files.createDirectories(options.root().resolve("bench/target/bench-results/eventbridge-" + stamp));
    EventBridgeBench bench = new EventBridgeBench(options);
    String machine = ClusterBench.machine(options.root());
    String motoVersion = ClusterBench.run(options.python(), "-c", "import moto; print(moto.__version__)").trim();
    List<EventsPeer> peers = new ArrayList<>();
    try {
      Map<String, Long> startup = new LinkedHashMap<>();
      for (String t : options.targets()) {
        EventsPeer p = switch (t) {
          case "eventplane" -> EventsPeer.eventplane("eventplane", options.root(), options.jvm(), options.eventplaneArgs(),
              out, bench.http);
          case "moto" -> EventsPeer.moto(options.python(), out, bench.http);
          default -> throw new IllegalArgumentException("unknown target " + t + "; known: eventplane, moto");
        };
        peers.add(p);
        startup.put(p.name, p.awaitServing(120));
      }
      if (options.altArgs() != null) {
        EventsPeer p = EventsPeer.eventplane("eventplane-alt", options.root(), options.jvm(), options.altArgs(), out,
            bench.http);
        peers.add(p);
        startup.put(p.name, p.awaitServing(120));
      }
      Map<String, Setup> setups = new LinkedHashMap<>();
      for (EventsPeer p : peers) setups.put(p.name, bench.setUp(p));
      for (EventsPeer p : peers) {
        if (options.jitWarmup() > 0) {
          log("%s: warm-up %d s (PutEvents on bench-%d, not reported)", p.name, options.jitWarmup(), options.rules().get(0));
          bench.throughput(p, setups.get(p.name), 0, options.rules().get(0), "one", options.jitWarmup(), 0);
        }
      }
      List<Throughput> throughputs = new ArrayList<>();
      List<Latency> latencies = new ArrayList<>();
      List<ReplayRun> replays = new ArrayList<>();
      for (int r = 1; r <= options.rounds(); r++) {
        for (EventsPeer p : peers) {
          Setup s = setups.get(p.name);
          for (int n : options.rules()) {
            for (String match : options.match()) {
              throughputs.add(bench.throughput(p, s, r, n, match, options.warmup(), options.measure()));
            }
          }
          latencies.add(bench.latency(p, s, r, latencyRate(options, throughputs, p.name, r)));
          int replayEvents = p.name.equals("moto") ? options.motoReplayEvents() : options.replayEvents();
          if (replayEvents > 0) replays.add(bench.replay(p, r, replayEvents));
        }
      }
      String report = render(machine, motoVersion, options, startup, setups, throughputs, latencies, replays);
      Files.writeString(out.resolve("report.md"), report);
      System.out.println(report);
      System.out.println("report and server logs: " + out);
    } finally {
      for (EventsPeer p : peers) p.close();
      bench.vertx.close().await();
    }
  }

  /**
   * {@code --rate}, or half of what the target put through in this round's closed loop (events
   * matching one rule, at the rule count nearest {@code --latency-rules}) when that is under 1.2
   * times the rate: an open loop above a server's peak measures its queue, not its latency.
   */
  private static double latencyRate(Options o, List<Throughput> done, String target, int round) {
    return done.stream().filter(t -> t.target().equals(target) && t.round() == round && t.match().equals("one"))
        .min(java.util.Comparator.comparingInt(t -> Math.abs(t.rules() - o.latencyRules())))
        .map(t -> t.entriesPerSecond() >= o.rate() * 1.2 ? o.rate() : Math.max(1, Math.floor(t.entriesPerSecond() / 2)))
        .orElse(o.rate());
  }

  // ---- set-up ----

  private Setup setUp(EventsPeer p) throws Exception {
    Setup s = new Setup();
    long t0 = System.nanoTime();
    for (int n : options.rules()) {
      String url = queue(p, "bench-sink-" + n);
      s.sinkUrls.put(n, url);
      s.expected.put(n, 0L);
      rules(p, "bench-" + n, n, arn(p, url));
    }
    s.ruleSeconds = (System.nanoTime() - t0) / 1e9;
    s.latencyQueue = queue(p, "bench-latency");
    rules(p, "bench-latency", options.latencyRules(), arn(p, s.latencyQueue));
    return s;
  }

  private String queue(EventsPeer p, String name) throws Exception {
    return p.sqsNow("CreateQueue", new JsonObject().put("QueueName", name)).getString("QueueUrl");
  }

  private String arn(EventsPeer p, String queueUrl) throws Exception {
    return p.sqsNow("GetQueueAttributes", new JsonObject().put("QueueUrl", queueUrl)
        .put("AttributeNames", new JsonArray().add("QueueArn"))).getJsonObject("Attributes").getString("QueueArn");
  }

  /** A bus with n rules r0..r(n-1), each PutRule + PutTargets, {@code --clients} at a time. */
  private void rules(EventsPeer p, String bus, int n, String queueArn) throws Exception {
    p.eventsNow("CreateEventBus", new JsonObject().put("Name", bus));
    long t0 = System.nanoTime();
    AtomicLong next = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    CountDownLatch done = new CountDownLatch(Math.min(options.clients(), n));
    for (int c = 0; c < Math.min(options.clients(), n); c++) ruleLoop(p, bus, n, queueArn, next, failed, done);
    if (!done.await(3600, TimeUnit.SECONDS)) throw new IllegalStateException(p.name + ": putting rules on " + bus + " timed out");
    if (failed.get() > 0) throw new IllegalStateException(p.name + ": " + failed.get() + " PutRule/PutTargets failed on " + bus);
    log("%s: %s has %d rules (%.1f s)", p.name, bus, n, (System.nanoTime() - t0) / 1e9);
  }

  private void ruleLoop(EventsPeer p, String bus, int n, String queueArn, AtomicLong next, AtomicLong failed,
      CountDownLatch done) {
    long i = next.getAndIncrement();
    if (i >= n) {
      done.countDown();
      return;
    }
    p.events("PutRule", new JsonObject().put("Name", "r" + i).put("EventBusName", bus)
            .put("EventPattern", String.format(Locale.ROOT, PATTERN, i)))
        .compose(x -> p.events("PutTargets", new JsonObject().put("Rule", "r" + i).put("EventBusName", bus)
            .put("Targets", new JsonArray().add(new JsonObject().put("Id", "sink").put("Arn", queueArn)))))
        .onComplete(ar -> {
          if (ar.failed() || ar.result().getInteger("FailedEntryCount", 0) > 0) {
            failed.incrementAndGet();
            log("  %s", ar.failed() ? ar.cause().getMessage() : ar.result().encode());
          }
          ruleLoop(p, bus, n, queueArn, next, failed, done);
        });
  }

  // ---- throughput ----


  /**
   * One closed-loop window's counters. The window opens after the warm-up and closes at the first
   * call ending after {@code nominalEnd} once at least {@code minCalls} calls ended inside it, or
   * at {@code capEnd}: a server whose calls take longer than the nominal window (moto delivering
   * to SQS) is measured over enough calls to mean something, a fast one over the nominal window.
   */
  private static final class Window {
    final long start;
    final long nominalEnd;
    final long capEnd;
    final int minCalls;
    final AtomicLong end = new AtomicLong();
    final Histogram calls = histogram();
    final AtomicLong entries = new AtomicLong();
    final AtomicLong callsInside = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failedEntries = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    volatile CpuShare.Sample cpuStart;
    volatile CpuShare.Sample cpuEnd;

    Window(long start, long nominalEnd, long capEnd, int minCalls) {
      this.start = start;
      this.nominalEnd = nominalEnd;
      this.capEnd = capEnd;
      this.minCalls = minCalls;
    }

    boolean closed() {
      return end.get() != 0;
    }

    void close(long now, long serverPid) {
      if (end.compareAndSet(0, now)) cpuEnd = CpuShare.sample(serverPid);
    }

    /** A call ended at {@code now}: counted when the window is open; may close it. */
    void ended(long now, long tookNanos, int ackedEntries, long serverPid) {
      if (now < start || closed()) return;
      entries.addAndGet(ackedEntries);
      long n = callsInside.incrementAndGet();
      calls.recordValue(Math.max(1, tookNanos / 1000));
      if (now >= nominalEnd && n >= minCalls) close(now, serverPid);
    }

    double seconds() {
      return closed() ? (end.get() - start) / 1e9 : Double.NaN;
    }
  }

  private Throughput throughput(EventsPeer p, Setup s, int round, int n, String match, int warmup, int measure)
      throws Exception {
    String bus = "bench-" + n;
    boolean matching = match.equals("one");
    long begin = System.nanoTime();
    long start = begin + warmup * 1_000_000_000L;
    Window w = new Window(start, start + measure * 1_000_000_000L,
        start + Math.max(measure, options.maxWindow()) * 1_000_000_000L, measure == 0 ? 0 : options.clients());
    long pid = p.pid();
    vertx.setTimer(Math.max(1, (start - System.nanoTime()) / 1_000_000), t -> w.cpuStart = CpuShare.sample(pid));
    vertx.setTimer(Math.max(1, (w.capEnd - System.nanoTime()) / 1_000_000), t -> w.close(System.nanoTime(), pid));
    CountDownLatch done = new CountDownLatch(options.clients());
    for (int c = 0; c < options.clients(); c++) putLoop(p, bus, n, matching, w, done);
    if (!done.await(warmup + options.maxWindow() + 900L, TimeUnit.SECONDS)) {
      log("  %s: calls still outstanding 900 s after the window", p.name);
    }
    double rate = measure == 0 ? 0 : w.entries.get() / w.seconds();
    double delivered = Double.NaN;
    if (matching) {
      long expected = s.expected.merge(n, w.acked.get(), Long::sum);
      delivered = awaitDelivered(p, s.sinkUrls.get(n), expected, w.end.get());
    }
    CpuShare share = w.cpuStart != null && w.cpuEnd != null ? CpuShare.between(w.cpuStart, w.cpuEnd)
        : new CpuShare(Double.NaN, Double.NaN, Double.NaN);
    if (measure > 0) {
      log("%s round %d: %d rules, match %s: %.0f entries/s (%d calls in a %.1f s window, p50 %.2f p99 %.2f ms; %d failed "
          + "entries, %d errors), delivered %.2f s after the window; server %.2f cores", p.name, round, n, match, rate,
          w.callsInside.get(), w.seconds(), ms(w.calls, 50), ms(w.calls, 99), w.failedEntries.get(), w.errors.get(), delivered,
          share.serverCores());
    }
    return new Throughput(p.name, round, n, match, rate, w.callsInside.get(), w.seconds(), ms(w.calls, 50), ms(w.calls, 99),
        w.failedEntries.get(), w.errors.get(), delivered, share.serverCores(), share.benchCores(), share.otherCores());
  }

  private void putLoop(EventsPeer p, String bus, int n, boolean matching, Window w, CountDownLatch done) {
    if (w.closed() || System.nanoTime() >= w.capEnd) {
      done.countDown();
      return;
    }
    JsonArray entries = new JsonArray();
    for (int i = 0; i < options.batch(); i++) entries.add(entry(bus, n, matching, seq.incrementAndGet()));
    long t = System.nanoTime();
    p.events("PutEvents", new JsonObject().put("Entries", entries)).onComplete(ar -> {
      long now = System.nanoTime();
      if (ar.failed()) {
        w.errors.incrementAndGet();
        log("  %s: %s", p.name, ar.cause().getMessage());
        vertx.setTimer(10, x -> putLoop(p, bus, n, matching, w, done));
        return;
      }
      try {
        int failed = ar.result().getInteger("FailedEntryCount", 0);
        w.failedEntries.addAndGet(failed);
        w.acked.addAndGet(options.batch() - failed);
        w.ended(now, now - t, options.batch() - failed, p.pid());
      } catch (RuntimeException e) {
        // A loop that stopped here would hold the window's latch for its 900 s (seen twice: a run
        // hung with no call outstanding); count it as an error and go on.
        w.errors.incrementAndGet();
        log("  %s: accounting a PutEvents answer failed: %s", p.name, e);
      }
      putLoop(p, bus, n, matching, w, done);
    });
  }

  private static JsonObject entry(String bus, int n, boolean matching, long seq) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    int k = r.nextInt(n);
    JsonObject detail = new JsonObject().put("customer", (matching ? "c" : "nobody-") + k).put("seq", seq)
        .put("orderId", "o-" + Long.toHexString(r.nextLong())).put("amount", r.nextInt(1, 100_000) / 100.0)
        .put("currency", "EUR").put("items", new JsonArray()
            .add(new JsonObject().put("sku", "sku-" + r.nextInt(10_000)).put("qty", r.nextInt(1, 5)))
            .add(new JsonObject().put("sku", "sku-" + r.nextInt(10_000)).put("qty", r.nextInt(1, 5))));
    return new JsonObject().put("Source", "bench.orders").put("DetailType", "OrderPlaced").put("Detail", detail.encode())
        .put("EventBusName", bus);
  }

  /** Seconds after {@code windowEnd} until the queue holds {@code expected} messages; NaN on timeout. */
  private double awaitDelivered(EventsPeer p, String url, long expected, long windowEnd) throws Exception {
    long deadline = System.nanoTime() + options.drainTimeout() * 1_000_000_000L;
    long have = -1;
    while (System.nanoTime() < deadline) {
      JsonObject a = p.sqsNow("GetQueueAttributes", new JsonObject().put("QueueUrl", url).put("AttributeNames",
          new JsonArray().add("ApproximateNumberOfMessages"))).getJsonObject("Attributes");
      have = Long.parseLong(a.getString("ApproximateNumberOfMessages"));
      if (have >= expected) return Math.max(0, (System.nanoTime() - windowEnd) / 1e9);
      Thread.sleep(100);
    }
    log("  %s: %s holds %d of %d after %d s", p.name, url, have, expected, options.drainTimeout());
    return Double.NaN;
  }

  // ---- latency ----

  private Latency latency(EventsPeer p, Setup s, int round, double rate) throws Exception {
    Map<Long, Long> recorded = new ConcurrentHashMap<>();
    Histogram e2e = histogram();
    AtomicBoolean consuming = new AtomicBoolean(true);
    Histogram receives = histogram();
    for (int i = 0; i < options.pollers(); i++) consume(p, s.latencyQueue, recorded, e2e, null, receives, consuming);
    try {
      Histogram calls = histogram();
      long start = System.nanoTime();
      long windowStart = start + options.warmup() * 1_000_000_000L;
      long windowEnd = windowStart + options.measure() * 1_000_000_000L;
      AtomicLong sentInWindow = new AtomicLong();
      CountDownLatch done = new CountDownLatch(1);
      // A rate under the batch size (moto's half peak) still sends a call a second: fewer entries per call.
      int batch = (int) Math.max(1, Math.min(options.latencyBatch(), Math.floor(rate)));
      double callsPerSecond = rate / batch;
      AtomicLong issued = new AtomicLong();
      CpuShare.Sample[] cpu = new CpuShare.Sample[2];
      vertx.setPeriodic(1, id -> {
        long now = System.nanoTime();
        if (cpu[0] == null && now >= windowStart) cpu[0] = CpuShare.sample(p.pid());
        if (now >= windowEnd) {
          cpu[1] = CpuShare.sample(p.pid());
          vertx.cancelTimer(id);
          done.countDown();
          return;
        }
        long due = (long) ((now - start) / 1e9 * callsPerSecond);
        boolean record = now >= windowStart;
        while (issued.get() < due) {
          issued.incrementAndGet();
          JsonArray entries = new JsonArray();
          long t = System.nanoTime();
          for (int i = 0; i < batch; i++) {
            long q = seq.incrementAndGet();
            entries.add(entry("bench-latency", options.latencyRules(), true, q));
            if (record) {
              recorded.put(q, t);
              sentInWindow.incrementAndGet();
            }
          }
          p.events("PutEvents", new JsonObject().put("Entries", entries)).onComplete(ar -> {
            if (ar.succeeded() && record) calls.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
            if (ar.failed()) log("  %s: %s", p.name, ar.cause().getMessage());
          });
        }
      });
      done.await(options.warmup() + options.measure() + 60L, TimeUnit.SECONDS);
      long deadline = System.currentTimeMillis() + 60_000;
      while (!recorded.isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(20);
      long missing = recorded.size();
      if (missing > 0) log("  %s: %d events sent in the window not received after 60 s", p.name, missing);
      CpuShare share = cpu[0] != null && cpu[1] != null ? CpuShare.between(cpu[0], cpu[1])
          : new CpuShare(Double.NaN, Double.NaN, Double.NaN);
      Latency l = new Latency(p.name, round, rate, batch, sentInWindow.get(), e2e.getTotalCount(), ms(e2e, 50),
          ms(e2e, 99), e2e.getMaxValue() / 1000.0, ms(calls, 50), ms(calls, 99), ms(receives, 50), ms(receives, 99), share.serverCores(), share.otherCores());
      log("%s round %d: PutEvents -> SQS at %.0f events/s: p50 %.2f p99 %.2f max %.2f ms (%d of %d received); PutEvents p50 "
          + "%.2f p99 %.2f ms", p.name, round, l.rate(), l.p50(), l.p99(), l.max(), l.received(), l.sent(), l.callP50(),
          l.callP99());
      return l;
    } finally {
      consuming.set(false);
    }
  }

  /**
   * A long-poll loop on one queue: each received event's detail.seq is looked up in {@code recorded}
   * (latency) or counted into {@code received} (replay: only events with a replay-name).
   */
  private void consume(EventsPeer p, String url, Map<Long, Long> recorded, Histogram e2e, AtomicLong received,
      Histogram receives, AtomicBoolean consuming) {
    if (!consuming.get()) return;
    long asked = System.nanoTime();
    p.sqs("ReceiveMessage", new JsonObject().put("QueueUrl", url).put("MaxNumberOfMessages", 10).put("WaitTimeSeconds", 1))
        .onComplete(ar -> {
          if (ar.failed()) {
            vertx.setTimer(100, t -> consume(p, url, recorded, e2e, received, receives, consuming));
            return;
          }
          long now = System.nanoTime();
          JsonArray messages = ar.result().getJsonArray("Messages", new JsonArray());
          // Only receives that returned messages: an empty long poll's time is the wait, not the server.
          if (receives != null && !messages.isEmpty()) receives.recordValue(Math.max(1, (now - asked) / 1000));
          JsonArray deletes = new JsonArray();
          for (int i = 0; i < messages.size(); i++) {
            JsonObject m = messages.getJsonObject(i);
            deletes.add(new JsonObject().put("Id", "d" + i).put("ReceiptHandle", m.getString("ReceiptHandle")));
            JsonObject event = new JsonObject(m.getString("Body"));
            if (received != null) {
              received.incrementAndGet();
            } else {
              Long sent = recorded.remove(event.getJsonObject("detail").getLong("seq"));
              if (sent != null) e2e.recordValue(Math.max(1, (now - sent) / 1000));
            }
          }
          if (!deletes.isEmpty()) p.sqs("DeleteMessageBatch", new JsonObject().put("QueueUrl", url).put("Entries", deletes));
          consume(p, url, recorded, e2e, received, receives, consuming);
        });
  }

  // ---- replay ----

  private ReplayRun replay(EventsPeer p, int round, int events) throws Exception {
    String name = "bench-replay-" + round;
    String busArn = p.eventsNow("CreateEventBus", new JsonObject().put("Name", name)).getString("EventBusArn");
    String archiveArn = p.eventsNow("CreateArchive", new JsonObject().put("ArchiveName", name)
        .put("EventSourceArn", busArn)).getString("ArchiveArn");
    long fromMillis = System.currentTimeMillis();
    AtomicLong next = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(options.clients());
    for (int c = 0; c < options.clients(); c++) fillLoop(p, name, events, next, errors, done);
    done.await(3600, TimeUnit.SECONDS);
    long toMillis = System.currentTimeMillis();
    if (errors.get() > 0) log("  %s: %d PutEvents calls failed while filling the archive", p.name, errors.get());
    long deadline = System.currentTimeMillis() + options.drainTimeout() * 1000L;
    long count = 0;
    while (System.currentTimeMillis() < deadline) {
      count = p.eventsNow("DescribeArchive", new JsonObject().put("ArchiveName", name)).getLong("EventCount", 0L);
      if (count >= events) break;
      Thread.sleep(100);
    }
    if (count < events) log("  %s: archive %s counts %d of %d events", p.name, name, count, events);
    String url = queue(p, name);
    p.eventsNow("PutRule", new JsonObject().put("Name", "all").put("EventBusName", name)
        .put("EventPattern", "{\"source\":[{\"prefix\":\"bench.\"}]}"));
    p.eventsNow("PutTargets", new JsonObject().put("Rule", "all").put("EventBusName", name)
        .put("Targets", new JsonArray().add(new JsonObject().put("Id", "q").put("Arn", arn(p, url)))));
    // Event times are whole seconds; the window ends in the past, as a replay of archived events does.
    long end = toMillis / 1000 + 2;
    while (System.currentTimeMillis() < end * 1000 + 200) Thread.sleep(50);
    AtomicLong received = new AtomicLong();
    AtomicBoolean consuming = new AtomicBoolean(true);
    for (int i = 0; i < options.pollers(); i++) consume(p, url, null, null, received, null, consuming);
    try {
      long t0 = System.nanoTime();
      // moto replays inside StartReplay: its answer can take as long as the whole replay.
      p.events("StartReplay", new JsonObject().put("ReplayName", name).put("EventSourceArn", archiveArn)
          .put("EventStartTime", fromMillis / 1000 - 1).put("EventEndTime", end)
          .put("Destination", new JsonObject().put("Arn", busArn))).await(options.drainTimeout(), TimeUnit.SECONDS);
      double completed = Double.NaN;
      String state = "?";
      long until = System.nanoTime() + options.drainTimeout() * 1_000_000_000L;
      int unanswered = 0;
      while (System.nanoTime() < until) {
        try {
          state = p.events("DescribeReplay", new JsonObject().put("ReplayName", name)).await(15, TimeUnit.SECONDS)
              .getString("State");
        } catch (java.util.concurrent.TimeoutException e) {
          log("  %s: DescribeReplay %s unanswered after 15 s (%d so far)", p.name, name, ++unanswered);
          continue;
        }
        if (!state.equals("STARTING") && !state.equals("RUNNING")) {
          completed = (System.nanoTime() - t0) / 1e9;
          break;
        }
        Thread.sleep(20);
      }
      if (unanswered > 0) state += " (DescribeReplay unanswered " + unanswered + "x for 15 s)";
      while (received.get() < count && System.nanoTime() < until) Thread.sleep(10);
      double all = received.get() >= count ? (System.nanoTime() - t0) / 1e9 : Double.NaN;
      ReplayRun run = new ReplayRun(p.name, round, (int) count, count / completed, count / all, received.get(), state);
      log("%s round %d: replay of %d events: %s after %.2f s (%.0f events/s), all received after %.2f s (%.0f events/s)",
          p.name, round, count, state, completed, run.toCompleted(), all, run.toReceived());
      return run;
    } finally {
      consuming.set(false);
    }
  }

  private void fillLoop(EventsPeer p, String bus, int events, AtomicLong next, AtomicLong errors, CountDownLatch done) {
    long first = next.getAndAdd(options.batch());
    if (first >= events) {
      done.countDown();
      return;
    }
    JsonArray entries = new JsonArray();
    for (long i = first; i < Math.min(events, first + options.batch()); i++) entries.add(entry(bus, 1, true, i));
    p.events("PutEvents", new JsonObject().put("Entries", entries)).onComplete(ar -> {
      if (ar.failed() || ar.result().getInteger("FailedEntryCount", 0) > 0) errors.incrementAndGet();
      fillLoop(p, bus, events, next, errors, done);
    });
  }

  // ---- report ----

  private static String render(String machine, String motoVersion, Options o, Map<String, Long> startup,
      Map<String, Setup> setups, List<Throughput> throughputs, List<Latency> latencies, List<ReplayRun> replays) {
    StringBuilder md = new StringBuilder("# EventBridge: Eventplane and moto side by side\n\n");
    md.append("Machine: ").append(machine).append("\n\nmoto ").append(motoVersion).append(" (`").append(o.python())
        .append(" -m moto.server -H 127.0.0.1 -p PORT`); Eventplane `java ").append(String.join(" ", o.jvm()))
        .append(" -jar server/target/eventplane.jar --port PORT --bind 127.0.0.1 --data-dir TMP ")
        .append(String.join(" ", o.eventplaneArgs())).append("` (single node, default durability fsync)");
    if (o.altArgs() != null) md.append("; eventplane-alt with `").append(String.join(" ", o.altArgs())).append('`');
    md.append(String.format(Locale.ROOT, ".%n%nSetup: %d rounds (each: every case on each target in turn); %d closed-loop "
        + "clients, PutEvents of %d entries; %d s warm-up + a %d s window per case, held open until %d calls ended in it "
        + "(at most %d s); %d s warm-up per target before round 1. Latency: %.0f events/s, %d entr%s per PutEvents, %d "
        + "long-poll consumers, %d rules on the bus. Replay: %d events (moto: %d).%n%n",
        o.rounds(), o.clients(), o.batch(), o.warmup(), o.measure(), o.clients(), Math.max(o.measure(), o.maxWindow()),
        o.jitWarmup(), o.rate(), o.latencyBatch(), o.latencyBatch() == 1 ? "y" : "ies", o.pollers(), o.latencyRules(),
        o.replayEvents(), o.motoReplayEvents()));
    md.append("| target | first ListEventBuses answered | rules put (all buses of the throughput cases) |\n|---|---|---|\n");
    startup.forEach((t, ms) -> md.append(String.format(Locale.ROOT, "| %s | %d ms | %.1f s |%n", t, ms,
        setups.get(t).ruleSeconds)));

    md.append("\n## PutEvents entries/s (median of rounds; rounds in brackets)\n\n");
    md.append("| target | rules | events match | entries/s | rounds | window s | calls ended in it | PutEvents p50 / p99 ms | delivered to SQS, s after the "
        + "window | server cores | generator cores | other cores | failed entries / errors |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String t : startup.keySet()) {
      for (int n : o.rules()) {
        for (String m : o.match()) {
          List<Throughput> rs = throughputs.stream().filter(x -> x.target().equals(t) && x.rules() == n && x.match().equals(m))
              .toList();
          if (rs.isEmpty()) continue;
          md.append(String.format(Locale.ROOT, "| %s | %d | %s | **%s** | %s | %s | %s | %.2f / %.2f | %s | %.2f | %.2f | %.2f | %d / %d |%n",
              t, n, m, rs.stream().allMatch(x -> x.calls() == 0)
                  ? String.format(Locale.ROOT, "< %.2f", o.batch() / median(rs.stream().mapToDouble(Throughput::windowSeconds).toArray()))
                  : String.format(Locale.ROOT, "%.0f", median(rs.stream().filter(x -> x.calls() > 0)
                      .mapToDouble(Throughput::entriesPerSecond).toArray())),
              join(rs.stream().mapToDouble(Throughput::entriesPerSecond).toArray(), "%.0f"),
              join(rs.stream().mapToDouble(Throughput::windowSeconds).toArray(), "%.1f"),
              String.join(", ", rs.stream().map(x -> Long.toString(x.calls())).toList()),
              median(rs.stream().mapToDouble(Throughput::callP50).toArray()),
              median(rs.stream().mapToDouble(Throughput::callP99).toArray()),
              m.equals("one") ? String.format(Locale.ROOT, "%.2f", median(rs.stream()
                  .mapToDouble(Throughput::deliveredAfterSeconds).toArray())) : "-",
              median(rs.stream().mapToDouble(Throughput::serverCores).toArray()),
              median(rs.stream().mapToDouble(Throughput::benchCores).toArray()),
              median(rs.stream().mapToDouble(Throughput::otherCores).toArray()),
              rs.stream().mapToLong(Throughput::failedEntries).sum(), rs.stream().mapToLong(Throughput::errors).sum()));
        }
      }
    }
    md.append("\n\"< x\": no call ended inside the window (held open to its maximum), so the rate is under one batch per "
        + "window.\n\nRatios (per round, then the median):\n\n");
    int first = o.rules().get(0);
    for (String t : startup.keySet()) {
      for (String m : o.match()) {
        for (int n : o.rules()) {
          if (n == first) continue;
          double[] ratio = perRound(throughputs, o.rounds(), x -> x.target().equals(t) && x.match().equals(m), n, first);
          md.append(String.format(Locale.ROOT, "- %s, match %s: %d rules / %d rule%s = **%.2f** (%s)%s%n", t, m, n, first,
              first == 1 ? "" : "s", median(ratio), join(ratio, "%.2f"),
              n == 10_000 && first == 1 && !t.equals("moto") ? " (goal: >= 0.50)" : ""));
        }
      }
    }
    for (String t : startup.keySet()) {
      if (t.equals("moto")) continue;
      for (String m : o.match()) {
        for (int n : o.rules()) {
          double[] r = new double[o.rounds()];
          for (int i = 1; i <= o.rounds(); i++) {
            int round = i;
            r[i - 1] = value(throughputs, x -> x.target().equals(t) && x.match().equals(m) && x.rules() == n && x.round() == round)
                / value(throughputs, x -> x.target().equals("moto") && x.match().equals(m) && x.rules() == n && x.round() == round);
          }
          if (Arrays.stream(r).allMatch(Double::isNaN)) continue;
          md.append(String.format(Locale.ROOT, "- %s / moto, %d rule(s), match %s: **%.2fx** (%s)%n", t, n, m, median(r), join(r, "%.2f")));
        }
      }
    }

    md.append(String.format(Locale.ROOT, "%n## PutEvents -> SQS receivable at %.0f events/s (goal p99 < 20 ms)%n%n", o.rate()));
    md.append("A target whose closed-loop peak (events matching one rule, at the rule count nearest the latency bus's) is under "
        + "1.2x that rate is offered half its peak instead, per round.\n\n");
    md.append("| target | events/s offered | entries per PutEvents | p50 ms | p99 ms (rounds) | max ms | received / sent in window | PutEvents p50 / p99 ms | ReceiveMessage p50 / p99 ms | server cores | other cores |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String t : startup.keySet()) {
      List<Latency> ls = latencies.stream().filter(x -> x.target().equals(t)).toList();
      if (ls.isEmpty()) continue;
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | **%.2f** (%s) | %.1f | %d / %d | %.2f / %.2f | %.2f / %.2f | %.2f | %.2f |%n", t,
          join(ls.stream().mapToDouble(Latency::rate).toArray(), "%.0f"),
          join(ls.stream().mapToDouble(Latency::batch).toArray(), "%.0f"),
          median(ls.stream().mapToDouble(Latency::p50).toArray()), median(ls.stream().mapToDouble(Latency::p99).toArray()),
          join(ls.stream().mapToDouble(Latency::p99).toArray(), "%.2f"), median(ls.stream().mapToDouble(Latency::max).toArray()),
          ls.stream().mapToLong(Latency::received).sum(), ls.stream().mapToLong(Latency::sent).sum(),
          median(ls.stream().mapToDouble(Latency::callP50).toArray()), median(ls.stream().mapToDouble(Latency::callP99).toArray()),
          median(ls.stream().mapToDouble(Latency::receiveP50).toArray()),
          median(ls.stream().mapToDouble(Latency::receiveP99).toArray()),
          median(ls.stream().mapToDouble(Latency::serverCores).toArray()),
          median(ls.stream().mapToDouble(Latency::otherCores).toArray())));
    }

    if (!replays.isEmpty()) {
      md.append("\n## Replay, events/s\n\n| target | events replayed | to COMPLETED (rounds) | to all received (rounds) | final state |\n");
      md.append("|---|---|---|---|---|\n");
      for (String t : startup.keySet()) {
        List<ReplayRun> rs = replays.stream().filter(x -> x.target().equals(t)).toList();
        if (rs.isEmpty()) continue;
        md.append(String.format(Locale.ROOT, "| %s | %d | **%.0f** (%s) | **%.0f** (%s) | %s |%n", t, rs.get(0).events(),
            median(rs.stream().mapToDouble(ReplayRun::toCompleted).toArray()),
            join(rs.stream().mapToDouble(ReplayRun::toCompleted).toArray(), "%.0f"),
            median(rs.stream().mapToDouble(ReplayRun::toReceived).toArray()),
            join(rs.stream().mapToDouble(ReplayRun::toReceived).toArray(), "%.0f"),
            String.join(", ", rs.stream().map(ReplayRun::state).toList())));
      }
    }
    return md.toString();
  }

  private static double[] perRound(List<Throughput> all, int rounds, java.util.function.Predicate<Throughput> which, int n,
      int base) {
    double[] r = new double[rounds];
    for (int i = 1; i <= rounds; i++) {
      int round = i;
      r[i - 1] = value(all, x -> which.test(x) && x.rules() == n && x.round() == round)
          / value(all, x -> which.test(x) && x.rules() == base && x.round() == round);
    }
    return r;
  }

  private static double value(List<Throughput> all, java.util.function.Predicate<Throughput> which) {
    // No call ended inside the window: no rate to divide by.
    return all.stream().filter(which).mapToDouble(Throughput::entriesPerSecond).filter(v -> v > 0).findFirst()
        .orElse(Double.NaN);
  }

  static double median(double[] values) {
    double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) return Double.NaN;
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String join(double[] values, String format) {
    return String.join(", ", Arrays.stream(values).mapToObj(d -> String.format(Locale.ROOT, format, d)).toList());
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static Histogram histogram() {
    return new SynchronizedHistogram(3_600_000_000L, 3);
  }

  static void log(String format, Object... args) {
    SnsBench.log(format, args);
  }
}
