package io.eventplane.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * EventBridge's rules and targets in {@code GET /metrics} (summed over the nodes: the bus's owner
 * serves them): events matched per rule, deliveries per target, and a target that fails (a queue
 * that is gone) with its event moved to the target's dead-letter queue.
 */
class EventBridgeMetricsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static Map<String, String> rule(String bus, String rule) {
    return Map.of("account", "000000000000", "region", "us-east-1", "bus", bus, "rule", rule);
  }

  private static Map<String, String> target(String bus, String rule, String target) {
    Map<String, String> labels = new HashMap<>(rule(bus, rule));
    labels.put("target", target);
    return labels;
  }

  private static String arn(SqsClient sqs, String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributesAsStrings()
        .get("QueueArn");
  }

  private static PutEventsRequestEntry event(String source) {
    return PutEventsRequestEntry.builder().source(source).detailType("t").detail("{}").build();
  }

  @Test
  void matchesDeliveriesFailuresAndDeadLetterMovesAreCountedPerRuleAndTarget() {
    EventBridgeClient events = server.eventBridge();
    SqsClient sqs = server.sqs();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String ok = sqs.createQueue(b -> b.queueName("metered-target-" + suffix)).queueUrl();
    String dlq = sqs.createQueue(b -> b.queueName("metered-target-dlq-" + suffix)).queueUrl();
    String ruleName = "metered-rule-" + suffix;
    events.putRule(b -> b.name(ruleName).eventPattern("{\"source\":[\"metered\"]}"));
    events.putTargets(b -> b.rule(ruleName).targets(
        Target.builder().id("ok").arn(arn(sqs, ok)).build(),
        Target.builder().id("gone").arn("arn:aws:sqs:us-east-1:000000000000:metered-gone-" + suffix)
            .deadLetterConfig(d -> d.arn(arn(sqs, dlq))).build()));
    String idle = "metered-idle-" + suffix;
    events.putRule(b -> b.name(idle).eventPattern("{\"source\":[\"nobody\"]}"));

    events.putEvents(b -> b.entries(event("metered"), event("metered"), event("other")));
    events.putEvents(b -> b.entries(event("metered")));

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      NodeScrapes scrapes = NodeScrapes.of(server);
      assertThat(scrapes.sum("eventplane_events_rule_matched_events_total", rule("default", ruleName))).isEqualTo(3);
      assertThat(scrapes.sum("eventplane_events_rule_matched_events_total", rule("default", idle))).isZero();
      Map<String, String> good = target("default", ruleName, "ok");
      Map<String, String> gone = target("default", ruleName, "gone");
      assertThat(scrapes.sum("eventplane_events_target_deliveries_total", good)).isEqualTo(3);
      assertThat(scrapes.sum("eventplane_events_target_delivery_failures_total", good)).isZero();
      assertThat(scrapes.sum("eventplane_events_target_deliveries_total", gone)).isZero();
      assertThat(scrapes.sum("eventplane_events_target_delivery_failures_total", gone)).isEqualTo(3);
      assertThat(scrapes.sum("eventplane_events_target_moved_to_dlq_total", gone)).isEqualTo(3);
      assertThat(scrapes.sum("eventplane_events_target_retries_pending", gone)).isZero();
      assertThat(scrapes.nodesWith("eventplane_events_target_retries_pending", good)).isEqualTo(1);
    });
    assertThat(sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "3");

    // A target removed loses its gauge; its counters stay.
    events.removeTargets(b -> b.rule(ruleName).ids("ok"));
    NodeScrapes after = NodeScrapes.of(server);
    assertThat(after.nodesWith("eventplane_events_target_retries_pending", target("default", ruleName, "ok"))).isZero();
    assertThat(after.nodesWith("eventplane_events_target_retries_pending", target("default", ruleName, "gone"))).isEqualTo(1);
    assertThat(after.sum("eventplane_events_target_deliveries_total", target("default", ruleName, "ok"))).isEqualTo(3);
  }
}
