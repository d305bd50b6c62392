package io.eventplane.cloudwatch.api;

import static io.eventplane.cloudwatch.domain.CloudWatchErrors.combination;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.invalid;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.missing;

import io.eventplane.cloudwatch.domain.CloudWatchErrors;
import io.eventplane.cloudwatch.domain.MetricId;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * GetMetricData with MetricStat queries: each query is asked of its metric's owner
 * ({@code eventplane:Series}, see {@link MetricStatistics#series}) and the answers are put together
 * in the order of the queries, each query's values newest first (ScanBy TimestampDescending, the
 * default) or oldest first. At most MaxDatapoints values (default 100,800) go in one answer; the rest
 * follow with NextToken (an offset into the same answer asked again). Metric math (Expression) is
 * not evaluated: such a query is refused with InvalidParameterValue.
 */
public final class MetricQueries {
  private static final Pattern ID = Pattern.compile("[a-z][a-zA-Z0-9_]*");
  private static final int MAX_QUERIES = 500;
  private static final int DEFAULT_MAX_DATAPOINTS = 100_800;

  private final Function<ApiRequest, Future<JsonObject>> owners;

  /** @param owners runs an internal call at the owner of the partition it names */
  public MetricQueries(Function<ApiRequest, Future<JsonObject>> owners) {
    this.owners = owners;
  }

  private record Query(String id, String label, boolean returnData, JsonObject series) {}

  public Future<JsonObject> getMetricData(JsonObject input, RequestContext ctx) {
    Object raw = input.getValue("MetricDataQueries");
    if (raw == null) throw missing("MetricDataQueries");
    JsonArray list = Inputs.array(raw, "MetricDataQueries");
    if (list.isEmpty()) throw missing("MetricDataQueries");
    if (list.size() > MAX_QUERIES) {
      throw invalid("The collection MetricDataQueries must not have a size greater than " + MAX_QUERIES + ".");
    }
    Long start = Inputs.millis(input, "StartTime", "StartTime");
    Long end = Inputs.millis(input, "EndTime", "EndTime");
    if (start == null) throw missing("StartTime");
    if (end == null) throw missing("EndTime");
    MetricStatistics.checkRange(start, end, "StartTime", "EndTime");
    String scanBy = Inputs.optionalString(input, "ScanBy", "ScanBy");
    if (scanBy != null && !scanBy.equals("TimestampDescending") && !scanBy.equals("TimestampAscending")) {
      throw invalid("The parameter ScanBy must be a value in the set [TimestampDescending, TimestampAscending].");
    }
    boolean descending = !"TimestampAscending".equals(scanBy);
    Integer max = Inputs.integer(input, "MaxDatapoints", "MaxDatapoints");
    if (max != null && max < 1) throw invalid("The parameter MaxDatapoints must be greater than 0.");
    int maxDatapoints = max == null ? DEFAULT_MAX_DATAPOINTS : max;
    int offset = offset(Inputs.optionalString(input, "NextToken", "NextToken"));
    long from = Math.floorDiv(start, 60_000L) * 60_000L;
    List<Query> queries = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "MetricDataQueries.member." + (i + 1);
      JsonObject q = Inputs.object(list.getValue(i), at);
      String id = Inputs.optionalString(q, "Id", at + ".Id");
      if (id == null || id.isEmpty()) throw missing(at + ".Id");
      if (id.length() > 255 || !ID.matcher(id).matches()) {
        throw invalid("The value " + id + " for parameter " + at + ".Id is invalid.");
      }
      if (!ids.add(id)) throw invalid("The values for parameter Id in MetricDataQueries are not unique.");
      Object stat = q.getValue("MetricStat");
      String expression = Inputs.optionalString(q, "Expression", at + ".Expression");
      if ((stat == null) == (expression == null)) {
        throw combination("Exactly one element of the MetricStat, Expression fields must be present in " + at + ".");
      }
      if (expression != null) {
        throw invalid("The value " + expression + " for parameter " + at + ".Expression is invalid: metric math is not supported.");
      }
      Object returnData = q.getValue("ReturnData");
      boolean returns = !(returnData instanceof Boolean b) || b;
      String label = Inputs.optionalString(q, "Label", at + ".Label");
      queries.add(new Query(id, label, returns, series(Inputs.object(stat, at + ".MetricStat"), at + ".MetricStat.", ctx, from, end)));
    }
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (Query q : queries) {
      answers.add(q.returnData()
          ? owners.apply(new ApiRequest("eventplane:Series", q.series(), ctx))
          : Future.succeededFuture(new JsonObject()));
    }
    return Future.all(answers).map(all -> {
      JsonArray results = new JsonArray();
      int skip = offset;
      int room = maxDatapoints;
      boolean more = false;
      for (int i = 0; i < queries.size(); i++) {
        Query q = queries.get(i);
        if (!q.returnData()) continue;
        JsonObject answer = all.resultAt(i);
        JsonArray ts = answer.getJsonArray("Timestamps");
        JsonArray vs = answer.getJsonArray("Values");
        JsonArray timestamps = new JsonArray();
        JsonArray values = new JsonArray();
        int n = ts.size();
        boolean partial = false;
        for (int k = 0; k < n; k++) {
          int at = descending ? n - 1 - k : k;
          if (skip > 0) {
            skip--;
            continue;
          }
          if (room == 0) {
            partial = true;
            more = true;
            break;
          }
          timestamps.add(ts.getValue(at));
          values.add(vs.getValue(at));
          room--;
        }
        String label = q.label() != null ? q.label() : q.series().getJsonObject("Metric").getString("MetricName");
        results.add(new JsonObject().put("Id", q.id()).put("Label", label).put("Timestamps", timestamps).put("Values", values)
            .put("StatusCode", partial ? "PartialData" : "Complete"));
      }
      JsonObject out = new JsonObject().put("MetricDataResults", results).put("Messages", new JsonArray());
      if (more) out.put("NextToken", token(offset + maxDatapoints));
      return out;
    });
  }

  private static JsonObject series(JsonObject stat, String at, RequestContext ctx, long from, long end) {
    Object metric = stat.getValue("Metric");
    if (metric == null) throw missing(at + "Metric");
    MetricId id = Inputs.requiredMetric(ctx.accountId(), ctx.region(), Inputs.object(metric, at + "Metric"), at + "Metric.");
    Integer period = Inputs.integer(stat, "Period", at + "Period");
    if (period == null) throw missing(at + "Period");
    MetricStatistics.checkPeriod(period, at + "Period");
    String s = Inputs.optionalString(stat, "Stat", at + "Stat");
    if (s == null || s.isEmpty()) throw missing(at + "Stat");
    if (!MetricStatistics.STATISTICS.contains(s) && !MetricStatistics.isPercentile(s)) {
      throw invalid("The value " + s + " for parameter " + at + "Stat is invalid.");
    }
    int unit = Inputs.unit(stat, "Unit", at + "Unit");
    return new JsonObject().put(CloudWatchPartitions.PARTITION, id.partition()).put("Metric", id.toStored())
        .put("Stat", s).put("Unit", unit).put("Start", from).put("End", end).put("Period", Math.max(60, period) * 1000L);
  }

  private static String token(int offset) {
    return Base64.getEncoder().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int offset(String token) {
    if (token == null) return 0;
    try {
      String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
      if (!text.startsWith("offset:")) throw CloudWatchErrors.invalidNextToken();
      int offset = Integer.parseInt(text.substring("offset:".length()));
      if (offset < 0) throw CloudWatchErrors.invalidNextToken();
      return offset;
    } catch (IllegalArgumentException e) {
      throw CloudWatchErrors.invalidNextToken();
    }
  }
}
