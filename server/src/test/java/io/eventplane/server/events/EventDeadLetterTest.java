package io.eventplane.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A target that is gone sends the event to the target's dead-letter queue at once, without
 * retries, with the attributes EventBridge's user guide lists (RULE_ARN, TARGET_ARN, ERROR_CODE,
 * ERROR_MESSAGE). Retries by RetryPolicy on the clock are in the eventbridge module's RetriesTest.
 */
class EventDeadLetterTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  private SqsClient sqs() {
    return server.sqs();
  }

  @Test
  void aDeletedQueueSendsTheEventToTheDeadLetterQueueAtOnce() {
    String gone = sqs().createQueue(b -> b.queueName("gone")).queueUrl();
    String goneArn = queueArn(gone);
    sqs().deleteQueue(b -> b.queueUrl(gone));
    String dlq = sqs().createQueue(b -> b.queueName("dead-letters")).queueUrl();
    String ruleArn = events().putRule(b -> b.name("to-gone").eventPattern("{\"source\":[\"dl\"]}")).ruleArn();
    events().putTargets(b -> b.rule("to-gone").targets(Target.builder().id("gone").arn(goneArn)
        .deadLetterConfig(d -> d.arn(queueArn(dlq))).build()));
    String id = events().putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("dl").detailType("t").detail("{}")
        .build())).entries().get(0).eventId();

    Message m = receive(dlq, 1).get(0);
    assertThat(new JsonObject(m.body()).getString("id")).isEqualTo(id);
    Map<String, MessageAttributeValue> attrs = m.messageAttributes();
    assertThat(attrs.get("RULE_ARN").stringValue()).isEqualTo(ruleArn);
    assertThat(attrs.get("TARGET_ARN").stringValue()).isEqualTo(goneArn);
    assertThat(attrs.get("ERROR_CODE").stringValue()).isEqualTo("NO_RESOURCE");
    assertThat(attrs.get("ERROR_MESSAGE").stringValue()).isNotBlank();
    assertThat(attrs).doesNotContainKeys("EXHAUSTED_RETRY_CONDITION", "RETRY_ATTEMPTS");
  }

  @Test
  void aFunctionThatDoesNotExistSendsTheEventToTheDeadLetterQueueAtOnce() {
    String dlq = sqs().createQueue(b -> b.queueName("lambda-dead-letters")).queueUrl();
    String function = "arn:aws:lambda:us-east-1:000000000000:function:not-there";
    events().putRule(b -> b.name("to-function").eventPattern("{\"source\":[\"fn\"]}"));
    events().putTargets(b -> b.rule("to-function").targets(Target.builder().id("fn").arn(function)
        .deadLetterConfig(d -> d.arn(queueArn(dlq))).build()));
    events().putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("fn").detailType("t").detail("{}").build()));
    Message m = receive(dlq, 1).get(0);
    assertThat(m.messageAttributes().get("TARGET_ARN").stringValue()).isEqualTo(function);
    assertThat(m.messageAttributes().get("ERROR_CODE").stringValue()).isEqualTo("NO_RESOURCE");
  }

  String queueArn(String url) {
    return EventQueues.queueArn(sqs(), url);
  }

  List<Message> receive(String url, int expected) {
    return EventQueues.receive(sqs(), url, expected);
  }
}
