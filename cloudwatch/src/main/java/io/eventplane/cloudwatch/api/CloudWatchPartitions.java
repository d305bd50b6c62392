package io.eventplane.cloudwatch.api;

import io.eventplane.cloudwatch.domain.MetricId;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.partition.PartitionRouter;
import io.vertx.core.json.JsonObject;

/**
 * The partition of a CloudWatch call. GetMetricStatistics names one metric: the partition of its
 * identity ({@link MetricId#partition()}). PutMetricData, GetMetricData and ListMetrics may name
 * many: any lane takes them and sends each metric's part to its owner as an internal call that
 * names its partition ({@value #PARTITION}). PutMetricAlarm and SetAlarmState name one alarm: the
 * partition of its (account, region, name) ({@link Alarms#partition}).
 */
public final class CloudWatchPartitions {
  /** The member of an internal call that names the partition it is about. */
  public static final String PARTITION = "eventplane:Partition";

  private CloudWatchPartitions() {}

  /** Cheap and thread-safe: the gateway's event loops call it. */
  public static int of(ApiRequest request) {
    JsonObject input = request.input();
    if (request.operation().startsWith("eventplane:")) {
      Object p = input.getValue(PARTITION);
      return p instanceof Number n ? n.intValue() : PartitionRouter.ANY;
    }
    if ("PutMetricAlarm".equals(request.operation()) || "SetAlarmState".equals(request.operation())) {
      Object name = input.getValue("AlarmName");
      return name instanceof String s && !s.isEmpty()
          ? Alarms.partition(request.context().accountId(), request.context().region(), s) : PartitionRouter.ANY;
    }
    if (!"GetMetricStatistics".equals(request.operation())) return PartitionRouter.ANY;
    try {
      MetricId id = Inputs.metric(request.context().accountId(), request.context().region(), input, "");
      return id == null ? PartitionRouter.ANY : id.partition();
    } catch (RuntimeException e) {
      // Input the lane will refuse: any lane may refuse it.
      return PartitionRouter.ANY;
    }
  }
}
