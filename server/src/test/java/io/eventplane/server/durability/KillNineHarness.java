package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What a kill -9 process test needs around its server: a temp data directory, the server processes
 * started on it (with their logs), SDK clients for them, a load that runs until the SIGKILL, and the
 * check that everything acknowledged before the kill arrived in a queue after the restart. One per
 * test, closed after it: every process stopped, every client closed, every file removed.
 */
final class KillNineHarness implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(90);

  /** One step of a load thread: the {@code n}th request of thread {@code thread}. */
  @FunctionalInterface
  interface Step {
    void run(int thread, int n);
  }

  private final Path root;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final AtomicBoolean killed = new AtomicBoolean();
  private ExecutorService pool;
  private volatile RuntimeException failure;

  KillNineHarness(String prefix) throws Exception {
    root = Files.createTempDirectory(prefix);
  }

  Path dataDir() {
    return root.resolve("data");
  }

  /** Starts the packaged server on the data directory (a restart: the same directory again). */
  ServerProcess start(String logName) throws Exception {
    return start(logName, List.of(), List.of());
  }

  /** As {@link #start(String)}, with JVM options (system properties) and server options. */
  ServerProcess start(String logName, List<String> jvmOptions, List<String> options) throws Exception {
    String jar = System.getProperty("eventplane.jar");
    assertThat(jar).as("system property eventplane.jar (set by failsafe)").isNotBlank();
    ServerProcess p = ServerProcess.start(Path.of(jar), dataDir(), root.resolve(logName), STARTUP, jvmOptions, options);
    processes.add(p);
    return p;
  }

  /**
   * Runs {@code threads} threads that each call {@code step} with n = 0, 1, 2, ... until the kill.
   * A step that throws before the kill fails the load (the test sees it through {@link #failure}); one
   * that throws after it ends its thread: an unacknowledged request promised nothing.
   */
  void load(int threads, Step step) {
    pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      pool.submit(() -> {
        for (int n = 0; !killed.get(); n++) {
          try {
            step.run(thread, n);
          } catch (RuntimeException e) {
            if (!killed.get()) {
              failure = e;
              throw e;
            }
            return;
          }
        }
      });
    }
  }

  /** What made a load thread stop before the kill; null while none did. */
  RuntimeException failure() {
    return failure;
  }

  /** Whether the kill has come (load steps check it to stop). */
  boolean killed() {
    return killed.get();
  }

  /** SIGKILLs the server in the middle of the load, then stops the load; asserts the exit status. */
  void killDuringLoad(ServerProcess server) throws Exception {
    assertThat(failure).as("a load request failed before the kill").isNull();
    killed.set(true);
    assertThat(server.kill()).as("exit status of a SIGKILLed JVM").isEqualTo(137);
    if (pool != null) {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Receives from a queue until every one of {@code expected} has arrived (by {@code keyOf} of a
   * message, which may also check the message) or {@code within} has passed, and returns every key
   * received; fails naming what is missing. With {@code delete}, received messages are deleted.
   */
  static Set<String> awaitArrivals(SqsClient sqs, String url, Set<String> expected, Function<Message, String> keyOf,
      Duration within, boolean delete, String what) {
    Set<String> got = new HashSet<>();
    long deadline = System.nanoTime() + within.toNanos();
    while (!got.containsAll(expected) && System.nanoTime() < deadline) {
      for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        String key = keyOf.apply(m);
        if (key != null) got.add(key);
        if (delete) sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
    }
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(got);
    assertThat(missing).as("%s: acknowledged before the kill, not arrived within %s", what, within).isEmpty();
    return got;
  }

  /** Fails if anything arrived that was never sent (sent: whatever the load attempted, acknowledged or not). */
  static void assertNothingUnknown(Set<String> got, Set<String> attempted, String what) {
    Set<String> unknown = new HashSet<>(got);
    unknown.removeAll(attempted);
    assertThat(unknown).as("%s nobody sent", what).isEmpty();
  }

  S3Client s3(ServerProcess server, boolean retries) {
    return client(S3Client.builder().forcePathStyle(true), server, retries, 16);
  }

  SnsClient sns(ServerProcess server, boolean retries) {
    return client(SnsClient.builder(), server, retries, 16);
  }

  EventBridgeClient events(ServerProcess server, boolean retries) {
    return client(EventBridgeClient.builder(), server, retries, 0);
  }

  SqsClient sqs(ServerProcess server) {
    return sqs(server, true);
  }

  SqsClient sqs(ServerProcess server, boolean retries) {
    return client(SqsClient.builder(), server, retries, 0);
  }

  /** A Kinesis client of {@code server} over CBOR (the SDK's default, what the KPL and KCL speak) or JSON. */
  KinesisClient kinesis(ServerProcess server, boolean retries, boolean cbor) {
    return EmbeddedServer.withCbor(cbor, () -> client(KinesisClient.builder(), server, retries, 16));
  }

  /** A Firehose client of {@code server}. */
  FirehoseClient firehose(ServerProcess server, boolean retries) {
    return client(FirehoseClient.builder(), server, retries, 16);
  }

  /** An API Gateway v2 (HTTP APIs) client of {@code server}. */
  software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client apiGatewayV2(ServerProcess server, boolean retries) {
    return client(software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client.builder(), server, retries, 0);
  }

  software.amazon.awssdk.services.apigateway.ApiGatewayClient apiGateway(ServerProcess server, boolean retries) {
    return client(software.amazon.awssdk.services.apigateway.ApiGatewayClient.builder(), server, retries, 0);
  }

  software.amazon.awssdk.services.cloudwatch.CloudWatchClient cloudWatch(ServerProcess server, boolean retries) {
    return client(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder(), server, retries, 0);
  }

  CloudTrailClient cloudTrail(ServerProcess server) {
    return client(CloudTrailClient.builder(), server, true, 0);
  }

  /**
   * A client of {@code server}: SDK retries on or off (off for the load, so every acknowledged call is one
   * the server answered), {@code maxConnections} pooled (0: the SDK's default), closed with the harness.
   */
  private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
      & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C extends AutoCloseable> C client(
      B builder, ServerProcess server, boolean retries, int maxConnections) {
    ApacheHttpClient.Builder http = ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30))
        .connectionTimeout(Duration.ofSeconds(2));
    if (maxConnections > 0) http.maxConnections(maxConnections);
    return keep(builder.endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .httpClientBuilder(http)
        .overrideConfiguration(o -> {
          if (!retries) o.retryStrategy(AwsRetryStrategy.doNotRetry());
        })
        .build());
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
  }

  private <T extends AutoCloseable> T keep(T client) {
    clients.add(client);
    return client;
  }

  @Override
  public void close() throws Exception {
    killed.set(true);
    if (pool != null) {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    for (AutoCloseable c : clients) c.close();
    for (ServerProcess p : processes) p.close();
    if (Files.exists(root)) {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
