package io.eventplane.cloudwatch.alarm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a metric alarm's state from the periods of its evaluation range, as CloudWatch documents it
 * ("How alarm state is evaluated when data is missing"):
 * <ul>
 *   <li>With at least EvaluationPeriods datapoints in the range, the most recent EvaluationPeriods of
 *       them are evaluated and missing periods do not matter.
 *   <li>With fewer, but some, datapoints: {@code breaching} and {@code notBreaching} fill the missing
 *       periods as breaching or not, as few as needed to make EvaluationPeriods. {@code missing} and
 *       {@code ignore} evaluate the datapoints there are: ALARM with DatapointsToAlarm of them
 *       breaching, OK when any of them does not breach, and otherwise (only breaching datapoints, too
 *       few) INSUFFICIENT_DATA for {@code missing} and the current state for {@code ignore}.
 *   <li>With no datapoint at all: INSUFFICIENT_DATA ({@code missing}), the current state
 *       ({@code ignore}), ALARM ({@code breaching}), OK ({@code notBreaching}).
 * </ul>
 * Then ALARM when at least DatapointsToAlarm of the evaluated datapoints breach, else OK. This matches
 * every row of AWS's two example tables but one: a lone breaching datapoint at the oldest end of the
 * range with {@code missing} gives INSUFFICIENT_DATA here, where AWS's table shows ALARM.
 */
public final class AlarmEvaluator {
  /** How datapoints are dated in a state reason: "(06/12/26 02:01:00)". */
  private static final DateTimeFormatter REASON_TIME = DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss").withZone(ZoneOffset.UTC);
  /** How times are written in StateReasonData and alarm notifications. */
  public static final DateTimeFormatter DATA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  private AlarmEvaluator() {}

  /**
   * The state for {@code range} (the rule's periods, oldest first, ending with the last complete
   * period), evaluated at {@code now}.
   */
  public static Evaluation evaluate(AlarmRule rule, List<PeriodValue> range, Instant now) {
    int n = rule.evaluationPeriods();
    int m = rule.datapointsToAlarm();
    List<PeriodValue> existing = new ArrayList<>();
    for (PeriodValue p : range) {
      if (!p.isMissing()) existing.add(p);
    }
    if (existing.size() >= n) {
      List<PeriodValue> evaluated = existing.subList(existing.size() - n, existing.size());
      return thresholdCrossed(rule, evaluated, 0, range, now);
    }
    TreatMissingData treat = rule.treatMissingData();
    int fillers = n - existing.size();
    if (treat == TreatMissingData.BREACHING || treat == TreatMissingData.NOT_BREACHING) {
      if (existing.isEmpty()) {
        boolean breaching = treat == TreatMissingData.BREACHING;
        AlarmState state = breaching && n >= m ? AlarmState.ALARM : AlarmState.OK;
        String reason = "Threshold Crossed: no datapoints were received for " + plural(n, "period") + " and "
            + plural(n, "missing datapoint") + (n == 1 ? " was" : " were") + " treated as ["
            + (breaching ? "Breaching" : "NonBreaching") + "].";
        return new Evaluation(state, reason, reasonData(rule, List.of(), range, now));
      }
      return thresholdCrossed(rule, existing, fillers, range, now);
    }
    long breaching = existing.stream().filter(p -> breaches(rule, p)).count();
    if (breaching >= m || breaching < existing.size()) {
      return thresholdCrossed(rule, existing, 0, range, now);
    }
    if (treat == TreatMissingData.IGNORE) return Evaluation.retain();
    String reason = "Insufficient Data: " + plural(fillers, "datapoint") + (fillers == 1 ? " was" : " were") + " unknown.";
    return new Evaluation(AlarmState.INSUFFICIENT_DATA, reason, reasonData(rule, existing, range, now));
  }

  /**
   * ALARM or OK from the evaluated datapoints, with {@code fillers} missing periods counted as the
   * rule's treatment says.
   */
  private static Evaluation thresholdCrossed(AlarmRule rule, List<PeriodValue> evaluated, int fillers,
      List<PeriodValue> range, Instant now) {
    boolean fillersBreach = rule.treatMissingData() == TreatMissingData.BREACHING;
    List<PeriodValue> breaching = new ArrayList<>();
    List<PeriodValue> within = new ArrayList<>();
    for (PeriodValue p : evaluated) {
      (breaches(rule, p) ? breaching : within).add(p);
    }
    int breachingCount = breaching.size() + (fillersBreach ? fillers : 0);
    boolean alarm = breachingCount >= rule.datapointsToAlarm();
    int total = evaluated.size() + fillers;
    List<PeriodValue> named = alarm ? breaching : within;
    int count = alarm ? breachingCount : total - breachingCount;
    int minimum = alarm ? rule.datapointsToAlarm() : rule.evaluationPeriods() - rule.datapointsToAlarm() + 1;
    StringBuilder reason = new StringBuilder("Threshold Crossed: ").append(count).append(" out of the last ")
        .append(total).append(" datapoints ").append(listed(named)).append(count == 1 ? " was " : " were ")
        .append(alarm ? "" : "not ").append(rule.comparison().phrase()).append(" the threshold (")
        .append(rule.threshold()).append(") (minimum ").append(plural(minimum, "datapoint"))
        .append(alarm ? " for OK -> ALARM transition)" : " for ALARM -> OK transition)");
    if (fillers > 0) {
      reason.append(", with ").append(plural(fillers, "missing datapoint")).append(" treated as [")
          .append(fillersBreach ? "Breaching" : "NonBreaching").append("]");
    }
    reason.append('.');
    return new Evaluation(alarm ? AlarmState.ALARM : AlarmState.OK, reason.toString(),
        reasonData(rule, evaluated, range, now));
  }

  private static boolean breaches(AlarmRule rule, PeriodValue p) {
    return rule.comparison().breaches(p.value(), rule.threshold());
  }

  /** "[5.0 (06/12/26 02:02:00), 4.0 (06/12/26 02:01:00)]": the most recent first. */
  private static String listed(List<PeriodValue> points) {
    StringBuilder s = new StringBuilder("[");
    for (int i = points.size() - 1; i >= 0; i--) {
      PeriodValue p = points.get(i);
      if (s.length() > 1) s.append(", ");
      s.append(p.value()).append(" (").append(REASON_TIME.format(p.start())).append(')');
    }
    return s.append(']').toString();
  }

  /** StateReasonData: what was queried and which datapoints were evaluated, as CloudWatch writes it. */
  private static JsonObject reasonData(AlarmRule rule, List<PeriodValue> evaluated, List<PeriodValue> range, Instant now) {
    JsonArray recent = new JsonArray();
    JsonArray points = new JsonArray();
    for (PeriodValue p : range) {
      if (!p.isMissing()) recent.add(p.value());
    }
    for (int i = evaluated.size() - 1; i >= 0; i--) {
      PeriodValue p = evaluated.get(i);
      points.add(new JsonObject().put("timestamp", DATA_TIME.format(p.start())).put("sampleCount", p.sampleCount())
          .put("value", p.value()));
    }
    JsonObject data = new JsonObject().put("version", "1.0").put("queryDate", DATA_TIME.format(now));
    if (!range.isEmpty()) data.put("startDate", DATA_TIME.format(range.get(0).start()));
    return data.put("statistic", rule.statistic()).put("period", rule.periodSeconds())
        .put("recentDatapoints", recent).put("threshold", rule.threshold()).put("evaluatedDatapoints", points);
  }

  private static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
