package io.eventplane.cloudwatch.api;

import io.eventplane.cloudwatch.alarm.AlarmEvaluator;
import io.eventplane.cloudwatch.alarm.AlarmNotification;
import io.eventplane.cloudwatch.alarm.AlarmState;
import io.eventplane.cloudwatch.alarm.MetricAlarm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;

/**
 * Alarms and their history as CloudWatch's answers show them: DescribeAlarms' MetricAlarm members
 * (timestamps in epoch seconds, as the JSON protocol carries them) and DescribeAlarmHistory's items
 * (StateUpdate, ConfigurationUpdate, Action), their HistoryData a JSON string; and what the actions
 * send: an SNS notification, a Lambda function's event.
 */
final class AlarmViews {
  private AlarmViews() {}

  /** A MetricAlarm of DescribeAlarms; members AWS leaves out when unset (DatapointsToAlarm, TreatMissingData among them) are left out. */
  static JsonObject metricAlarm(MetricAlarm a) {
    JsonObject o = new JsonObject().put("AlarmName", a.name()).put("AlarmArn", a.arn());
    if (a.description() != null) o.put("AlarmDescription", a.description());
    o.put("AlarmConfigurationUpdatedTimestamp", seconds(a.configurationUpdated()))
        .put("ActionsEnabled", a.actionsEnabled())
        .put("OKActions", new JsonArray(new ArrayList<>(a.okActions())))
        .put("AlarmActions", new JsonArray(new ArrayList<>(a.alarmActions())))
        .put("InsufficientDataActions", new JsonArray(new ArrayList<>(a.insufficientDataActions())))
        .put("StateValue", a.state().name()).put("StateReason", a.stateReason());
    if (a.stateReasonData() != null) o.put("StateReasonData", a.stateReasonData().encode());
    o.put("StateUpdatedTimestamp", seconds(a.stateUpdated()))
        .put("MetricName", a.metricName()).put("Namespace", a.namespace());
    if (a.statistic() != null) o.put("Statistic", a.statistic());
    if (a.extendedStatistic() != null) o.put("ExtendedStatistic", a.extendedStatistic());
    JsonArray dims = new JsonArray();
    for (MetricAlarm.Dimension d : a.dimensions()) dims.add(new JsonObject().put("Name", d.name()).put("Value", d.value()));
    o.put("Dimensions", dims).put("Period", a.rule().periodSeconds());
    if (a.unit() != null) o.put("Unit", a.unit());
    o.put("EvaluationPeriods", a.rule().evaluationPeriods());
    if (!a.defaulted("DatapointsToAlarm")) o.put("DatapointsToAlarm", a.rule().datapointsToAlarm());
    o.put("Threshold", a.rule().threshold()).put("ComparisonOperator", a.rule().comparison().name());
    if (!a.defaulted("TreatMissingData")) o.put("TreatMissingData", a.rule().treatMissingData().wireName());
    return o.put("StateTransitionedTimestamp", seconds(a.stateUpdated()));
  }

  /** A StateUpdate history item: "Alarm updated from OK to ALARM". */
  static JsonObject stateUpdate(MetricAlarm before, MetricAlarm after) {
    JsonObject oldState = new JsonObject().put("stateValue", before.state().name()).put("stateReason", before.stateReason());
    if (before.stateReasonData() != null) oldState.put("stateReasonData", before.stateReasonData());
    JsonObject newState = new JsonObject().put("stateValue", after.state().name()).put("stateReason", after.stateReason());
    if (after.stateReasonData() != null) newState.put("stateReasonData", after.stateReasonData());
    JsonObject data = new JsonObject().put("version", "1.0").put("oldState", oldState).put("newState", newState);
    return item(after.name(), after.stateUpdated(), "StateUpdate",
        "Alarm updated from " + before.state().name() + " to " + after.state().name(), data);
  }

  /** A ConfigurationUpdate history item: the alarm created, updated or deleted. */
  static JsonObject configurationUpdate(MetricAlarm before, MetricAlarm after, Instant at) {
    JsonObject data = new JsonObject().put("version", "1.0");
    String summary;
    if (before == null) {
      data.put("type", "Create").put("createdAlarm", configuration(after));
      summary = "Alarm \"" + after.name() + "\" created";
    } else {
      data.put("type", "Update").put("updatedAlarm", configuration(after)).put("originalAlarm", configuration(before));
      summary = "Alarm \"" + after.name() + "\" updated";
    }
    return item(after.name(), at, "ConfigurationUpdate", summary, data);
  }

  /** An Action history item: an action run, or failed for good. */
  static JsonObject action(String alarmName, Instant at, String arn, boolean succeeded, String failure, String message) {
    JsonObject data = new JsonObject().put("actionState", succeeded ? "Succeeded" : "Failed")
        .put("notificationResource", arn).put("stateUpdateTimestamp", at.toEpochMilli());
    if (succeeded) data.put("publishedMessage", message);
    else data.put("error", failure);
    return item(alarmName, at, "Action",
        (succeeded ? "Successfully executed action " : "Failed to execute action ") + arn, data);
  }

  private static JsonObject item(String alarmName, Instant at, String type, String summary, JsonObject data) {
    return new JsonObject().put("AlarmName", alarmName).put("AlarmType", "MetricAlarm").put("Timestamp", seconds(at))
        .put("HistoryItemType", type).put("HistorySummary", summary).put("HistoryData", data.encode());
  }

  /** An alarm's configuration as history data names it (camel case, as CloudWatch writes it). */
  private static JsonObject configuration(MetricAlarm a) {
    JsonObject view = metricAlarm(a);
    JsonObject out = new JsonObject();
    for (String field : view.fieldNames()) {
      if (field.startsWith("State")) continue;
      out.put(Character.toLowerCase(field.charAt(0)) + field.substring(1), view.getValue(field));
    }
    return out;
  }

  /** The SNS Subject and Message of a state change. */
  static JsonObject notification(MetricAlarm after, AlarmState oldState) {
    return new JsonObject().put("Subject", AlarmNotification.subject(after))
        .put("Message", AlarmNotification.message(after, oldState, after.stateUpdated()).encode());
  }

  /**
   * The event a Lambda function named in an alarm's actions gets ("Invoking a Lambda function from an
   * alarm"): {@code source} {@code aws.cloudwatch}, the alarm, and {@code alarmData} with the new and
   * the previous state and the alarm's configuration (its metric as a {@code metricStat} query).
   */
  static JsonObject lambdaEvent(MetricAlarm before, MetricAlarm after) {
    JsonObject dims = new JsonObject();
    for (MetricAlarm.Dimension d : after.dimensions()) dims.put(d.name(), d.value());
    JsonObject metricStat = new JsonObject()
        .put("metric", new JsonObject().put("namespace", after.namespace()).put("name", after.metricName()).put("dimensions", dims))
        .put("period", after.rule().periodSeconds()).put("stat", after.rule().statistic());
    if (after.unit() != null) metricStat.put("unit", after.unit());
    JsonObject configuration = new JsonObject();
    if (after.description() != null) configuration.put("description", after.description());
    configuration.put("metrics", new JsonArray().add(new JsonObject().put("id", Long.toHexString(Alarms.id(after)))
        .put("metricStat", metricStat).put("returnData", true)));
    return new JsonObject().put("source", "aws.cloudwatch").put("alarmArn", after.arn()).put("accountId", after.account())
        .put("time", AlarmEvaluator.DATA_TIME.format(after.stateUpdated())).put("region", after.region())
        .put("alarmData", new JsonObject().put("alarmName", after.name()).put("state", lambdaState(after))
            .put("previousState", lambdaState(before)).put("configuration", configuration));
  }

  private static JsonObject lambdaState(MetricAlarm a) {
    JsonObject s = new JsonObject().put("value", a.state().name()).put("reason", a.stateReason());
    if (a.stateReasonData() != null) s.put("reasonData", a.stateReasonData().encode());
    return s.put("timestamp", AlarmEvaluator.DATA_TIME.format(a.stateUpdated()));
  }

  static Object seconds(Instant at) {
    return MetricStatistics.seconds(at.toEpochMilli());
  }
}
