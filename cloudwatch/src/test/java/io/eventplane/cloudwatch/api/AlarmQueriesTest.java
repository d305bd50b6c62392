package io.eventplane.cloudwatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.cloudwatch.alarm.AlarmRule;
import io.eventplane.cloudwatch.alarm.AlarmState;
import io.eventplane.cloudwatch.alarm.ComparisonOperator;
import io.eventplane.cloudwatch.alarm.MetricAlarm;
import io.eventplane.cloudwatch.alarm.TreatMissingData;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DescribeAlarms' and DescribeAlarmHistory's filters and pages, as every lane applies them and the taking lane puts them together. */
class AlarmQueriesTest {
  private static final Instant AT = Instant.parse("2026-12-06T03:00:00Z");

  private static MetricAlarm alarm(String name, AlarmState state, List<String> actions, String statistic, int period) {
    AlarmRule rule = new AlarmRule(ComparisonOperator.GreaterThanThreshold, 1.0, 1, 1, TreatMissingData.MISSING, period, statistic);
    return new MetricAlarm("000000000000", "us-east-1", name, null, true, List.of(), actions, List.of(), "Shop", "Errors",
        List.of(new MetricAlarm.Dimension("Shop", "north")), statistic, null, null, rule, AT, state, "r", null, AT);
  }

  @Test
  void describeFiltersMatchAsAwsFilters() {
    MetricAlarm a = alarm("web-1", AlarmState.OK, List.of("arn:aws:sns:us-east-1:000000000000:ops"), "Sum", 60);
    assertThat(AlarmQueries.matches(a, AlarmQueries.describeFilter(new JsonObject()))).isTrue();
    assertThat(AlarmQueries.matches(a, AlarmQueries.describeFilter(new JsonObject().put("AlarmNamePrefix", "web")))).isTrue();
    assertThat(AlarmQueries.matches(a, AlarmQueries.describeFilter(new JsonObject().put("AlarmNamePrefix", "db")))).isFalse();
    assertThat(AlarmQueries.matches(a, AlarmQueries.describeFilter(new JsonObject().put("StateValue", "ALARM")))).isFalse();
    assertThat(AlarmQueries.matches(a, AlarmQueries.describeFilter(new JsonObject().put("ActionPrefix", "arn:aws:sns")))).isTrue();
    assertThat(AlarmQueries.matches(a, AlarmQueries.describeFilter(new JsonObject().put("ActionPrefix", "arn:aws:lambda")))).isFalse();
    assertThat(AlarmQueries.matches(a, AlarmQueries.describeFilter(
        new JsonObject().put("AlarmTypes", new JsonArray().add("CompositeAlarm"))))).isFalse();
    assertThat(AlarmQueries.matches(a, AlarmQueries.describeFilter(new JsonObject().put("ChildrenOfAlarmName", "x")))).isFalse();
    assertThatThrownBy(() -> AlarmQueries.describeFilter(new JsonObject().put("StateValue", "MAYBE")))
        .isInstanceOf(ServiceException.class);
  }

  @Test
  void alarmsForAMetricNeedItsWholeIdentity() {
    MetricAlarm a = alarm("m", AlarmState.OK, List.of(), "Sum", 300);
    JsonObject metric = new JsonObject().put("Namespace", "Shop").put("MetricName", "Errors")
        .put("Dimensions", new JsonArray().add(new JsonObject().put("Name", "Shop").put("Value", "north")));
    assertThat(AlarmQueries.matches(a, AlarmQueries.metricFilter(metric))).isTrue();
    assertThat(AlarmQueries.matches(a, AlarmQueries.metricFilter(metric.copy().put("Period", 60)))).isFalse();
    assertThat(AlarmQueries.matches(a, AlarmQueries.metricFilter(metric.copy().put("Statistic", "Sum")))).isTrue();
    assertThat(AlarmQueries.matches(a, AlarmQueries.metricFilter(metric.copy().put("Dimensions", new JsonArray())))).isFalse();
  }

  @Test
  void pagesFollowTheLastName() {
    List<JsonObject> answers = List.of(items("c", "a"), items("d", "b", "e"));
    JsonObject first = AlarmQueries.alarmsPage(answers, new JsonObject().put("MaxRecords", 2), "MetricAlarms");
    assertThat(names(first)).containsExactly("a", "b");
    JsonObject second = AlarmQueries.alarmsPage(answers, new JsonObject().put("MaxRecords", 2)
        .put("NextToken", first.getString("NextToken")), "MetricAlarms");
    assertThat(names(second)).containsExactly("c", "d");
    JsonObject last = AlarmQueries.alarmsPage(answers, new JsonObject().put("MaxRecords", 2)
        .put("NextToken", second.getString("NextToken")), "MetricAlarms");
    assertThat(names(last)).containsExactly("e");
    assertThat(last.containsKey("NextToken")).isFalse();
    assertThat(last.getJsonArray("CompositeAlarms")).isEmpty();
    assertThatThrownBy(() -> AlarmQueries.alarmsPage(answers, new JsonObject().put("NextToken", "bm9wZQ=="), "MetricAlarms"))
        .isInstanceOf(ServiceException.class).hasMessageContaining("NextToken");
  }

  @Test
  void historyIsNewestFirstAndKeepsTheOrderOfAMillisecond() {
    JsonObject lane = new JsonObject().put("Items", new JsonArray()
        .add(item("created", 100)).add(item("first", 200)).add(item("second", 200)));
    JsonObject page = AlarmQueries.historyPage(List.of(lane), new JsonObject());
    assertThat(page.getJsonArray("AlarmHistoryItems").stream().map(o -> ((JsonObject) o).getString("HistorySummary")))
        .containsExactly("second", "first", "created");
    JsonObject ascending = AlarmQueries.historyPage(List.of(lane), new JsonObject().put("ScanBy", "TimestampAscending")
        .put("MaxRecords", 2));
    assertThat(ascending.getJsonArray("AlarmHistoryItems").stream().map(o -> ((JsonObject) o).getString("HistorySummary")))
        .containsExactly("created", "first");
    assertThat(ascending.getString("NextToken")).isNotNull();
    JsonObject filter = AlarmQueries.historyFilter(new JsonObject().put("HistoryItemType", "StateUpdate").put("StartDate", 150));
    assertThat(AlarmQueries.historyMatches(item("x", 200).put("HistoryItemType", "StateUpdate"), filter)).isTrue();
    assertThat(AlarmQueries.historyMatches(item("x", 100).put("HistoryItemType", "StateUpdate"), filter)).isFalse();
    assertThat(AlarmQueries.historyMatches(item("x", 200).put("HistoryItemType", "Action"), filter)).isFalse();
  }

  private static JsonObject items(String... names) {
    JsonArray a = new JsonArray();
    for (String n : names) a.add(new JsonObject().put("AlarmName", n));
    return new JsonObject().put("Items", a);
  }

  private static List<String> names(JsonObject page) {
    List<String> out = new ArrayList<>();
    for (Object o : page.getJsonArray("MetricAlarms")) out.add(((JsonObject) o).getString("AlarmName"));
    return out;
  }

  private static JsonObject item(String summary, long seconds) {
    return new JsonObject().put("HistorySummary", summary).put("Timestamp", seconds).put("HistoryItemType", "StateUpdate");
  }
}
