package io.eventplane.cloudwatch.alarm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;

/**
 * What CloudWatch publishes to an SNS topic named in an alarm's actions when the alarm changes state:
 * the subject {@code ALARM: "name" in US East (N. Virginia)} and the JSON message with the alarm, the
 * old and new state, the reason and the trigger (the metric and rule), as AWS writes it.
 */
public final class AlarmNotification {
  /** The display names CloudWatch uses for regions in notifications. */
  private static final Map<String, String> REGION_NAMES = Map.ofEntries(
      Map.entry("us-east-1", "US East (N. Virginia)"), Map.entry("us-east-2", "US East (Ohio)"),
      Map.entry("us-west-1", "US West (N. California)"), Map.entry("us-west-2", "US West (Oregon)"),
      Map.entry("ca-central-1", "Canada (Central)"), Map.entry("sa-east-1", "South America (Sao Paulo)"),
      Map.entry("eu-west-1", "EU (Ireland)"), Map.entry("eu-west-2", "EU (London)"),
      Map.entry("eu-west-3", "EU (Paris)"), Map.entry("eu-central-1", "EU (Frankfurt)"),
      Map.entry("eu-north-1", "EU (Stockholm)"), Map.entry("eu-south-1", "EU (Milan)"),
      Map.entry("ap-south-1", "Asia Pacific (Mumbai)"), Map.entry("ap-northeast-1", "Asia Pacific (Tokyo)"),
      Map.entry("ap-northeast-2", "Asia Pacific (Seoul)"), Map.entry("ap-northeast-3", "Asia Pacific (Osaka)"),
      Map.entry("ap-southeast-1", "Asia Pacific (Singapore)"), Map.entry("ap-southeast-2", "Asia Pacific (Sydney)"),
      Map.entry("ap-east-1", "Asia Pacific (Hong Kong)"), Map.entry("me-south-1", "Middle East (Bahrain)"),
      Map.entry("af-south-1", "Africa (Cape Town)"));

  private AlarmNotification() {}

  public static String regionName(String region) {
    return REGION_NAMES.getOrDefault(region, region);
  }

  /** SNS refuses a Subject of more than 100 characters, or with any outside printable ASCII. */
  static final int MAX_SUBJECT = 100;

  /**
   * The SNS Subject: {@code ALARM: "name" in US East (N. Virginia)}, made one SNS takes: characters
   * outside printable ASCII become {@code ?} and a name too long for 100 characters is cut, ending
   * in {@code ...} (else Publish would refuse the notification of any alarm whose name is longer than
   * about 60 characters).
   */
  public static String subject(MetricAlarm alarm) {
    String head = alarm.state().name() + ": \"";
    String tail = "\" in " + regionName(alarm.region());
    StringBuilder name = new StringBuilder(alarm.name().length());
    alarm.name().codePoints().forEach(c -> name.append(c >= 0x20 && c < 0x7F ? (char) c : '?'));
    int room = MAX_SUBJECT - head.length() - tail.length();
    if (name.length() > room) {
      name.setLength(Math.max(0, room - 3));
      name.append("...");
    }
    return head + name + tail;
  }

  /** The SNS Message for {@code alarm}, now in its new state, having left {@code oldState} at {@code changedAt}. */
  public static JsonObject message(MetricAlarm alarm, AlarmState oldState, Instant changedAt) {
    JsonArray dims = new JsonArray();
    for (MetricAlarm.Dimension d : alarm.dimensions()) {
      dims.add(new JsonObject().put("value", d.value()).put("name", d.name()));
    }
    JsonObject trigger = new JsonObject().put("MetricName", alarm.metricName()).put("Namespace", alarm.namespace());
    if (alarm.extendedStatistic() != null) {
      trigger.put("StatisticType", "ExtendedStatistic").put("ExtendedStatistic", alarm.extendedStatistic());
    } else {
      trigger.put("StatisticType", "Statistic").put("Statistic", alarm.statistic().toUpperCase(Locale.ROOT));
    }
    AlarmRule rule = alarm.rule();
    trigger.put("Unit", alarm.unit()).put("Dimensions", dims).put("Period", rule.periodSeconds())
        .put("EvaluationPeriods", rule.evaluationPeriods()).put("DatapointsToAlarm", rule.datapointsToAlarm())
        .put("ComparisonOperator", rule.comparison().name()).put("Threshold", rule.threshold())
        .put("TreatMissingData", rule.treatMissingData().wireName()).put("EvaluateLowSampleCountPercentile", "");
    return new JsonObject()
        .put("AlarmName", alarm.name())
        .put("AlarmDescription", alarm.description())
        .put("AWSAccountId", alarm.account())
        .put("AlarmConfigurationUpdatedTimestamp", AlarmEvaluator.DATA_TIME.format(alarm.configurationUpdated()))
        .put("NewStateValue", alarm.state().name())
        .put("NewStateReason", alarm.stateReason())
        .put("StateChangeTime", AlarmEvaluator.DATA_TIME.format(changedAt))
        .put("Region", regionName(alarm.region()))
        .put("AlarmArn", alarm.arn())
        .put("OldStateValue", oldState.name())
        .put("OKActions", new JsonArray(new ArrayList<>(alarm.okActions())))
        .put("AlarmActions", new JsonArray(new ArrayList<>(alarm.alarmActions())))
        .put("InsufficientDataActions", new JsonArray(new ArrayList<>(alarm.insufficientDataActions())))
        .put("Trigger", trigger);
  }
}
