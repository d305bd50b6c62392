package io.eventplane.server.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.eventplane.common.time.MutableClock;
import io.eventplane.firehose.api.FirehosePartitions;
import io.eventplane.firehose.store.FirehoseStore;
import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.EventplaneServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A delivery stream's buffer across restarts: acknowledged records are delivered after the server
 * comes back, and an object intended before a crash (the stream names its key and the records it
 * covers, then writes it, then moves its cursor) is written under that key after the restart, once,
 * whether or not it was written before the crash. A crash in that gap is rare, so this test makes
 * the state it leaves: it stops the server and writes the intent into the stored stream itself
 * (through {@link FirehoseStore}, as the delivery does), then starts a server on that directory.
 *
 * <p>A node's own store across restarts: one node whatever {@code eventplane.test.nodes} says.
 */
class FirehoseRecoveryTest {
  private static final String ACCOUNT = "000000000000";
  private static final String REGION = "us-east-1";

  private final MutableClock clock = new MutableClock();
  private final List<AutoCloseable> open = new ArrayList<>();
  private Path dir;
  private EventplaneServer server;

  @BeforeEach
  void dataDir() throws IOException {
    dir = Files.createTempDirectory("eventplane-fh-recovery");
  }

  @AfterEach
  void stop() throws Exception {
    stopServer();
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void createStream(String name, String bucket, int interval) {
    s3().createBucket(b -> b.bucket(bucket));
    firehose().createDeliveryStream(b -> b.deliveryStreamName(name).extendedS3DestinationConfiguration(d -> d
        .roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::" + bucket).bufferingHints(h -> h.intervalInSeconds(interval))));
  }

  private void put(String name, String data) {
    firehose().putRecord(b -> b.deliveryStreamName(name).record(r -> r.data(SdkBytes.fromUtf8String(data))));
  }

  @Test
  void bufferedRecordsAreDeliveredAfterARestart() throws Exception {
    startServer();
    createStream("durable", "fh-durable", 300);
    put("durable", "before-");
    put("durable", "restart");
    stopServer();

    startServer();
    firehose().putRecord(b -> b.deliveryStreamName("durable").record(r -> r.data(SdkBytes.fromUtf8String("-after"))));
    assertThat(objects("fh-durable")).isEmpty();
    clock.advance(Duration.ofSeconds(300));
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects("fh-durable").isEmpty());
    List<S3Object> all = objects("fh-durable");
    assertThat(all).hasSize(1);
    assertThat(read("fh-durable", all.get(0).key())).isEqualTo("before-restart-after");
  }

  @Test
  void aKinesisSourcesCheckpointSurvivesARestart() throws Exception {
    startServer();
    software.amazon.awssdk.services.kinesis.KinesisClient kinesis = kinesis();
    kinesis.createStream(b -> b.streamName("ks-durable").shardCount(1));
    s3().createBucket(b -> b.bucket("fh-ks-durable"));
    firehose().createDeliveryStream(b -> b.deliveryStreamName("from-stream")
        .deliveryStreamType(software.amazon.awssdk.services.firehose.model.DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
        .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN("arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/ks-durable")
            .roleARN(DeliveryStreamsTest.ROLE))
        .extendedS3DestinationConfiguration(d -> d.roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::fh-ks-durable")
            .bufferingHints(h -> h.intervalInSeconds(300))));
    for (String r : List.of("one,", "two,")) {
      kinesis.putRecord(b -> b.streamName("ks-durable").partitionKey("k").data(SdkBytes.fromUtf8String(r)));
    }
    // Read (once a second) and buffered before the stop; nothing is due before the interval.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).until(() -> objects("fh-ks-durable").isEmpty());
    stopServer();

    startServer();
    kinesis().putRecord(b -> b.streamName("ks-durable").partitionKey("k").data(SdkBytes.fromUtf8String("three")));
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).until(() -> objects("fh-ks-durable").isEmpty());
    clock.advance(Duration.ofSeconds(300));
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects("fh-ks-durable").isEmpty());
    List<S3Object> all = objects("fh-ks-durable");
    assertThat(all).hasSize(1);
    // The checkpoint came back with the buffer: no record read twice, none lost.
    assertThat(read("fh-ks-durable", all.get(0).key())).isEqualTo("one,two,three");
  }

  @Test
  void anObjectIntendedBeforeTheCrashIsWrittenOnceUnderItsKey() throws Exception {
    startServer();
    // An interval no test reaches: only the intent written below makes an object.
    createStream("intended", "fh-intended", 900);
    put("intended", "one,");
    put("intended", "two");
    stopServer();

    // Killed after the intent, before the object.
    String key = "2030/01/01/00/intended-1-2030-01-01-00-00-00-00000000-0000-0000-0000-000000000000";
    JsonObject intended = offline(store -> {
      JsonObject stream = store.loadStreams(FirehosePartitions.of(ACCOUNT, REGION)).get(0);
      assertThat(stream.getJsonObject("Pending")).isNull();
      return stream.copy().put("Pending", new JsonObject().put("UpTo", 2L).put("Since", clock.millis()).put("Bucket", "fh-intended")
          .put("Key", key).put("ErrorKey", "processing-failed/" + key));
    });
    writeStream(intended);
    startServer();
    // The first attempt may come before the node's gateway listens: the retry (5 s of the service clock) writes it.
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      clock.advance(Duration.ofSeconds(5));
      return !objects("fh-intended").isEmpty();
    });
    assertThat(objects("fh-intended")).extracting(S3Object::key).containsExactly(key);
    assertThat(read("fh-intended", key)).isEqualTo("one,two");
    stopServer();

    // Killed after the object, before the cursor: the same object again, not a second one. The
    // records are gone from the buffer by now, so put them back as they were.
    writeStream(intended);
    offline(store -> {
      Batch b = store.batch();
      int p = FirehosePartitions.of(ACCOUNT, REGION);
      store.putRecord(b, p, ACCOUNT, REGION, "intended", 1, clock.millis(), "one,".getBytes(StandardCharsets.UTF_8));
      store.putRecord(b, p, ACCOUNT, REGION, "intended", 2, clock.millis(), "two".getBytes(StandardCharsets.UTF_8));
      commit(b);
      return null;
    });
    startServer();
    clock.advance(Duration.ofSeconds(5));

    // The intent is written again under its key, and nothing more of it is left buffered: a later
    // record is the next object's only one, and no third object appears.
    put("intended", "three");
    clock.advance(Duration.ofSeconds(900));
    await().atMost(Duration.ofSeconds(20)).until(() -> objects("fh-intended").size() == 2);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(7)).until(() -> objects("fh-intended").size() == 2);
    assertThat(read("fh-intended", key)).isEqualTo("one,two");
    String next = objects("fh-intended").stream().map(S3Object::key).filter(k -> !k.equals(key)).findFirst().orElseThrow();
    assertThat(read("fh-intended", next)).isEqualTo("three");
  }

  @Test
  void anHttpEndpointDeliveryInFlightAtACrashIsSentAgainWithItsRequestId() throws Exception {
    try (TestHttpEndpoint endpoint = new TestHttpEndpoint()) {
      startServer();
      s3().createBucket(b -> b.bucket("fh-http-intended"));
      firehose().createDeliveryStream(b -> b.deliveryStreamName("http-intended").httpEndpointDestinationConfiguration(d -> d
          .endpointConfiguration(e -> e.url(endpoint.url())).bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(900))
          .s3Configuration(s -> s.roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::fh-http-intended"))));
      put("http-intended", "one,");
      put("http-intended", "two");
      stopServer();

      // Killed while the batch was being sent: its intent (with the request id) is stored, the cursor has not moved.
      JsonObject intended = offline(store -> {
        JsonObject stream = store.loadStreams(FirehosePartitions.of(ACCOUNT, REGION)).get(0);
        assertThat(stream.getJsonObject("Pending")).isNull();
        return stream.copy().put("Pending", new JsonObject().put("UpTo", 2L).put("Since", clock.millis())
            .put("Destination", stream.getJsonObject("Destination")).put("RequestId", "request-before-the-crash")
            .put("Bucket", "fh-http-intended").put("Key", "k").put("FailedKey", "http-endpoint-failed/k")
            .put("ErrorKey", "processing-failed/k"));
      });
      writeStream(intended);
      startServer();
      await().atMost(Duration.ofSeconds(20)).until(() -> !endpoint.received.isEmpty());
      assertThat(endpoint.received.get(0).header("X-amz-firehose-request-id")).isEqualTo("request-before-the-crash");
      assertThat(endpoint.received.get(0).body().getString("requestId")).isEqualTo("request-before-the-crash");
      assertThat(endpoint.received.get(0).records()).containsExactly("one,", "two");

      // Delivered: the cursor moved past it, so the next batch holds only the later record, under a new request id.
      put("http-intended", "three");
      clock.advance(Duration.ofSeconds(900));
      await().atMost(Duration.ofSeconds(20)).until(() -> endpoint.received.size() >= 2);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(7)).until(() -> endpoint.received.size() == 2);
      assertThat(endpoint.received.get(1).records()).containsExactly("three");
      assertThat(endpoint.received.get(1).body().getString("requestId")).isNotEqualTo("request-before-the-crash");
      assertThat(objects("fh-http-intended")).isEmpty();
    }
  }

  private Store storeOpen;

  private <T> T offline(java.util.function.Function<FirehoseStore, T> work) {
    try (Store store = Store.open(dir.resolve("store"), Durability.FSYNC, 100, List.of(FirehoseStore.COLUMN_FAMILY))) {
      storeOpen = store;
      return work.apply(new FirehoseStore(store, null));
    } finally {
      storeOpen = null;
    }
  }

  private void commit(Batch b) {
    try {
      storeOpen.commit(b).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void writeStream(JsonObject stream) {
    offline(store -> {
      Batch b = store.batch();
      store.putStream(b, FirehosePartitions.of(ACCOUNT, REGION), ACCOUNT, REGION, stream.getString("Name"), stream);
      commit(b);
      return null;
    });
  }

  private void startServer() {
    server = EventplaneServer.start(EventplaneConfig.defaults().withPort(0).withDataDir(dir), clock);
  }

  private void stopServer() throws Exception {
    for (AutoCloseable c : open) c.close();
    open.clear();
    firehose = null;
    s3 = null;
    kinesis = null;
    if (server != null) server.close();
    server = null;
  }

  private List<S3Object> objects(String bucket) {
    return s3().listObjectsV2(b -> b.bucket(bucket)).contents();
  }

  private String read(String bucket, String key) {
    return s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  private FirehoseClient firehose;
  private S3Client s3;
  private software.amazon.awssdk.services.kinesis.KinesisClient kinesis;

  private software.amazon.awssdk.services.kinesis.KinesisClient kinesis() {
    if (kinesis == null) {
      kinesis = EmbeddedServer.kinesisClient(URI.create("http://127.0.0.1:" + server.port()), true);
      open.add(kinesis);
    }
    return kinesis;
  }

  private FirehoseClient firehose() {
    if (firehose == null) firehose = keep(FirehoseClient.builder());
    return firehose;
  }

  private S3Client s3() {
    if (s3 == null) s3 = keep(S3Client.builder().forcePathStyle(true));
    return s3;
  }

  private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
      & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C extends AutoCloseable> C keep(B builder) {
    C client = builder.endpointOverride(URI.create("http://127.0.0.1:" + server.port())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder()).build();
    open.add(client);
    return client;
  }
}
