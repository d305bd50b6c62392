package io.eventplane.gateway.authz;

import java.util.List;

/**
 * "Actions, resources, and condition keys for Amazon CloudWatch": the metric calls support no
 * resource-level permissions (their resource is {@code *}); actions are {@code cloudwatch:<Operation>},
 * while the signing name is {@code monitoring}.
 */
final class CloudWatchActions {
  private CloudWatchActions() {}

  static final ServiceActions TABLE = build("PutMetricData", "GetMetricStatistics", "GetMetricData", "ListMetrics",
      "PutMetricAlarm", "DescribeAlarms", "DescribeAlarmsForMetric", "DeleteAlarms", "SetAlarmState", "DescribeAlarmHistory",
      "EnableAlarmActions", "DisableAlarmActions");

  private static ServiceActions build(String... operations) {
    ActionTable.Builder b = ActionTable.builder("monitoring");
    for (String op : operations) b.rule(op, (call, arns) -> List.of(Target.of("cloudwatch:" + op, "*")));
    return b.build();
  }
}
