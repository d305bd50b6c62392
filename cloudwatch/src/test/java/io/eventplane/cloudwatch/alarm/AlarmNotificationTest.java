package io.eventplane.cloudwatch.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SNS notification of a state change, and the stored form of an alarm. */
class AlarmNotificationTest {
  private static final Instant CREATED = Instant.parse("2026-12-06T02:00:00Z");
  private static final Instant CHANGED = Instant.parse("2026-12-06T02:03:00.250Z");

  @Test
  void aStateChangeReadsAsCloudWatchWritesIt() {
    MetricAlarm alarm = dlqNotEmpty().withState(AlarmState.ALARM, "Threshold Crossed: ...", new JsonObject(), CHANGED);
    assertThat(AlarmNotification.subject(alarm)).isEqualTo("ALARM: \"dlq-not-empty\" in US East (N. Virginia)");
    JsonObject m = AlarmNotification.message(alarm, AlarmState.INSUFFICIENT_DATA, CHANGED);
    assertThat(m.fieldNames()).containsExactly("AlarmName", "AlarmDescription", "AWSAccountId",
        "AlarmConfigurationUpdatedTimestamp", "NewStateValue", "NewStateReason", "StateChangeTime", "Region",
        "AlarmArn", "OldStateValue", "OKActions", "AlarmActions", "InsufficientDataActions", "Trigger");
    assertThat(m.getString("AlarmArn")).isEqualTo("arn:aws:cloudwatch:us-east-1:000000000000:alarm:dlq-not-empty");
    assertThat(m.getString("StateChangeTime")).isEqualTo("2026-12-06T02:03:00.250+0000");
    assertThat(m.getString("AlarmConfigurationUpdatedTimestamp")).isEqualTo("2026-12-06T02:00:00.000+0000");
    assertThat(m.getValue("AlarmDescription")).isNull();
    assertThat(m.containsKey("AlarmDescription")).isTrue();
    assertThat(m.getString("OldStateValue")).isEqualTo("INSUFFICIENT_DATA");
    JsonObject trigger = m.getJsonObject("Trigger");
    assertThat(trigger.getString("Statistic")).isEqualTo("MAXIMUM");
    assertThat(trigger.getString("StatisticType")).isEqualTo("Statistic");
    assertThat(trigger.getJsonArray("Dimensions").getJsonObject(0).encode())
        .isEqualTo("{\"value\":\"orders-dlq\",\"name\":\"QueueName\"}");
    assertThat(trigger.getDouble("Threshold")).isEqualTo(1.0);
    assertThat(trigger.getString("TreatMissingData")).isEqualTo("missing");
  }

  @Test
  void aSubjectFitsWhatSnsTakes() {
    MetricAlarm alarm = dlqNotEmpty();
    MetricAlarm longName = new MetricAlarm(alarm.account(), alarm.region(), "orders-" + "x".repeat(200) + "-\u00e9t\u00e9", null, true,
        List.of(), List.of(), List.of(), alarm.namespace(), alarm.metricName(), alarm.dimensions(), alarm.statistic(), null, null,
        alarm.rule(), CREATED, AlarmState.ALARM, "r", null, CREATED);
    String subject = AlarmNotification.subject(longName);
    assertThat(subject).hasSize(100).startsWith("ALARM: \"orders-xxx").endsWith("...\" in US East (N. Virginia)");
    MetricAlarm accented = new MetricAlarm(alarm.account(), alarm.region(), "d\u00e9p\u00f4t", null, true, List.of(), List.of(),
        List.of(), alarm.namespace(), alarm.metricName(), alarm.dimensions(), alarm.statistic(), null, null, alarm.rule(), CREATED,
        AlarmState.OK, "r", null, CREATED);
    assertThat(AlarmNotification.subject(accented)).isEqualTo("OK: \"d?p?t\" in US East (N. Virginia)");
  }

  @Test
  void anUnknownRegionIsNamedByItsCode() {
    assertThat(AlarmNotification.regionName("xx-home-1")).isEqualTo("xx-home-1");
    assertThat(AlarmNotification.regionName("eu-west-1")).isEqualTo("EU (Ireland)");
  }

  @Test
  void anAlarmSurvivesItsStoredForm() {
    MetricAlarm alarm = dlqNotEmpty();
    assertThat(MetricAlarm.fromJson(new JsonObject(alarm.toJson().encode()))).isEqualTo(alarm);
  }

  private static MetricAlarm dlqNotEmpty() {
    AlarmRule rule = new AlarmRule(ComparisonOperator.GreaterThanOrEqualToThreshold, 1.0, 1, 1,
        TreatMissingData.MISSING, 60, "Maximum");
    return new MetricAlarm("000000000000", "us-east-1", "dlq-not-empty", null, true, List.of(),
        List.of("arn:aws:sns:us-east-1:000000000000:ops"), List.of(), "AWS/SQS", "ApproximateNumberOfMessagesVisible",
        List.of(new MetricAlarm.Dimension("QueueName", "orders-dlq")), "Maximum", null, null, rule, CREATED,
        AlarmState.INSUFFICIENT_DATA, "Unchecked: Initial alarm creation", null, CREATED);
  }
}
