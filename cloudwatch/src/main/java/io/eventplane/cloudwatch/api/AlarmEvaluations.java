package io.eventplane.cloudwatch.api;

import io.eventplane.cloudwatch.alarm.AlarmEvaluator;
import io.eventplane.cloudwatch.alarm.Evaluation;
import io.eventplane.cloudwatch.alarm.MetricAlarm;
import io.eventplane.cloudwatch.alarm.PeriodValue;
import io.eventplane.cloudwatch.domain.MetricId;
import io.eventplane.cloudwatch.domain.Units;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Evaluates a lane's alarms as periods of the service clock complete: for each alarm whose last
 * complete period is newer than the one it was last evaluated for, the lane asks the metric's owner
 * for the alarm's statistic over its range ({@code eventplane:Series}, as GetMetricData does), fills
 * the periods without data as missing, and lets {@link AlarmEvaluator} decide; a new state is
 * written and acted on by {@link Alarms#transition}. Data are kept per minute, so a 10 or 30 second
 * period is evaluated as a minute. Confined to the lane's context.
 */
public final class AlarmEvaluations {
  private static final Logger LOG = Logger.getLogger(AlarmEvaluations.class.getName());
  private static final String INTERNAL_BASE_URL = "http://eventplane.internal";

  private final Alarms alarms;
  private final Clock clock;
  private final Function<ApiRequest, Future<JsonObject>> owners;

  /** @param owners runs an internal call at the owner of the partition it names */
  public AlarmEvaluations(Alarms alarms, Clock clock, Function<ApiRequest, Future<JsonObject>> owners) {
    this.alarms = alarms;
    this.clock = clock;
    this.owners = owners;
  }

  static long periodMillis(MetricAlarm a) {
    return Math.max(60, a.rule().periodSeconds()) * 1000L;
  }

  /** The end of the alarm's last complete period at {@code now}. */
  static long lastPeriodEnd(MetricAlarm a, long now) {
    long p = periodMillis(a);
    return Math.floorDiv(now, p) * p;
  }

  /** Evaluates every alarm due at the clock's present; the futures of the evaluations started. */
  public Future<Void> tick() {
    long now = clock.millis();
    List<Future<Void>> started = new ArrayList<>();
    for (Map.Entry<Integer, Map<Long, Alarms.Slot>> p : alarms.all()) {
      for (Map.Entry<Long, Alarms.Slot> e : new HashMap<>(p.getValue()).entrySet()) {
        Alarms.Slot slot = e.getValue();
        long end = lastPeriodEnd(slot.alarm, now);
        if (end <= slot.evaluatedUntil) continue;
        long before = slot.evaluatedUntil;
        slot.evaluatedUntil = end;
        started.add(evaluate(p.getKey(), e.getKey(), slot, end, now).onFailure(err -> {
          // The metric's owner did not answer (a partition moving, say): the next look tries this period again.
          if (slot.evaluatedUntil == end) slot.evaluatedUntil = before;
          LOG.log(Level.WARNING, "Evaluating alarm " + slot.alarm.arn() + " failed", err);
        }));
      }
    }
    return Future.join(started).mapEmpty();
  }

  private Future<Void> evaluate(int partition, long id, Alarms.Slot slot, long end, long now) {
    MetricAlarm a = slot.alarm;
    long period = periodMillis(a);
    int periods = a.rule().rangePeriods();
    long start = end - periods * period;
    MetricId metric = metricOf(a);
    JsonObject series = new JsonObject().put(CloudWatchPartitions.PARTITION, metric.partition()).put("Metric", metric.toStored())
        .put("Stat", a.rule().statistic()).put("Unit", a.unit() == null ? -1 : Units.indexOf(a.unit()))
        .put("Start", start).put("End", end).put("Period", period);
    RequestContext ctx = new RequestContext(a.account(), a.region(), Ids.uuid(), INTERNAL_BASE_URL);
    return owners.apply(new ApiRequest("eventplane:Series", series, ctx)).compose(answer -> {
      if (!alarms.holds(partition, id, slot)) return Future.succeededFuture();
      Evaluation result = AlarmEvaluator.evaluate(a.rule(), range(answer, start, period, periods), Instant.ofEpochMilli(now));
      if (result.retains() || result.state() == slot.alarm.state()) return Future.succeededFuture();
      return alarms.transition(partition, id, slot, result.state(), result.reason(), result.reasonData());
    });
  }

  static MetricId metricOf(MetricAlarm a) {
    Map<String, String> dims = new HashMap<>();
    for (MetricAlarm.Dimension d : a.dimensions()) dims.put(d.name(), d.value());
    return new MetricId(a.account(), a.region(), a.namespace(), a.metricName(), dims);
  }

  /** Every period of the range, oldest first, missing where the answer has no value. */
  private static List<PeriodValue> range(JsonObject answer, long start, long period, int periods) {
    Map<Long, Integer> at = new HashMap<>();
    JsonArray ts = answer.getJsonArray("Timestamps");
    for (int i = 0; i < ts.size(); i++) at.put(new BigDecimal(ts.getValue(i).toString()).movePointRight(3).longValue(), i);
    List<PeriodValue> out = new ArrayList<>(periods);
    for (int k = 0; k < periods; k++) {
      long t = start + k * period;
      Integer i = at.get(t);
      out.add(i == null ? PeriodValue.missing(Instant.ofEpochMilli(t))
          : PeriodValue.of(Instant.ofEpochMilli(t), answer.getJsonArray("Values").getDouble(i),
              answer.getJsonArray("SampleCounts").getDouble(i)));
    }
    return out;
  }
}
