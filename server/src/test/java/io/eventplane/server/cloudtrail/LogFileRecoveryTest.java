package io.eventplane.server.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.cloudtrail.api.AuditPartitions;
import io.eventplane.cloudtrail.store.AuditStore;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.eventplane.common.time.MutableClock;
import io.eventplane.server.EventplaneServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A trail's log file across a crash between its intent and its cursor ({@code LogFiles}: the trail
 * durably names the file it is about to write, with its key and sequence range, then writes the
 * object, then moves its cursor). A kill -9 rarely lands in that gap, so this test makes the state a
 * crash there leaves: it stops a server, writes the intent into the trail's stored state itself
 * (through {@link AuditStore}, as {@code LogFiles} does, on the stopped server's data directory), and
 * starts a server again on that directory. Both crash points: before the object (the file is
 * written on the restart) and after it (the same file is written again, under the same key, not a
 * second one). Each record of the trail's span ends up in exactly one file.
 *
 * <p>A node's own store across restarts: this runs one node whatever {@code eventplane.test.nodes}
 * says (the intent is replicated like any write of the partition; failover to a replica that has it
 * resumes the same way).
 */
class LogFileRecoveryTest {
  private static final String ACCOUNT = "000000000000";
  private static final String REGION = "us-east-1";
  private static final String BUCKET = "ct-recovery";
  private static final String TRAIL = "recovery";
  private static final String LOGS = "AWSLogs/" + ACCOUNT + "/CloudTrail/" + REGION + "/";

  private final MutableClock clock = new MutableClock();
  private final List<AutoCloseable> open = new ArrayList<>();
  private Path dir;
  private EventplaneServer server;

  @BeforeEach
  void dataDir() throws IOException {
    dir = Files.createTempDirectory("eventplane-ct-recovery");
  }

  @AfterEach
  void stop() throws Exception {
    stopServer();
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void aFileIntendedBeforeTheCrashIsWrittenOnceUnderItsKeyAfterTheRestart() throws Exception {
    startServer();
    s3().createBucket(b -> b.bucket(BUCKET));
    cloudTrail().createTrail(b -> b.name(TRAIL).s3BucketName(BUCKET));
    await().atMost(Duration.ofSeconds(20)).until(() -> lookup("CreateTrail").size() == 1);
    // The span starts at StartLogging: every record at or after this instant of the (frozen) clock comes after it.
    clock.advance(Duration.ofSeconds(1));
    Instant logging = clock.instant();
    cloudTrail().startLogging(b -> b.name(TRAIL));
    for (int i = 1; i <= 3; i++) {
      int n = i;
      sqs().createQueue(b -> b.queueName("ct-recovery-" + n));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> lookup("CreateQueue").size() == 3);
    stopServer();

    // Killed after the intent, before the object: the trail names its file, nothing is written yet.
    String key = LOGS + DateTimeFormatter.ofPattern("yyyy/MM/dd/").withZone(ZoneOffset.UTC).format(clock.instant()) + ACCOUNT
        + "_CloudTrail_" + REGION + "_" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC)
        .format(clock.instant()) + "_Recovery0000Test.json.gz";
    JsonObject intended = offline(store -> {
      int partition = AuditPartitions.of(ACCOUNT, REGION);
      JsonObject trail = store.loadTrails(partition).stream().filter(t -> t.getString("Name").equals(TRAIL)).findFirst()
          .orElseThrow();
      assertThat(trail.getJsonObject("Pending")).as("no file under way when the server stopped").isNull();
      long upTo = store.load(partition).lastSequence();
      assertThat(upTo).isGreaterThan(trail.getLong("Cursor"));
      return trail.copy().put("Pending", new JsonObject().put("UpTo", upTo).put("Time", clock.millis()).put("Key", key))
          .put("LastAttempt", clock.millis());
    });
    writeTrail(intended);

    startServer();
    // A tick of the delivery (a second of the clock: not yet the next file's time).
    clock.advance(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> cloudTrail().getTrailStatus(b -> b.name(TRAIL)).latestDeliveryTime() != null);
    assertThat(objects()).extracting(S3Object::key).containsExactly(key);
    assertThat(records(key)).filteredOn(r -> r.getString("eventName").equals("CreateQueue"))
        .extracting(r -> r.getJsonObject("requestParameters").getString("queueName"))
        .containsExactlyInAnyOrder("ct-recovery-1", "ct-recovery-2", "ct-recovery-3");
    List<String> firstWrite = eventIds(records(key));
    stopServer();

    // Killed after the object, before the cursor: the file is there and the trail still names it.
    writeTrail(intended);
    startServer();
    clock.advance(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> cloudTrail().getTrailStatus(b -> b.name(TRAIL)).latestDeliveryTime() != null);
    assertThat(objects()).extracting(S3Object::key).as("the same file written again, not a second one").containsExactly(key);
    assertThat(eventIds(records(key))).containsExactlyInAnyOrderElementsOf(firstWrite);

    // Later records go to the next file; each record of the span is in exactly one.
    sqs().createQueue(b -> b.queueName("ct-recovery-4"));
    await().atMost(Duration.ofSeconds(20)).until(() -> lookup("CreateQueue").size() == 4);
    Set<String> span = cloudTrail().lookupEventsPaginator(b -> b.startTime(logging)).events().stream()
        .map(Event::eventId).collect(Collectors.toSet());
    clock.advance(Duration.ofMinutes(5));
    Map<String, Integer> files = new HashMap<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      files.clear();
      for (S3Object o : objects()) for (String id : eventIds(records(o.key()))) files.merge(id, 1, Integer::sum);
      return files.keySet().containsAll(span);
    });
    assertThat(objects()).hasSize(2);
    assertThat(span).as("StartLogging and four CreateQueue calls at least").hasSizeGreaterThanOrEqualTo(5);
    files.forEach((id, count) -> assertThat(count).as("files with the record %s", id).isEqualTo(1));
  }

  /** Does something with the stopped server's CloudTrail store, then closes it. */
  private <T> T offline(java.util.function.Function<AuditStore, T> work) {
    try (Store store = Store.open(dir.resolve("store"), Durability.FSYNC, 100, List.of(AuditStore.COLUMN_FAMILY))) {
      return work.apply(new AuditStore(store, null));
    }
  }

  /** Stores the trail as {@code LogFiles} does (same key, same batch), on the stopped server's directory. */
  private void writeTrail(JsonObject trail) throws Exception {
    try (Store store = Store.open(dir.resolve("store"), Durability.FSYNC, 100, List.of(AuditStore.COLUMN_FAMILY))) {
      AuditStore audit = new AuditStore(store, null);
      Batch b = audit.batch();
      audit.putTrail(b, AuditPartitions.of(ACCOUNT, REGION), ACCOUNT, REGION, TRAIL, trail);
      store.commit(b).get();
    }
  }

  private void startServer() {
    server = EventplaneServer.start(EventplaneConfig.defaults().withPort(0).withDataDir(dir), clock);
  }

  private void stopServer() throws Exception {
    for (AutoCloseable c : open) c.close();
    open.clear();
    if (server != null) server.close();
    server = null;
  }

  private List<Event> lookup(String eventName) {
    return cloudTrail().lookupEvents(b -> b.lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_NAME)
        .attributeValue(eventName))).events();
  }

  private List<S3Object> objects() {
    return s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(LOGS)).contents();
  }

  private List<JsonObject> records(String key) {
    byte[] gz = s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      List<JsonObject> out = new ArrayList<>();
      new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("Records")
          .forEach(r -> out.add((JsonObject) r));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> eventIds(List<JsonObject> records) {
    return records.stream().map(r -> r.getString("eventID")).toList();
  }

  private CloudTrailClient cloudTrail;
  private S3Client s3;
  private SqsClient sqs;

  private CloudTrailClient cloudTrail() {
    if (cloudTrail == null || !open.contains(cloudTrail)) cloudTrail = keep(CloudTrailClient.builder());
    return cloudTrail;
  }

  private S3Client s3() {
    if (s3 == null || !open.contains(s3)) s3 = keep(S3Client.builder().forcePathStyle(true));
    return s3;
  }

  private SqsClient sqs() {
    if (sqs == null || !open.contains(sqs)) sqs = keep(SqsClient.builder());
    return sqs;
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
