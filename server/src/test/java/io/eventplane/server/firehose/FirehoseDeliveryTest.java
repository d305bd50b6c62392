package io.eventplane.server.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xerial.snappy.SnappyFramedInputStream;
import software.amazon.awssdk.services.firehose.model.CompressionFormat;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Records put to a delivery stream become objects in its bucket: by size or by interval on the
 * injected clock, whichever comes first, concatenated with no delimiter, compressed, named with the
 * default key layout or an evaluated custom prefix, and notifying like any upload.
 */
class FirehoseDeliveryTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final DateTimeFormatter HOUR_PATH = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SUFFIX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private void stream(String name, String bucket, Consumer<ExtendedS3DestinationConfiguration.Builder> destination) {
    server.s3().createBucket(b -> b.bucket(bucket));
    server.firehose().createDeliveryStream(b -> b.deliveryStreamName(name).extendedS3DestinationConfiguration(d -> {
      d.roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::" + bucket);
      destination.accept(d);
    }));
  }

  private void put(String name, String... records) {
    FirehoseCalls.put(server, name, records);
  }

  private List<S3Object> objects(String bucket) {
    return FirehoseCalls.objects(server, bucket);
  }

  private byte[] read(String bucket, String key) {
    return server.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  private S3Object onlyObject(String bucket) {
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects(bucket).isEmpty());
    List<S3Object> all = objects(bucket);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private void assertNoObjectFor(String bucket, Duration during) {
    await().during(during).atMost(during.plusSeconds(5)).until(() -> objects(bucket).isEmpty());
  }

  @Test
  void theIntervalFlushesOnTheServiceClockIntoTheDefaultKeyLayout() {
    stream("by-time", "fh-by-time", d -> d.bufferingHints(h -> h.sizeInMBs(5).intervalInSeconds(60)));
    Instant arrival = server.clock().instant();
    put("by-time", "one,", "two,");
    put("by-time", "three");
    assertNoObjectFor("fh-by-time", Duration.ofSeconds(2));
    server.advance(Duration.ofSeconds(59));
    assertNoObjectFor("fh-by-time", Duration.ofSeconds(2));
    server.advance(Duration.ofSeconds(1));
    S3Object object = onlyObject("fh-by-time");
    assertThat(object.key()).matches(HOUR_PATH.format(arrival).replace("/", "\\/") + "by-time-1-" + SUFFIX_TIME.format(arrival) + "-" + UUID);
    assertThat(new String(read("fh-by-time", object.key()), StandardCharsets.UTF_8)).isEqualTo("one,two,three");

    // The buffer starts again: the next object waits for its own oldest record's interval.
    server.advance(Duration.ofSeconds(30));
    put("by-time", "four");
    server.advance(Duration.ofSeconds(59));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(7)).until(() -> objects("fh-by-time").size() == 1);
    server.advance(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> objects("fh-by-time").size() == 2);
  }

  @Test
  void theSizeFlushesWithoutWaitingAndAnObjectHoldsAtMostTheSize() {
    stream("by-size", "fh-by-size", d -> d.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(900)));
    String chunk = "a".repeat(400_000);
    put("by-size", chunk + "1", chunk + "2");
    assertNoObjectFor("fh-by-size", Duration.ofSeconds(2));
    put("by-size", chunk + "3");
    // 1,200,003 bytes buffered: the first two records fill an object (a third would pass 1 MiB); the last one waits.
    S3Object first = onlyObject("fh-by-size");
    assertThat(new String(read("fh-by-size", first.key()), StandardCharsets.UTF_8)).isEqualTo(chunk + "1" + chunk + "2");
    assertStillOneObject("fh-by-size");
    server.advance(Duration.ofSeconds(900));
    await().atMost(Duration.ofSeconds(20)).until(() -> objects("fh-by-size").size() == 2);
    String second = objects("fh-by-size").stream().map(S3Object::key).filter(k -> !k.equals(first.key())).findFirst().orElseThrow();
    assertThat(new String(read("fh-by-size", second), StandardCharsets.UTF_8)).isEqualTo(chunk + "3");
  }

  private void assertStillOneObject(String bucket) {
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(7)).until(() -> objects(bucket).size() == 1);
  }

  @Test
  void compressedObjectsReadBack() throws Exception {
    String[] records = {"{\"n\":1}", "{\"n\":2}", "{\"n\":3}"};
    String expected = String.join("", records);
    for (CompressionFormat format : List.of(CompressionFormat.GZIP, CompressionFormat.ZIP, CompressionFormat.SNAPPY,
        CompressionFormat.HADOOP_SNAPPY, CompressionFormat.UNCOMPRESSED)) {
      String name = "zip-" + format.toString().toLowerCase().replace('_', '-');
      stream(name, "fh-" + name, d -> d.compressionFormat(format).bufferingHints(h -> h.intervalInSeconds(0)));
      put(name, records);
      S3Object object = onlyObject("fh-" + name);
      byte[] body = read("fh-" + name, object.key());
      switch (format) {
        case GZIP -> {
          assertThat(object.key()).endsWith(".gz");
          assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
          assertThat(commandLine(body, ".gz", "gunzip", "-c")).isIn(expected, null);
        }
        case ZIP -> {
          assertThat(object.key()).endsWith(".zip");
          try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body))) {
            ZipEntry entry = zip.getNextEntry();
            assertThat(entry).isNotNull();
            assertThat(new String(zip.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(zip.getNextEntry()).isNull();
          }
          assertThat(commandLine(body, ".zip", "unzip", "-p")).isIn(expected, null);
        }
        case SNAPPY -> {
          assertThat(object.key()).endsWith(".snappy");
          assertThat(new String(new SnappyFramedInputStream(new ByteArrayInputStream(body)).readAllBytes(), StandardCharsets.UTF_8))
              .isEqualTo(expected);
        }
        case HADOOP_SNAPPY -> {
          assertThat(object.key()).endsWith(".snappy");
          assertThat(new String(hadoopSnappy(body), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
        default -> {
          assertThat(object.key()).doesNotContain(".");
          assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(expected);
        }
      }
    }
  }

  /**
   * Hadoop's block format read by hand: blocks of [uncompressed length][compressed length][snappy
   * data], lengths big-endian 4 bytes (what SnappyHadoopCompatibleOutputStream writes and Hadoop's
   * BlockDecompressorStream reads).
   */
  private static byte[] hadoopSnappy(byte[] body) throws IOException {
    java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(body));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while (in.available() > 0) {
      int raw = in.readInt();
      int done = 0;
      while (done < raw) {
        byte[] compressed = new byte[in.readInt()];
        in.readFully(compressed);
        byte[] block = org.xerial.snappy.Snappy.uncompress(compressed);
        out.write(block);
        done += block.length;
      }
    }
    return out.toByteArray();
  }

  /** The body through a command-line tool (gunzip, unzip) when the machine has it; null when it does not. */
  private static String commandLine(byte[] body, String extension, String... command) throws Exception {
    boolean present = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command[0])));
    if (!present) return null;
    Path file = Files.createTempFile("firehose", extension);
    try {
      Files.write(file, body);
      List<String> args = new ArrayList<>(Arrays.asList(command));
      args.add(file.toString());
      Process p = new ProcessBuilder(args).redirectErrorStream(false).start();
      byte[] out;
      try (InputStream stdout = p.getInputStream()) {
        out = stdout.readAllBytes();
      }
      assertThat(p.waitFor()).isZero();
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aCustomPrefixIsEvaluatedInTheStreamsTimeZone() {
    stream("custom", "fh-custom", d -> d.prefix("events/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/hour=!{timestamp:HH}/")
        .errorOutputPrefix("errors/!{firehose:error-output-type}/").customTimeZone("Asia/Tokyo")
        .bufferingHints(h -> h.intervalInSeconds(0)));
    Instant arrival = server.clock().instant();
    put("custom", "x");
    S3Object object = onlyObject("fh-custom");
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    String prefix = DateTimeFormatter.ofPattern("'events/'yyyy/MM/dd'/hour='HH'/'").withZone(tokyo).format(arrival);
    assertThat(object.key()).matches(prefix.replace("/", "\\/") + "custom-1-"
        + DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(tokyo).format(arrival) + "-" + UUID);
  }

  @Test
  void aPlainPrefixGetsTheDefaultTimePath() {
    stream("plain-prefix", "fh-plain-prefix", d -> d.prefix("logs/app-").bufferingHints(h -> h.intervalInSeconds(0)));
    Instant arrival = server.clock().instant();
    put("plain-prefix", "x");
    assertThat(onlyObject("fh-plain-prefix").key()).startsWith("logs/app-" + HOUR_PATH.format(arrival) + "plain-prefix-1-");
  }

  @Test
  void objectsAfterAnUpdateCarryTheNewVersionAndSettings() {
    stream("versioned", "fh-versioned", d -> d.bufferingHints(h -> h.intervalInSeconds(0)));
    server.firehose().updateDestination(b -> b.deliveryStreamName("versioned").currentDeliveryStreamVersionId("1")
        .destinationId("destinationId-000000000001").extendedS3DestinationUpdate(u -> u.prefix("v2/")
            .compressionFormat(CompressionFormat.GZIP)));
    Instant arrival = server.clock().instant();
    put("versioned", "x");
    assertThat(onlyObject("fh-versioned").key()).startsWith("v2/" + HOUR_PATH.format(arrival) + "versioned-2-").endsWith(".gz");
  }

  @Test
  void anObjectNotifiesLikeAnyUpload() {
    String queueUrl = server.sqs().createQueue(b -> b.queueName("fh-notified")).queueUrl();
    String queueArn = server.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
        .attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
    stream("notifying", "fh-notifying", d -> d.bufferingHints(h -> h.intervalInSeconds(0)));
    server.s3().putBucketNotificationConfiguration(b -> b.bucket("fh-notifying").notificationConfiguration(NotificationConfiguration.builder()
        .queueConfigurations(QueueConfiguration.builder().queueArn(queueArn)
            .events(software.amazon.awssdk.services.s3.model.Event.S3_OBJECT_CREATED).build()).build()));
    put("notifying", "hello");
    String key = onlyObject("fh-notifying").key();
    List<JsonObject> records = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      for (var m : server.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages()) {
        JsonObject body = new JsonObject(m.body());
        if (body.containsKey("Records")) body.getJsonArray("Records").forEach(r -> records.add((JsonObject) r));
      }
      return !records.isEmpty();
    });
    JsonObject s3 = records.get(0).getJsonObject("s3");
    assertThat(records.get(0).getString("eventName")).isEqualTo("ObjectCreated:Put");
    assertThat(s3.getJsonObject("bucket").getString("name")).isEqualTo("fh-notifying");
    assertThat(java.net.URLDecoder.decode(s3.getJsonObject("object").getString("key"), StandardCharsets.UTF_8)).isEqualTo(key);
  }

  @Test
  void aMissingBucketIsRetriedUntilItExists() {
    server.firehose().createDeliveryStream(b -> b.deliveryStreamName("late-bucket").extendedS3DestinationConfiguration(d -> d
        .roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::fh-late-bucket").bufferingHints(h -> h.intervalInSeconds(0))));
    put("late-bucket", "kept");
    // Nothing to write into (the first attempt follows the put at once): the records stay buffered,
    // tried again every 5 seconds of the service clock.
    server.s3().createBucket(b -> b.bucket("fh-late-bucket"));
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      server.advance(Duration.ofSeconds(5));
      return !objects("fh-late-bucket").isEmpty();
    });
    S3Object object = onlyObject("fh-late-bucket");
    assertThat(new String(read("fh-late-bucket", object.key()), StandardCharsets.UTF_8)).isEqualTo("kept");
  }

  @Test
  void aBackupGetsTheSourceRecords() {
    server.s3().createBucket(b -> b.bucket("fh-backup-copy"));
    stream("backed-up", "fh-backed-up", d -> d.s3BackupMode("Enabled").bufferingHints(h -> h.intervalInSeconds(0))
        .s3BackupConfiguration(c -> c.roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::fh-backup-copy").prefix("source/")
            .compressionFormat(CompressionFormat.GZIP)));
    put("backed-up", "a", "b");
    assertThat(new String(read("fh-backed-up", onlyObject("fh-backed-up").key()), StandardCharsets.UTF_8)).isEqualTo("ab");
    S3Object backup = onlyObject("fh-backup-copy");
    assertThat(backup.key()).startsWith("source/").endsWith(".gz");
    try {
      assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(read("fh-backup-copy", backup.key()))).readAllBytes(),
          StandardCharsets.UTF_8)).isEqualTo("ab");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
