package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SIGKILL during concurrent uploads (single PUTs of 1 KiB to 3 MiB and multipart uploads): after a
 * restart on the same data directory every acknowledged object reads back byte-identical, no object
 * is half written (every object's bytes match its ETag), no blob is left that no object names, and
 * every acknowledged write has its notification in the queue.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3KillNineProcessIT {
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final int UPLOADERS = 4;

  private Path root;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private ExecutorService pool;
  /** Acknowledged keys and the MD5 of what was sent. */
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> attempted = new ConcurrentHashMap<>();
  private final AtomicBoolean killed = new AtomicBoolean();

  @BeforeEach
  void tempDir() throws Exception {
    root = Files.createTempDirectory("eventplane-s3-kill9");
  }

  @AfterEach
  void stopEverything() throws Exception {
    killed.set(true);
    if (pool != null) {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    for (AutoCloseable c : clients) c.close();
    for (ServerProcess p : processes) p.close();
    if (root != null && Files.exists(root)) {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private ServerProcess start(String logName) throws Exception {
    String jar = System.getProperty("eventplane.jar");
    assertThat(jar).as("system property eventplane.jar (set by failsafe)").isNotBlank();
    ServerProcess p = ServerProcess.start(Path.of(jar), root.resolve("data"), root.resolve(logName), STARTUP);
    processes.add(p);
    return p;
  }

  private S3Client s3(ServerProcess server, boolean retries) {
    S3Client c = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16).socketTimeout(Duration.ofSeconds(30))
            .connectionTimeout(Duration.ofSeconds(2)))
        .overrideConfiguration(o -> {
          if (!retries) o.retryStrategy(AwsRetryStrategy.doNotRetry());
        })
        .build();
    clients.add(c);
    return c;
  }

  private SqsClient sqs(ServerProcess server) {
    SqsClient c = SqsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
        .build();
    clients.add(c);
    return c;
  }

  @Test
  void everyAcknowledgedObjectIsWholeAndNotifiedAfterKillNine() throws Exception {
    ServerProcess first = start("first.log");
    S3Client setup = s3(first, true);
    String queueUrl = sqs(first).createQueue(b -> b.queueName("uploads")).queueUrl();
    setup.createBucket(b -> b.bucket("durable"));
    setup.putBucketNotificationConfiguration(b -> b.bucket("durable").notificationConfiguration(n -> n.queueConfigurations(
        q -> q.id("all").queueArn("arn:aws:sqs:us-east-1:000000000000:uploads").events(Event.S3_OBJECT_CREATED))));
    S3Client load = s3(first, false);
    pool = Executors.newFixedThreadPool(UPLOADERS);
    for (int t = 0; t < UPLOADERS; t++) {
      int thread = t;
      pool.submit(() -> upload(load, thread));
    }
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> acknowledged.size() >= 60);
    killed.set(true);
    assertThat(first.kill()).as("exit status of a SIGKILLed JVM").isEqualTo(137);
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);

    ServerProcess second = start("second.log");
    S3Client after = s3(second, true);
    for (Map.Entry<String, String> e : acknowledged.entrySet()) {
      byte[] body = after.getObjectAsBytes(b -> b.bucket("durable").key(e.getKey())).asByteArray();
      assertThat(md5(body)).as("acknowledged %s reads back byte-identical", e.getKey()).isEqualTo(e.getValue());
    }
    List<S3Object> listed = after.listObjectsV2Paginator(b -> b.bucket("durable")).contents().stream().toList();
    for (S3Object o : listed) {
      assertThat(attempted).as("listed %s was uploaded", o.key()).containsKey(o.key());
      byte[] body = after.getObjectAsBytes(b -> b.bucket("durable").key(o.key())).asByteArray();
      assertThat(body).as("%s has its size", o.key()).hasSize(o.size().intValue());
      assertThat(attempted.get(o.key())).as("%s holds bytes that were sent for it", o.key()).contains(md5(body));
    }
    try (Stream<Path> blobs = Files.walk(root.resolve("data").resolve("objects"))) {
      long files = blobs.filter(Files::isRegularFile).count();
      long segments = 0;
      for (S3Object o : listed) segments += o.eTag().contains("-") ? Long.parseLong(o.eTag().replaceAll(".*-|\"", "")) : 1;
      // An upload the kill interrupted keeps its uploaded parts until it is completed or aborted, as on S3.
      long pendingParts = 0;
      for (var u : after.listMultipartUploads(b -> b.bucket("durable")).uploads()) {
        pendingParts += after.listParts(b -> b.bucket("durable").key(u.key()).uploadId(u.uploadId())).parts().size();
      }
      assertThat(files).as("blob files left after the restart: one per segment of a listed object or pending part")
          .isEqualTo(segments + pendingParts);
    }

    SqsClient queue = sqs(second);
    Set<String> notified = new HashSet<>();
    long deadline = System.currentTimeMillis() + 30_000;
    while (!notified.containsAll(acknowledged.keySet()) && System.currentTimeMillis() < deadline) {
      for (Message m : queue.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        JsonObject event = new JsonObject(m.body());
        if (event.containsKey("Records")) {
          notified.add(event.getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object").getString("key"));
        }
      }
    }
    Set<String> missing = new HashSet<>(acknowledged.keySet());
    missing.removeAll(notified);
    assertThat(missing).as("acknowledged uploads without a notification").isEmpty();
    System.out.printf("S3 kill -9 after %d acknowledged uploads (%d attempted); %d objects after restart%n",
        acknowledged.size(), attempted.size(), listed.size());
  }

  private void upload(S3Client s3, int thread) {
    for (int n = 0; !killed.get(); n++) {
      String key = "t" + thread + "/o" + n;
      try {
        if (n % 5 == 4) {
          byte[] a = random(5 * 1024 * 1024);
          byte[] b = random(ThreadLocalRandom.current().nextInt(1, 1 << 20));
          attempted.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(md5(concat(a, b)));
          String id = s3.createMultipartUpload(r -> r.bucket("durable").key(key)).uploadId();
          String e1 = s3.uploadPart(r -> r.bucket("durable").key(key).uploadId(id).partNumber(1), RequestBody.fromBytes(a)).eTag();
          String e2 = s3.uploadPart(r -> r.bucket("durable").key(key).uploadId(id).partNumber(2), RequestBody.fromBytes(b)).eTag();
          s3.completeMultipartUpload(r -> r.bucket("durable").key(key).uploadId(id)
              .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(e1), p -> p.partNumber(2).eTag(e2))));
          acknowledged.put(key, md5(concat(a, b)));
        } else {
          byte[] body = random(ThreadLocalRandom.current().nextInt(1024, 3 << 20));
          attempted.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(md5(body));
          s3.putObject(r -> r.bucket("durable").key(key), RequestBody.fromBytes(body));
          acknowledged.put(key, md5(body));
        }
      } catch (RuntimeException e) {
        if (!killed.get()) throw e;
        return;
      }
    }
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String md5(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
