package io.eventplane.cloudwatch.api;

import static io.eventplane.cloudwatch.domain.CloudWatchErrors.combination;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.invalid;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.missing;

import io.eventplane.cloudwatch.alarm.AlarmRule;
import io.eventplane.cloudwatch.alarm.AlarmState;
import io.eventplane.cloudwatch.alarm.ComparisonOperator;
import io.eventplane.cloudwatch.alarm.MetricAlarm;
import io.eventplane.cloudwatch.alarm.TreatMissingData;
import io.eventplane.cloudwatch.domain.Units;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * PutMetricAlarm's input rules, worded as CloudWatch words them, and the alarm it defines. A metric
 * math alarm (Metrics) and an anomaly-detection alarm (ThresholdMetricId) are refused: this
 * CloudWatch does not evaluate metric math.
 */
final class AlarmInputs {
  static final String INITIAL_REASON = "Unchecked: Initial alarm creation";
  private static final int MAX_ACTIONS = 5;
  private static final int MAX_DESCRIPTION = 1024;
  private static final int MAX_TAGS = 50;
  private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[\\w-]*:sns:[a-z0-9-]+:[0-9]{12}:[\\w-]{1,256}(\\.fifo)?");
  static final Pattern FUNCTION_ARN =
      Pattern.compile("arn:aws[\\w-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[a-zA-Z0-9-_]{1,64}(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
  private static final Pattern ANY_ARN = Pattern.compile("arn:aws[\\w-]*:[a-z0-9-]+:[a-z0-9-]*:[^:]*:.+");

  private AlarmInputs() {}

  /** The alarm's name, 1-255 characters. */
  static String name(JsonObject in, String member) {
    return Inputs.requiredName(in, member, member);
  }

  /**
   * The alarm PutMetricAlarm defines; {@code existing} (or null) gives the state an update keeps. A
   * new alarm starts in INSUFFICIENT_DATA.
   */
  static MetricAlarm alarm(JsonObject in, RequestContext ctx, Instant now, MetricAlarm existing) {
    String name = name(in, "AlarmName");
    String description = Inputs.optionalString(in, "AlarmDescription", "AlarmDescription");
    if (description != null) Inputs.length(description, "AlarmDescription", MAX_DESCRIPTION);
    Object enabled = in.getValue("ActionsEnabled");
    if (enabled != null && !(enabled instanceof Boolean)) {
      throw invalid("The value " + enabled + " for parameter ActionsEnabled is invalid.");
    }
    List<String> ok = actions(in, "OKActions");
    List<String> alarm = actions(in, "AlarmActions");
    List<String> insufficient = actions(in, "InsufficientDataActions");
    if (in.getValue("Metrics") != null) {
      if (in.getValue("MetricName") != null || in.getValue("Namespace") != null || in.getValue("Statistic") != null
          || in.getValue("ExtendedStatistic") != null || in.getValue("Dimensions") != null) {
        throw combination("Metrics list can not be used with Namespace, MetricName, Dimensions, Statistic, ExtendedStatistic or Unit.");
      }
      throw invalid("The parameter Metrics is invalid: metric math alarms are not supported.");
    }
    if (in.getValue("ThresholdMetricId") != null) {
      throw invalid("The parameter ThresholdMetricId is invalid: anomaly detection alarms are not supported.");
    }
    String namespace = Inputs.requiredName(in, "Namespace", "Namespace");
    String metricName = Inputs.requiredName(in, "MetricName", "MetricName");
    Map<String, String> dims = Inputs.dimensions(in.getValue("Dimensions"), "Dimensions", false);
    String statistic = Inputs.optionalString(in, "Statistic", "Statistic");
    String extended = Inputs.optionalString(in, "ExtendedStatistic", "ExtendedStatistic");
    if (statistic != null && extended != null) {
      throw combination("The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.");
    }
    if (statistic == null && extended == null) throw missing("Statistic or ExtendedStatistic");
    if (statistic != null && !MetricStatistics.STATISTICS.contains(statistic)) {
      throw invalid("The parameter Statistic must be a value in the set [SampleCount, Average, Sum, Minimum, Maximum].");
    }
    if (extended != null && !MetricStatistics.isPercentile(extended)) {
      throw invalid("The value " + extended + " for parameter ExtendedStatistic is invalid.");
    }
    Integer period = Inputs.integer(in, "Period", "Period");
    if (period == null) throw missing("Period");
    if (period < 1) throw invalid("The parameter Period must be greater than 0.");
    if (period != 10 && period != 30 && period % 60 != 0) {
      throw invalid("The parameter Period must be 10, 30 or a multiple of 60.");
    }
    Integer evaluationPeriods = Inputs.integer(in, "EvaluationPeriods", "EvaluationPeriods");
    if (evaluationPeriods == null) throw missing("EvaluationPeriods");
    if (evaluationPeriods < 1) throw invalid("The parameter EvaluationPeriods must be greater than or equal to 1.");
    if ((long) evaluationPeriods * period > 86_400) {
      throw invalid("Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).");
    }
    Integer datapoints = Inputs.integer(in, "DatapointsToAlarm", "DatapointsToAlarm");
    if (datapoints != null && datapoints < 1) throw invalid("The parameter DatapointsToAlarm must be greater than or equal to 1.");
    if (datapoints != null && datapoints > evaluationPeriods) {
      throw invalid("DatapointsToAlarm must be less than or equal to EvaluationPeriods.");
    }
    Double threshold = Inputs.number(in, "Threshold", "Threshold");
    if (threshold == null) throw missing("Threshold");
    if (!Double.isFinite(threshold)) throw invalid("The value " + threshold + " for parameter Threshold is invalid.");
    String operator = Inputs.optionalString(in, "ComparisonOperator", "ComparisonOperator");
    if (operator == null) throw missing("ComparisonOperator");
    ComparisonOperator comparison = ComparisonOperator.named(operator);
    if (comparison == null) {
      if (ComparisonOperator.MODEL_VALUES.contains(operator)) {
        throw invalid("The parameter ComparisonOperator " + operator + " needs ThresholdMetricId: anomaly detection alarms are not supported.");
      }
      throw invalid("The parameter ComparisonOperator must be a value in the set " + ComparisonOperator.MODEL_VALUES + ".");
    }
    String treatName = Inputs.optionalString(in, "TreatMissingData", "TreatMissingData");
    TreatMissingData treat = treatName == null ? TreatMissingData.MISSING : TreatMissingData.named(treatName);
    if (treat == null) {
      throw invalid("The parameter TreatMissingData must be a value in the set [breaching, notBreaching, ignore, missing].");
    }
    String lowSample = Inputs.optionalString(in, "EvaluateLowSampleCountPercentile", "EvaluateLowSampleCountPercentile");
    if (lowSample != null && !lowSample.equals("evaluate") && !lowSample.equals("ignore")) {
      throw invalid("The parameter EvaluateLowSampleCountPercentile must be a value in the set [evaluate, ignore].");
    }
    int unit = Inputs.unit(in, "Unit", "Unit");
    tags(in.getValue("Tags"));
    List<MetricAlarm.Dimension> dimensions = new ArrayList<>();
    dims.forEach((k, v) -> dimensions.add(new MetricAlarm.Dimension(k, v)));
    AlarmRule rule = new AlarmRule(comparison, threshold, evaluationPeriods, datapoints == null ? evaluationPeriods : datapoints,
        treat, period, statistic != null ? statistic : extended);
    AlarmState state = existing == null ? AlarmState.INSUFFICIENT_DATA : existing.state();
    String reason = existing == null ? INITIAL_REASON : existing.stateReason();
    JsonObject reasonData = existing == null ? null : existing.stateReasonData();
    Instant stateUpdated = existing == null ? now : existing.stateUpdated();
    return new MetricAlarm(ctx.accountId(), ctx.region(), name, description, enabled == null || (Boolean) enabled,
        ok, alarm, insufficient, namespace, metricName, List.copyOf(dimensions), statistic, extended,
        unit < 0 ? null : Units.name(unit), rule, now, state, reason, reasonData, stateUpdated, defaulted(datapoints, treatName));
  }

  private static List<String> defaulted(Integer datapoints, String treatment) {
    List<String> out = new ArrayList<>();
    if (datapoints == null) out.add("DatapointsToAlarm");
    if (treatment == null) out.add("TreatMissingData");
    return out;
  }

  /** At most five actions: SNS topics and Lambda functions (the actions this CloudWatch runs). */
  private static List<String> actions(JsonObject in, String member) {
    Object value = in.getValue(member);
    if (value == null) return List.of();
    JsonArray list = Inputs.array(value, member);
    if (list.size() > MAX_ACTIONS) {
      throw invalid("The collection " + member + " must not have a size greater than " + MAX_ACTIONS + ".");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof String arn)) throw invalid("The value for parameter " + member + ".member." + (i + 1) + " is invalid.");
      if (!ANY_ARN.matcher(arn).matches()) throw invalid("Invalid arn syntax: " + arn);
      if (!TOPIC_ARN.matcher(arn).matches() && !FUNCTION_ARN.matcher(arn).matches()) {
        throw invalid("The action " + arn + " is not supported: alarm actions here are SNS topics and Lambda functions.");
      }
      if (!out.contains(arn)) out.add(arn);
    }
    return List.copyOf(out);
  }

  /** Tags are checked (at most 50, Key 1-128, Value 0-256) but not kept: tagging alarms is not served. */
  private static void tags(Object value) {
    if (value == null) return;
    JsonArray list = Inputs.array(value, "Tags");
    if (list.size() > MAX_TAGS) throw invalid("The collection Tags must not have a size greater than " + MAX_TAGS + ".");
    for (int i = 0; i < list.size(); i++) {
      String at = "Tags.member." + (i + 1);
      JsonObject tag = Inputs.object(list.getValue(i), at);
      String key = Inputs.optionalString(tag, "Key", at + ".Key");
      if (key == null || key.isEmpty()) throw missing(at + ".Key");
      Inputs.length(key, at + ".Key", 128);
      String v = Inputs.optionalString(tag, "Value", at + ".Value");
      if (v == null) throw missing(at + ".Value");
      Inputs.length(v, at + ".Value", 256);
    }
  }
}
