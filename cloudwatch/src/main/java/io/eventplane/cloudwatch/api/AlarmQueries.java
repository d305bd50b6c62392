package io.eventplane.cloudwatch.api;

import static io.eventplane.cloudwatch.domain.CloudWatchErrors.invalid;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.missing;

import io.eventplane.cloudwatch.alarm.AlarmState;
import io.eventplane.cloudwatch.alarm.MetricAlarm;
import io.eventplane.cloudwatch.domain.CloudWatchErrors;
import io.eventplane.cloudwatch.domain.Units;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The questions DescribeAlarms, DescribeAlarmsForMetric and DescribeAlarmHistory ask every lane,
 * checked and written as a filter each lane applies to its alarms ({@link #matches},
 * {@link #historyMatches}), and the answers put together: sorted, paged with MaxRecords and
 * NextToken (the last name or the offset, opaque to the caller).
 */
final class AlarmQueries {
  private static final int MAX_NAMES = 100;
  private static final Set<String> ALARM_TYPES = Set.of("CompositeAlarm", "MetricAlarm");
  private static final Set<String> HISTORY_TYPES = Set.of("ConfigurationUpdate", "StateUpdate", "Action");

  private AlarmQueries() {}

  /** The names of DeleteAlarms, EnableAlarmActions, DisableAlarmActions: 0-100 names of 1-255 characters. */
  static List<String> names(JsonObject in, boolean required) {
    Object value = in.getValue("AlarmNames");
    if (value == null) {
      if (required) throw missing("AlarmNames");
      return List.of();
    }
    JsonArray list = Inputs.array(value, "AlarmNames");
    if (list.size() > MAX_NAMES) throw invalid("The collection AlarmNames must not have a size greater than " + MAX_NAMES + ".");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof String s) || s.isEmpty()) {
        throw invalid("The value for parameter AlarmNames.member." + (i + 1) + " is invalid.");
      }
      Inputs.length(s, "AlarmNames.member." + (i + 1), Inputs.MAX_NAME);
      if (!out.contains(s)) out.add(s);
    }
    return out;
  }

  /** DescribeAlarms' filter. */
  static JsonObject describeFilter(JsonObject in) {
    JsonObject f = new JsonObject();
    List<String> names = names(in, false);
    String prefix = Inputs.optionalString(in, "AlarmNamePrefix", "AlarmNamePrefix");
    if (!names.isEmpty() && prefix != null) {
      throw CloudWatchErrors.combination("AlarmNamePrefix and AlarmNames cannot be used together.");
    }
    if (in.getValue("AlarmNames") != null) f.put("Names", new JsonArray(new ArrayList<>(names)));
    if (prefix != null) {
      Inputs.length(prefix, "AlarmNamePrefix", Inputs.MAX_NAME);
      f.put("Prefix", prefix);
    }
    String state = Inputs.optionalString(in, "StateValue", "StateValue");
    if (state != null) {
      if (AlarmState.named(state) == null) throw invalid("The parameter StateValue must be a value in the set [OK, ALARM, INSUFFICIENT_DATA].");
      f.put("State", state);
    }
    String actionPrefix = Inputs.optionalString(in, "ActionPrefix", "ActionPrefix");
    if (actionPrefix != null) {
      Inputs.length(actionPrefix, "ActionPrefix", 1024);
      f.put("ActionPrefix", actionPrefix);
    }
    Object types = in.getValue("AlarmTypes");
    boolean metric = true;
    if (types != null) {
      JsonArray list = Inputs.array(types, "AlarmTypes");
      metric = false;
      for (int i = 0; i < list.size(); i++) {
        Object t = list.getValue(i);
        if (!(t instanceof String s) || !ALARM_TYPES.contains(s)) {
          throw invalid("The parameter AlarmTypes.member." + (i + 1) + " must be a value in the set [CompositeAlarm, MetricAlarm].");
        }
        metric |= s.equals("MetricAlarm");
      }
    }
    // Composite alarms are not served: a question about their children or parents has no answer.
    if (in.getValue("ChildrenOfAlarmName") != null || in.getValue("ParentsOfAlarmName") != null) metric = false;
    return f.put("MetricAlarms", metric);
  }

  /** DescribeAlarmsForMetric's filter: the metric, and the statistic, period and unit when given. */
  static JsonObject metricFilter(JsonObject in) {
    String namespace = Inputs.requiredName(in, "Namespace", "Namespace");
    String metricName = Inputs.requiredName(in, "MetricName", "MetricName");
    Map<String, String> dims = Inputs.dimensions(in.getValue("Dimensions"), "Dimensions", false);
    JsonObject f = new JsonObject().put("MetricAlarms", true).put("Namespace", namespace).put("MetricName", metricName)
        .put("Dimensions", new JsonObject(new java.util.TreeMap<>(dims)));
    String statistic = Inputs.optionalString(in, "Statistic", "Statistic");
    if (statistic != null) {
      if (!MetricStatistics.STATISTICS.contains(statistic)) {
        throw invalid("The parameter Statistic must be a value in the set [SampleCount, Average, Sum, Minimum, Maximum].");
      }
      f.put("Statistic", statistic);
    }
    String extended = Inputs.optionalString(in, "ExtendedStatistic", "ExtendedStatistic");
    if (extended != null) f.put("ExtendedStatistic", extended);
    Integer period = Inputs.integer(in, "Period", "Period");
    if (period != null) f.put("Period", period);
    int unit = Inputs.unit(in, "Unit", "Unit");
    if (unit >= 0) f.put("Unit", Units.name(unit));
    return f;
  }

  static boolean matches(MetricAlarm a, JsonObject f) {
    if (!f.getBoolean("MetricAlarms", true)) return false;
    JsonArray names = f.getJsonArray("Names");
    if (names != null && !names.isEmpty() && !names.contains(a.name())) return false;
    String prefix = f.getString("Prefix");
    if (prefix != null && !a.name().startsWith(prefix)) return false;
    String state = f.getString("State");
    if (state != null && !state.equals(a.state().name())) return false;
    String actionPrefix = f.getString("ActionPrefix");
    if (actionPrefix != null) {
      boolean any = false;
      for (AlarmState s : AlarmState.values()) {
        for (String arn : a.actionsFor(s)) any |= arn.startsWith(actionPrefix);
      }
      if (!any) return false;
    }
    if (f.containsKey("Namespace")) {
      if (!a.namespace().equals(f.getString("Namespace")) || !a.metricName().equals(f.getString("MetricName"))) return false;
      JsonObject dims = new JsonObject();
      for (MetricAlarm.Dimension d : a.dimensions()) dims.put(d.name(), d.value());
      if (!dims.equals(f.getJsonObject("Dimensions"))) return false;
      if (f.containsKey("Statistic") && !f.getString("Statistic").equals(a.statistic())) return false;
      if (f.containsKey("ExtendedStatistic") && !f.getString("ExtendedStatistic").equals(a.extendedStatistic())) return false;
      if (f.containsKey("Period") && f.getInteger("Period") != a.rule().periodSeconds()) return false;
      if (f.containsKey("Unit") && !f.getString("Unit").equals(a.unit())) return false;
    }
    return true;
  }

  /** DescribeAlarmHistory's filter: AlarmName, AlarmTypes, HistoryItemType, StartDate, EndDate (epoch millis). */
  static JsonObject historyFilter(JsonObject in) {
    JsonObject f = new JsonObject();
    String name = Inputs.optionalString(in, "AlarmName", "AlarmName");
    if (name != null) {
      if (name.isEmpty()) throw invalid("The parameter AlarmName must be longer than 0 characters.");
      Inputs.length(name, "AlarmName", Inputs.MAX_NAME);
      f.put("AlarmName", name);
    }
    String type = Inputs.optionalString(in, "HistoryItemType", "HistoryItemType");
    if (type != null) {
      if (!HISTORY_TYPES.contains(type)) {
        throw invalid("The parameter HistoryItemType must be a value in the set [ConfigurationUpdate, StateUpdate, Action].");
      }
      f.put("Type", type);
    }
    Long start = Inputs.millis(in, "StartDate", "StartDate");
    Long end = Inputs.millis(in, "EndDate", "EndDate");
    if (start != null) f.put("Start", start);
    if (end != null) f.put("End", end);
    Object types = in.getValue("AlarmTypes");
    if (types != null) {
      JsonArray list = Inputs.array(types, "AlarmTypes");
      boolean metric = false;
      for (int i = 0; i < list.size(); i++) {
        if (!(list.getValue(i) instanceof String s) || !ALARM_TYPES.contains(s)) {
          throw invalid("The parameter AlarmTypes.member." + (i + 1) + " must be a value in the set [CompositeAlarm, MetricAlarm].");
        }
        metric |= s.equals("MetricAlarm");
      }
      f.put("MetricAlarms", metric);
    }
    return f;
  }

  static boolean historyMatches(JsonObject item, JsonObject f) {
    if (!f.getBoolean("MetricAlarms", true)) return false;
    if (f.containsKey("Type") && !f.getString("Type").equals(item.getString("HistoryItemType"))) return false;
    long at = millis(item);
    if (f.containsKey("Start") && at < f.getLong("Start")) return false;
    return !f.containsKey("End") || at <= f.getLong("End");
  }

  private static long millis(JsonObject item) {
    return new java.math.BigDecimal(item.getValue("Timestamp").toString()).movePointRight(3).longValue();
  }

  static int maxRecords(JsonObject in, int byDefault) {
    Integer max = Inputs.integer(in, "MaxRecords", "MaxRecords");
    if (max == null) return byDefault;
    if (max < 1 || max > 100) throw invalid("The value " + max + " for parameter MaxRecords is invalid: it must be between 1 and 100.");
    return max;
  }

  /** DescribeAlarms' page: sorted by name, after the name NextToken names. */
  static JsonObject alarmsPage(List<JsonObject> answers, JsonObject in, String member) {
    int max = maxRecords(in, 50);
    String after = token(Inputs.optionalString(in, "NextToken", "NextToken"));
    List<JsonObject> all = new ArrayList<>();
    for (JsonObject a : answers) for (Object o : a.getJsonArray("Items")) all.add((JsonObject) o);
    all.sort(Comparator.comparing(o -> o.getString("AlarmName")));
    JsonArray page = new JsonArray();
    String last = null;
    boolean more = false;
    for (JsonObject o : all) {
      if (after != null && o.getString("AlarmName").compareTo(after) <= 0) continue;
      if (page.size() == max) {
        more = true;
        break;
      }
      page.add(o);
      last = o.getString("AlarmName");
    }
    JsonObject out = new JsonObject().put(member, page);
    if (member.equals("MetricAlarms")) out.put("CompositeAlarms", new JsonArray());
    if (more) out.put("NextToken", encode("after:" + last));
    return out;
  }

  /** DescribeAlarmHistory's page: newest first (ScanBy TimestampDescending, the default) or oldest first. */
  static JsonObject historyPage(List<JsonObject> answers, JsonObject in) {
    int max = maxRecords(in, 100);
    String scanBy = Inputs.optionalString(in, "ScanBy", "ScanBy");
    if (scanBy != null && !scanBy.equals("TimestampDescending") && !scanBy.equals("TimestampAscending")) {
      throw invalid("The parameter ScanBy must be a value in the set [TimestampDescending, TimestampAscending].");
    }
    String token = Inputs.optionalString(in, "NextToken", "NextToken");
    int offset = 0;
    if (token != null) {
      String t = decode(token);
      if (!t.startsWith("offset:")) throw CloudWatchErrors.invalidNextToken();
      try {
        offset = Integer.parseInt(t.substring("offset:".length()));
      } catch (NumberFormatException e) {
        throw CloudWatchErrors.invalidNextToken();
      }
    }
    List<JsonObject> all = new ArrayList<>();
    for (JsonObject a : answers) for (Object o : a.getJsonArray("Items")) all.add((JsonObject) o);
    Comparator<JsonObject> byTime = Comparator.comparingLong(AlarmQueries::millis);
    // Each lane answers its items in the order written; a stable sort keeps that order within a millisecond.
    all.sort(byTime);
    if (!"TimestampAscending".equals(scanBy)) Collections.reverse(all);
    JsonArray page = new JsonArray();
    for (int i = offset; i < all.size() && page.size() < max; i++) page.add(all.get(i));
    JsonObject out = new JsonObject().put("AlarmHistoryItems", page);
    if (offset + max < all.size()) out.put("NextToken", encode("offset:" + (offset + max)));
    return out;
  }

  private static String token(String token) {
    if (token == null) return null;
    String t = decode(token);
    if (!t.startsWith("after:")) throw CloudWatchErrors.invalidNextToken();
    return t.substring("after:".length());
  }

  private static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token) {
    try {
      return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw CloudWatchErrors.invalidNextToken();
    }
  }
}
