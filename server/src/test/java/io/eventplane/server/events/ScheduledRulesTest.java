package io.eventplane.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Scheduled rules fire on the service's clock, which the test moves. What a target receives is the
 * "Scheduled Event" recorded against AWS in LocalStack's test_events_schedule.snapshot.json
 * (tests_schedule_target_sqs) and scheduled_rules/test_events_scheduled_rules_sqs.snapshot.json:
 * version "0", id, detail-type "Scheduled Event", source "aws.events", account, time, region,
 * resources [the rule's ARN], detail {}, in that order.
 */
class ScheduledRulesTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  private SqsClient sqs() {
    return server.sqs();
  }

  @Test
  void aRateRuleSendsAScheduledEventToItsOwnTargetsAtEachTick() {
    String ticks = sqs().createQueue(b -> b.queueName("ticks")).queueUrl();
    String matched = sqs().createQueue(b -> b.queueName("aws-events-pattern")).queueUrl();
    Instant start = server.clock().instant();
    String arn = events().putRule(b -> b.name("every-minute").scheduleExpression("rate(1 minute)")).ruleArn();
    events().putTargets(b -> b.rule("every-minute").targets(Target.builder().id("q").arn(queueArn(ticks)).build()));
    // A scheduled event goes to the rule's targets only, not through the bus's patterns.
    // Scheduled Events only: the default bus also carries the CloudTrail events of these calls (source aws.events).
    events().putRule(b -> b.name("catch-scheduled").eventPattern(
        "{\"source\":[\"aws.events\"],\"detail-type\":[\"Scheduled Event\"]}"));
    events().putTargets(b -> b.rule("catch-scheduled").targets(Target.builder().id("q").arn(queueArn(matched)).build()));
    assertThat(receiveFor(ticks, Duration.ofMillis(500))).isEmpty();

    Instant first = start.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    server.clock().advance(Duration.ofMinutes(1));
    JsonObject event = new JsonObject(receive(ticks, 1).get(0).body());
    assertThat(event.fieldNames()).containsExactly("version", "id", "detail-type", "source", "account", "time", "region",
        "resources", "detail");
    assertThat(event.getString("version")).isEqualTo("0");
    assertThat(event.getString("id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(event.getString("detail-type")).isEqualTo("Scheduled Event");
    assertThat(event.getString("source")).isEqualTo("aws.events");
    assertThat(event.getString("account")).isEqualTo("000000000000");
    assertThat(event.getString("time")).isEqualTo(first.toString());
    assertThat(event.getString("region")).isEqualTo("us-east-1");
    assertThat(event.getJsonArray("resources").getList()).containsExactly(arn);
    assertThat(arn).isEqualTo("arn:aws:events:us-east-1:000000000000:rule/every-minute");
    assertThat(event.getJsonObject("detail")).isEqualTo(new JsonObject());

    // Two minutes at once: both ticks fire, each its own event with its own time.
    server.clock().advance(Duration.ofMinutes(2));
    List<String> times = receive(ticks, 2).stream().map(m -> new JsonObject(m.body()).getString("time")).sorted().toList();
    assertThat(times).containsExactly(first.plus(Duration.ofMinutes(1)).toString(), first.plus(Duration.ofMinutes(2)).toString());
    assertThat(receiveFor(ticks, Duration.ofMillis(500))).isEmpty();
    assertThat(receiveFor(matched, Duration.ofMillis(200))).isEmpty();
  }

  @Test
  void aCronRuleFiresAtItsMinuteWithItsTargetsInput() {
    String queue = sqs().createQueue(b -> b.queueName("cron-ticks")).queueUrl();
    Instant now = server.clock().instant();
    // Minute 15 of every hour: the next one after now.
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    Instant tick = hour.plus(Duration.ofMinutes(15));
    if (!tick.isAfter(now)) tick = tick.plus(Duration.ofHours(1));
    events().putRule(b -> b.name("quarter-past").scheduleExpression("cron(15 * * * ? *)"));
    events().putTargets(b -> b.rule("quarter-past").targets(
        Target.builder().id("whole").arn(queueArn(queue)).build(),
        Target.builder().id("custom").arn(queueArn(queue)).input("{\"custom-value\": \"somecustominput\"}").build()));

    server.clock().advance(Duration.between(now, tick).minusSeconds(1));
    assertThat(receiveFor(queue, Duration.ofMillis(500))).isEmpty();
    server.clock().advance(Duration.ofSeconds(1));
    List<String> bodies = receive(queue, 2).stream().map(Message::body).toList();
    JsonObject whole = new JsonObject(bodies.stream().filter(s -> s.contains("Scheduled Event")).findFirst().orElseThrow());
    assertThat(whole.getString("time")).isEqualTo(tick.toString());
    assertThat(whole.getJsonArray("resources").getList()).containsExactly("arn:aws:events:us-east-1:000000000000:rule/quarter-past");
    assertThat(bodies).contains("{\"custom-value\": \"somecustominput\"}");
    // The next firing is an hour later.
    server.clock().advance(Duration.ofMinutes(59));
    assertThat(receiveFor(queue, Duration.ofMillis(500))).isEmpty();
  }

  @Test
  void aDisabledRuleDoesNotFireAndEnablingRestartsItsRate() {
    String queue = sqs().createQueue(b -> b.queueName("paused-ticks")).queueUrl();
    events().putRule(b -> b.name("paused").scheduleExpression("rate(5 minutes)").state("DISABLED"));
    events().putTargets(b -> b.rule("paused").targets(Target.builder().id("q").arn(queueArn(queue)).build()));
    server.clock().advance(Duration.ofMinutes(11));
    assertThat(receiveFor(queue, Duration.ofMillis(700))).isEmpty();

    server.clock().advance(Duration.ofSeconds(20));
    Instant enabled = server.clock().instant();
    events().enableRule(b -> b.name("paused"));
    Instant first = enabled.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(5));
    server.clock().advance(Duration.between(enabled, first).minusSeconds(1));
    assertThat(receiveFor(queue, Duration.ofMillis(500))).isEmpty();
    server.clock().advance(Duration.ofSeconds(1));
    assertThat(new JsonObject(receive(queue, 1).get(0).body()).getString("time")).isEqualTo(first.toString());

    events().disableRule(b -> b.name("paused"));
    server.clock().advance(Duration.ofMinutes(10));
    assertThat(receiveFor(queue, Duration.ofMillis(700))).isEmpty();
  }

  @Test
  void aRuleThatLosesItsScheduleOrIsDeletedStopsFiring() {
    String queue = sqs().createQueue(b -> b.queueName("stopped-ticks")).queueUrl();
    String pattern = "{\"source\":[\"shop\"]}";
    // PutRule replaces the rule: without a ScheduleExpression it no longer fires.
    events().putRule(b -> b.name("replaced").scheduleExpression("rate(1 minute)"));
    events().putTargets(b -> b.rule("replaced").targets(Target.builder().id("q").arn(queueArn(queue)).build()));
    events().putRule(b -> b.name("replaced").eventPattern(pattern));
    // A deleted rule's schedule goes with it, also when a rule of the same name comes back with targets.
    events().putRule(b -> b.name("going").scheduleExpression("rate(1 minute)"));
    events().deleteRule(b -> b.name("going"));
    events().putRule(b -> b.name("going").eventPattern(pattern));
    events().putTargets(b -> b.rule("going").targets(Target.builder().id("q").arn(queueArn(queue)).build()));
    server.clock().advance(Duration.ofMinutes(3));
    assertThat(receiveFor(queue, Duration.ofMillis(700))).isEmpty();
  }

  String queueArn(String url) {
    return sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
  }

  List<Message> receive(String url, int expected) {
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      got.addAll(take(url));
      return got.size() >= expected;
    });
    assertThat(got).hasSize(expected);
    return got;
  }

  /** Whatever arrives within {@code wait}. */
  List<Message> receiveFor(String url, Duration wait) {
    List<Message> got = new ArrayList<>();
    long until = System.nanoTime() + wait.toNanos();
    do {
      got.addAll(take(url));
    } while (System.nanoTime() < until);
    return got;
  }

  private List<Message> take(String url) {
    List<Message> out = new ArrayList<>();
    for (Message m : sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
      out.add(m);
      sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
    }
    return out;
  }
}
