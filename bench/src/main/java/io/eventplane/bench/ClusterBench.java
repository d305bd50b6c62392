package io.eventplane.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * What Eventplane's cluster mode costs, and how fast it fails over, measured on one machine.
 *
 * <p>Three configurations in the same run, each on fresh data directories, all with
 * {@code --durability fsync}: {@code single} (one standalone node), {@code cluster-rf1} (three
 * nodes, one copy of each partition) and {@code cluster-rf2} (three nodes, two copies). For each,
 * eight queues are created and, with closed-loop clients spread round-robin over every node's HTTP
 * port (so most requests are forwarded to the queue's owner), {@link LoadScenarios} measures
 * send-only, the unbatched send/receive/delete cycle and an open-loop fixed-rate SendMessage.
 * {@link LoadScenarios} drives one queue per scenario, so each scenario gets its own queue and the
 * report names the node that owns it.
 *
 * <p>Then, on a fresh cluster-rf2, failover: under a light send load through the two other nodes
 * the owner of a queue is SIGKILLed; a SendMessage to the queue through a surviving node is started
 * every 10 ms (2 s timeout each) and the time from the kill to the first success is the failover
 * time. The killed node is restarted on its data directory and ports, and the round repeats with
 * the queue's owner at that time.
 *
 * <pre>bench/run-cluster-bench.sh [--clients 16] [--warmup 5] [--measure 10] [--rate 500]
 *     [--failovers 5] [--configs single,cluster-rf1,cluster-rf2] [--loops 2] [--jit-warmup 15] [--root .]</pre>
 *
 * <p>The report goes to stdout and to bench/target/bench-results/cluster-&lt;timestamp&gt;/report.md,
 * next to every node's log.
 */
public final class ClusterBench {

  static final String NOTE = "On this machine all three nodes and the load generator share the same "
      + "cores: the cluster numbers show the cost of the extra hops and replication, not the capacity "
      + "of three machines.";

  private static final String ACCOUNT = "000000000000";
  private static final int PARTITIONS = 64;
  private static final int QUEUES = 8;
  private static final long MAX_MESSAGES = 5_000_000;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final int BACKGROUND_CLIENTS = 4;
  private static final long PROBE_EVERY_MS = 10;
  private static final long PROBE_TIMEOUT_MS = 2_000;
  private static final String SEND_ONLY = "send-only";
  private static final String CYCLE = "cycle";
  private static final String FIXED_RATE = "fixed-rate";

  /** Command-line options; durations in seconds. */
  record Options(Path root, int clients, Duration jitWarmup, Duration warmup, Duration measure, double rate,
                 int failovers, List<Config> configs, int loops) {

    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("expected --option value, got " + args[i]);
        }
        m.put(args[i].substring(2), args[++i]);
      }
      List<Config> configs = Arrays.stream(m.getOrDefault("configs", "single,cluster-rf1,cluster-rf2")
          .split(",")).map(String::trim).map(Config::byId).toList();
      return new Options(Path.of(m.getOrDefault("root", ".")).toAbsolutePath().normalize(),
          Integer.parseInt(m.getOrDefault("clients", "16")),
          Duration.ofSeconds(Long.parseLong(m.getOrDefault("jit-warmup", "15"))),
          Duration.ofSeconds(Long.parseLong(m.getOrDefault("warmup", "5"))),
          Duration.ofSeconds(Long.parseLong(m.getOrDefault("measure", "10"))),
          Double.parseDouble(m.getOrDefault("rate", "500")),
          Integer.parseInt(m.getOrDefault("failovers", "5")),
          configs,
          Integer.parseInt(m.getOrDefault("loops", "2")));
    }
  }

  /** A configuration under test; replicationFactor 0 means standalone. */
  record Config(String id, int nodes, int replicationFactor) {
    static final Config SINGLE = new Config("single", 1, 0);
    static final Config RF1 = new Config("cluster-rf1", 3, 1);
    static final Config RF2 = new Config("cluster-rf2", 3, 2);

    static Config byId(String id) {
      return Stream.of(SINGLE, RF1, RF2).filter(c -> c.id.equals(id)).findFirst().orElseThrow(() ->
          new IllegalArgumentException("unknown config " + id + "; known: single, cluster-rf1, cluster-rf2"));
    }

    boolean clustered() {
      return replicationFactor > 0;
    }
  }

  /** A queue of the run and, when it was created, the node owning its partition. */
  record QueueInfo(String name, String url, int partition, String owner) {}

  /** One scenario's result, the queue it ran on, and the cores spent meanwhile. */
  record Scenario(LoadScenarios.Result result, QueueInfo queue, Cores cores) {}

  /** Everything measured for one configuration; failure is null unless it broke off. */
  record ConfigRun(Config config, long healthyMs, List<QueueInfo> queues, Map<String, Scenario> scenarios,
                   String failure) {}

  /** One failover round. */
  record Failover(int round, String queue, int partition, String killed, String newOwner, long failoverMs,
                  long failedProbes, long backgroundOk, long backgroundFailed, double backgroundMaxMs,
                  long restartHealthyMs, long restartOwningMs, int ownedAfterRestart, String note) {}

  private final Options options;
  private final Path jar;
  private final Vertx vertx;
  private final List<Context> contexts;
  private final Path outDir;
  private final List<Nodes> open = new CopyOnWriteArrayList<>();

  private ClusterBench(Options options, Vertx vertx, List<Context> contexts, Path outDir) {
    this.options = options;
    this.jar = options.root().resolve("server/target/eventplane.jar");
    this.vertx = vertx;
    this.contexts = contexts;
    this.outDir = outDir;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path outDir = Files.createDirectories(options.root().resolve("bench/target/bench-results/cluster-" + stamp));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.loops()));
    ClusterBench bench = new ClusterBench(options, vertx, eventLoopContexts(vertx, options.loops()), outDir);
    // Ctrl-C or a crash must not leave a server running.
    Runtime.getRuntime().addShutdownHook(new Thread(bench::closeAll));
    try {
      if (!Files.exists(bench.jar)) {
        throw new IllegalStateException(bench.jar + " does not exist; build it with mvn package -pl server -am");
      }
      String machine = machine(options.root());
      List<ConfigRun> runs = new ArrayList<>();
      for (Config config : options.configs()) {
        runs.add(bench.measureConfig(config));
      }
      List<Failover> failovers = options.failovers() > 0 ? bench.failovers() : List.of();
      String report = bench.render(machine, runs, failovers);
      Files.writeString(outDir.resolve("report.md"), report);
      System.out.println(report);
      log("report and node logs: %s", outDir);
    } finally {
      bench.closeAll();
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

  private void closeAll() {
    for (Nodes nodes : open) {
      nodes.close();
    }
  }

  // ---------------------------------------------------------------- throughput and latency

  private ConfigRun measureConfig(Config config) {
    log("%s: starting %d node(s)", config.id(), config.nodes());
    try (Nodes nodes = new Nodes(config)) {
      long healthyMs = nodes.startAll();
      log("%s: all nodes healthy after %d ms", config.id(), healthyMs);
      List<QueueInfo> queues = createQueues(nodes);
      Map<String, Scenario> scenarios = new LinkedHashMap<>();
      try {
        runScenarios(nodes, queues, scenarios);
      } catch (Exception e) {
        return new ConfigRun(config, healthyMs, queues, scenarios, failure(e, nodes));
      }
      return new ConfigRun(config, healthyMs, queues, scenarios, null);
    } catch (Exception e) {
      log("%s failed: %s", config.id(), e);
      return new ConfigRun(config, -1, List.of(), Map.of(), String.valueOf(e.getMessage()));
    }
  }

  private void runScenarios(Nodes nodes, List<QueueInfo> queues, Map<String, Scenario> out) throws Exception {
    List<Lane> lanes = nodes.allLanes();
    jitWarmup(nodes, lanes, queues);
    LoadScenarios load = new LoadScenarios(vertx, lanes, options.warmup(), options.measure(), MAX_MESSAGES,
        nodes.node(0).pid());
    String body = SqsBench.MESSAGE_BODY;
    int c = options.clients();
    keep(out, nodes, queues.get(0), () -> load.sendOnly(SEND_ONLY, queues.get(0).url(), body, c));
    keep(out, nodes, queues.get(1), () -> load.cycles(CYCLE, queues.get(1).url(), body, 1, c));
    keep(out, nodes, queues.get(2), () -> load.fixedRateSend(FIXED_RATE, queues.get(2).url(), body,
        options.rate(), SqsBench.OPEN_LOOP_CONNECTIONS));
    for (Node node : nodes.nodes) {
      if (!node.alive()) {
        throw new IllegalStateException(node.id + " died during the run");
      }
    }
  }

  /**
   * Every load shape for --jit-warmup seconds on queues of its own, not reported: three fresh JVMs
   * sharing two cores spend their first half minute or so in the JIT compilers (C2 was the busiest
   * thread of every node in a profile of a run without this), which would otherwise be measured.
   */
  private void jitWarmup(Nodes nodes, List<Lane> lanes, List<QueueInfo> queues) throws Exception {
    if (options.jitWarmup().isZero()) {
      return;
    }
    log("  JIT warm-up: %d s of each load shape", options.jitWarmup().toSeconds());
    LoadScenarios warm = new LoadScenarios(vertx, lanes, options.jitWarmup(), Duration.ofSeconds(1), MAX_MESSAGES,
        nodes.node(0).pid());
    String body = SqsBench.MESSAGE_BODY;
    warm.sendOnly(SEND_ONLY, queues.get(5).url(), body, options.clients());
    warm.cycles(CYCLE, queues.get(6).url(), body, 1, options.clients());
    warm.fixedRateSend(FIXED_RATE, queues.get(7).url(), body, options.rate(), SqsBench.OPEN_LOOP_CONNECTIONS);
  }

  private interface ScenarioRun {
    LoadScenarios.Result run() throws InterruptedException;
  }

  private void keep(Map<String, Scenario> out, Nodes nodes, QueueInfo queue, ScenarioRun run)
      throws InterruptedException {
    List<CpuShare.Sample> before = Cores.sample(nodes);
    LoadScenarios.Result r = run.run();
    Cores cores = Cores.between(before, Cores.sample(nodes));
    out.put(r.scenario(), new Scenario(r, queue, cores));
    log("  %-10s %8.0f msg/s on %s (owner %s) | %s | cores: nodes %.2f bench %.2f other %.2f%s",
        r.scenario(), r.messagesPerSecond(), queue.name(), queue.owner(), latencies(r),
        cores.nodes(), cores.bench(), cores.other(),
        r.errors() > 0 ? " | errors " + r.errors() + ": " + r.firstError() : "");
  }

  /** Eight queues, created through node 0; their names are the same in every configuration. */
  private List<QueueInfo> createQueues(Nodes nodes) throws Exception {
    List<QueueInfo> queues = new ArrayList<>();
    Lane lane = nodes.lanesOf(0).get(0);
    for (int i = 0; i < QUEUES; i++) {
      String name = "bench-q" + i;
      String url = await(lane.run(c -> c.createQueue(name)), 15);
      int partition = partitionOf(name);
      queues.add(new QueueInfo(name, url, partition, nodes.ownerOf(partition, 0)));
    }
    log("  queues: %s", queues.stream().map(q -> q.name() + " p" + q.partition() + " " + q.owner())
        .collect(Collectors.joining(", ")));
    return queues;
  }

  // ---------------------------------------------------------------- failover

  private List<Failover> failovers() {
    List<Failover> rounds = new ArrayList<>();
    log("failover: starting a fresh cluster-rf2");
    try (Nodes nodes = new Nodes(Config.RF2)) {
      nodes.startAll();
      String name = "bench-failover";
      int partition = partitionOf(name);
      String url = await(nodes.lanesOf(0).get(0).run(c -> c.createQueue(name)), 15);
      for (int round = 1; round <= options.failovers(); round++) {
        Failover f = failoverRound(nodes, round, name, url, partition);
        rounds.add(f);
        log("failover %d: killed %s, %s served %s again after %d ms; restarted node healthy after %d ms, "
                + "owning partitions after %d ms%s", round, f.killed(), f.newOwner(), name, f.failoverMs(),
            f.restartHealthyMs(), f.restartOwningMs(), f.note().isEmpty() ? "" : " (" + f.note() + ")");
      }
    } catch (Exception e) {
      log("failover broke off: %s", e);
      rounds.add(new Failover(rounds.size() + 1, "", -1, "", "", -1, 0, 0, 0, 0, -1, -1, 0,
          "broke off: " + e.getMessage()));
    }
    return rounds;
  }

  private Failover failoverRound(Nodes nodes, int round, String queue, String url, int partition)
      throws Exception {
    List<String> notes = new ArrayList<>();
    int owner = awaitReplicated(nodes, partition, notes);
    List<Integer> survivors = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (i != owner) {
        survivors.add(i);
      }
    }
    List<Lane> survivorLanes = new ArrayList<>();
    survivors.forEach(i -> survivorLanes.addAll(nodes.lanesOf(i)));
    Background background = new Background(survivorLanes, SqsCalls.sendBody(url, "background"));
    long[] probe;
    try {
      Thread.sleep(2_000);
      long killedAt = System.nanoTime();
      nodes.node(owner).kill();
      probe = probeUntilServed(nodes, survivors.get(0), url, killedAt);
      Thread.sleep(1_000);
    } finally {
      background.stop();
    }
    String newOwner = nodes.ownerOf(partition, survivors.get(0));

    nodes.node(owner).start();
    long healthyMs = nodes.awaitHealthy(owner);
    long owningMs = awaitOwning(nodes, owner);
    int owned = nodes.cluster(owner).getJsonObject("placement").getInteger("ownedPartitions");
    return new Failover(round, queue, partition, nodes.node(owner).id, newOwner, probe[0], probe[1],
        background.ok.sum(), background.failed.sum(), background.maxNanos.get() / 1e6, healthyMs, owningMs,
        owned, String.join("; ", notes));
  }

  /**
   * Waits until the queue's partition has an owner whose replicas have everything (lag 0), so the
   * kill tests a failover rather than a replica still catching up; returns the owner's index.
   */
  private int awaitReplicated(Nodes nodes, int partition, List<String> notes) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    JsonObject entry = null;
    while (System.nanoTime() < deadline) {
      try {
        int owner = nodes.indexOf(nodes.ownerOf(partition, 0));
        entry = nodes.placementEntry(partition, owner);
        if (owner == nodes.indexOf(entry.getString("owner")) && inSync(entry)) {
          return owner;
        }
      } catch (Exception notYet) {
        // no owner yet, or the owner not answering yet
      }
      Thread.sleep(200);
    }
    notes.add("replicas not in sync before the kill: " + entry);
    return nodes.indexOf(nodes.ownerOf(partition, 0));
  }

  private static boolean inSync(JsonObject entry) {
    JsonArray replicas = entry.getJsonArray("replicas");
    JsonObject lag = entry.getJsonObject("replicationLag");
    if (replicas == null || replicas.isEmpty() || lag == null) {
      return false;
    }
    for (Object replica : replicas) {
      Long behind = lag.getLong((String) replica);
      if (behind == null || behind != 0) {
        return false;
      }
    }
    return true;
  }

  /** Ms from the restarted node's launch until it owns partitions again. */
  private long awaitOwning(Nodes nodes, int index) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (nodes.cluster(index).getJsonObject("placement").getInteger("ownedPartitions") > 0) {
          return nodes.node(index).millisSinceStart();
        }
      } catch (Exception notYet) {
        // not answering yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(nodes.node(index).id + " owns no partition 90 s after its restart:\n"
        + nodes.node(index).logTail());
  }

  /**
   * Starts a SendMessage through node {@code via} every 10 ms, each given 2 s, until one succeeds;
   * returns {ms from killedAt to that success, how many failed before}. A dedicated client, so a
   * probe never waits for a pooled connection.
   */
  private long[] probeUntilServed(Nodes nodes, int via, String url, long killedAt) throws Exception {
    HttpClientAgent http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(1024));
    Context context = contexts.get(0);
    int port = nodes.node(via).httpPort;
    Buffer body = SqsCalls.sendBody(url, "failover probe");
    Promise<Long> served = Promise.promise();
    LongAdder failed = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    context.runOnContext(v -> vertx.setPeriodic(1, PROBE_EVERY_MS, timer -> {
      if (stop.get() || served.future().isComplete()) {
        vertx.cancelTimer(timer);
        return;
      }
      probe(http, port, body).onComplete(ar -> {
        if (ar.succeeded()) {
          served.tryComplete(System.nanoTime());
        } else {
          failed.increment();
        }
      });
    }));
    try {
      long servedAt = await(served.future(), START_TIMEOUT.toSeconds());
      return new long[] {(servedAt - killedAt) / 1_000_000, failed.sum()};
    } finally {
      stop.set(true);
      http.close().await();
    }
  }

  private static Future<Void> probe(HttpClient http, int port, Buffer body) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(port).setURI("/")
        .setConnectTimeout(PROBE_TIMEOUT_MS).setIdleTimeout(PROBE_TIMEOUT_MS)
        .putHeader("Content-Type", "application/x-amz-json-1.0")
        .putHeader("X-Amz-Target", "AmazonSQS.SendMessage");
    return http.request(request)
        .compose(r -> r.send(body))
        .compose(response -> response.body().compose(answer -> response.statusCode() == 200
            ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture("HTTP " + response.statusCode() + ": " + answer)))
        .timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** A few closed-loop senders to one queue, running until stopped: the load a failover happens under. */
  private final class Background {
    final LongAdder ok = new LongAdder();
    final LongAdder failed = new LongAdder();
    final AtomicLong maxNanos = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Future<Void>> done = new ArrayList<>();

    Background(List<Lane> lanes, Buffer send) {
      for (int i = 0; i < BACKGROUND_CLIENTS; i++) {
        Lane lane = lanes.get(i % lanes.size());
        Promise<Void> finished = Promise.promise();
        done.add(finished.future());
        lane.context().runOnContext(v -> loop(lane.calls(), send, finished));
      }
    }

    private void loop(SqsCalls calls, Buffer send, Promise<Void> finished) {
      if (!running.get()) {
        finished.complete();
        return;
      }
      long start = System.nanoTime();
      calls.call("SendMessage", send).onComplete(ar -> {
        maxNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        if (ar.succeeded()) {
          ok.increment();
          loop(calls, send, finished);
        } else {
          failed.increment();
          vertx.setTimer(10, t -> loop(calls, send, finished));
        }
      });
    }

    void stop() throws Exception {
      running.set(false);
      Future.join(done).await(60, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- nodes

  /** One server JVM; it can be killed and started again on the same ports and data directory. */
  private static final class Node {
    final String id;
    final int httpPort;
    final List<String> command;
    final Path log;
    private Process process;
    private long startNanos;

    Node(String id, int httpPort, List<String> command, Path log) {
      this.id = id;
      this.httpPort = httpPort;
      this.command = command;
      this.log = log;
    }

    void start() throws IOException {
      Files.writeString(log, String.join(" ", command) + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      startNanos = System.nanoTime();
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    boolean alive() {
      return process != null && process.isAlive();
    }

    long pid() {
      return process == null ? -1 : process.pid();
    }

    long millisSinceStart() {
      return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor();
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    void stop() {
      if (!alive()) {
        return;
      }
      try {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }

    String logTail() {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
      } catch (IOException | UncheckedIOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }

  /**
   * The nodes of one configuration, with one lane per (bench event loop, node): their temp data
   * directories are removed, and their processes stopped, on close. Logs stay in the results dir.
   */
  private final class Nodes implements AutoCloseable {
    final Config config;
    final List<Node> nodes = new ArrayList<>();
    private final Path dir;
    private final List<List<Lane>> lanesByNode = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    Nodes(Config config) throws IOException {
      this.config = config;
      this.dir = Files.createTempDirectory("eventplane-cluster-bench-" + config.id() + "-");
      open.add(this);
      Set<Integer> taken = new HashSet<>();
      List<Integer> httpPorts = new ArrayList<>();
      List<Integer> clusterPorts = new ArrayList<>();
      for (int i = 0; i < config.nodes(); i++) {
        httpPorts.add(LocalPorts.free(taken, false));
        clusterPorts.add(config.clustered() ? LocalPorts.free(taken, true) : -1);
      }
      String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
      for (int i = 0; i < config.nodes(); i++) {
        String id = "n" + i;
        List<String> cmd = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
            "--port", Integer.toString(httpPorts.get(i)), "--bind", "127.0.0.1",
            "--data-dir", Files.createDirectories(dir.resolve(id)).toString(), "--durability", "fsync"));
        if (config.clustered()) {
          cmd.addAll(List.of("--auth", "off", "--cluster", "--node-id", id, "--cluster-host", "127.0.0.1",
              "--cluster-port", Integer.toString(clusterPorts.get(i)), "--cluster-members", members,
              "--replication-factor", Integer.toString(config.replicationFactor())));
        }
        nodes.add(new Node(id, httpPorts.get(i), cmd, outDir.resolve(config.id() + "-" + id + ".log")));
        lanesByNode.add(lanes(httpPorts.get(i), config.nodes()));
      }
    }

    /** Launches every node, then waits for each; returns ms until the last one was healthy. */
    long startAll() throws Exception {
      long start = System.nanoTime();
      for (Node node : nodes) {
        node.start();
      }
      for (int i = 0; i < nodes.size(); i++) {
        awaitHealthy(i);
      }
      return (System.nanoTime() - start) / 1_000_000;
    }

    /** Polls the health endpoint (a cluster node is healthy once placed); ms since the node's launch. */
    long awaitHealthy(int index) throws Exception {
      Node node = nodes.get(index);
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!node.alive()) {
          throw new IllegalStateException(node.id + " exited while starting:\n" + node.logTail());
        }
        try {
          getJson(lanesOf(index).get(0), node.httpPort, "/_eventplane/health").await(1, TimeUnit.SECONDS);
          return node.millisSinceStart();
        } catch (Exception notYet) {
          Thread.sleep(20);
        }
      }
      throw new IllegalStateException(node.id + " not healthy after 90 s:\n" + node.logTail());
    }

    Node node(int index) {
      return nodes.get(index);
    }

    int size() {
      return nodes.size();
    }

    int indexOf(String nodeId) {
      for (int i = 0; i < nodes.size(); i++) {
        if (nodes.get(i).id.equals(nodeId)) {
          return i;
        }
      }
      throw new IllegalArgumentException("no node " + nodeId);
    }

    List<Lane> lanesOf(int index) {
      return lanesByNode.get(index);
    }

    /** Lanes ordered so that round-robin over them goes round the nodes: client i talks to node i % n. */
    List<Lane> allLanes() {
      List<Lane> all = new ArrayList<>();
      for (int c = 0; c < contexts.size(); c++) {
        for (List<Lane> ofNode : lanesByNode) {
          all.add(ofNode.get(c));
        }
      }
      return all;
    }

    JsonObject cluster(int via) throws Exception {
      return getJson(lanesOf(via).get(0), nodes.get(via).httpPort, "/_eventplane/cluster")
          .await(3, TimeUnit.SECONDS);
    }

    /** The placement table's row for a partition, as node {@code via} sees it. */
    JsonObject placementEntry(int partition, int via) throws Exception {
      JsonArray rows = cluster(via).getJsonObject("placement").getJsonArray("partitions");
      for (int i = 0; i < rows.size(); i++) {
        if (rows.getJsonObject(i).getInteger("partition") == partition) {
          return rows.getJsonObject(i);
        }
      }
      throw new IllegalStateException("partition " + partition + " not placed yet");
    }

    /** The owning node's id; in standalone mode node 0's. */
    String ownerOf(int partition, int via) throws Exception {
      return config.clustered() ? placementEntry(partition, via).getString("owner") : nodes.get(0).id;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      for (List<Lane> ofNode : lanesByNode) {
        for (Lane lane : ofNode) {
          try {
            lane.http().close().await(5, TimeUnit.SECONDS);
          } catch (Exception ignored) {
            // the nodes stop anyway
          }
        }
      }
      nodes.parallelStream().forEach(Node::stop);
      TempDirs.delete(dir);
      open.remove(this);
    }
  }

  /** One HTTP client per bench event loop for one node, each with its share of the connections. */
  private List<Lane> lanes(int port, int nodeCount) {
    int lanesInAll = contexts.size() * nodeCount;
    int connections = Math.max(SqsBench.OPEN_LOOP_CONNECTIONS, options.clients()) / lanesInAll + 2;
    List<Lane> lanes = new ArrayList<>();
    for (Context context : contexts) {
      HttpClientAgent http = vertx.createHttpClient(
          new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true)
              .setConnectTimeout(1_000),
          new PoolOptions().setHttp1MaxSize(connections));
      lanes.add(new Lane(context, http, new SqsCalls(http, port)));
    }
    return lanes;
  }

  /** GET of a JSON endpoint on the lane's event loop; fails unless the answer is 200. */
  private static Future<JsonObject> getJson(Lane lane, int port, String path) {
    Promise<JsonObject> result = Promise.promise();
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(port).setURI(path).setConnectTimeout(1_000).setIdleTimeout(3_000);
    lane.context().runOnContext(v -> lane.http().request(request)
        .compose(r -> r.send())
        .compose(response -> response.body().compose(body -> response.statusCode() == 200
            ? Future.succeededFuture(body.toJsonObject())
            : Future.<JsonObject>failedFuture(path + " -> HTTP " + response.statusCode() + ": " + body)))
        .onComplete(result));
    return result.future();
  }

  /** The partition of a queue of account 000000000000, as io.eventplane.common.partition.Partitions computes it. */
  static int partitionOf(String queueName) {
    CRC32 crc = new CRC32();
    crc.update(("sqs/" + ACCOUNT + "/" + queueName).getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % PARTITIONS);
  }

  /**
   * Cores used over one scenario, its warm-up included, from /proc: by all nodes together, by this
   * load generator, and by everything else (kernel work such as loopback softirqs, other processes).
   */
  record Cores(double nodes, double bench, double other) {

    static List<CpuShare.Sample> sample(Nodes nodes) {
      return nodes.nodes.stream().map(n -> CpuShare.sample(n.pid())).toList();
    }

    static Cores between(List<CpuShare.Sample> before, List<CpuShare.Sample> after) {
      double nodes = 0;
      CpuShare first = null;
      for (int i = 0; i < before.size(); i++) {
        CpuShare share = CpuShare.between(before.get(i), after.get(i));
        nodes += share.serverCores();
        first = first == null ? share : first;
      }
      double busy = first.serverCores() + first.benchCores() + first.otherCores();
      return new Cores(nodes, first.benchCores(), Math.max(0, busy - nodes - first.benchCores()));
    }
  }

  // ---------------------------------------------------------------- report

  private String render(String machine, List<ConfigRun> runs, List<Failover> failovers) {
    StringBuilder md = new StringBuilder();
    md.append("# Eventplane cluster benchmark\n\n");
    md.append("Machine: ").append(machine).append("\n\n");
    md.append("Command: `").append(commandLine()).append("`\n\n");
    md.append(String.format(Locale.ROOT, "Setup: durability fsync on every node; after starting, %d s of each load shape on "
            + "throwaway queues (JIT warm-up, not reported); per scenario %d s warm-up + "
            + "%d s measured; %d closed-loop clients (one request outstanding each) spread round-robin over "
            + "every node's HTTP port; fixed rate %.0f SendMessage/s open loop over %d connections; message "
            + "body %d bytes; load generator on %d Vert.x event loop(s); server JVMs with default options; "
            + "one queue per scenario (its owner in the table).%n%n",
        options.jitWarmup().toSeconds(), options.warmup().toSeconds(), options.measure().toSeconds(),
        options.clients(), options.rate(), SqsBench.OPEN_LOOP_CONNECTIONS, SqsBench.MESSAGE_BODY.length(), options.loops()));
    md.append("Note: ").append(NOTE).append("\n\n");
    contentionWarning(md, runs);
    for (ConfigRun run : runs) {
      configTable(md, run);
    }
    ratios(md, runs);
    failoverTable(md, failovers);
    return md.toString();
  }

  private void configTable(StringBuilder md, ConfigRun run) {
    md.append("## ").append(run.config().id()).append("\n\n");
    if (run.healthyMs() >= 0) {
      md.append(String.format(Locale.ROOT, "%d node(s)%s, all healthy %d ms after launch. Queues (partition, "
              + "owner): %s.%n%n", run.config().nodes(),
          run.config().clustered() ? ", replication factor " + run.config().replicationFactor() : ", standalone",
          run.healthyMs(), run.queues().stream().map(q -> q.name() + " (p" + q.partition() + ", " + q.owner() + ")")
              .collect(Collectors.joining(", "))));
    }
    if (!run.scenarios().isEmpty()) {
      md.append("| scenario | queue (owner) | msg/s | SendMessage p50 ms | SendMessage p99 ms | other latencies "
          + "p50 / p99 ms | errors | cores: nodes / bench / other |\n|---|---|---|---|---|---|---|---|\n");
      run.scenarios().values().forEach(s -> scenarioRow(md, s));
      md.append('\n');
      Scenario fixed = run.scenarios().get(FIXED_RATE);
      if (fixed != null && !keptUp(fixed.result())) {
        LoadScenarios.Result r = fixed.result();
        md.append(String.format(Locale.ROOT, "**fixed-rate did not keep up with %.0f/s** (%.0f msg/s completed; "
                + "SendMessage p50 %.2f ms from its intended send time against %.2f ms from the actual send): the "
                + "senders fell behind schedule, so these latencies include a backlog; a lower --rate compares "
                + "latency without one.%n%n", r.offeredRate(), r.messagesPerSecond(),
            r.latencies().get(LoadScenarios.FROM_INTENDED).p50Ms(), r.latencies().get("SendMessage").p50Ms()));
      }
    }
    if (run.failure() != null) {
      md.append("**Broke off:** ").append(run.failure().replace("\n", "\n    ")).append("\n\n");
    }
  }

  /** Completed about the offered rate, and the senders were not behind schedule most of the time. */
  private static boolean keptUp(LoadScenarios.Result r) {
    Latencies.OpStats send = r.latencies().get("SendMessage");
    Latencies.OpStats intended = r.latencies().get(LoadScenarios.FROM_INTENDED);
    return send == null || intended == null
        || r.messagesPerSecond() >= 0.9 * r.offeredRate() && intended.p50Ms() <= 2 * send.p50Ms() + 1;
  }

  /** Says so when something besides the nodes and the generator took a noticeable share of the cores. */
  private static void contentionWarning(StringBuilder md, List<ConfigRun> runs) {
    double most = runs.stream().flatMap(r -> r.scenarios().values().stream())
        .mapToDouble(s -> s.cores().other()).max().orElse(0);
    if (most > 0.3) {
      md.append(String.format(Locale.ROOT, "**Warning:** besides the nodes and the load generator, up to %.2f "
          + "cores were busy during a scenario (other processes, and kernel work such as loopback softirqs; "
          + "\"other\" in the tables). Where that is another workload, the numbers below are not representative."
          + "%n%n", most));
    }
  }

  private static void scenarioRow(StringBuilder md, Scenario s) {
    LoadScenarios.Result r = s.result();
    Latencies.OpStats send = r.latencies().get("SendMessage");
    String others = r.latencies().entrySet().stream().filter(e -> !e.getKey().equals("SendMessage"))
        .map(e -> String.format(Locale.ROOT, "%s %.2f / %.2f", e.getKey(), e.getValue().p50Ms(), e.getValue().p99Ms()))
        .collect(Collectors.joining("; "));
    String name = r.scenario() + (r.offeredRate() > 0 ? String.format(Locale.ROOT, " (%.0f/s offered)", r.offeredRate()) : "");
    md.append(String.format(Locale.ROOT, "| %s | %s (%s) | %.0f | %s | %s | %s | %s | %.2f / %.2f / %.2f |%n",
        name, s.queue().name(), s.queue().owner(), r.messagesPerSecond(),
        send == null ? "-" : fmt(send.p50Ms()), send == null ? "-" : fmt(send.p99Ms()), others,
        r.errors() == 0 ? "0" : r.errors() + " (" + r.firstError() + ")",
        s.cores().nodes(), s.cores().bench(), s.cores().other()));
  }

  private static void ratios(StringBuilder md, List<ConfigRun> runs) {
    Map<String, ConfigRun> byId = new LinkedHashMap<>();
    runs.forEach(r -> byId.put(r.config().id(), r));
    String[][] pairs = {{"cluster-rf2", "single"}, {"cluster-rf1", "single"}, {"cluster-rf2", "cluster-rf1"}};
    md.append("## Ratios\n\nThroughput: above 1 is faster. Latency: above 1 is slower.\n\n");
    md.append("| metric | rf2 / single | rf1 / single | rf2 / rf1 |\n|---|---|---|---|\n");
    ratioRow(md, byId, pairs, "send-only msg/s", SEND_ONLY, null);
    ratioRow(md, byId, pairs, "cycle msg/s", CYCLE, null);
    for (String scenario : List.of(SEND_ONLY, CYCLE, FIXED_RATE)) {
      ratioRow(md, byId, pairs, scenario + " SendMessage p50", scenario, Latencies.OpStats::p50Ms);
      ratioRow(md, byId, pairs, scenario + " SendMessage p99", scenario, Latencies.OpStats::p99Ms);
    }
    md.append('\n');
  }

  /** One ratio row; {@code latency} null means msg/s. */
  private static void ratioRow(StringBuilder md, Map<String, ConfigRun> byId, String[][] pairs, String label,
                               String scenario, java.util.function.ToDoubleFunction<Latencies.OpStats> latency) {
    md.append("| ").append(label);
    for (String[] pair : pairs) {
      double a = value(byId.get(pair[0]), scenario, latency);
      double b = value(byId.get(pair[1]), scenario, latency);
      md.append(" | ").append(Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b));
    }
    md.append(" |\n");
  }

  private static double value(ConfigRun run, String scenario,
                              java.util.function.ToDoubleFunction<Latencies.OpStats> latency) {
    Scenario s = run == null ? null : run.scenarios().get(scenario);
    if (s == null) {
      return Double.NaN;
    }
    if (latency == null) {
      return s.result().messagesPerSecond();
    }
    Latencies.OpStats send = s.result().latencies().get("SendMessage");
    return send == null ? Double.NaN : latency.applyAsDouble(send);
  }

  private void failoverTable(StringBuilder md, List<Failover> rounds) {
    md.append("## Failover (cluster-rf2)\n\n");
    if (rounds.isEmpty()) {
      md.append("Not run (--failovers 0).\n\n");
      return;
    }
    md.append(String.format(Locale.ROOT, "A fresh three-node cluster-rf2. Each round: wait until the queue's "
        + "replica has everything, run %d closed-loop senders to the queue through the two other nodes for 2 s, "
        + "SIGKILL the owner, then start a SendMessage through a surviving node every %d ms (%d ms timeout "
        + "each) until one succeeds; failover = kill to that success. Then the killed node is restarted on "
        + "its data directory and ports.%n%n", BACKGROUND_CLIENTS, PROBE_EVERY_MS, PROBE_TIMEOUT_MS));
    md.append("| round | queue (partition) | killed | new owner | failover ms | failed probes | background sends "
        + "ok / failed, slowest ms | restart: healthy after ms | restart: owns partitions after ms (how many) "
        + "| note |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (Failover f : rounds) {
      md.append(String.format(Locale.ROOT, "| %d | %s (p%d) | %s | %s | %d | %d | %d / %d, %.0f | %d | %d (%d) | %s |%n",
          f.round(), f.queue(), f.partition(), f.killed(), f.newOwner(), f.failoverMs(), f.failedProbes(),
          f.backgroundOk(), f.backgroundFailed(), f.backgroundMaxMs(), f.restartHealthyMs(), f.restartOwningMs(),
          f.ownedAfterRestart(), f.note()));
    }
    List<Long> times = rounds.stream().map(Failover::failoverMs).filter(t -> t >= 0).sorted().toList();
    List<Long> healthy = rounds.stream().map(Failover::restartHealthyMs).filter(t -> t >= 0).sorted().toList();
    if (!times.isEmpty()) {
      md.append(String.format(Locale.ROOT, "%nFailover time over %d round(s): median %d ms, min %d ms, max %d ms. "
              + "Restarted node healthy after: median %d ms, min %d ms, max %d ms.%n%n", times.size(),
          median(times), times.get(0), times.get(times.size() - 1),
          healthy.isEmpty() ? -1 : median(healthy), healthy.isEmpty() ? -1 : healthy.get(0),
          healthy.isEmpty() ? -1 : healthy.get(healthy.size() - 1)));
    }
  }

  private static long median(List<Long> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.2f", ms);
  }

  private static String latencies(LoadScenarios.Result r) {
    return r.latencies().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s p50 %.2f p99 %.2f ms",
        e.getKey(), e.getValue().p50Ms(), e.getValue().p99Ms())).collect(Collectors.joining(" | "));
  }

  private static String failure(Exception e, Nodes nodes) {
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    for (Node node : nodes.nodes) {
      out.append("\n---- ").append(node.id).append(node.alive() ? "" : " (dead)").append(" log tail:\n")
          .append(node.logTail());
    }
    return out.toString();
  }

  /** The bench JVM's own command line, as run. */
  private static String commandLine() {
    List<String> parts = new ArrayList<>();
    parts.add("java");
    parts.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    parts.add("-cp");
    parts.add(System.getProperty("java.class.path"));
    parts.add(System.getProperty("sun.java.command"));
    return String.join(" ", parts);
  }

  /** CPUs, CPU model, RAM, java -version, load average and the server jar's date, read before the run. */
  static String machine(Path root) {
    String cpu = read(Path.of("/proc/cpuinfo")).lines().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    String mem = read(Path.of("/proc/meminfo")).lines().filter(l -> l.startsWith("MemTotal"))
        .map(l -> l.replaceAll("[^0-9]", "")).findFirst()
        .map(kb -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb) / 1048576.0)).orElse("?");
    String java = run(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .lines().collect(Collectors.joining("; "));
    String load = read(Path.of("/proc/loadavg")).trim();
    Path jar = root.resolve("server/target/eventplane.jar");
    String built;
    try {
      built = Instant.ofEpochMilli(Files.getLastModifiedTime(jar).toMillis()).toString();
    } catch (IOException e) {
      built = "?";
    }
    String git = run("git", "-C", root.toString(), "rev-parse", "--short", "HEAD").trim();
    boolean dirty = !run("git", "-C", root.toString(), "status", "--porcelain").isBlank();
    return String.format(Locale.ROOT, "nproc %d, CPU %s, RAM %s, `%s`; load average at start %s; "
            + "server/target/eventplane.jar built %s; git %s%s",
        Runtime.getRuntime().availableProcessors(), cpu, mem, java, load, built, git,
        dirty ? " with uncommitted changes" : "");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  /** A short command's combined output; "?" when it can't run. */
  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  /** Waits for a single call from the main thread; a server that never answers is an error. */
  private static <T> T await(Future<T> call, long seconds) throws InterruptedException {
    try {
      return call.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + seconds + " s", e);
    }
  }

  static void log(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }
}
