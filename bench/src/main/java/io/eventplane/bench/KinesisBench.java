package io.eventplane.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Kinesis Data Streams side by side: Eventplane (its jar, one node, fsync), kinesalite and
 * kinesis-mock (npm {@code kinesis-local}), plus stream -> function on Eventplane and Firehose on
 * Eventplane and moto, each started by this run on free loopback ports and
 * driven by the same SDK v2 {@link KinesisClient}, in interleaved rounds (round r: every case on
 * every target, in {@code --targets} order). Numbers are the median of the rounds.
 *
 * <p>The wire protocol. SDK v2 speaks CBOR to Kinesis by default, so that is what a target gets
 * ({@code --protocol auto}, the default) unless it does not work there: a probe at start
 * (CreateStream, PutRecords, PutRecord, GetShardIterator, GetRecords, DeleteStream on a one-shard
 * stream) decides, and a target that fails it on CBOR with an answer the SDK cannot unmarshal or
 * with an error answer runs on JSON (a client built with {@code aws.cborEnabled=false}, as its users must),
 * which the report says with the error. {@code --protocol cbor} or {@code json} forces one for
 * every target.
 *
 * <pre>bench/run-kinesis-bench.sh [--rounds 3] [--targets eventplane,kinesalite,kinesis-mock,moto]
 *     [--cases put-records,visibility,stream-function,firehose] [--shards 4] [--record-size 1024] [--batch 500]
 *     [--producers 8] [--warmup 3] [--measure 10] [--rate 1000] [--senders 32] [--latency-warmup 2]
 *     [--latency-seconds 10] [--empty-poll-wait-ms 5] [--get-limit 10000] [--drain-timeout 30] [--max-window 120]
 *     [--protocol auto|cbor|json] [--function-records 50000] [--function-warmup 5000] [--function-batch-size 100]
 *     [--function-timeout 120] [--flush-interval 60] [--flush-samples 5] [--flush-batch 10] [--poll-ms 5]
 *     [--eventplane-args "..."] [--server-jvm-opts "..."] [--peers DIR] [--node node] [--python python3]</pre>
 *
 * <p>Which case runs where ({@link #runs}): put-records and visibility on Eventplane, kinesalite
 * and kinesis-mock; stream-function on Eventplane only ({@link StreamFunctionCase}); firehose on
 * Eventplane and moto ({@link FirehoseCase}). A target none of the chosen cases runs on is not started.
 *
 * <ul>
 *   <li><b>put-records</b>: a fresh stream of {@code --shards} shards per round; {@code --producers}
 *       threads in a closed loop, each one PutRecords of {@code --batch} records of
 *       {@code --record-size} bytes (random data, a random partition key per record, so the records
 *       spread over the shards) outstanding. After {@code --warmup} s a window of {@code --measure}
 *       s, held open (up to {@code --max-window} s) until a call per producer ended in it: records/s counts the records acknowledged (not failed in the answer) by calls that ended
 *       inside it; MB/s is that times the record size (data bytes only, 10^6 bytes a MB).</li>
 *   <li><b>visibility</b>: a fresh stream of {@code --shards} shards; a consumer per shard, polling
 *       as a KCL-style reader does: GetRecords ({@code --get-limit}) on its iterator (LATEST, taken
 *       before the first put), at once again when it got records, after {@code --empty-poll-wait-ms}
 *       when it got none (or was throttled). A producer puts single records (PutRecord,
 *       {@code --record-size} bytes carrying their send time) at {@code --rate} records/s, open
 *       loop: a 1 ms ticker hands what is due to {@code --senders} threads. Latency: from just
 *       before PutRecord is sent to the record's arrival at its consumer, for the records sent in
 *       the {@code --latency-seconds} window after {@code --latency-warmup} s; afterwards the
 *       consumers get up to {@code --drain-timeout} s to see every record acknowledged in it.</li>
 * </ul>
 *
 * <p>stream-function (delivered records/s and put -> invoke latency through an event source
 * mapping) and firehose (PutRecordBatch records/s and MB/s, flush-to-object latency) are described
 * in their classes.
 */
public final class KinesisBench {
  static final String PUT_RECORDS = "put-records";
  static final String VISIBILITY = "visibility";
  static final String STREAM_FUNCTION = "stream-function";
  static final String FIREHOSE = "firehose";
  static final List<String> CASES = List.of(PUT_RECORDS, VISIBILITY, STREAM_FUNCTION, FIREHOSE);

  /**
   * Whether case {@code c} runs on {@code target}: the Kinesis cases on Eventplane and the two
   * Kinesis peers, stream-function on Eventplane only (no peer has Lambda without Docker), firehose
   * on Eventplane and moto. A target that none of the chosen cases runs on is not started.
   */
  static boolean runs(String c, String target) {
    return switch (c) {
      case PUT_RECORDS, VISIBILITY -> !target.equals(KinesisPeer.MOTO);
      case STREAM_FUNCTION -> target.equals(KinesisPeer.EVENTPLANE);
      case FIREHOSE -> target.equals(KinesisPeer.EVENTPLANE) || target.equals(KinesisPeer.MOTO);
      default -> false;
    };
  }

  record Options(Path root, int rounds, List<String> targets, List<String> cases, int shards, int recordSize, int batch,
      int producers, int warmup, int measure, double rate, int senders, int latencyWarmup, int latencySeconds,
      int emptyPollWaitMs, int getLimit, int drainTimeout, int maxWindow, String protocol, List<String> eventplaneArgs,
      List<String> jvm, Path peers, String node, int functionRecords, int functionWarmup, int functionBatchSize,
      int functionTimeout, int flushInterval, int flushSamples, int flushBatch, int pollMs, String python) {
    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      if (args.length % 2 != 0) throw new IllegalArgumentException("option without a value: " + args[args.length - 1]);
      for (int i = 0; i < args.length; i += 2) {
        if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option value, got " + args[i]);
        m.put(args[i].substring(2), args[i + 1]);
      }
      List<String> known = List.of("root", "rounds", "targets", "cases", "shards", "record-size", "batch", "producers",
          "warmup", "measure", "rate", "senders", "latency-warmup", "latency-seconds", "empty-poll-wait-ms", "get-limit",
          "drain-timeout", "max-window", "protocol", "eventplane-args", "server-jvm-opts", "peers", "node",
          "function-records", "function-warmup", "function-batch-size", "function-timeout", "flush-interval",
          "flush-samples", "flush-batch", "poll-ms", "python");
      for (String k : m.keySet()) if (!known.contains(k)) throw new IllegalArgumentException("unknown option --" + k);
      List<String> cases = words(m.getOrDefault("cases", String.join(",", CASES)));
      for (String c : cases) {
        if (!CASES.contains(c)) throw new IllegalArgumentException("unknown case " + c + "; known: " + CASES);
      }
      String protocol = m.getOrDefault("protocol", "auto");
      if (!List.of("auto", "cbor", "json").contains(protocol)) throw new IllegalArgumentException("--protocol auto|cbor|json");
      Path root = Path.of(m.getOrDefault("root", ".")).toAbsolutePath().normalize();
      Path cache = Path.of(System.getProperty("user.home"), ".cache", "eventplane-bench", "kinesis-peers");
      int batch = Integer.parseInt(m.getOrDefault("batch", "500"));
      if (batch < 1 || batch > 500) throw new IllegalArgumentException("--batch 1..500 (PutRecords takes up to 500)");
      int recordSize = Integer.parseInt(m.getOrDefault("record-size", "1024"));
      if (recordSize < 16) throw new IllegalArgumentException("--record-size >= 16 (a record carries its send time)");
      int functionBatchSize = Integer.parseInt(m.getOrDefault("function-batch-size", "100"));
      if (functionBatchSize < 1 || functionBatchSize > 10_000) {
        throw new IllegalArgumentException("--function-batch-size 1..10000 (a Kinesis mapping's BatchSize)");
      }
      int flushInterval = Integer.parseInt(m.getOrDefault("flush-interval", "60"));
      if (flushInterval < 0 || flushInterval > 900) throw new IllegalArgumentException("--flush-interval 0..900 (IntervalInSeconds)");
      int flushBatch = Integer.parseInt(m.getOrDefault("flush-batch", "10"));
      if (flushBatch < 1 || flushBatch > 500) throw new IllegalArgumentException("--flush-batch 1..500 (PutRecordBatch takes up to 500)");
      return new Options(root, Integer.parseInt(m.getOrDefault("rounds", "3")),
          words(m.getOrDefault("targets", "eventplane,kinesalite,kinesis-mock,moto")), cases,
          Integer.parseInt(m.getOrDefault("shards", "4")), recordSize, batch,
          Integer.parseInt(m.getOrDefault("producers", "8")), Integer.parseInt(m.getOrDefault("warmup", "3")),
          Integer.parseInt(m.getOrDefault("measure", "10")), Double.parseDouble(m.getOrDefault("rate", "1000")),
          Integer.parseInt(m.getOrDefault("senders", "32")), Integer.parseInt(m.getOrDefault("latency-warmup", "2")),
          Integer.parseInt(m.getOrDefault("latency-seconds", "10")),
          Integer.parseInt(m.getOrDefault("empty-poll-wait-ms", "5")), Integer.parseInt(m.getOrDefault("get-limit", "10000")),
          Integer.parseInt(m.getOrDefault("drain-timeout", "30")), Integer.parseInt(m.getOrDefault("max-window", "120")),
          protocol, split(m.getOrDefault("eventplane-args", "")),
          split(m.getOrDefault("server-jvm-opts", "")), Path.of(m.getOrDefault("peers", cache.toString())),
          m.getOrDefault("node", "node"), Integer.parseInt(m.getOrDefault("function-records", "50000")),
          Integer.parseInt(m.getOrDefault("function-warmup", "5000")), functionBatchSize,
          Integer.parseInt(m.getOrDefault("function-timeout", "120")), flushInterval,
          Integer.parseInt(m.getOrDefault("flush-samples", "5")), flushBatch,
          Integer.parseInt(m.getOrDefault("poll-ms", "5")), m.getOrDefault("python", "python3"));
    }

    private static List<String> words(String s) {
      return Arrays.stream(s.split(",")).map(String::trim).filter(w -> !w.isEmpty()).toList();
    }

    private static List<String> split(String s) {
      return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }
  }

  /** One put-records window. */
  record Throughput(String target, int round, double recordsPerSecond, double megabytesPerSecond, long calls,
      double windowSeconds, double callP50, double callP99, long failedRecords, long errors, String firstError,
      CpuShare cpu) {}

  /** One visibility window. */
  record Visibility(String target, int round, double offered, double achieved, long sent, long received, double p50,
      double p99, double max, double putP50, double putP99, long notSent, long polls, long emptyPolls, long throttled,
      long errors, String firstError, CpuShare cpu) {}

  private final Options options;
  /** The protocol each target runs on, and why, for the report. */
  private final Map<String, String> protocols = new LinkedHashMap<>();
  /** 1 MiB of random bytes; records are slices of it. */
  private final byte[] random = new byte[1 << 20];

  private KinesisBench(Options options) {
    this.options = options;
    ThreadLocalRandom.current().nextBytes(random);
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = Files.createDirectories(options.root().resolve("bench/target/bench-results/kinesis-" + stamp));
    KinesisBench bench = new KinesisBench(options);
    String machine = ClusterBench.machine(options.root());
    List<KinesisPeer> peers = new ArrayList<>();
    Map<String, KinesisClient> clients = new LinkedHashMap<>();
    Map<String, StreamFunctionCase> functions = new LinkedHashMap<>();
    Map<String, FirehoseCase> firehoses = new LinkedHashMap<>();
    try {
      Map<String, Long> startup = new LinkedHashMap<>();
      for (String t : options.targets()) {
        if (options.cases().stream().noneMatch(c -> runs(c, t))) {
          log("%s: none of the cases %s runs on it; not started", t, options.cases());
          continue;
        }
        long t0 = System.nanoTime();
        KinesisPeer p = switch (t) {
          case KinesisPeer.EVENTPLANE -> KinesisPeer.eventplane(options.root(), options.jvm(), options.eventplaneArgs(), out);
          case KinesisPeer.KINESALITE -> KinesisPeer.kinesalite(options.node(), options.peers(), options.root(), out);
          case KinesisPeer.KINESIS_MOCK -> KinesisPeer.kinesisMock(options.node(), options.peers(), options.root(), out);
          case KinesisPeer.MOTO -> KinesisPeer.moto(options.python(), out);
          default -> throw new IllegalArgumentException("unknown target " + t
              + "; known: eventplane, kinesalite, kinesis-mock, moto");
        };
        peers.add(p);
        if (t.equals(KinesisPeer.MOTO)) {
          firehoses.put(p.name, FirehoseCase.setUp(bench, p));
          bench.protocols.put(p.name, "Firehose and S3 only (Firehose is JSON 1.1 on every target)");
        } else {
          KinesisClient c = bench.client(p, !options.protocol().equals("json"));
          clients.put(p.name, c);
          awaitServing(p, c, 120);
        }
        startup.put(p.name, (System.nanoTime() - t0) / 1_000_000);
        p.requireLoopbackOnly();
        log("%s: serving after %d ms on 127.0.0.1:%d (%s)", p.name, startup.get(p.name), p.port, p.describe);
        if (clients.containsKey(p.name)) {
          clients.put(p.name, bench.probe(p, clients.get(p.name)));
          log("%s: %s", p.name, bench.protocols.get(p.name));
        }
        if (options.cases().contains(STREAM_FUNCTION) && runs(STREAM_FUNCTION, t)) {
          functions.put(p.name, StreamFunctionCase.setUp(bench, p, clients.get(p.name)));
        }
        if (options.cases().contains(FIREHOSE) && runs(FIREHOSE, t) && !firehoses.containsKey(p.name)) {
          firehoses.put(p.name, FirehoseCase.setUp(bench, p));
        }
      }
      List<Throughput> throughputs = new ArrayList<>();
      List<Visibility> visibilities = new ArrayList<>();
      List<StreamFunctionCase.Result> deliveries = new ArrayList<>();
      List<FirehoseCase.Throughput> firehosePuts = new ArrayList<>();
      List<FirehoseCase.Flush> flushes = new ArrayList<>();
      for (int r = 1; r <= options.rounds(); r++) {
        for (KinesisPeer p : peers) {
          KinesisClient c = clients.get(p.name);
          if (options.cases().contains(PUT_RECORDS) && runs(PUT_RECORDS, p.name)) throughputs.add(bench.putRecords(p, c, r));
          if (options.cases().contains(VISIBILITY) && runs(VISIBILITY, p.name)) visibilities.add(bench.visibility(p, c, r));
          if (functions.containsKey(p.name)) deliveries.add(functions.get(p.name).round(r));
          if (firehoses.containsKey(p.name)) {
            firehosePuts.add(firehoses.get(p.name).throughput(r));
            flushes.addAll(firehoses.get(p.name).flushAtOnce(r));
          }
        }
      }
      if (options.flushInterval() > 0) {
        for (FirehoseCase f : firehoses.values()) flushes.addAll(f.flushAfterInterval());
      }
      String report = bench.render(machine, peers, startup, throughputs, visibilities)
          + (deliveries.isEmpty() ? "" : StreamFunctionCase.render(options, deliveries, peers))
          + FirehoseCase.render(options, firehosePuts, flushes, peers)
          + errors(throughputs, visibilities, deliveries, firehosePuts, flushes);
      Files.writeString(out.resolve("report.md"), report);
      System.out.println(report);
      System.out.println("report and server logs: " + out);
    } finally {
      functions.values().forEach(StreamFunctionCase::close);
      firehoses.values().forEach(FirehoseCase::close);
      clients.values().forEach(KinesisClient::close);
      for (KinesisPeer p : peers) p.close();
    }
  }

  Options options() {
    return options;
  }

  /** 1 MiB of random bytes to slice records from. */
  byte[] random() {
    return random;
  }

  /** Builds a client on CBOR or JSON: {@code aws.cborEnabled}, which the SDK reads at build time, says which. */
  private KinesisClient client(KinesisPeer p, boolean cbor) {
    String before = System.getProperty("aws.cborEnabled");
    System.setProperty("aws.cborEnabled", Boolean.toString(cbor));
    try {
      return KinesisClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + p.port)).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(ApacheHttpClient.builder()
              .maxConnections(Math.max(options.producers(), options.senders()) + options.shards() + 8)
              .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(120)).tcpKeepAlive(true))
          // No retries: a throttled or failed call is counted, not hidden in the call's time.
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(120)))
          .build();
    } finally {
      if (before == null) System.clearProperty("aws.cborEnabled");
      else System.setProperty("aws.cborEnabled", before);
    }
  }

  private static void awaitServing(KinesisPeer p, KinesisClient c, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!p.alive()) throw new IllegalStateException(p.name + " exited; see " + p.log);
      try {
        c.listStreams(b -> b.limit(1));
        return;
      } catch (AwsServiceException e) {
        return; // it answers; whether it takes this protocol is the probe's question
      } catch (Exception e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(p.name + " did not answer ListStreams within " + seconds + " s; see " + p.log
        + (last == null ? "" : "; last: " + last));
  }

  /**
   * The client a target is measured with: the one given (CBOR unless {@code --protocol json}) when
   * the probe passes on it; on {@code --protocol auto}, a JSON one when the SDK could not read the
   * target's CBOR answers. Any other failure ends the run.
   */
  private KinesisClient probe(KinesisPeer p, KinesisClient c) throws InterruptedException {
    String first = options.protocol().equals("json") ? "JSON (--protocol json)" : "CBOR";
    try {
      protocols.put(p.name, first + roundTrip(p, c, "bench-probe-cbor"));
      return c;
    } catch (SdkClientException | AwsServiceException e) {
      boolean unreadable = e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("Unable to unmarshall");
      if (!options.protocol().equals("auto") || !(unreadable || e instanceof AwsServiceException)) throw e;
      KinesisClient json = client(p, false);
      String note = roundTrip(p, json, "bench-probe-json");
      c.close();
      protocols.put(p.name, (unreadable ? "JSON: on CBOR the SDK could not read its answers (" : "JSON: it refused the "
          + "CBOR probe (") + oneLine(e) + ")" + note);
      return json;
    }
  }

  /**
   * Every call the cases make, once, on a one-shard stream; fails unless the records come back
   * intact. Returns a note for the report when their ApproximateArrivalTimestamp, as the SDK read
   * it, is more than a minute from now (a timestamp sent in the wrong unit), else "".
   */
  private String roundTrip(KinesisPeer p, KinesisClient c, String stream) throws InterruptedException {
    c.createStream(b -> b.streamName(stream).shardCount(1));
    try {
      awaitActive(p, c, stream);
      byte[] data = Arrays.copyOf(random, options.recordSize());
      PutRecordsResponse batch = c.putRecords(b -> b.streamName(stream).records(
          PutRecordsRequestEntry.builder().partitionKey("a").data(SdkBytes.fromByteArray(data)).build(),
          PutRecordsRequestEntry.builder().partitionKey("b").data(SdkBytes.fromByteArray(data)).build()));
      if (batch.failedRecordCount() != null && batch.failedRecordCount() > 0) {
        throw new IllegalStateException(p.name + ": probe PutRecords failed: " + firstFailure(batch));
      }
      c.putRecord(b -> b.streamName(stream).partitionKey("c").data(SdkBytes.fromByteArray(data)));
      String shard = c.listShards(b -> b.streamName(stream)).shards().get(0).shardId();
      String it = c.getShardIterator(b -> b.streamName(stream).shardId(shard)
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      List<Record> got = c.getRecords(b -> b.shardIterator(it)).records();
      if (got.size() != 3 || !got.stream().allMatch(r -> Arrays.equals(r.data().asByteArrayUnsafe(), data))) {
        throw new IllegalStateException(p.name + ": probe GetRecords returned " + got.size() + " records, not the 3 put");
      }
      Instant arrival = got.get(0).approximateArrivalTimestamp();
      return arrival == null ? "; no ApproximateArrivalTimestamp"
          : Math.abs(Duration.between(Instant.now(), arrival).toSeconds()) > 60
          ? "; ApproximateArrivalTimestamp read as " + arrival + " at " + Instant.now() : "";
    } finally {
      deleteStream(p, c, stream);
    }
  }

  private static String oneLine(Exception e) {
    String m = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  // ---- streams ----

  /** CreateStream, then DescribeStreamSummary every 20 ms until ACTIVE; the stream's shards. */
  List<Shard> createStream(KinesisPeer p, KinesisClient c, String stream) throws InterruptedException {
    c.createStream(b -> b.streamName(stream).shardCount(options.shards()));
    awaitActive(p, c, stream);
    List<Shard> shards = c.listShards(b -> b.streamName(stream)).shards();
    if (shards.size() != options.shards()) {
      throw new IllegalStateException(p.name + ": " + stream + " has " + shards.size() + " shards, not " + options.shards());
    }
    return shards;
  }

  private static void awaitActive(KinesisPeer p, KinesisClient c, String stream) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (c.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
        != StreamStatus.ACTIVE) {
      if (System.nanoTime() > deadline) throw new IllegalStateException(p.name + ": " + stream + " not ACTIVE in 60 s");
      Thread.sleep(20);
    }
  }

  /** Frees the peer's memory before the next case; a failure here only costs that. */
  static void deleteStream(KinesisPeer p, KinesisClient c, String stream) {
    try {
      c.deleteStream(b -> b.streamName(stream));
    } catch (Exception e) {
      log("%s: DeleteStream %s failed: %s", p.name, stream, e);
    }
  }

  // ---- put-records ----

  private Throughput putRecords(KinesisPeer p, KinesisClient c, int round) throws Exception {
    String stream = "bench-put-" + round;
    createStream(p, c, stream);
    List<List<PutRecordsRequest>> requests = new ArrayList<>();
    for (int i = 0; i < options.producers(); i++) {
      List<PutRecordsRequest> mine = new ArrayList<>();
      for (int k = 0; k < 4; k++) mine.add(putRecordsRequest(stream));
      requests.add(mine);
    }
    log("%s round %d: put-records, %d producers x PutRecords of %d x %d B on %d shards: warm-up %d s, window %d s",
        p.name, round, options.producers(), options.batch(), options.recordSize(), options.shards(), options.warmup(),
        options.measure());
    ClosedLoop.Window w;
    try {
      w = ClosedLoop.run(options, p.pid(), "put-records", "", (i, k) -> {
        PutRecordsResponse r = c.putRecords(requests.get(i).get(k % 4));
        int failed = r.failedRecordCount() == null ? 0 : r.failedRecordCount();
        return new ClosedLoop.Outcome(r.records().size() - failed, failed, failed > 0 ? firstFailure(r) : null);
      });
    } finally {
      deleteStream(p, c, stream);
    }
    double rps = w.accepted() / w.seconds();
    Throughput t = new Throughput(p.name, round, rps, rps * options.recordSize() / 1e6, w.calls(), w.seconds(),
        w.callP50(), w.callP99(), w.failed(), w.errors(), w.firstError(), w.cpu());
    log("%s round %d: %.0f records/s, %.1f MB/s, PutRecords p50 %.1f ms p99 %.1f ms, %d failed records, %d errors%s",
        p.name, round, t.recordsPerSecond(), t.megabytesPerSecond(), t.callP50(), t.callP99(), t.failedRecords(),
        t.errors(), t.firstError() == null ? "" : " (first: " + t.firstError() + ")");
    return t;
  }

  private PutRecordsRequest putRecordsRequest(String stream) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    List<PutRecordsRequestEntry> entries = new ArrayList<>(options.batch());
    for (int i = 0; i < options.batch(); i++) {
      int from = rnd.nextInt(random.length - options.recordSize());
      entries.add(PutRecordsRequestEntry.builder().partitionKey("pk-" + rnd.nextLong(1L << 40))
          .data(SdkBytes.fromByteArrayUnsafe(Arrays.copyOfRange(random, from, from + options.recordSize()))).build());
    }
    return PutRecordsRequest.builder().streamName(stream).records(entries).build();
  }

  private static String firstFailure(PutRecordsResponse r) {
    return r.records().stream().filter(e -> e.errorCode() != null).findFirst()
        .map(e -> e.errorCode() + ": " + e.errorMessage()).orElse("FailedRecordCount " + r.failedRecordCount());
  }

  // ---- visibility ----

  private Visibility visibility(KinesisPeer p, KinesisClient c, int round) throws Exception {
    String stream = "bench-visibility-" + round;
    List<Shard> shards = createStream(p, c, stream);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
    AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
    Histogram latency = histogram();
    Histogram putTimes = histogram();
    AtomicLong sentInWindow = new AtomicLong();
    AtomicLong notSent = new AtomicLong();
    AtomicLong receivedInWindow = new AtomicLong();
    AtomicLong polls = new AtomicLong();
    AtomicLong emptyPolls = new AtomicLong();
    AtomicLong throttled = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    Map<Long, Boolean> seen = new ConcurrentHashMap<>();
    CountDownLatch firstPolls = new CountDownLatch(shards.size());
    List<Thread> consumers = new ArrayList<>();
    for (Shard shard : shards) {
      String first = c.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
      Thread t = new Thread(() -> {
        String iterator = first;
        boolean counted = false;
        while (!stop.get() && iterator != null) {
          boolean empty;
          try {
            String it = iterator;
            GetRecordsResponse r = c.getRecords(b -> b.shardIterator(it).limit(options.getLimit()));
            long now = System.nanoTime();
            polls.incrementAndGet();
            for (Record rec : r.records()) {
              ByteBuffer data = rec.data().asByteBuffer();
              long sent = data.getLong(0);
              long seq = data.getLong(8);
              if (sent >= windowStart.get() && sent <= windowEnd.get() && seen.putIfAbsent(seq, Boolean.TRUE) == null) {
                latency.recordValue(micros(now - sent));
                receivedInWindow.incrementAndGet();
              }
            }
            iterator = r.nextShardIterator();
            empty = r.records().isEmpty();
            if (empty) emptyPolls.incrementAndGet();
          } catch (ProvisionedThroughputExceededException e) {
            throttled.incrementAndGet();
            empty = true;
          } catch (Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, "GetRecords: " + e);
            empty = true;
          }
          if (!counted) {
            counted = true;
            firstPolls.countDown();
          }
          if (empty) pause(options.emptyPollWaitMs());
        }
      }, "get-records-" + shard.shardId());
      t.setDaemon(true);
      consumers.add(t);
    }
    consumers.forEach(Thread::start);
    if (!firstPolls.await(60, TimeUnit.SECONDS)) throw new IllegalStateException(p.name + ": no first GetRecords in 60 s");

    log("%s round %d: visibility, PutRecord at %.0f/s, %d consumers (empty poll -> wait %d ms): warm-up %d s, window %d s",
        p.name, round, options.rate(), shards.size(), options.emptyPollWaitMs(), options.latencyWarmup(),
        options.latencySeconds());
    ExecutorService senders = Executors.newFixedThreadPool(options.senders(), daemon("put-record"));
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("ticker"));
    AtomicLong issued = new AtomicLong();
    long begin = System.nanoTime();
    ticker.scheduleAtFixedRate(() -> {
      long due = (long) ((System.nanoTime() - begin) / 1e9 * options.rate());
      for (long seq = issued.get(); seq < due; seq = issued.incrementAndGet()) {
        long s = seq;
        senders.execute(() -> {
          // A target slower than the rate builds a backlog; what is still queued when the window ends is not sent.
          if (System.nanoTime() > windowEnd.get()) notSent.incrementAndGet();
          else putOne(c, stream, s, windowStart, windowEnd, sentInWindow, putTimes, errors, firstError);
        });
      }
    }, 0, 1, TimeUnit.MILLISECONDS);
    Thread.sleep(options.latencyWarmup() * 1000L);
    CpuShare.Sample cpu0 = CpuShare.sample(p.pid());
    long start = System.nanoTime();
    windowStart.set(start);
    Thread.sleep(options.latencySeconds() * 1000L);
    long end = System.nanoTime();
    windowEnd.set(end);
    CpuShare cpu = CpuShare.between(cpu0, CpuShare.sample(p.pid()));
    ticker.shutdownNow();
    senders.shutdown();
    senders.awaitTermination(130, TimeUnit.SECONDS);
    long drainUntil = System.nanoTime() + options.drainTimeout() * 1_000_000_000L;
    while (receivedInWindow.get() < sentInWindow.get() && System.nanoTime() < drainUntil) Thread.sleep(10);
    stop.set(true);
    for (Thread t : consumers) t.join(130_000);
    deleteStream(p, c, stream);
    double seconds = (end - start) / 1e9;
    Visibility v = new Visibility(p.name, round, options.rate(), sentInWindow.get() / seconds, sentInWindow.get(),
        receivedInWindow.get(), ms(latency, 50), ms(latency, 99), latency.getTotalCount() == 0 ? Double.NaN
        : latency.getMaxValue() / 1000.0, ms(putTimes, 50), ms(putTimes, 99), notSent.get(), polls.get(), emptyPolls.get(),
        throttled.get(), errors.get(), firstError.get(), cpu);
    log("%s round %d: sent %d (%.0f/s; %d due never sent), received %d; PutRecord -> GetRecords p50 %.2f ms p99 %.2f ms max %.1f ms; PutRecord p50 "
            + "%.2f ms p99 %.2f ms; %d polls, %d empty, %d throttled, %d errors%s", p.name, round, v.sent(), v.achieved(), v.notSent(), v.received(),
        v.p50(), v.p99(), v.max(), v.putP50(), v.putP99(), v.polls(), v.emptyPolls(), v.throttled(), v.errors(),
        v.firstError() == null ? "" : " (first: " + v.firstError() + ")");
    return v;
  }

  /** One PutRecord whose data begins with its send time and sequence number. */
  private void putOne(KinesisClient c, String stream, long seq, AtomicLong windowStart, AtomicLong windowEnd,
      AtomicLong sentInWindow, Histogram putTimes, AtomicLong errors, AtomicReference<String> firstError) {
    byte[] data = new byte[options.recordSize()];
    int from = ThreadLocalRandom.current().nextInt(random.length - data.length);
    System.arraycopy(random, from, data, 16, data.length - 16);
    ByteBuffer b = ByteBuffer.wrap(data);
    long sent = System.nanoTime();
    b.putLong(0, sent).putLong(8, seq);
    try {
      c.putRecord(r -> r.streamName(stream).partitionKey("pk-" + seq).data(SdkBytes.fromByteArrayUnsafe(data)));
      if (sent >= windowStart.get() && sent <= windowEnd.get()) {
        putTimes.recordValue(micros(System.nanoTime() - sent));
        sentInWindow.incrementAndGet();
      }
    } catch (Exception e) {
      errors.incrementAndGet();
      firstError.compareAndSet(null, "PutRecord: " + e);
    }
  }

  // ---- report ----

  private String render(String machine, List<KinesisPeer> peers, Map<String, Long> startup, List<Throughput> throughputs,
      List<Visibility> visibilities) {
    StringBuilder md = new StringBuilder("# Kinesis and Firehose: ")
        .append(peers.stream().map(p -> p.name).collect(Collectors.joining(" vs "))).append("\n\n");
    md.append("Machine: ").append(machine).append("\n\n");
    md.append("Client: AWS SDK for Java ").append(VersionInfo.SDK_VERSION).append(" KinesisClient (Apache HTTP client, ")
        .append("no retries), --protocol ").append(options.protocol()).append("; ").append(options.rounds())
        .append(" rounds, medians of rounds.\n\n");
    md.append("| target | what ran | protocol | start-up to first ListStreams (moto: ListDeliveryStreams), ms "
        + "| RSS at the end, MiB |\n"
        + "|---|---|---|---|---|\n");
    for (KinesisPeer p : peers) {
      md.append("| ").append(p.name).append(" | ").append(p.describe).append(" | ").append(protocols.get(p.name))
          .append(" | ").append(startup.get(p.name))
          .append(" | ").append(fmt(p.rssKib() / 1024.0)).append(" |\n");
    }
    md.append('\n');
    if (!throughputs.isEmpty()) {
      md.append("## PutRecords, ").append(options.shards()).append(" shards, ").append(options.batch())
          .append(" records of ").append(options.recordSize()).append(" B a call, ").append(options.producers())
          .append(" producers, closed loop, ").append(options.measure()).append(" s windows\n\n");
      md.append("records/s: records acknowledged (not failed in the answer) by the calls that ended in the window; MB/s: "
          + "that times the record size (data only, 10^6 B). Cores from /proc over the window: the server, this bench, "
          + "everything else.\n\n");
      md.append("| target | records/s | MB/s | window s | PutRecords p50 ms | p99 ms | failed records | failed calls "
          + "| server cores | bench cores | other cores |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (KinesisPeer p : peers) {
        List<Throughput> ts = throughputs.stream().filter(t -> t.target().equals(p.name)).toList();
        if (ts.isEmpty()) continue;
        md.append("| ").append(p.name).append(" | **").append(fmt(median(ts, Throughput::recordsPerSecond)))
            .append("** | ").append(fmt(median(ts, Throughput::megabytesPerSecond)))
            .append(" | ").append(fmt(median(ts, Throughput::windowSeconds)))
            .append(" | ").append(fmt(median(ts, Throughput::callP50))).append(" | ").append(fmt(median(ts, Throughput::callP99)))
            .append(" | ").append(ts.stream().mapToLong(Throughput::failedRecords).sum())
            .append(" | ").append(ts.stream().mapToLong(Throughput::errors).sum())
            .append(" | ").append(fmt(median(ts, t -> t.cpu().serverCores())))
            .append(" | ").append(fmt(median(ts, t -> t.cpu().benchCores())))
            .append(" | ").append(fmt(median(ts, t -> t.cpu().otherCores()))).append(" |\n");
      }
      md.append("\nPer round: ").append(throughputs.stream().map(t -> t.target() + " r" + t.round() + " "
          + fmt(t.recordsPerSecond())).collect(Collectors.joining(", "))).append("\n\n");
    }
    if (!visibilities.isEmpty()) {
      md.append("## PutRecord -> GetRecords visibility at ").append(fmt(options.rate())).append(" records/s, ")
          .append(options.shards()).append(" shards, a consumer per shard (empty poll -> wait ")
          .append(options.emptyPollWaitMs()).append(" ms), ").append(options.latencySeconds()).append(" s windows\n\n");
      md.append("Latency: from just before PutRecord is sent to the record's arrival at its shard's consumer, for the "
          + "records sent in the window. Sent: PutRecord calls acknowledged in the window. A target whose achieved rate "
          + "is under the offered one could not keep up (its senders fell behind; what was due and never sent is "
          + "counted): its latency is measured at saturation, not at the offered rate.\n\n");
      md.append("| target | achieved records/s | p50 ms | p99 ms | max ms | received / sent | due, never sent | PutRecord p50 ms "
          + "| p99 ms | GetRecords calls | empty | throttled | errors | server cores |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (KinesisPeer p : peers) {
        List<Visibility> vs = visibilities.stream().filter(v -> v.target().equals(p.name)).toList();
        if (vs.isEmpty()) continue;
        md.append("| ").append(p.name).append(" | ").append(fmt(median(vs, Visibility::achieved)))
            .append(" | ").append(fmt(median(vs, Visibility::p50))).append(" | **").append(fmt(median(vs, Visibility::p99)))
            .append("** | ").append(fmt(median(vs, Visibility::max)))
            .append(" | ").append(vs.stream().mapToLong(Visibility::received).sum()).append(" / ")
            .append(vs.stream().mapToLong(Visibility::sent).sum())
            .append(" | ").append(vs.stream().mapToLong(Visibility::notSent).sum())
            .append(" | ").append(fmt(median(vs, Visibility::putP50))).append(" | ").append(fmt(median(vs, Visibility::putP99)))
            .append(" | ").append(vs.stream().mapToLong(Visibility::polls).sum())
            .append(" | ").append(vs.stream().mapToLong(Visibility::emptyPolls).sum())
            .append(" | ").append(vs.stream().mapToLong(Visibility::throttled).sum())
            .append(" | ").append(vs.stream().mapToLong(Visibility::errors).sum())
            .append(" | ").append(fmt(median(vs, v -> v.cpu().serverCores()))).append(" |\n");
      }
      md.append("\nPer round p99 ms: ").append(visibilities.stream().map(v -> v.target() + " r" + v.round() + " "
          + fmt(v.p99())).collect(Collectors.joining(", "))).append("\n\n");
    }
    return md.toString();
  }

  private static String errors(List<Throughput> throughputs, List<Visibility> visibilities,
      List<StreamFunctionCase.Result> deliveries, List<FirehoseCase.Throughput> firehosePuts, List<FirehoseCase.Flush> flushes) {
    List<String> errors = new ArrayList<>();
    throughputs.stream().filter(t -> t.firstError() != null).forEach(t -> errors.add(t.target() + " round " + t.round()
        + " put-records: " + t.firstError()));
    visibilities.stream().filter(v -> v.firstError() != null).forEach(v -> errors.add(v.target() + " round " + v.round()
        + " visibility: " + v.firstError()));
    deliveries.stream().filter(d -> d.firstError() != null).forEach(d -> errors.add(d.target() + " round " + d.round()
        + " stream-function: " + d.firstError()));
    errors.addAll(FirehoseCase.errors(firehosePuts, flushes));
    return "## Errors\n\n" + (errors.isEmpty() ? "None.\n" : errors.stream().map(e -> "- " + e)
        .collect(Collectors.joining("\n")) + "\n");
  }

  // ---- helpers ----

  static Histogram histogram() {
    return new SynchronizedHistogram(300_000_000L, 3);
  }

  static long micros(long nanos) {
    return Math.max(1, Math.min(300_000_000L, nanos / 1_000));
  }

  static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }

  static <T> double median(List<T> values, ToDoubleFunction<T> f) {
    double[] v = values.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) return Double.NaN;
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) return "-";
    double a = Math.abs(v);
    return a >= 100 ? String.format(Locale.ROOT, "%.0f", v) : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void log(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }
}
