package io.eventplane.cloudwatch.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * CloudWatch's alarm operations: PutMetricAlarm and SetAlarmState run at the alarm's owner
 * ({@link Alarms}); DeleteAlarms, EnableAlarmActions and DisableAlarmActions send each partition's
 * names to its owner ({@value #CHANGE}); DescribeAlarms, DescribeAlarmsForMetric and
 * DescribeAlarmHistory ask every lane of every node and put the answers together
 * ({@link AlarmQueries}).
 */
public final class AlarmOperations {
  /** The internal call that changes the alarms of one partition (Check, Delete, Enable, Disable). */
  public static final String CHANGE = "eventplane:ChangeAlarms";

  private final Alarms alarms;
  private final Function<ApiRequest, Future<JsonObject>> owners;
  private final BiFunction<JsonObject, RequestContext, Future<List<JsonObject>>> everyLane;

  /**
   * @param owners runs an internal call at the owner of the partition it names
   * @param everyLane asks every lane of every node a question {@link #local} answers
   */
  public AlarmOperations(Alarms alarms, Function<ApiRequest, Future<JsonObject>> owners,
      BiFunction<JsonObject, RequestContext, Future<List<JsonObject>>> everyLane) {
    this.alarms = alarms;
    this.owners = owners;
    this.everyLane = everyLane;
  }

  public Future<JsonObject> handle(String operation, JsonObject in, RequestContext ctx) {
    return switch (operation) {
      case "PutMetricAlarm" -> alarms.put(in, ctx);
      case "SetAlarmState" -> alarms.setState(in, ctx);
      case CHANGE -> alarms.change(in, ctx);
      case "DescribeAlarms" -> {
        JsonObject filter = AlarmQueries.describeFilter(in);
        AlarmQueries.alarmsPage(List.of(), in, "MetricAlarms");  // checks MaxRecords and NextToken before asking
        yield everyLane.apply(new JsonObject().put("Op", "Describe").put("Filter", filter), ctx)
            .map(answers -> AlarmQueries.alarmsPage(answers, in, "MetricAlarms"));
      }
      case "DescribeAlarmsForMetric" -> {
        JsonObject filter = AlarmQueries.metricFilter(in);
        yield everyLane.apply(new JsonObject().put("Op", "Describe").put("Filter", filter), ctx)
            .map(answers -> {
              JsonArray all = new JsonArray();
              for (JsonObject a : answers) all.addAll(a.getJsonArray("Items"));
              return new JsonObject().put("MetricAlarms", all);
            });
      }
      case "DescribeAlarmHistory" -> {
        JsonObject filter = AlarmQueries.historyFilter(in);
        AlarmQueries.historyPage(List.of(), in);
        yield everyLane.apply(new JsonObject().put("Op", "History").put("Filter", filter), ctx)
            .map(answers -> AlarmQueries.historyPage(answers, in));
      }
      case "DeleteAlarms" -> delete(AlarmQueries.names(in, true), ctx);
      case "EnableAlarmActions" -> change(AlarmQueries.names(in, true), "Enable", ctx).map(v -> new JsonObject());
      case "DisableAlarmActions" -> change(AlarmQueries.names(in, true), "Disable", ctx).map(v -> new JsonObject());
      default -> throw new IllegalArgumentException(operation);
    };
  }

  /** A lane's part of a question asked of every lane. */
  public Future<JsonObject> local(JsonObject question, RequestContext ctx) {
    JsonObject filter = question.getJsonObject("Filter");
    return "History".equals(question.getString("Op"))
        ? alarms.historyLocal(filter, ctx)
        : Future.succeededFuture(alarms.describeLocal(filter, ctx));
  }

  /**
   * DeleteAlarms: when any name is not an alarm, ResourceNotFound and nothing is deleted (the API
   * reference: "In the event of an error, no alarms are deleted"); the names are checked at their
   * owners first, then deleted.
   */
  private Future<JsonObject> delete(List<String> names, RequestContext ctx) {
    return change(names, "Check", ctx).compose(missing -> {
      if (!missing.isEmpty()) {
        throw new ServiceException(ServiceError.sender("ResourceNotFound",
            missing.size() + "/" + names.size() + " alarms not found: " + missing));
      }
      return change(names, "Delete", ctx);
    }).map(v -> new JsonObject());
  }

  /** Each partition's names at its owner; the names not found. Enable/Disable of unknown names do nothing, as on AWS. */
  private Future<List<String>> change(List<String> names, String change, RequestContext ctx) {
    Map<Integer, JsonArray> byPartition = new LinkedHashMap<>();
    for (String name : names) {
      byPartition.computeIfAbsent(Alarms.partition(ctx.accountId(), ctx.region(), name), p -> new JsonArray()).add(name);
    }
    List<Future<JsonObject>> parts = new ArrayList<>();
    byPartition.forEach((p, ns) -> parts.add(owners.apply(new ApiRequest(CHANGE,
        new JsonObject().put(CloudWatchPartitions.PARTITION, p).put("Names", ns).put("Change", change), ctx))));
    return Future.all(parts).map(all -> {
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        for (Object o : all.<JsonObject>resultAt(i).getJsonArray("Missing")) missing.add((String) o);
      }
      return missing;
    });
  }

}
