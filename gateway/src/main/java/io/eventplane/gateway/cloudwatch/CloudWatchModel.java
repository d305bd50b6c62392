package io.eventplane.gateway.cloudwatch;

import static io.eventplane.gateway.query.Shape.Scalar.BOOLEAN;
import static io.eventplane.gateway.query.Shape.Scalar.DOUBLE;
import static io.eventplane.gateway.query.Shape.Scalar.INTEGER;
import static io.eventplane.gateway.query.Shape.Scalar.STRING;
import static io.eventplane.gateway.query.Shape.Scalar.TIMESTAMP;
import static io.eventplane.gateway.query.Shape.member;
import static io.eventplane.gateway.query.Shape.op;
import static io.eventplane.gateway.query.Shape.struct;

import io.eventplane.gateway.query.QueryModel;
import io.eventplane.gateway.query.Shape;
import io.eventplane.gateway.query.Shape.ListOf;
import io.eventplane.gateway.query.Shape.MapOf;
import io.eventplane.gateway.query.Shape.Member;
import io.eventplane.gateway.query.Shape.Struct;
import java.util.stream.Stream;

/**
 * CloudWatch's metric and metric alarm operations over the Query protocol, transcribed from botocore's model of
 * monitoring 2010-08-01 (botocore 1.43): lists are wrapped ({@code member}), ExtendedStatistics is a
 * wrapped map ({@code entry}, {@code key}/{@code value}).
 */
final class CloudWatchModel {
  static final String XML_NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
  static final String API_VERSION = "2010-08-01";

  private static final Member NAMESPACE = member("Namespace", STRING);
  private static final Member METRIC_NAME = member("MetricName", STRING);
  private static final Member DIMENSIONS = member("Dimensions", list(struct(member("Name", STRING), member("Value", STRING))));
  private static final Member NEXT_TOKEN = member("NextToken", STRING);
  private static final Member UNIT = member("Unit", STRING);
  private static final Struct METRIC = struct(NAMESPACE, METRIC_NAME, DIMENSIONS);
  private static final Member ALARM_NAME = member("AlarmName", STRING);
  private static final Member ALARM_NAMES = member("AlarmNames", list(STRING));
  private static final Member MAX_RECORDS = member("MaxRecords", INTEGER);
  private static final Struct METRIC_DATA_QUERY = struct(member("Id", STRING),
      member("MetricStat", struct(member("Metric", METRIC), member("Period", INTEGER), member("Stat", STRING), UNIT)),
      member("Expression", STRING), member("Label", STRING), member("ReturnData", BOOLEAN), member("Period", INTEGER),
      member("AccountId", STRING));
  private static final Member METRIC_ALARMS = member("MetricAlarms", list(struct(ALARM_NAME, member("AlarmArn", STRING),
      member("AlarmDescription", STRING), member("AlarmConfigurationUpdatedTimestamp", TIMESTAMP),
      member("ActionsEnabled", BOOLEAN), member("OKActions", list(STRING)), member("AlarmActions", list(STRING)),
      member("InsufficientDataActions", list(STRING)), member("StateValue", STRING), member("StateReason", STRING),
      member("StateReasonData", STRING), member("StateUpdatedTimestamp", TIMESTAMP), METRIC_NAME, NAMESPACE,
      member("Statistic", STRING), member("ExtendedStatistic", STRING), DIMENSIONS, member("Period", INTEGER), UNIT,
      member("EvaluationPeriods", INTEGER), member("DatapointsToAlarm", INTEGER), member("Threshold", DOUBLE),
      member("ComparisonOperator", STRING), member("TreatMissingData", STRING),
      member("EvaluateLowSampleCountPercentile", STRING), member("Metrics", list(METRIC_DATA_QUERY)),
      member("ThresholdMetricId", STRING), member("EvaluationState", STRING),
      member("StateTransitionedTimestamp", TIMESTAMP))));

  static final QueryModel MODEL = new QueryModel(XML_NAMESPACE, Stream.of(
      op("PutMetricData", struct(NAMESPACE, member("MetricData", list(struct(METRIC_NAME, DIMENSIONS,
          member("Timestamp", TIMESTAMP), member("Value", DOUBLE), member("StatisticValues", struct(
              member("SampleCount", DOUBLE), member("Sum", DOUBLE), member("Minimum", DOUBLE), member("Maximum", DOUBLE))),
          member("Values", list(DOUBLE)), member("Counts", list(DOUBLE)), UNIT, member("StorageResolution", INTEGER)))),
          member("StrictEntityValidation", BOOLEAN)), null),
      op("GetMetricStatistics", struct(NAMESPACE, METRIC_NAME, DIMENSIONS, member("StartTime", TIMESTAMP),
              member("EndTime", TIMESTAMP), member("Period", INTEGER), member("Statistics", list(STRING)),
              member("ExtendedStatistics", list(STRING)), UNIT),
          struct(member("Label", STRING), member("Datapoints", list(struct(member("Timestamp", TIMESTAMP),
              member("SampleCount", DOUBLE), member("Average", DOUBLE), member("Sum", DOUBLE), member("Minimum", DOUBLE),
              member("Maximum", DOUBLE), UNIT, member("ExtendedStatistics", MapOf.wrapped("key", "value", DOUBLE))))))),
      op("GetMetricData", struct(member("MetricDataQueries", list(struct(member("Id", STRING),
              member("MetricStat", struct(member("Metric", METRIC), member("Period", INTEGER), member("Stat", STRING), UNIT)),
              member("Expression", STRING), member("Label", STRING), member("ReturnData", BOOLEAN), member("Period", INTEGER),
              member("AccountId", STRING)))),
              member("StartTime", TIMESTAMP), member("EndTime", TIMESTAMP), NEXT_TOKEN, member("ScanBy", STRING),
              member("MaxDatapoints", INTEGER), member("LabelOptions", struct(member("Timezone", STRING)))),
          struct(member("MetricDataResults", list(struct(member("Id", STRING), member("Label", STRING),
              member("Timestamps", list(TIMESTAMP)), member("Values", list(DOUBLE)), member("StatusCode", STRING),
              member("Messages", list(struct(member("Code", STRING), member("Value", STRING))))))),
              NEXT_TOKEN, member("Messages", list(struct(member("Code", STRING), member("Value", STRING)))))),
      op("ListMetrics", struct(NAMESPACE, METRIC_NAME, member("Dimensions", list(struct(member("Name", STRING),
              member("Value", STRING)))), NEXT_TOKEN, member("RecentlyActive", STRING),
              member("IncludeLinkedAccounts", BOOLEAN), member("OwningAccount", STRING)),
          struct(member("Metrics", list(METRIC)), NEXT_TOKEN, member("OwningAccounts", list(STRING)))),
      op("PutMetricAlarm", struct(ALARM_NAME, member("AlarmDescription", STRING), member("ActionsEnabled", BOOLEAN),
          member("OKActions", list(STRING)), member("AlarmActions", list(STRING)), member("InsufficientDataActions", list(STRING)),
          METRIC_NAME, NAMESPACE, member("Statistic", STRING), member("ExtendedStatistic", STRING), DIMENSIONS,
          member("Period", INTEGER), UNIT, member("EvaluationPeriods", INTEGER), member("DatapointsToAlarm", INTEGER),
          member("Threshold", DOUBLE), member("ComparisonOperator", STRING), member("TreatMissingData", STRING),
          member("EvaluateLowSampleCountPercentile", STRING), member("Metrics", list(METRIC_DATA_QUERY)),
          member("Tags", list(struct(member("Key", STRING), member("Value", STRING)))), member("ThresholdMetricId", STRING)), null),
      op("DescribeAlarms", struct(ALARM_NAMES, member("AlarmNamePrefix", STRING), member("AlarmTypes", list(STRING)),
              member("ChildrenOfAlarmName", STRING), member("ParentsOfAlarmName", STRING), member("StateValue", STRING),
              member("ActionPrefix", STRING), MAX_RECORDS, NEXT_TOKEN),
          struct(member("CompositeAlarms", list(struct(ALARM_NAME))), METRIC_ALARMS, NEXT_TOKEN)),
      op("DescribeAlarmsForMetric", struct(METRIC_NAME, NAMESPACE, member("Statistic", STRING),
          member("ExtendedStatistic", STRING), DIMENSIONS, member("Period", INTEGER), UNIT), struct(METRIC_ALARMS)),
      op("DeleteAlarms", struct(ALARM_NAMES), null),
      op("EnableAlarmActions", struct(ALARM_NAMES), null),
      op("DisableAlarmActions", struct(ALARM_NAMES), null),
      op("SetAlarmState", struct(ALARM_NAME, member("StateValue", STRING), member("StateReason", STRING),
          member("StateReasonData", STRING)), null),
      op("DescribeAlarmHistory", struct(ALARM_NAME, member("AlarmContributorId", STRING), member("AlarmTypes", list(STRING)),
              member("HistoryItemType", STRING), member("StartDate", TIMESTAMP), member("EndDate", TIMESTAMP), MAX_RECORDS,
              NEXT_TOKEN, member("ScanBy", STRING)),
          struct(member("AlarmHistoryItems", list(struct(ALARM_NAME, member("AlarmContributorId", STRING),
              member("AlarmType", STRING), member("Timestamp", TIMESTAMP), member("HistoryItemType", STRING),
              member("HistorySummary", STRING), member("HistoryData", STRING)))), NEXT_TOKEN))));

  private CloudWatchModel() {}

  private static ListOf list(Shape member) {
    return ListOf.wrapped(member);
  }
}
