package io.eventplane.cloudwatch.alarm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A metric alarm as PutMetricAlarm defines it and its current state: the metric it watches (namespace,
 * name, dimensions in the order given), the statistic (Statistic such as Maximum, or an
 * ExtendedStatistic such as p90), the rule, the actions for each state, and which optional members were
 * left to their defaults (DescribeAlarms leaves those out). Stored as JSON
 * ({@link #toJson()}) in the alarm's partition.
 */
public record MetricAlarm(
    String account,
    String region,
    String name,
    String description,
    boolean actionsEnabled,
    List<String> okActions,
    List<String> alarmActions,
    List<String> insufficientDataActions,
    String namespace,
    String metricName,
    List<Dimension> dimensions,
    String statistic,
    String extendedStatistic,
    String unit,
    AlarmRule rule,
    Instant configurationUpdated,
    AlarmState state,
    String stateReason,
    JsonObject stateReasonData,
    Instant stateUpdated,
    List<String> defaulted) {

  public MetricAlarm {
    defaulted = List.copyOf(defaulted);
  }

  /** An alarm whose optional members were all given. */
  public MetricAlarm(String account, String region, String name, String description, boolean actionsEnabled,
      List<String> okActions, List<String> alarmActions, List<String> insufficientDataActions, String namespace,
      String metricName, List<Dimension> dimensions, String statistic, String extendedStatistic, String unit, AlarmRule rule,
      Instant configurationUpdated, AlarmState state, String stateReason, JsonObject stateReasonData, Instant stateUpdated) {
    this(account, region, name, description, actionsEnabled, okActions, alarmActions, insufficientDataActions, namespace,
        metricName, dimensions, statistic, extendedStatistic, unit, rule, configurationUpdated, state, stateReason,
        stateReasonData, stateUpdated, List.of());
  }

  /** Whether PutMetricAlarm left {@code member} (DatapointsToAlarm, TreatMissingData) to its default: AWS then does not show it. */
  public boolean defaulted(String member) {
    return defaulted.contains(member);
  }

  /** A name/value pair of the watched metric. */
  public record Dimension(String name, String value) {}

  public String arn() {
    return "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + name;
  }

  /** The alarm in a new state, changed at {@code at}. */
  public MetricAlarm withState(AlarmState newState, String reason, JsonObject reasonData, Instant at) {
    return new MetricAlarm(account, region, name, description, actionsEnabled, okActions, alarmActions,
        insufficientDataActions, namespace, metricName, dimensions, statistic, extendedStatistic, unit, rule,
        configurationUpdated, newState, reason, reasonData, at, defaulted);
  }

  /** The alarm with its actions enabled or disabled (EnableAlarmActions, DisableAlarmActions). */
  public MetricAlarm withActionsEnabled(boolean enabled) {
    return new MetricAlarm(account, region, name, description, enabled, okActions, alarmActions,
        insufficientDataActions, namespace, metricName, dimensions, statistic, extendedStatistic, unit, rule,
        configurationUpdated, state, stateReason, stateReasonData, stateUpdated, defaulted);
  }

  /** The actions to run on entering {@code s}. */
  public List<String> actionsFor(AlarmState s) {
    return switch (s) {
      case OK -> okActions;
      case ALARM -> alarmActions;
      case INSUFFICIENT_DATA -> insufficientDataActions;
    };
  }

  public JsonObject toJson() {
    JsonArray dims = new JsonArray();
    for (Dimension d : dimensions) dims.add(new JsonObject().put("name", d.name()).put("value", d.value()));
    return new JsonObject()
        .put("account", account).put("region", region).put("name", name).put("description", description)
        .put("actionsEnabled", actionsEnabled)
        .put("okActions", new JsonArray(new ArrayList<>(okActions)))
        .put("alarmActions", new JsonArray(new ArrayList<>(alarmActions)))
        .put("insufficientDataActions", new JsonArray(new ArrayList<>(insufficientDataActions)))
        .put("namespace", namespace).put("metricName", metricName).put("dimensions", dims)
        .put("statistic", statistic).put("extendedStatistic", extendedStatistic).put("unit", unit)
        .put("comparison", rule.comparison().name()).put("threshold", rule.threshold())
        .put("evaluationPeriods", rule.evaluationPeriods()).put("datapointsToAlarm", rule.datapointsToAlarm())
        .put("treatMissingData", rule.treatMissingData().wireName()).put("period", rule.periodSeconds())
        .put("configurationUpdated", configurationUpdated.toEpochMilli())
        .put("state", state.name()).put("stateReason", stateReason).put("stateReasonData", stateReasonData)
        .put("stateUpdated", stateUpdated.toEpochMilli()).put("defaulted", new JsonArray(new ArrayList<>(defaulted)));
  }

  public static MetricAlarm fromJson(JsonObject j) {
    List<Dimension> dims = new ArrayList<>();
    for (Object o : j.getJsonArray("dimensions")) {
      JsonObject d = (JsonObject) o;
      dims.add(new Dimension(d.getString("name"), d.getString("value")));
    }
    String statistic = j.getString("statistic");
    String extended = j.getString("extendedStatistic");
    AlarmRule rule = new AlarmRule(ComparisonOperator.valueOf(j.getString("comparison")), j.getDouble("threshold"),
        j.getInteger("evaluationPeriods"), j.getInteger("datapointsToAlarm"),
        TreatMissingData.named(j.getString("treatMissingData")), j.getInteger("period"),
        statistic != null ? statistic : extended);
    return new MetricAlarm(j.getString("account"), j.getString("region"), j.getString("name"),
        j.getString("description"), j.getBoolean("actionsEnabled"), strings(j.getJsonArray("okActions")),
        strings(j.getJsonArray("alarmActions")), strings(j.getJsonArray("insufficientDataActions")),
        j.getString("namespace"), j.getString("metricName"), List.copyOf(dims), statistic, extended,
        j.getString("unit"), rule, Instant.ofEpochMilli(j.getLong("configurationUpdated")),
        AlarmState.valueOf(j.getString("state")), j.getString("stateReason"), j.getJsonObject("stateReasonData"),
        Instant.ofEpochMilli(j.getLong("stateUpdated")), strings(j.getJsonArray("defaulted", new JsonArray())));
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>(a.size());
    for (Object o : a) out.add((String) o);
    return List.copyOf(out);
  }
}
