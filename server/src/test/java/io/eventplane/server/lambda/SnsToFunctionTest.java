package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/** Topics deliver to functions as SNS does: an Event invocation with the SNS event; the function's retries and DLQ follow. */
class SnsToFunctionTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  @Test
  void notificationsInvokeTheFunctionAndFailuresEndInItsDeadLetterQueue() throws Exception {
    String dlq = server.sqs().createQueue(b -> b.queueName("notifier-dlq")).queueUrl();
    String function = Functions.create(server.lambda(), "notifier", "io.eventplane.examples.SnsNotifier::handleRequest")
        .functionArn();
    server.lambda().updateFunctionConfiguration(b -> b.functionName("notifier")
        .deadLetterConfig(d -> d.targetArn("arn:aws:sqs:us-east-1:000000000000:notifier-dlq")));
    String topic = server.sns().createTopic(b -> b.name("alerts")).topicArn();
    String subscription = server.sns().subscribe(b -> b.topicArn(topic).protocol("lambda").endpoint(function)
        .returnSubscriptionArn(true)).subscriptionArn();
    assertThat(server.sns().getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes())
        .containsEntry("PendingConfirmation", "false");

    String ok = server.sns().publish(b -> b.topicArn(topic).subject("disk").message("disk almost full")
        .messageAttributes(Map.of("severity", MessageAttributeValue.builder().dataType("String").stringValue("high").build())))
        .messageId();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Functions.logText(server, "notifier")).contains("NOTIFY " + topic + " " + ok + " subject=disk message=disk almost full"));

    String bad = server.sns().publish(b -> b.topicArn(topic).message("fail")).messageId();
    List<Message> dead = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      dead.addAll(server.sqs().receiveMessage(b -> b.queueUrl(dlq).messageAttributeNames("All").waitTimeSeconds(1)).messages());
      return !dead.isEmpty();
    });
    JsonObject event = new JsonObject(dead.get(0).body());
    JsonObject record = event.getJsonArray("Records").getJsonObject(0);
    assertThat(record.getString("EventSource")).isEqualTo("aws:sns");
    assertThat(record.getString("EventVersion")).isEqualTo("1.0");
    assertThat(record.getString("EventSubscriptionArn")).isEqualTo(subscription);
    JsonObject sns = record.getJsonObject("Sns");
    assertThat(sns.getString("MessageId")).isEqualTo(bad);
    assertThat(sns.getString("Message")).isEqualTo("fail");
    assertThat(sns.getString("Type")).isEqualTo("Notification");
    assertThat(sns.getString("TopicArn")).isEqualTo(topic);
    assertThat(sns.getString("SigningCertUrl")).contains("/_eventplane/sns/");
    assertThat(sns.getString("UnsubscribeUrl")).contains("Action=Unsubscribe");
    assertThat(sns.getJsonObject("MessageAttributes")).isNotNull();
    assertThat(dead.get(0).messageAttributes().get("ErrorMessage").stringValue()).contains("cannot notify: " + bad);
    // The first attempt and the function's two retries.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String log = Functions.logText(server, "notifier");
      assertThat(log.split("NOTIFY " + topic + " " + bad, -1).length - 1).isEqualTo(3);
    });
    assertThat(Functions.logText(server, "notifier").split("NOTIFY " + topic + " " + ok, -1).length - 1).isEqualTo(1);
  }

  @Test
  void lambdaEndpointsMustBeFunctionArns() {
    String topic = server.sns().createTopic(b -> b.name("bad-endpoints")).topicArn();
    assertThatThrownBy(() -> server.sns().subscribe(b -> b.topicArn(topic).protocol("lambda").endpoint("my-function")))
        .isInstanceOf(InvalidParameterException.class);
  }
}
