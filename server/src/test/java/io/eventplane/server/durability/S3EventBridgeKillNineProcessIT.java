package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EventBridgeConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SIGKILL while uploading to a bucket with EventBridgeConfiguration, {@code --durability fsync}:
 * every PutObject acknowledged before the kill reaches the rule's queue as "Object Created" after
 * the restart (its notice was in the upload's batch), whether the kill came before, during or
 * after its trip through EventBridge; no event names a key nobody uploaded.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class S3EventBridgeKillNineProcessIT {
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final int UPLOADERS = 3;
  private static final String BUCKET = "durable-eb";
  private static final String QUEUE = "durable-eb-created";

  private Path root;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private ExecutorService pool;
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean killed = new AtomicBoolean();

  @BeforeEach
  void tempDir() throws Exception {
    root = Files.createTempDirectory("eventplane-s3-eb-kill9");
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

  @Test
  void everyAcknowledgedUploadIsAnObjectCreatedEventAfterKillNine() throws Exception {
    ServerProcess first = start("first.log");
    SqsClient sqs = sqs(first);
    String url = sqs.createQueue(b -> b.queueName(QUEUE)).queueUrl();
    String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
    EventBridgeClient events = events(first);
    events.putRule(b -> b.name("durable-s3").eventPattern(
        "{\"source\":[\"aws.s3\"],\"detail-type\":[\"Object Created\"],\"detail\":{\"bucket\":{\"name\":[\"" + BUCKET + "\"]}}}"));
    events.putTargets(b -> b.rule("durable-s3").targets(Target.builder().id("q").arn(arn).build()));
    S3Client setup = s3(first, true);
    setup.createBucket(b -> b.bucket(BUCKET));
    setup.putBucketNotificationConfiguration(b -> b.bucket(BUCKET).notificationConfiguration(n -> n
        .eventBridgeConfiguration(EventBridgeConfiguration.builder().build())));

    S3Client load = s3(first, false);
    pool = Executors.newFixedThreadPool(UPLOADERS);
    for (int t = 0; t < UPLOADERS; t++) {
      int thread = t;
      pool.submit(() -> upload(load, thread));
    }
    // Kill mid-load: once enough uploads are acknowledged (their events still on their way).
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> acknowledged.size() >= 150);
    killed.set(true);
    assertThat(first.kill()).as("exit status of a SIGKILLed JVM").isEqualTo(137);
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);

    ServerProcess second = start("second.log");
    SqsClient after = sqs(second);
    String afterUrl = after.getQueueUrl(b -> b.queueName(QUEUE)).queueUrl();
    Set<String> got = new HashSet<>();
    long deadline = System.currentTimeMillis() + 60_000;
    while (!got.containsAll(acknowledged) && System.currentTimeMillis() < deadline) {
      for (Message m : after.receiveMessage(b -> b.queueUrl(afterUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        JsonObject event = new JsonObject(m.body());
        assertThat(event.getString("detail-type")).isEqualTo("Object Created");
        got.add(event.getJsonObject("detail").getJsonObject("object").getString("key"));
        after.deleteMessage(b -> b.queueUrl(afterUrl).receiptHandle(m.receiptHandle()));
      }
    }
    Set<String> missing = new HashSet<>(acknowledged);
    missing.removeAll(got);
    assertThat(missing).as("acknowledged uploads without an Object Created event").isEmpty();
    Set<String> unknown = new HashSet<>(got);
    unknown.removeAll(attempted);
    assertThat(unknown).as("events for keys nobody uploaded").isEmpty();
    System.out.printf("S3 -> EventBridge kill -9 after %d acknowledged uploads (%d attempted): all %d events arrived%n",
        acknowledged.size(), attempted.size(), acknowledged.size());
  }

  private void upload(S3Client s3, int thread) {
    for (int n = 0; !killed.get(); n++) {
      String key = "k" + thread + "-" + n;
      attempted.add(key);
      try {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
        acknowledged.add(key);
      } catch (RuntimeException e) {
        if (!killed.get()) throw e;
        return;
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

  private EventBridgeClient events(ServerProcess server) {
    EventBridgeClient c = EventBridgeClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
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
}
