package io.eventplane.cloudwatch.api;

import static io.eventplane.cloudwatch.domain.CloudWatchErrors.combination;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.invalid;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.missing;

import io.eventplane.cloudwatch.domain.Aggregate;
import io.eventplane.cloudwatch.domain.MetricId;
import io.eventplane.cloudwatch.domain.MetricTable;
import io.eventplane.cloudwatch.domain.Units;
import io.eventplane.cloudwatch.store.CloudWatchStore;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * "Statistic S of metric M over the periods of [t0, t1)", answered at the metric's owner from one
 * range scan of its minutes: GetMetricStatistics, and GetMetricData's MetricStat queries (internal
 * {@code eventplane:Series}, one per query). An alarm evaluator asks the same question the same way.
 *
 * <p>Periods start at StartTime rounded down to the minute; a period's datapoint is there when the
 * metric has points in it (one per unit, unless a Unit is asked for). Data are kept per minute, so a
 * period under 60 seconds (1, 5, 10, 20, 30, allowed for high-resolution metrics) gives one
 * datapoint per minute.
 */
public final class MetricStatistics {
  static final Set<String> STATISTICS = Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");
  private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(\\.\\d{0,2})?|100(\\.0{0,2})?)");
  static final int MAX_DATAPOINTS = 1440;

  private final Vertx vertx;
  private final MetricTable table;
  private final CloudWatchStore store;

  public MetricStatistics(Vertx vertx, MetricTable table, CloudWatchStore store) {
    this.vertx = vertx;
    this.table = table;
    this.store = store;
  }

  /** One period's aggregate in one unit. */
  public record Period(long start, int unit, Aggregate aggregate) {}

  public Future<JsonObject> getMetricStatistics(JsonObject input, RequestContext ctx) {
    MetricId id = Inputs.requiredMetric(ctx.accountId(), ctx.region(), input, "");
    Long start = Inputs.millis(input, "StartTime", "StartTime");
    Long end = Inputs.millis(input, "EndTime", "EndTime");
    if (start == null) throw missing("StartTime");
    if (end == null) throw missing("EndTime");
    Integer period = Inputs.integer(input, "Period", "Period");
    if (period == null) throw missing("Period");
    checkRange(start, end, "StartTime", "EndTime");
    checkPeriod(period, "Period");
    List<String> statistics = strings(input.getValue("Statistics"), "Statistics");
    List<String> extended = strings(input.getValue("ExtendedStatistics"), "ExtendedStatistics");
    if (statistics.isEmpty() && extended.isEmpty()) {
      throw missing("Statistics or ExtendedStatistics");
    }
    if (!statistics.isEmpty() && !extended.isEmpty()) {
      throw combination("The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.");
    }
    if (statistics.size() > 5) throw invalid("The collection Statistics must not have a size greater than 5.");
    if (extended.size() > 10) throw invalid("The collection ExtendedStatistics must not have a size greater than 10.");
    for (int i = 0; i < statistics.size(); i++) {
      if (!STATISTICS.contains(statistics.get(i))) {
        throw invalid("The parameter Statistics.member." + (i + 1) + " must be a value in the set [Average, Sum, SampleCount, Maximum, Minimum].");
      }
    }
    for (int i = 0; i < extended.size(); i++) {
      if (!isPercentile(extended.get(i))) {
        throw invalid("The value " + extended.get(i) + " for parameter ExtendedStatistics.member." + (i + 1) + " is invalid.");
      }
    }
    int unit = Inputs.unit(input, "Unit", "Unit");
    long periodMillis = Math.max(60, period) * 1000L;
    long from = Math.floorDiv(start, 60_000L) * 60_000L;
    checkDatapoints(start, end, periodMillis);
    return periods(id, from, end, periodMillis, unit).map(periods -> {
      JsonArray datapoints = new JsonArray();
      for (Period p : periods) {
        JsonObject d = new JsonObject().put("Timestamp", seconds(p.start()));
        for (String s : statistics) d.put(s, p.aggregate().statistic(s));
        if (!extended.isEmpty()) {
          JsonObject ext = new JsonObject();
          for (String s : extended) {
            double v = p.aggregate().statistic(s);
            if (!Double.isNaN(v)) ext.put(s, v);
          }
          d.put("ExtendedStatistics", ext);
        }
        datapoints.add(d.put("Unit", Units.name(p.unit())));
      }
      return new JsonObject().put("Label", id.metricName()).put("Datapoints", datapoints);
    });
  }

  /**
   * Internal {@code eventplane:Series}: one statistic of one metric per period, ascending:
   * {@code {Timestamps: [epoch seconds], Values: [...], SampleCounts: [...]}}; periods without data are left out
   * (an alarm's evaluation asks it too: {@code AlarmEvaluations}).
   */
  public Future<JsonObject> series(JsonObject input, RequestContext ctx) {
    MetricId id = MetricId.fromStored(input.getJsonObject("Metric"));
    String stat = input.getString("Stat");
    int unit = input.getInteger("Unit", -1);
    return periods(id, input.getLong("Start"), input.getLong("End"), input.getLong("Period"), unit).map(periods -> {
      JsonArray timestamps = new JsonArray();
      JsonArray values = new JsonArray();
      JsonArray counts = new JsonArray();
      Map<Long, Aggregate> merged = new TreeMap<>();
      // GetMetricData answers one value per period: units of one period are merged.
      for (Period p : periods) merged.computeIfAbsent(p.start(), k -> Aggregate.empty()).merge(p.aggregate());
      merged.forEach((t, a) -> {
        double v = a.statistic(stat);
        if (!Double.isNaN(v)) {
          timestamps.add(seconds(t));
          values.add(v);
          counts.add(a.statistic("SampleCount"));
        }
      });
      return new JsonObject().put("Timestamps", timestamps).put("Values", values).put("SampleCounts", counts);
    });
  }

  /** The metric's periods of [from, end) with data, ascending (in unit order within a period). */
  public Future<List<Period>> periods(MetricId id, long from, long end, long periodMillis, int unitFilter) {
    int partition = id.partition();
    table.requireLoaded(partition);
    long key = id.key();
    if (table.find(partition, key) == null) return Future.succeededFuture(List.of());
    return vertx.executeBlocking(() -> store.points(partition, key, from, end)).map(points -> {
      Map<Long, Map<Integer, Aggregate>> byPeriod = new TreeMap<>();
      for (CloudWatchStore.Point p : points) {
        if (unitFilter >= 0 && p.unit() != unitFilter) continue;
        long periodStart = from + Math.floorDiv(p.minute() - from, periodMillis) * periodMillis;
        byPeriod.computeIfAbsent(periodStart, k -> new TreeMap<>()).computeIfAbsent(p.unit(), k -> Aggregate.empty())
            .merge(p.aggregate());
      }
      List<Period> out = new ArrayList<>();
      byPeriod.forEach((t, units) -> units.forEach((u, a) -> out.add(new Period(t, u, a))));
      return out;
    });
  }

  static void checkRange(long start, long end, String startName, String endName) {
    if (start == end) throw invalid("The parameter " + startName + " must not equal parameter " + endName + ".");
    if (start > end) throw invalid("The parameter " + endName + " must be greater than " + startName + ".");
  }

  static void checkPeriod(int period, String parameter) {
    if (period < 0) throw invalid("The parameter " + parameter + " must be greater than 0.");
    if (period == 0) throw invalid("The parameter " + parameter + " must not equal 0.");
    if (period % 60 != 0 && !Set.of(1, 5, 10, 20, 30).contains(period)) {
      throw invalid("The parameter " + parameter + " must be a multiple of 60.");
    }
  }

  static void checkDatapoints(long from, long end, long periodMillis) {
    long requested = (end - from + periodMillis - 1) / periodMillis;
    if (requested > MAX_DATAPOINTS) {
      NumberFormat nf = NumberFormat.getInstance(Locale.US);
      throw combination("You have requested up to " + nf.format(requested) + " datapoints, which exceeds the limit of "
          + nf.format(MAX_DATAPOINTS) + ". You may reduce the datapoints requested by increasing Period, or decreasing the time range.");
    }
  }

  static boolean isPercentile(String s) {
    return PERCENTILE.matcher(s).matches();
  }

  static List<String> strings(Object value, String parameter) {
    List<String> out = new ArrayList<>();
    if (value == null) return out;
    JsonArray a = Inputs.array(value, parameter);
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof String s)) throw invalid("The value for parameter " + parameter + ".member." + (i + 1) + " is invalid.");
      out.add(s);
    }
    return out;
  }

  /** Epoch seconds as the JSON protocol carries a timestamp (an integer: periods start on whole minutes). */
  static Object seconds(long millis) {
    return millis % 1000 == 0 ? (Object) (millis / 1000) : new BigDecimal(millis).movePointLeft(3).doubleValue();
  }
}
