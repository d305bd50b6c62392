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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A scheduled rule across restarts of its owner: the tick it fired is stored with the firing, so a
 * restarted node neither fires it again (not even with a clock that lags the old one's) nor
 * replays the ticks that fell while it was down, and goes on with the next one.
 */
class ScheduledRulesRestartTest {
  private Path dir;
  private EventplaneServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) server.close();
    if (dir != null) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aFiredTickIsNotFiredAgainAfterARestartAndTicksMissedWhileDownAreNotReplayed() throws Exception {
    dir = Files.createTempDirectory("eventplane-schedules");
    MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:30Z").toEpochMilli());
    EventplaneConfig config = EventplaneConfig.defaults().withPort(0).withDataDir(dir);
    String queueUrl;
    server = EventplaneServer.start(config, clock);
    try (SqsClient sqs = sqs(); EventBridgeClient events = events()) {
      queueUrl = sqs.createQueue(b -> b.queueName("restart-ticks")).queueUrl();
      events.putRule(b -> b.name("minutely").scheduleExpression("rate(1 minute)"));
      events.putTargets(b -> b.rule("minutely").targets(
          Target.builder().id("q").arn("arn:aws:sqs:us-east-1:000000000000:restart-ticks").build()));
      clock.advance(Duration.ofMinutes(1));
      assertThat(times(receive(sqs, queueUrl, 1))).containsExactly("2026-06-01T10:01:00Z");
    }
    server.close();

    // The next node's clock lags the first's by 45 s: 10:01:00 is still ahead by its own clock.
    clock.advance(Duration.ofSeconds(-45));
    server = EventplaneServer.start(config.withPort(0), clock);
    try (SqsClient sqs = sqs()) {
      clock.advance(Duration.ofSeconds(30));
      assertThat(receiveFor(sqs, queueUrl, Duration.ofSeconds(1))).isEmpty();
      clock.advance(Duration.ofMinutes(1));
      assertThat(times(receive(sqs, queueUrl, 1))).containsExactly("2026-06-01T10:02:00Z");
    }
    server.close();

    // Down for three ticks (10:03, 10:04, 10:05): they are not replayed; 10:06 fires.
    clock.advance(Duration.ofMinutes(3));
    server = EventplaneServer.start(config.withPort(0), clock);
    try (SqsClient sqs = sqs()) {
      assertThat(receiveFor(sqs, queueUrl, Duration.ofSeconds(1))).isEmpty();
      clock.advance(Duration.ofMinutes(1));
      assertThat(times(receive(sqs, queueUrl, 1))).containsExactly("2026-06-01T10:06:00Z");
      assertThat(receiveFor(sqs, queueUrl, Duration.ofMillis(500))).isEmpty();
    }
  }

  private static List<String> times(List<Message> messages) {
    return messages.stream().map(m -> new JsonObject(m.body()).getString("time")).toList();
  }

  private List<Message> receive(SqsClient sqs, String url, int expected) {
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      got.addAll(take(sqs, url));
      return got.size() >= expected;
    });
    assertThat(got).hasSize(expected);
    return got;
  }

  private List<Message> receiveFor(SqsClient sqs, String url, Duration wait) {
    List<Message> got = new ArrayList<>();
    long until = System.nanoTime() + wait.toNanos();
    do {
      got.addAll(take(sqs, url));
    } while (System.nanoTime() < until);
    return got;
  }

  private static List<Message> take(SqsClient sqs, String url) {
    List<Message> out = new ArrayList<>();
    for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
      out.add(m);
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
    }
    return out;
  }

  private URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  private SqsClient sqs() {
    return SqsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder()).build();
  }

  private EventBridgeClient events() {
    return EventBridgeClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder()).build();
  }
}
