package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SIGKILL while publishing to a topic with three queue subscriptions, {@code --durability fsync}:
 * the outbox must deliver every acknowledged publish to every queue after the restart, whether
 * the kill came before, during or after its deliveries. Unacknowledged publishes may go either
 * way; nothing that was never published may appear. What the mobile push and SMS calls
 * acknowledged before the kill (a platform application, its endpoint, an SMS attribute, a push
 * recorded for the endpoint) is there after it too. EventBridge's outbox likewise: every event a
 * PutEvents acknowledged before the kill reaches its rule's queue after the restart.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SnsKillNineProcessIT {
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final int PUBLISHERS = 4;
  private static final List<String> QUEUES = List.of("fan-a", "fan-b", "fan-c");

  private Path root;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private ExecutorService pool;
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean killed = new AtomicBoolean();
  /** Event ids EventBridge acknowledged (the rule sends each to {@value #EVENT_QUEUE}). */
  private final Set<String> acknowledgedEvents = ConcurrentHashMap.newKeySet();
  private static final String EVENT_QUEUE = "eb-target";

  @BeforeEach
  void tempDir() throws Exception {
    root = Files.createTempDirectory("eventplane-sns-kill9");
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

  private SnsClient sns(ServerProcess server, boolean retries) {
    SnsClient c = SnsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
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

  private EventBridgeClient events(ServerProcess server, boolean retries) {
    EventBridgeClient c = EventBridgeClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30))
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
  void everyAcknowledgedPublishReachesEveryQueueAfterKillNine() throws Exception {
    ServerProcess first = start("first.log");
    SnsClient setup = sns(first, true);
    SqsClient sqs = sqs(first);
    String topic = setup.createTopic(b -> b.name("durable-fan-out")).topicArn();
    for (String name : QUEUES) {
      String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
      String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributesAsStrings().get("QueueArn");
      setup.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn).attributes(Map.of("RawMessageDelivery", "true")));
    }
    String app = setup.createPlatformApplication(b -> b.name("durable-app").platform("GCM")
        .attributes(Map.of("PlatformCredential", "server-key"))).platformApplicationArn();
    String endpoint = setup.createPlatformEndpoint(b -> b.platformApplicationArn(app).token("durable-token")
        .customUserData("user-1")).endpointArn();
    setup.setSMSAttributes(b -> b.attributes(Map.of("DefaultSMSType", "Transactional")));
    String pushed = setup.publish(b -> b.targetArn(endpoint).message("durable push")).messageId();
    String eventQueue = sqs.createQueue(b -> b.queueName(EVENT_QUEUE)).queueUrl();
    String eventQueueArn = sqs.getQueueAttributes(b -> b.queueUrl(eventQueue).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
    EventBridgeClient eventSetup = events(first, true);
    eventSetup.putRule(b -> b.name("durable-rule").eventPattern("{\"source\":[\"durable.app\"]}"));
    eventSetup.putTargets(b -> b.rule("durable-rule").targets(Target.builder().id("q").arn(eventQueueArn).build()));
    SnsClient load = sns(first, false);
    EventBridgeClient eventLoad = events(first, false);
    pool = Executors.newFixedThreadPool(PUBLISHERS + 1);
    for (int t = 0; t < PUBLISHERS; t++) {
      int thread = t;
      pool.submit(() -> publish(load, topic, thread));
    }
    pool.submit(() -> putEvents(eventLoad));
    // Kill mid-load: once a few hundred publishes are acknowledged (their deliveries still running).
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> acknowledged.size() >= 300 && acknowledgedEvents.size() >= 20);
    killed.set(true);
    assertThat(first.kill()).as("exit status of a SIGKILLed JVM").isEqualTo(137);
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    assertThat(acknowledged).as("publishes acknowledged before the kill").hasSizeGreaterThan(50);

    ServerProcess second = start("second.log");
    SnsClient snsAfter = sns(second, true);
    assertThat(snsAfter.getPlatformApplicationAttributes(b -> b.platformApplicationArn(app)).attributes())
        .isEqualTo(Map.of("AuthenticationMethod", "Key", "Enabled", "true"));
    assertThat(snsAfter.getEndpointAttributes(b -> b.endpointArn(endpoint)).attributes())
        .isEqualTo(Map.of("CustomUserData", "user-1", "Enabled", "true", "Token", "durable-token"));
    assertThat(snsAfter.getSMSAttributes(b -> { }).attributes()).isEqualTo(Map.of("DefaultSMSType", "Transactional"));
    HttpResponse<String> pushes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(second.endpoint()
            .resolve("/_eventplane/sns/platform-endpoint-messages?region=us-east-1")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(pushes.body()).contains(pushed).contains("durable push");
    SqsClient after = sqs(second);
    for (String name : QUEUES) {
      String url = after.getQueueUrl(b -> b.queueName(name)).queueUrl();
      Set<String> got = new HashSet<>();
      long deadline = System.currentTimeMillis() + 30_000;
      while (!got.containsAll(acknowledged) && System.currentTimeMillis() < deadline) {
        List<Message> batch = after.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        for (Message m : batch) got.add(m.body());
      }
      Set<String> missing = new HashSet<>(acknowledged);
      missing.removeAll(got);
      assertThat(missing).as("acknowledged publishes missing from %s", name).isEmpty();
      Set<String> unknown = new HashSet<>(got);
      unknown.removeAll(attempted);
      assertThat(unknown).as("messages in %s nobody published", name).isEmpty();
    }
    String eventUrl = after.getQueueUrl(b -> b.queueName(EVENT_QUEUE)).queueUrl();
    Set<String> eventsGot = new HashSet<>();
    long eventDeadline = System.currentTimeMillis() + 30_000;
    while (!eventsGot.containsAll(acknowledgedEvents) && System.currentTimeMillis() < eventDeadline) {
      for (Message m : after.receiveMessage(b -> b.queueUrl(eventUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        eventsGot.add(new io.vertx.core.json.JsonObject(m.body()).getString("id"));
      }
    }
    assertThat(acknowledgedEvents).as("PutEvents acknowledged before the kill").isNotEmpty();
    Set<String> missingEvents = new HashSet<>(acknowledgedEvents);
    missingEvents.removeAll(eventsGot);
    assertThat(missingEvents).as("acknowledged events missing from the rule's queue").isEmpty();
    System.out.printf("SNS kill -9 after %d acknowledged publishes (%d attempted): all in all %d queues; "
        + "%d acknowledged events all in their rule's queue%n", acknowledged.size(), attempted.size(), QUEUES.size(),
        acknowledgedEvents.size());
  }

  private void putEvents(EventBridgeClient events) {
    for (int n = 0; !killed.get(); n++) {
      String detail = "{\"n\":" + n + "}";
      try {
        PutEventsResponse r = events.putEvents(b -> b.entries(
            PutEventsRequestEntry.builder().source("durable.app").detailType("t").detail(detail).build(),
            PutEventsRequestEntry.builder().source("durable.app").detailType("t").detail(detail).build()));
        for (var e : r.entries()) if (e.eventId() != null) acknowledgedEvents.add(e.eventId());
      } catch (RuntimeException e) {
        if (!killed.get()) throw e;
        return;
      }
    }
  }

  private void publish(SnsClient sns, String topic, int thread) {
    for (int n = 0; !killed.get(); n++) {
      try {
        if (n % 3 == 0) {
          List<PublishBatchRequestEntry> entries = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            String body = "p" + thread + "-" + n + "-" + i;
            attempted.add(body);
            entries.add(PublishBatchRequestEntry.builder().id("e" + i).message(body).build());
          }
          PublishBatchResponse r = sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries));
          r.successful().forEach(s -> acknowledged.add(entries.get(Integer.parseInt(s.id().substring(1))).message()));
        } else {
          String body = "p" + thread + "-" + n;
          attempted.add(body);
          sns.publish(b -> b.topicArn(topic).message(body));
          acknowledged.add(body);
        }
      } catch (RuntimeException e) {
        if (!killed.get()) throw e;
        return;
      }
    }
  }
}
