package io.eventplane.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchRequest;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code firehose} case of {@link KinesisBench}, on Eventplane and moto: DirectPut delivery
 * streams into an S3 bucket of the same server, driven by the SDK v2 {@code FirehoseClient} and
 * {@code S3Client} (path-style, no retries).
 *
 * <ul>
 *   <li><b>Throughput</b> (every round): a fresh delivery stream with the default buffering
 *       (5 MiB / 300 s); {@code --producers} threads in a closed loop, each one PutRecordBatch of
 *       {@code --batch} records of {@code --record-size} bytes outstanding; after {@code --warmup} s a
 *       window of {@code --measure} s: records/s counts the records accepted (not failed in the
 *       answer) by the calls that ended in it, MB/s that times the record size.</li>
 *   <li><b>Flush with IntervalInSeconds 0</b> (every round): {@code --flush-samples} samples in a row
 *       on one stream (SizeInMBs 1): a PutRecordBatch of {@code --flush-batch} records at t0 (just
 *       before it is sent), then ListObjectsV2 on the stream's prefix every {@code --poll-ms} ms until
 *       a new object is listed: the latency is that moment minus t0.</li>
 *   <li><b>Flush after the buffer interval</b> (once per target, after the rounds, when
 *       {@code --flush-interval} is above 0): {@code --flush-samples} streams with that
 *       IntervalInSeconds (SizeInMBs 128, so only the interval flushes), one small batch each, sent
 *       spread over one second (the samples meet a periodic check at different phases); one
 *       ListObjectsV2 every {@code --poll-ms} ms lists them all. A sample's delay is when its object
 *       was listed minus (t0 + interval).</li>
 * </ul>
 */
final class FirehoseCase implements AutoCloseable {
  private static final String ROLE = "arn:aws:iam::000000000000:role/bench-firehose";
  private static final String BUCKET = "eventplane-bench-firehose";

  /** One throughput window. */
  record Throughput(String target, int round, double recordsPerSecond, double megabytesPerSecond, long calls,
      double windowSeconds, double callP50, double callP99, long failedRecords, long errors, String firstError,
      CpuShare cpu) {}

  /**
   * One flush sample: the interval, ms from t0 to the object listed, and ms after t0 + interval
   * (NaN when no object came within the interval plus 60 s).
   */
  record Flush(String target, int round, int interval, double afterPutMs, double afterIntervalMs, String error) {}

  private final KinesisBench bench;
  private final KinesisBench.Options options;
  private final KinesisPeer peer;
  private final FirehoseClient firehose;
  private final S3Client s3;

  private FirehoseCase(KinesisBench bench, KinesisPeer peer, FirehoseClient firehose, S3Client s3) {
    this.bench = bench;
    this.options = bench.options();
    this.peer = peer;
    this.firehose = firehose;
    this.s3 = s3;
  }

  /** The clients, once the server answers ListDeliveryStreams, and the bucket. */
  static FirehoseCase setUp(KinesisBench bench, KinesisPeer peer) throws InterruptedException {
    URI endpoint = URI.create("http://127.0.0.1:" + peer.port);
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    int connections = bench.options().producers() + 8;
    FirehoseClient firehose = FirehoseClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(connections).socketTimeout(Duration.ofSeconds(120)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(120)))
        .build();
    S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
        .forcePathStyle(true).httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
    FirehoseCase c = new FirehoseCase(bench, peer, firehose, s3);
    try {
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (true) {
        if (!peer.alive()) throw new IllegalStateException(peer.name + " exited; see " + peer.log);
        try {
          firehose.listDeliveryStreams(b -> b.limit(1));
          break;
        } catch (Exception e) {
          if (System.nanoTime() > deadline) throw new IllegalStateException(peer.name + ": no ListDeliveryStreams answer in 120 s", e);
          Thread.sleep(100);
        }
      }
      s3.createBucket(b -> b.bucket(BUCKET));
      return c;
    } catch (RuntimeException | InterruptedException e) {
      c.close();
      throw e;
    }
  }

  private void create(String name, String prefix, Integer interval, Integer sizeMb) throws InterruptedException {
    firehose.createDeliveryStream(b -> b.deliveryStreamName(name).deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
        .extendedS3DestinationConfiguration(d -> {
          d.roleARN(ROLE).bucketARN("arn:aws:s3:::" + BUCKET).prefix(prefix);
          if (interval != null) d.bufferingHints(h -> h.intervalInSeconds(interval).sizeInMBs(sizeMb));
        }));
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription()
        .deliveryStreamStatus() != DeliveryStreamStatus.ACTIVE) {
      if (System.nanoTime() > deadline) throw new IllegalStateException(peer.name + ": " + name + " not ACTIVE in 60 s");
      Thread.sleep(20);
    }
  }

  private void delete(String name) {
    try {
      firehose.deleteDeliveryStream(b -> b.deliveryStreamName(name));
    } catch (Exception e) {
      KinesisBench.log("%s: DeleteDeliveryStream %s failed: %s", peer.name, name, e);
    }
  }

  private List<Record> records(int n) {
    byte[] random = bench.random();
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    List<Record> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int from = rnd.nextInt(random.length - options.recordSize());
      records.add(Record.builder().data(SdkBytes.fromByteArrayUnsafe(
          Arrays.copyOfRange(random, from, from + options.recordSize()))).build());
    }
    return records;
  }

  // ---- throughput ----

  Throughput throughput(int round) throws Exception {
    String stream = "bench-put-" + round;
    create(stream, "put-" + round + "/", null, null);
    List<List<PutRecordBatchRequest>> requests = new ArrayList<>();
    for (int i = 0; i < options.producers(); i++) {
      List<PutRecordBatchRequest> mine = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        mine.add(PutRecordBatchRequest.builder().deliveryStreamName(stream).records(records(options.batch())).build());
      }
      requests.add(mine);
    }
    KinesisBench.log("%s round %d: firehose, %d producers x PutRecordBatch of %d x %d B: warm-up %d s, window %d s",
        peer.name, round, options.producers(), options.batch(), options.recordSize(), options.warmup(), options.measure());
    ClosedLoop.Window w;
    try {
      w = ClosedLoop.run(options, peer.pid(), "put-record-batch", "PutRecordBatch: ", (i, k) -> {
        PutRecordBatchResponse r = firehose.putRecordBatch(requests.get(i).get(k % 4));
        int failed = r.failedPutCount() == null ? 0 : r.failedPutCount();
        return new ClosedLoop.Outcome(r.requestResponses().size() - failed, failed, failed > 0 ? firstFailure(r) : null);
      });
    } finally {
      delete(stream);
    }
    double rps = w.accepted() / w.seconds();
    Throughput t = new Throughput(peer.name, round, rps, rps * options.recordSize() / 1e6, w.calls(), w.seconds(),
        w.callP50(), w.callP99(), w.failed(), w.errors(), w.firstError(), w.cpu());
    KinesisBench.log("%s round %d: %.0f records/s accepted, %.1f MB/s, PutRecordBatch p50 %.1f ms p99 %.1f ms, %d failed "
            + "records, %d errors%s", peer.name, round, t.recordsPerSecond(), t.megabytesPerSecond(), t.callP50(),
        t.callP99(), t.failedRecords(), t.errors(), t.firstError() == null ? "" : " (first: " + t.firstError() + ")");
    return t;
  }

  private static String firstFailure(PutRecordBatchResponse r) {
    return r.requestResponses().stream().filter(e -> e.errorCode() != null).findFirst()
        .map(e -> e.errorCode() + ": " + e.errorMessage()).orElse("FailedPutCount " + r.failedPutCount());
  }

  // ---- flush latency ----

  /** IntervalInSeconds 0: samples in a row on one stream. */
  List<Flush> flushAtOnce(int round) throws Exception {
    String stream = "bench-flush0-" + round;
    String prefix = "flush0-" + round + "/";
    create(stream, prefix, 0, 1);
    List<Flush> out = new ArrayList<>();
    try {
      for (int k = 0; k < options.flushSamples(); k++) {
        int before = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().size();
        List<Record> batch = records(options.flushBatch());
        long t0 = System.nanoTime();
        String error = put(stream, batch);
        long deadline = t0 + 60_000_000_000L;
        double afterPut = Double.NaN;
        while (error == null && System.nanoTime() < deadline) {
          int count = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().size();
          if (count > before) {
            afterPut = (System.nanoTime() - t0) / 1e6;
            break;
          }
          Thread.sleep(options.pollMs());
        }
        if (error == null && Double.isNaN(afterPut)) error = "no object within 60 s";
        out.add(new Flush(peer.name, round, 0, afterPut, afterPut, error));
      }
    } finally {
      delete(stream);
    }
    KinesisBench.log("%s round %d: IntervalInSeconds 0, put -> object listed: %s ms", peer.name, round,
        out.stream().map(f -> KinesisBench.fmt(f.afterPutMs())).collect(Collectors.joining(", ")));
    return out;
  }

  /** IntervalInSeconds {@code --flush-interval}: one sample per stream, all waiting at once. */
  List<Flush> flushAfterInterval() throws Exception {
    int interval = options.flushInterval();
    int samples = options.flushSamples();
    String prefix = "flush" + interval + "-";
    List<String> streams = new ArrayList<>();
    List<Flush> out = new ArrayList<>();
    try {
      for (int k = 0; k < samples; k++) {
        String stream = "bench-flush" + interval + "-" + k;
        create(stream, prefix + k + "/", interval, 128);
        streams.add(stream);
      }
      KinesisBench.log("%s: IntervalInSeconds %d, %d samples: waiting for the objects (about %d s)", peer.name, interval,
          samples, interval + 1);
      long[] t0 = new long[samples];
      long[] listed = new long[samples];
      String[] errors = new String[samples];
      long begin = System.nanoTime();
      for (int k = 0; k < samples; k++) {
        long due = begin + k * 1_000_000_000L / samples;
        while (System.nanoTime() < due) Thread.sleep(1);
        t0[k] = System.nanoTime();
        errors[k] = put(streams.get(k), records(options.flushBatch()));
      }
      long deadline = t0[samples - 1] + (interval + 60) * 1_000_000_000L;
      while (System.nanoTime() < deadline && Arrays.stream(listed).filter(l -> l == 0).count()
          > Arrays.stream(errors).filter(e -> e != null).count()) {
        List<S3Object> objects = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents();
        long now = System.nanoTime();
        Map<Integer, Boolean> found = new HashMap<>();
        for (S3Object o : objects) {
          String rest = o.key().substring(prefix.length());
          found.put(Integer.parseInt(rest.substring(0, rest.indexOf('/'))), Boolean.TRUE);
        }
        for (int k : found.keySet()) if (k < samples && listed[k] == 0 && errors[k] == null) listed[k] = now;
        Thread.sleep(options.pollMs());
      }
      for (int k = 0; k < samples; k++) {
        boolean seen = listed[k] != 0;
        String error = errors[k] != null ? errors[k] : seen ? null : "no object within " + (interval + 60) + " s";
        out.add(new Flush(peer.name, 0, interval, seen ? (listed[k] - t0[k]) / 1e6 : Double.NaN,
            seen ? (listed[k] - t0[k]) / 1e6 - interval * 1000.0 : Double.NaN, error));
      }
    } finally {
      streams.forEach(this::delete);
    }
    KinesisBench.log("%s: IntervalInSeconds %d, object listed after t0 + interval: %s ms", peer.name, interval,
        out.stream().map(f -> KinesisBench.fmt(f.afterIntervalMs())).collect(Collectors.joining(", ")));
    return out;
  }

  /** One PutRecordBatch; an error (call or record) as text, else null. */
  private String put(String stream, List<Record> records) {
    try {
      PutRecordBatchResponse r = firehose.putRecordBatch(b -> b.deliveryStreamName(stream).records(records));
      for (PutRecordBatchResponseEntry e : r.requestResponses()) {
        if (e.errorCode() != null) return "PutRecordBatch: " + e.errorCode() + ": " + e.errorMessage();
      }
      return null;
    } catch (Exception e) {
      return "PutRecordBatch: " + e;
    }
  }

  // ---- report ----

  static String render(KinesisBench.Options options, List<Throughput> throughputs, List<Flush> flushes,
      List<KinesisPeer> peers) {
    StringBuilder md = new StringBuilder();
    if (!throughputs.isEmpty()) {
      md.append("## Firehose PutRecordBatch into S3, ").append(options.batch()).append(" records of ")
          .append(options.recordSize()).append(" B a call, ").append(options.producers())
          .append(" producers, closed loop, ").append(options.measure()).append(" s windows\n\n");
      md.append("A DirectPut delivery stream into a bucket of the same server, default buffering (5 MiB / 300 s). "
          + "records/s: records accepted (not failed in the answer) by the calls that ended in the window; MB/s: that "
          + "times the record size (10^6 B). moto writes every PutRecord(Batch) to its S3 at once, unbuffered: no "
          + "buffer, no durability.\n\n");
      md.append("| target | records/s | MB/s | window s | PutRecordBatch p50 ms | p99 ms | failed records | failed calls "
          + "| server cores | bench cores | other cores |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (KinesisPeer p : peers) {
        List<Throughput> ts = throughputs.stream().filter(t -> t.target().equals(p.name)).toList();
        if (ts.isEmpty()) continue;
        md.append("| ").append(p.name).append(" | **").append(KinesisBench.fmt(KinesisBench.median(ts, Throughput::recordsPerSecond)))
            .append("** | ").append(KinesisBench.fmt(KinesisBench.median(ts, Throughput::megabytesPerSecond)))
            .append(" | ").append(KinesisBench.fmt(KinesisBench.median(ts, Throughput::windowSeconds)))
            .append(" | ").append(KinesisBench.fmt(KinesisBench.median(ts, Throughput::callP50)))
            .append(" | ").append(KinesisBench.fmt(KinesisBench.median(ts, Throughput::callP99)))
            .append(" | ").append(ts.stream().mapToLong(Throughput::failedRecords).sum())
            .append(" | ").append(ts.stream().mapToLong(Throughput::errors).sum())
            .append(" | ").append(KinesisBench.fmt(KinesisBench.median(ts, t -> t.cpu().serverCores())))
            .append(" | ").append(KinesisBench.fmt(KinesisBench.median(ts, t -> t.cpu().benchCores())))
            .append(" | ").append(KinesisBench.fmt(KinesisBench.median(ts, t -> t.cpu().otherCores()))).append(" |\n");
      }
      md.append("\nPer round: ").append(throughputs.stream().map(t -> t.target() + " r" + t.round() + " "
          + KinesisBench.fmt(t.recordsPerSecond())).collect(Collectors.joining(", "))).append("\n\n");
    }
    if (!flushes.isEmpty()) {
      md.append("## Firehose flush to object: ").append(options.flushBatch()).append(" records of ")
          .append(options.recordSize()).append(" B put at t0, ListObjectsV2 every ").append(options.pollMs())
          .append(" ms\n\n");
      md.append("t0: just before the PutRecordBatch is sent; listed: when the ListObjectsV2 answer that first shows the "
          + "object came back. IntervalInSeconds 0: " + options.flushSamples() + " samples a round, one after another. "
          + (options.flushInterval() == 0 ? "" : "IntervalInSeconds " + options.flushInterval() + ": "
          + options.flushSamples() + " delivery streams at once, once per target after the rounds, their puts spread "
          + "over one second; the delay is listed minus (t0 + interval). ")
          + "moto writes the object during the put whatever the interval, so its delays after an interval are "
          + "negative.\n\n");
      md.append("| target | IntervalInSeconds | samples | put -> listed p50 ms | max ms | after the interval: min ms | "
          + "median ms | max ms | missing |\n|---|---|---|---|---|---|---|---|---|\n");
      for (KinesisPeer p : peers) {
        for (int interval : flushes.stream().map(Flush::interval).distinct().sorted().toList()) {
          List<Flush> fs = flushes.stream().filter(f -> f.target().equals(p.name) && f.interval() == interval).toList();
          if (fs.isEmpty()) continue;
          double[] after = fs.stream().mapToDouble(Flush::afterIntervalMs).filter(d -> !Double.isNaN(d)).sorted().toArray();
          double[] put = fs.stream().mapToDouble(Flush::afterPutMs).filter(d -> !Double.isNaN(d)).sorted().toArray();
          md.append("| ").append(p.name).append(" | ").append(interval).append(" | ").append(fs.size())
              .append(" | ").append(KinesisBench.fmt(KinesisBench.median(fs, Flush::afterPutMs)))
              .append(" | ").append(KinesisBench.fmt(put.length == 0 ? Double.NaN : put[put.length - 1]))
              .append(" | ").append(KinesisBench.fmt(after.length == 0 ? Double.NaN : after[0]))
              .append(" | **").append(KinesisBench.fmt(KinesisBench.median(fs, Flush::afterIntervalMs)))
              .append("** | ").append(KinesisBench.fmt(after.length == 0 ? Double.NaN : after[after.length - 1]))
              .append(" | ").append(fs.size() - after.length).append(" |\n");
        }
      }
      md.append('\n');
    }
    return md.toString();
  }

  static List<String> errors(List<Throughput> throughputs, List<Flush> flushes) {
    List<String> errors = new ArrayList<>();
    throughputs.stream().filter(t -> t.firstError() != null).forEach(t -> errors.add(t.target() + " round " + t.round()
        + " firehose: " + t.firstError()));
    flushes.stream().filter(f -> f.error() != null).forEach(f -> errors.add(f.target() + (f.round() == 0 ? " after the rounds" : " round " + f.round())
        + " firehose flush (IntervalInSeconds " + f.interval() + "): " + f.error()));
    return errors;
  }

  @Override
  public void close() {
    firehose.close();
    s3.close();
  }
}
