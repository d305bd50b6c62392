package io.eventplane.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;

/**
 * The {@code stream-function} case of {@link KinesisBench}, on Eventplane only: a stream of
 * {@code --shards} shards read by an event source mapping (TRIM_HORIZON, BatchSize
 * {@code --function-batch-size}, MaximumBatchingWindowInSeconds 0) into a Java function, the
 * examples jar's {@code DeliveryLog}, which appends one line per invocation to a file of its instance
 * in a directory of this bench ({@code DELIVERY_LOG_DIR}): its start and end time (wall clock,
 * epoch microseconds) and the ids the records carry in their first 8 bytes. The bench reads the
 * lines as they come. Per round: a new stream and mapping, {@code --function-warmup} records put
 * and awaited (function instances started, JIT warm), then {@code --function-records} records put
 * as fast as {@code --producers} threads of PutRecords ({@code --batch} records of
 * {@code --record-size} bytes, random partition keys) go. Delivered records/s: the records over the
 * time from the first PutRecords sent to the end of the invocation that completed the set (the last
 * record processed). Latency per record: from the moment the PutRecords carrying it was first sent
 * to the start of the invocation that got it; under this burst it includes the wait behind earlier
 * records of its shard. Bench and function run on one machine and read the same wall clock.
 */
final class StreamFunctionCase implements AutoCloseable {
  static final String HANDLER = "io.eventplane.examples.DeliveryLog::handleRequest";
  private static final String FUNCTION = "bench-delivery-log";
  private static final String ROLE = "arn:aws:iam::000000000000:role/bench";
  /** Ids of round r are r * ROUND_IDS + i; the warm-up's start at WARMUP_IDS within them. */
  private static final long ROUND_IDS = 1_000_000_000L;
  private static final long WARMUP_IDS = 900_000_000L;

  /** One measured burst. */
  record Result(String target, int round, int records, double deliveredPerSecond, double putPerSecond,
      double seconds, double p50, double p99, double max, long invocations, long duplicates, long failedRecords,
      long errors, String firstError, CpuShare cpu) {}

  /** One invocation as the function noted it. */
  private record Batch(long startMicros, long endMicros, long[] ids) {}

  private final KinesisBench bench;
  private final KinesisBench.Options options;
  private final KinesisPeer peer;
  private final KinesisClient kinesis;
  private final LambdaClient lambda;
  private final Path dir;
  private final Map<Path, Long> offsets = new HashMap<>();

  private StreamFunctionCase(KinesisBench bench, KinesisPeer peer, KinesisClient kinesis, LambdaClient lambda, Path dir) {
    this.bench = bench;
    this.options = bench.options();
    this.peer = peer;
    this.kinesis = kinesis;
    this.lambda = lambda;
    this.dir = dir;
  }

  /** Creates the function (the examples jar, inline) and waits until it is Active. */
  static StreamFunctionCase setUp(KinesisBench bench, KinesisPeer peer, KinesisClient kinesis) throws Exception {
    Path jar = bench.options().root().resolve("examples/target/eventplane-examples.jar");
    if (!Files.isRegularFile(jar)) throw new IllegalStateException("missing " + jar + " (bench/run-kinesis-bench.sh builds it)");
    Path dir = Files.createTempDirectory("eventplane-kinesis-bench-deliveries-");
    LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + peer.port))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(120)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(120)))
        .build();
    StreamFunctionCase c = new StreamFunctionCase(bench, peer, kinesis, lambda, dir);
    try {
      byte[] zip = Files.readAllBytes(jar);
      lambda.createFunction(b -> b.functionName(FUNCTION).runtime(Runtime.JAVA17).role(ROLE).handler(HANDLER)
          .memorySize(512).timeout(60).environment(e -> e.variables(Map.of("DELIVERY_LOG_DIR", dir.toString())))
          .code(code -> code.zipFile(SdkBytes.fromByteArray(zip))));
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (lambda.getFunction(b -> b.functionName(FUNCTION)).configuration().state() != State.ACTIVE) {
        if (System.nanoTime() > deadline) throw new IllegalStateException(peer.name + ": " + FUNCTION + " not Active in 60 s");
        Thread.sleep(20);
      }
      return c;
    } catch (Exception e) {
      c.close();
      throw e;
    }
  }

  Result round(int round) throws Exception {
    String stream = "bench-function-" + round;
    bench.createStream(peer, kinesis, stream);
    String arn = kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamARN();
    String uuid = lambda.createEventSourceMapping(b -> b.functionName(FUNCTION).eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(options.functionBatchSize())
        .maximumBatchingWindowInSeconds(0)).uuid();
    try {
      KinesisBench.log("%s round %d: stream-function, %d shards, BatchSize %d: warm-up %d records", peer.name, round,
          options.shards(), options.functionBatchSize(), options.functionWarmup());
      Result warm = burst(stream, round, round * ROUND_IDS + WARMUP_IDS, options.functionWarmup());
      if (warm.records() < options.functionWarmup()) {
        throw new IllegalStateException(peer.name + ": warm-up not delivered: " + warm.firstError());
      }
      KinesisBench.log("%s round %d: warm-up delivered (%.0f records/s); burst of %d records, %d producers x PutRecords of %d",
          peer.name, round, warm.deliveredPerSecond(), options.functionRecords(), options.producers(), options.batch());
      Result r = burst(stream, round, round * ROUND_IDS, options.functionRecords());
      KinesisBench.log("%s round %d: %d records delivered at %.0f records/s (put at %.0f/s) in %.2f s; put -> invoke p50 %.1f ms "
              + "p99 %.1f ms max %.1f ms; %d invocations, %d duplicates, %d failed records, %d errors%s", peer.name, round,
          r.records(), r.deliveredPerSecond(), r.putPerSecond(), r.seconds(), r.p50(), r.p99(), r.max(), r.invocations(),
          r.duplicates(), r.failedRecords(), r.errors(), r.firstError() == null ? "" : " (first: " + r.firstError() + ")");
      return r;
    } finally {
      deleteMapping(uuid);
      KinesisBench.deleteStream(peer, kinesis, stream);
    }
  }

  /**
   * Puts {@code n} records with ids {@code base..base+n-1} and waits until the function has run on
   * each of them (at most {@code --function-timeout} s after the puts end).
   */
  private Result burst(String stream, int round, long base, int n) throws Exception {
    long[] sent = new long[n];
    long[] invoked = new long[n];
    AtomicInteger next = new AtomicInteger();
    AtomicLong lastAck = new AtomicLong();
    AtomicLong failedRecords = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    CpuShare.Sample cpu0 = CpuShare.sample(peer.pid());
    long putStart = micros();
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < options.producers(); t++) {
      Thread thread = new Thread(() -> {
        for (int from = next.getAndAdd(options.batch()); from < n; from = next.getAndAdd(options.batch())) {
          put(stream, base, from, Math.min(n, from + options.batch()), sent, lastAck, failedRecords, errors, firstError);
        }
      }, "function-put-" + t);
      thread.setDaemon(true);
      producers.add(thread);
    }
    producers.forEach(Thread::start);
    int seen = 0;
    long duplicates = 0;
    long invocations = 0;
    long lastEnd = 0;
    long deadline = Long.MAX_VALUE;
    while (seen < n) {
      boolean putting = producers.stream().anyMatch(Thread::isAlive);
      if (!putting && deadline == Long.MAX_VALUE) deadline = System.nanoTime() + options.functionTimeout() * 1_000_000_000L;
      if (System.nanoTime() > deadline) break;
      List<Batch> batches = readBatches();
      for (Batch b : batches) {
        boolean ours = false;
        for (long id : b.ids()) {
          long i = id - base;
          if (i < 0 || i >= n) continue;
          ours = true;
          if (invoked[(int) i] != 0) {
            duplicates++;
          } else {
            invoked[(int) i] = b.startMicros();
            seen++;
          }
        }
        if (ours) {
          invocations++;
          lastEnd = Math.max(lastEnd, b.endMicros());
        }
      }
      if (batches.isEmpty()) Thread.sleep(options.pollMs());
    }
    for (Thread t : producers) t.join(130_000);
    CpuShare cpu = CpuShare.between(cpu0, CpuShare.sample(peer.pid()));
    if (seen < n) {
      firstError.compareAndSet(null, (n - seen) + " of " + n + " records not delivered " + options.functionTimeout()
          + " s after the last put");
    }
    Histogram latency = KinesisBench.histogram();
    for (int i = 0; i < n; i++) {
      if (invoked[i] != 0 && sent[i] != 0) latency.recordValue(Math.max(1, Math.min(300_000_000L, invoked[i] - sent[i])));
    }
    double seconds = (lastEnd - putStart) / 1e6;
    return new Result(peer.name, round, seen, seen < n ? Double.NaN : n / seconds,
        n / ((lastAck.get() - putStart) / 1e6), seconds, KinesisBench.ms(latency, 50), KinesisBench.ms(latency, 99),
        latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0, invocations, duplicates,
        failedRecords.get(), errors.get(), firstError.get(), cpu);
  }

  /** One PutRecords of ids {@code base+from..base+to-1}; what fails (in the answer or the call) is sent again. */
  private void put(String stream, long base, int from, int to, long[] sent, AtomicLong lastAck, AtomicLong failedRecords,
      AtomicLong errors, AtomicReference<String> firstError) {
    byte[] random = bench.random();
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    List<PutRecordsRequestEntry> entries = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      byte[] data = new byte[options.recordSize()];
      System.arraycopy(random, rnd.nextInt(random.length - data.length), data, 8, data.length - 8);
      ByteBuffer.wrap(data).putLong(0, base + i);
      entries.add(PutRecordsRequestEntry.builder().partitionKey("pk-" + rnd.nextLong(1L << 40))
          .data(SdkBytes.fromByteArrayUnsafe(data)).build());
    }
    long now = micros();
    for (int i = from; i < to; i++) sent[i] = now;
    while (!entries.isEmpty()) {
      List<PutRecordsRequestEntry> batch = entries;
      try {
        PutRecordsResponse r = kinesis.putRecords(b -> b.streamName(stream).records(batch));
        lastAck.accumulateAndGet(micros(), Math::max);
        List<PutRecordsRequestEntry> failed = new ArrayList<>();
        List<PutRecordsResultEntry> results = r.records();
        for (int i = 0; i < results.size(); i++) {
          if (results.get(i).errorCode() != null) {
            failed.add(batch.get(i));
            firstError.compareAndSet(null, "PutRecords: " + results.get(i).errorCode() + ": " + results.get(i).errorMessage());
          }
        }
        failedRecords.addAndGet(failed.size());
        entries = failed;
      } catch (Exception e) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, "PutRecords: " + e);
        KinesisBench.pause(10);
      }
    }
  }

  /** The lines the function's instances appended since the last call. */
  private List<Batch> readBatches() throws IOException {
    List<Batch> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.toList();
    }
    for (Path f : files) {
      long offset = offsets.getOrDefault(f, 0L);
      String text;
      try (FileChannel ch = FileChannel.open(f)) {
        long size = ch.size();
        if (size <= offset) continue;
        ByteBuffer buf = ByteBuffer.allocate((int) (size - offset));
        while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
          // read on
        }
        text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
      }
      int end = text.lastIndexOf('\n');
      if (end < 0) continue; // a line still being written
      offsets.put(f, offset + end + 1);
      for (String line : text.substring(0, end).split("\n")) {
        String[] w = line.split(" ");
        long[] ids = w.length < 4 || w[3].isEmpty() ? new long[0]
            : Stream.of(w[3].split(",")).mapToLong(Long::parseLong).toArray();
        out.add(new Batch(Long.parseLong(w[0]), Long.parseLong(w[1]), ids));
      }
    }
    return out;
  }

  /** Deletes the mapping and waits (up to 30 s) until it is gone, so its readers stop before the stream goes. */
  private void deleteMapping(String uuid) {
    try {
      lambda.deleteEventSourceMapping(b -> b.uuid(uuid));
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        try {
          lambda.getEventSourceMapping(b -> b.uuid(uuid));
        } catch (ResourceNotFoundException gone) {
          return;
        }
        Thread.sleep(50);
      }
      KinesisBench.log("%s: mapping %s still there 30 s after DeleteEventSourceMapping", peer.name, uuid);
    } catch (Exception e) {
      KinesisBench.log("%s: DeleteEventSourceMapping %s failed: %s", peer.name, uuid, e);
    }
  }

  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  static String render(KinesisBench.Options options, List<Result> results, List<KinesisPeer> peers) {
    StringBuilder md = new StringBuilder();
    md.append("## Stream -> function: ").append(options.functionRecords()).append(" records of ")
        .append(options.recordSize()).append(" B put at once into ").append(options.shards())
        .append(" shards, a mapping with BatchSize ").append(options.functionBatchSize())
        .append(" and no batching window, a Java function (examples' DeliveryLog)\n\n");
    md.append("Delivered records/s: the records over the time from the first PutRecords sent to the end of the "
        + "invocation that completed the set. Put records/s: the records over the time to the last PutRecords answer. "
        + "Latency: from the first send of the PutRecords carrying a record to the start of the invocation that got it "
        + "(wall clock, one machine); all records are put at once, so it includes the wait behind the records before "
        + "it in its shard. Before each burst, " + options.functionWarmup() + " records are put and delivered (function "
        + "instances started). Server cores: the server process; the function instances are processes of their own and "
        + "count under other cores.\n\n");
    md.append("Eventplane only: kinesalite and kinesis-mock have no Lambda; moto's Lambda runs functions in Docker, ")
        .append(dockerNote()).append("\n\n");
    md.append("| target | delivered records/s | put records/s | seconds | put -> invoke p50 ms | p99 ms | max ms "
        + "| invocations | duplicates | failed records | errors | server cores | other cores |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (KinesisPeer p : peers) {
      List<Result> rs = results.stream().filter(r -> r.target().equals(p.name)).toList();
      if (rs.isEmpty()) continue;
      md.append("| ").append(p.name).append(" | **").append(KinesisBench.fmt(KinesisBench.median(rs, Result::deliveredPerSecond)))
          .append("** | ").append(KinesisBench.fmt(KinesisBench.median(rs, Result::putPerSecond)))
          .append(" | ").append(KinesisBench.fmt(KinesisBench.median(rs, Result::seconds)))
          .append(" | ").append(KinesisBench.fmt(KinesisBench.median(rs, Result::p50)))
          .append(" | ").append(KinesisBench.fmt(KinesisBench.median(rs, Result::p99)))
          .append(" | ").append(KinesisBench.fmt(KinesisBench.median(rs, Result::max)))
          .append(" | ").append(rs.stream().mapToLong(Result::invocations).sum())
          .append(" | ").append(rs.stream().mapToLong(Result::duplicates).sum())
          .append(" | ").append(rs.stream().mapToLong(Result::failedRecords).sum())
          .append(" | ").append(rs.stream().mapToLong(Result::errors).sum())
          .append(" | ").append(KinesisBench.fmt(KinesisBench.median(rs, r -> r.cpu().serverCores())))
          .append(" | ").append(KinesisBench.fmt(KinesisBench.median(rs, r -> r.cpu().otherCores()))).append(" |\n");
    }
    md.append("\nPer round delivered records/s: ").append(results.stream().map(r -> r.target() + " r" + r.round() + " "
        + KinesisBench.fmt(r.deliveredPerSecond())).collect(Collectors.joining(", "))).append("\n\n");
    return md.toString();
  }

  /** Whether a Docker daemon answers on this machine, for the report. */
  private static String dockerNote() {
    String version = ClusterBench.run("docker", "version", "--format", "{{.Server.Version}}").trim();
    if (version.matches("[0-9][0-9A-Za-z.+~-]*")) return "which this bench does not set up (Docker " + version + " answers here).";
    return "and no Docker daemon answers on this machine" + (version.equals("?") ? " (no docker command)." : ".");
  }

  @Override
  public void close() {
    try {
      lambda.deleteFunction(b -> b.functionName(FUNCTION));
    } catch (Exception e) {
      KinesisBench.log("%s: DeleteFunction failed: %s", peer.name, e);
    } finally {
      lambda.close();
      TempDirs.delete(dir);
    }
  }
}
