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
 * CloudWatch's metric operations over the Query protocol, transcribed from botocore's model of
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
          struct(member("Metrics", list(METRIC)), NEXT_TOKEN, member("OwningAccounts", list(STRING))))));

  private CloudWatchModel() {}

  private static ListOf list(Shape member) {
    return ListOf.wrapped(member);
  }
}
