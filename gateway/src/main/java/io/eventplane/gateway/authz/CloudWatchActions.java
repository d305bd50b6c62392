package io.eventplane.gateway.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * "Actions, resources, and condition keys for Amazon CloudWatch": actions are
 * {@code cloudwatch:<Operation>} while the signing name is {@code monitoring}. The metric calls
 * support no resource-level permissions (their resource is {@code *}); the calls naming alarms are
 * on each alarm ({@code arn:aws:cloudwatch:<region>:<account>:alarm:<name>}); DescribeAlarms, and
 * DescribeAlarmHistory without an AlarmName, on every alarm ({@code ...:alarm:*}); DescribeAlarmsForMetric
 * has no resource type ({@code *}).
 */
final class CloudWatchActions {
  private CloudWatchActions() {}

  static final ServiceActions TABLE = build();

  private static ServiceActions build() {
    ActionTable.Builder b = ActionTable.builder("monitoring");
    for (String op : List.of("PutMetricData", "GetMetricStatistics", "GetMetricData", "ListMetrics", "DescribeAlarmsForMetric")) {
      b.rule(op, (call, arns) -> List.of(Target.of("cloudwatch:" + op, "*")));
    }
    b.rule("DescribeAlarms", (call, arns) -> List.of(Target.of("cloudwatch:DescribeAlarms", alarm(arns, "*"))));
    for (String op : List.of("PutMetricAlarm", "SetAlarmState", "DescribeAlarmHistory")) {
      b.rule(op, (call, arns) -> {
        Object name = call.input().getValue("AlarmName");
        return List.of(Target.of("cloudwatch:" + op, alarm(arns, name instanceof String s ? s : "*")));
      });
    }
    for (String op : List.of("DeleteAlarms", "EnableAlarmActions", "DisableAlarmActions")) {
      b.rule(op, (call, arns) -> {
        List<Target> out = new ArrayList<>();
        Object names = call.input().getValue("AlarmNames");
        if (names instanceof io.vertx.core.json.JsonArray list) {
          for (Object n : list) {
            if (n instanceof String s) out.add(Target.of("cloudwatch:" + op, alarm(arns, s)));
          }
        }
        if (out.isEmpty()) out.add(Target.of("cloudwatch:" + op, alarm(arns, "*")));
        return out;
      });
    }
    return b.build();
  }

  private static String alarm(Arns arns, String name) {
    return "arn:aws:cloudwatch:" + arns.region() + ":" + arns.account() + ":alarm:" + name;
  }
}
