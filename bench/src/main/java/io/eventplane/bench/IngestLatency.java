package io.eventplane.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code ingest} case of {@link ApiGatewayBench}: the seed's pattern 8 end to end on one node.
 * Per buffer interval (0, then {@code --buffer-interval}): a 1-shard stream, a Firehose delivery
 * stream reading it (KinesisStreamAsSource, SizeInMBs 1 with interval 0, 128 otherwise, so only the
 * interval flushes) into its own bucket, and an HTTP API route {@code POST /ingest} with a
 * Kinesis-PutRecord integration into the stream. A sample: one record with a unique marker POSTed
 * to the invoke URL at t0 (just before it is sent), then ListObjectsV2 of the bucket every 20 ms and
 * a GetObject of every new object until one holds the marker; the latency is that moment minus t0.
 * Samples run one after the other, each starting with an empty buffer.
 */
final class IngestLatency {
  private static final long POLL_MILLIS = 20;

  /** One sample: the interval, ms from the POST to its record read back from an object. */
  record Sample(int interval, double millis) {}

  private final ApiGatewayBench.Setup setup;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  IngestLatency(ApiGatewayBench.Setup setup, int port) {
    this.setup = setup;
    this.port = port;
  }

  List<Sample> measure(int unbufferedSamples, int bufferedSamples, int bufferInterval) throws Exception {
    List<Sample> all = new ArrayList<>();
    all.addAll(pipeline(0, unbufferedSamples));
    if (bufferedSamples > 0 && bufferInterval > 0) all.addAll(pipeline(bufferInterval, bufferedSamples));
    return all;
  }

  private List<Sample> pipeline(int interval, int samples) throws Exception {
    String name = "bench-pipeline-" + interval;
    setup.stream(name, 1);
    setup.s3.createBucket(b -> b.bucket(name));
    setup.firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
        .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
        .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN("arn:aws:kinesis:us-east-1:000000000000:stream/" + name)
            .roleARN(ApiGatewayBench.ROLE))
        .extendedS3DestinationConfiguration(d -> d.roleARN(ApiGatewayBench.ROLE).bucketARN("arn:aws:s3:::" + name)
            .bufferingHints(h -> h.sizeInMBs(interval == 0 ? 1 : 128).intervalInSeconds(interval))));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (setup.firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription()
        .deliveryStreamStatus() != DeliveryStreamStatus.ACTIVE) {
      if (System.nanoTime() > deadline) throw new IllegalStateException(name + " not ACTIVE in 30 s");
      Thread.sleep(50);
    }
    String apiId = setup.v2.createApi(b -> b.name(name).protocolType(ProtocolType.HTTP)).apiId();
    setup.putRoute(apiId, "POST /ingest", name);
    setup.v2.createStage(b -> b.apiId(apiId).stageName("$default").autoDeploy(true));

    Set<String> seen = new HashSet<>();
    List<Sample> out = new ArrayList<>();
    for (int k = 0; k < samples; k++) {
      String marker = "sample-" + interval + "-" + k + "-" + UUID.randomUUID();
      String data = Base64.getEncoder().encodeToString((marker + "\n").getBytes(StandardCharsets.UTF_8));
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + ApiGatewayBench.invokePath(apiId, "$default", "/ingest")))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"data\":\"" + data + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException("POST /ingest: " + r.statusCode() + " " + r.body());
      long limit = t0 + Duration.ofSeconds(interval + 60L).toNanos();
      double millis = Double.NaN;
      while (System.nanoTime() < limit && Double.isNaN(millis)) {
        for (S3Object o : setup.s3.listObjectsV2Paginator(b -> b.bucket(name)).contents()) {
          if (!seen.add(o.key())) continue;
          String body = setup.s3.getObjectAsBytes(b -> b.bucket(name).key(o.key())).asString(StandardCharsets.UTF_8);
          if (body.contains(marker)) millis = (System.nanoTime() - t0) / 1e6;
        }
        if (Double.isNaN(millis)) Thread.sleep(POLL_MILLIS);
      }
      if (Double.isNaN(millis)) throw new IllegalStateException(marker + " not in bucket " + name + " after " + (interval + 60) + " s");
      SnsBench.log("ingest, buffer interval %d s: POST -> object %.0f ms", interval, millis);
      out.add(new Sample(interval, millis));
    }
    return out;
  }
}
