package io.eventplane.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.time.MutableClock;
import io.eventplane.server.EventplaneServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A replay survives a restart of the bus's owner: it stops after its first page (paced so that the
 * server is closed while the next one waits), and the restarted server resumes it from the stored
 * progress and completes it; every event of the window reaches the rule's queue (at least once).
 */
class ReplayRestartTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final int EVENTS = 250;

  @Test
  void aReplayResumesFromItsProgressAfterARestart() throws Exception {
    Path dir = Files.createTempDirectory("eventplane-replay");
    MutableClock clock = new MutableClock();
    EventplaneConfig config = EventplaneConfig.defaults().withPort(0).withDataDir(dir);
    Set<String> originals = new HashSet<>();
    String queueUrl;
    System.setProperty("eventplane.events.replayPagePauseMillis", "3000");
    try {
      EventplaneServer first = EventplaneServer.start(config, clock);
      try (EventBridgeClient events = events(first.port()); SqsClient sqs = sqs(first.port())) {
        String bus = events.createEventBus(b -> b.name("restart-bus")).eventBusArn();
        String created = sqs.createQueue(b -> b.queueName("restart-replayed")).queueUrl();
        queueUrl = created;
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(created).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributesAsStrings().get("QueueArn");
        events.putRule(b -> b.name("all").eventBusName("restart-bus").eventPattern("{\"source\":[\"shop\"]}"));
        events.putTargets(b -> b.rule("all").eventBusName("restart-bus").targets(Target.builder().id("q").arn(queueArn).build()));
        String archive = events.createArchive(b -> b.archiveName("restart-archive").eventSourceArn(bus)).archiveArn();
        for (int i = 0; i < EVENTS; i += 10) {
          List<PutEventsRequestEntry> entries = new ArrayList<>();
          for (int j = i; j < i + 10; j++) entries.add(ReplayTest.event("restart-bus", j, T0.plusSeconds(j)));
          events.putEvents(b -> b.entries(entries));
        }
        String url = queueUrl;
        for (Message m : receive(sqs, url, EVENTS)) originals.add(new JsonObject(m.body()).getString("id"));

        events.startReplay(b -> b.replayName("resumed").eventSourceArn(archive).eventStartTime(T0)
            .eventEndTime(T0.plusSeconds(1000)).destination(d -> d.arn(bus)));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
            .until(() -> events.describeReplay(b -> b.replayName("resumed")).eventLastReplayedTime() != null);
        DescribeReplayResponse stopped = events.describeReplay(b -> b.replayName("resumed"));
        assertThat(stopped.state()).isEqualTo(ReplayState.RUNNING);
        assertThat(stopped.eventLastReplayedTime()).isEqualTo(T0.plusSeconds(99));
      } finally {
        first.close();
      }

      EventplaneServer second = EventplaneServer.start(config.withPort(0), clock);
      try (EventBridgeClient events = events(second.port()); SqsClient sqs = sqs(second.port())) {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> events.describeReplay(b -> b.replayName("resumed")).state() == ReplayState.COMPLETED);
        DescribeReplayResponse done = events.describeReplay(b -> b.replayName("resumed"));
        assertThat(done.eventLastReplayedTime()).isEqualTo(T0.plusSeconds(EVENTS - 1));
        assertThat(done.replayEndTime()).isNotNull();
        Set<String> replayed = new HashSet<>();
        String url = queueUrl;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
          for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
            JsonObject e = new JsonObject(m.body());
            assertThat(e.getString("replay-name")).isEqualTo("resumed");
            replayed.add(e.getString("id"));
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
          }
          return replayed.size() >= EVENTS;
        });
        assertThat(replayed).isEqualTo(originals);
      } finally {
        second.close();
      }
    } finally {
      System.clearProperty("eventplane.events.replayPagePauseMillis");
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static List<Message> receive(SqsClient sqs, String url, int expected) {
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
        got.add(m);
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
      return got.size() >= expected;
    });
    return got;
  }

  private static EventBridgeClient events(int port) {
    return EventBridgeClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder()).build();
  }

  private static SqsClient sqs(int port) {
    return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder()).build();
  }
}
