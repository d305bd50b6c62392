package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SIGKILL while publishing to a topic with three queue subscriptions, {@code --durability fsync}:
 * the outbox must deliver every acknowledged publish to every queue after the restart, whether
 * the kill came before, during or after its deliveries. Unacknowledged publishes may go either
 * way; nothing that was never published may appear. What the mobile push and SMS calls
 * acknowledged before the kill (a platform application, its endpoint, an SMS attribute, a push
 * recorded for the endpoint) is there after it too. (EventBridge's PutEvents across a kill -9:
 * {@link EventBridgeKillNineProcessIT}.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SnsKillNineProcessIT {
  private static final int PUBLISHERS = 4;
  private static final List<String> QUEUES = List.of("fan-a", "fan-b", "fan-c");

  private KillNineHarness harness;
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void harness() throws Exception {
    harness = new KillNineHarness("eventplane-sns-kill9");
  }

  @AfterEach
  void stopEverything() throws Exception {
    harness.close();
  }

  @Test
  void everyAcknowledgedPublishReachesEveryQueueAfterKillNine() throws Exception {
    ServerProcess first = harness.start("first.log");
    SnsClient setup = harness.sns(first, true);
    SqsClient sqs = harness.sqs(first);
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
    SnsClient load = harness.sns(first, false);
    harness.load(PUBLISHERS, (thread, n) -> publish(load, topic, thread, n));
    // Kill mid-load: once a few hundred publishes are acknowledged (their deliveries still running).
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> acknowledged.size() >= 300);
    harness.killDuringLoad(first);

    ServerProcess second = harness.start("second.log");
    SnsClient snsAfter = harness.sns(second, true);
    assertThat(snsAfter.getPlatformApplicationAttributes(b -> b.platformApplicationArn(app)).attributes())
        .isEqualTo(Map.of("AuthenticationMethod", "Key", "Enabled", "true"));
    assertThat(snsAfter.getEndpointAttributes(b -> b.endpointArn(endpoint)).attributes())
        .isEqualTo(Map.of("CustomUserData", "user-1", "Enabled", "true", "Token", "durable-token"));
    assertThat(snsAfter.getSMSAttributes(b -> { }).attributes()).isEqualTo(Map.of("DefaultSMSType", "Transactional"));
    HttpResponse<String> pushes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(second.endpoint()
            .resolve("/_eventplane/sns/platform-endpoint-messages?region=us-east-1")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(pushes.body()).contains(pushed).contains("durable push");
    SqsClient after = harness.sqs(second);
    for (String name : QUEUES) {
      String url = after.getQueueUrl(b -> b.queueName(name)).queueUrl();
      Set<String> got = KillNineHarness.awaitArrivals(after, url, acknowledged, m -> m.body(), Duration.ofSeconds(30), false,
          "publishes in " + name);
      KillNineHarness.assertNothingUnknown(got, attempted, "messages in " + name);
    }
    System.out.printf("SNS kill -9 after %d acknowledged publishes (%d attempted): all in all %d queues%n",
        acknowledged.size(), attempted.size(), QUEUES.size());
  }

  private void publish(SnsClient sns, String topic, int thread, int n) {
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
  }
}
