package io.eventplane.server.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * "DLQ not empty -> alarm -> SNS" on the injected clock: an alarm on AWS/SQS
 * ApproximateNumberOfMessagesVisible of a dead-letter queue goes ALARM when a message is
 * dead-lettered and OK when the queue is purged, and each change reaches a queue subscribed to the
 * alarm's topic as CloudWatch's notification. Also SetAlarmState, disabled actions, and a Lambda function
 * as an action.
 */
class CloudWatchAlarmsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final CloudWatchClient cw = server.cloudWatch();

  private String arn(String url) {
    return server.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
  }

  /** A queue subscribed to a new topic; [topic ARN, queue URL]. */
  private String[] topicWithInbox(String name) {
    String topic = server.sns().createTopic(b -> b.name(name)).topicArn();
    String inbox = server.sqs().createQueue(b -> b.queueName(name + "-inbox")).queueUrl();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn(inbox)));
    return new String[] {topic, inbox};
  }

  private MetricAlarm alarm(String name) {
    List<MetricAlarm> found = cw.describeAlarms(b -> b.alarmNames(name)).metricAlarms();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  /** The SNS notifications that reached {@code inbox}, as their envelopes (deleted once read). */
  private List<JsonObject> notifications(String inbox, int count) {
    List<JsonObject> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      for (Message m : server.sqs().receiveMessage(b -> b.queueUrl(inbox).maxNumberOfMessages(10)).messages()) {
        got.add(new JsonObject(m.body()));
        server.sqs().deleteMessage(b -> b.queueUrl(inbox).receiptHandle(m.receiptHandle()));
      }
      return got.size() >= count;
    });
    return got;
  }

  /** Moves the clock a minute and waits until the DLQ's sample of that minute is stored with {@code visible}. */
  private void minuteWithVisible(String queue, double visible) {
    Instant from = server.clock().instant();
    server.advance(Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(cw.getMetricStatistics(b -> b.namespace("AWS/SQS")
        .metricName("ApproximateNumberOfMessagesVisible").dimensions(Dimension.builder().name("QueueName").value(queue).build())
        .startTime(from).endTime(server.clock().instant().plusSeconds(60)).period(60).statistics(Statistic.MAXIMUM))
        .datapoints()).anySatisfy(d -> assertThat(d.maximum()).isEqualTo(visible)));
  }

  @Test
  void aDeadLetteredMessageRaisesTheAlarmAndItsTopicTellsTheSubscribedQueue() {
    String dlq = server.sqs().createQueue(b -> b.queueName("orders-dlq")).queueUrl();
    String orders = server.sqs().createQueue(b -> b.queueName("orders").attributes(Map.of(
        QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + arn(dlq) + "\",\"maxReceiveCount\":\"1\"}",
        QueueAttributeName.VISIBILITY_TIMEOUT, "10"))).queueUrl();
    String[] ops = topicWithInbox("ops");
    cw.putMetricAlarm(b -> b.alarmName("dlq-not-empty").alarmDescription("orders are failing")
        .namespace("AWS/SQS").metricName("ApproximateNumberOfMessagesVisible")
        .dimensions(Dimension.builder().name("QueueName").value("orders-dlq").build())
        .statistic(Statistic.MAXIMUM).period(60).evaluationPeriods(1).datapointsToAlarm(1).threshold(1.0)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .alarmActions(ops[0]));
    MetricAlarm created = alarm("dlq-not-empty");
    assertThat(created.stateValue()).isEqualTo(StateValue.INSUFFICIENT_DATA);
    assertThat(created.stateReason()).isEqualTo("Unchecked: Initial alarm creation");
    assertThat(created.alarmArn()).isEqualTo("arn:aws:cloudwatch:us-east-1:000000000000:alarm:dlq-not-empty");
    assertThat(created.actionsEnabled()).isTrue();
    assertThat(created.alarmActions()).containsExactly(ops[0]);

    server.sqs().sendMessage(b -> b.queueUrl(orders).messageBody("poison"));
    assertThat(server.sqs().receiveMessage(b -> b.queueUrl(orders)).messages()).hasSize(1);
    server.advance(Duration.ofSeconds(11));
    assertThat(server.sqs().receiveMessage(b -> b.queueUrl(orders)).messages()).isEmpty();

    minuteWithVisible("orders-dlq", 1.0);
    server.advance(Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(20)).until(() -> alarm("dlq-not-empty").stateValue() == StateValue.ALARM);
    MetricAlarm raised = alarm("dlq-not-empty");
    assertThat(raised.stateReason()).startsWith("Threshold Crossed: 1 out of the last 1 datapoints [1.0 (");
    assertThat(new JsonObject(raised.stateReasonData()).getJsonArray("evaluatedDatapoints").getJsonObject(0).getDouble("value"))
        .isEqualTo(1.0);

    JsonObject envelope = notifications(ops[1], 1).get(0);
    assertThat(envelope.getString("Type")).isEqualTo("Notification");
    assertThat(envelope.getString("TopicArn")).isEqualTo(ops[0]);
    assertThat(envelope.getString("Subject")).isEqualTo("ALARM: \"dlq-not-empty\" in US East (N. Virginia)");
    JsonObject message = new JsonObject(envelope.getString("Message"));
    assertThat(message.getString("AlarmName")).isEqualTo("dlq-not-empty");
    assertThat(message.getString("AlarmDescription")).isEqualTo("orders are failing");
    assertThat(message.getString("AWSAccountId")).isEqualTo("000000000000");
    assertThat(message.getString("NewStateValue")).isEqualTo("ALARM");
    // Before the message was dead-lettered a sample may have shown the DLQ empty: then the alarm was OK a minute first.
    assertThat(message.getString("OldStateValue")).isIn("INSUFFICIENT_DATA", "OK");
    assertThat(message.getString("NewStateReason")).isEqualTo(raised.stateReason());
    assertThat(message.getString("Region")).isEqualTo("US East (N. Virginia)");
    assertThat(message.getString("AlarmArn")).isEqualTo(raised.alarmArn());
    JsonObject trigger = message.getJsonObject("Trigger");
    assertThat(trigger.getString("MetricName")).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(trigger.getString("Namespace")).isEqualTo("AWS/SQS");
    assertThat(trigger.getString("Statistic")).isEqualTo("MAXIMUM");
    assertThat(trigger.getJsonArray("Dimensions").getJsonObject(0).getString("value")).isEqualTo("orders-dlq");
    assertThat(trigger.getInteger("Period")).isEqualTo(60);
    assertThat(trigger.getString("ComparisonOperator")).isEqualTo("GreaterThanOrEqualToThreshold");

    // An update keeps the state: OK actions added now run when the alarm goes OK.
    cw.putMetricAlarm(b -> b.alarmName("dlq-not-empty").alarmDescription("orders are failing")
        .namespace("AWS/SQS").metricName("ApproximateNumberOfMessagesVisible")
        .dimensions(Dimension.builder().name("QueueName").value("orders-dlq").build())
        .statistic(Statistic.MAXIMUM).period(60).evaluationPeriods(1).datapointsToAlarm(1).threshold(1.0)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .alarmActions(ops[0]).okActions(ops[0]));
    assertThat(alarm("dlq-not-empty").stateValue()).isEqualTo(StateValue.ALARM);
    server.sqs().purgeQueue(b -> b.queueUrl(dlq));
    minuteWithVisible("orders-dlq", 0.0);
    server.advance(Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(20)).until(() -> alarm("dlq-not-empty").stateValue() == StateValue.OK);
    JsonObject ok = new JsonObject(notifications(ops[1], 1).get(0).getString("Message"));
    assertThat(ok.getString("NewStateValue")).isEqualTo("OK");
    assertThat(ok.getString("OldStateValue")).isEqualTo("ALARM");
    assertThat(alarm("dlq-not-empty").stateReason()).contains("was not greater than or equal to the threshold (1.0)");

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(cw.describeAlarmHistory(b -> b.alarmName("dlq-not-empty")
        .historyItemType(HistoryItemType.ACTION)).alarmHistoryItems()).hasSize(2));
    List<AlarmHistoryItem> states = cw.describeAlarmHistory(b -> b.alarmName("dlq-not-empty")
        .historyItemType(HistoryItemType.STATE_UPDATE)).alarmHistoryItems();
    assertThat(states.get(0).historySummary()).isEqualTo("Alarm updated from ALARM to OK");
    assertThat(states.get(1).historySummary()).isEqualTo("Alarm updated from " + message.getString("OldStateValue") + " to ALARM");
    JsonObject data = new JsonObject(states.get(1).historyData());
    assertThat(data.getJsonObject("oldState").getString("stateValue")).isEqualTo(message.getString("OldStateValue"));
    assertThat(data.getJsonObject("newState").getString("stateValue")).isEqualTo("ALARM");
    assertThat(data.getJsonObject("newState").getString("stateReason")).isEqualTo(raised.stateReason());
    assertThat(cw.describeAlarmHistory(b -> b.alarmName("dlq-not-empty").historyItemType(HistoryItemType.CONFIGURATION_UPDATE))
        .alarmHistoryItems()).extracting(AlarmHistoryItem::historySummary)
        .containsExactly("Alarm \"dlq-not-empty\" updated", "Alarm \"dlq-not-empty\" created");
  }

  @Test
  void setAlarmStateActsUntilTheNextEvaluationAndDisabledActionsStayQuiet() {
    String[] ops = topicWithInbox("pager");
    cw.putMetricAlarm(b -> b.alarmName("manual").namespace("Shop").metricName("Errors").statistic(Statistic.SUM)
        .period(60).evaluationPeriods(1).threshold(5.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
        .treatMissingData("notBreaching").alarmActions(ops[0]).okActions(ops[0]));
    cw.setAlarmState(b -> b.alarmName("manual").stateValue(StateValue.ALARM).stateReason("testing the pager")
        .stateReasonData("{\"by\":\"test\"}"));
    MetricAlarm set = alarm("manual");
    assertThat(set.stateValue()).isEqualTo(StateValue.ALARM);
    assertThat(set.stateReason()).isEqualTo("testing the pager");
    assertThat(set.stateReasonData()).isEqualTo("{\"by\":\"test\"}");
    JsonObject note = new JsonObject(notifications(ops[1], 1).get(0).getString("Message"));
    assertThat(note.getString("NewStateValue")).isEqualTo("ALARM");
    assertThat(note.getString("NewStateReason")).isEqualTo("testing the pager");

    // The next evaluation: no data, treated as not breaching: OK, notified.
    server.advance(Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(20)).until(() -> alarm("manual").stateValue() == StateValue.OK);
    assertThat(alarm("manual").stateReason()).isEqualTo("Threshold Crossed: no datapoints were received for 1 period and "
        + "1 missing datapoint was treated as [NonBreaching].");
    assertThat(new JsonObject(notifications(ops[1], 1).get(0).getString("Message")).getString("NewStateValue")).isEqualTo("OK");

    cw.disableAlarmActions(b -> b.alarmNames("manual"));
    assertThat(alarm("manual").actionsEnabled()).isFalse();
    cw.setAlarmState(b -> b.alarmName("manual").stateValue(StateValue.ALARM).stateReason("quiet"));
    assertThat(alarm("manual").stateValue()).isEqualTo(StateValue.ALARM);
    cw.enableAlarmActions(b -> b.alarmNames("manual"));
    cw.setAlarmState(b -> b.alarmName("manual").stateValue(StateValue.OK).stateReason("loud again"));
    List<JsonObject> after = notifications(ops[1], 1);
    assertThat(after).hasSize(1);
    assertThat(new JsonObject(after.get(0).getString("Message")).getString("NewStateReason")).isEqualTo("loud again");
  }

  @Test
  void aFunctionInTheActionsGetsTheAlarmsEvent() {
    String fn = io.eventplane.server.lambda.Functions.create(server.lambda(), "on-alarm",
        "io.eventplane.examples.AlarmResponder::handleRequest").functionArn();
    cw.putMetricAlarm(b -> b.alarmName("calls-function").namespace("Shop").metricName("Errors").statistic(Statistic.SUM)
        .period(60).evaluationPeriods(1).threshold(5.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
        .alarmActions(fn));
    assertThat(alarm("calls-function").alarmActions()).containsExactly(fn);
    cw.setAlarmState(b -> b.alarmName("calls-function").stateValue(StateValue.ALARM).stateReason("paging the function"));
    String expected = "ALARM calls-function from INSUFFICIENT_DATA: paging the function (aws.cloudwatch "
        + "arn:aws:cloudwatch:us-east-1:000000000000:alarm:calls-function)";
    await().atMost(Duration.ofSeconds(30)).until(() -> functionLog("on-alarm").contains(expected));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(cw.describeAlarmHistory(b -> b.alarmName("calls-function")
        .historyItemType(HistoryItemType.ACTION)).alarmHistoryItems()).extracting(AlarmHistoryItem::historySummary)
        .containsExactly("Successfully executed action " + fn));
  }

  private String functionLog(String function) {
    StringBuilder all = new StringBuilder();
    try {
      server.logs().filterLogEventsPaginator(b -> b.logGroupName("/aws/lambda/" + function)).events()
          .forEach(e -> all.append(e.message()).append('\n'));
    } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException noLogsYet) {
      return "";
    }
    return all.toString();
  }
}
