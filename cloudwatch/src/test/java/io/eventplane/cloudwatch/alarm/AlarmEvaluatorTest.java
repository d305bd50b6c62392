package io.eventplane.cloudwatch.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The alarm evaluation against AWS's documented examples ("How alarm state is evaluated when data is
 * missing"): datapoints oldest first, 0 within the threshold, X breaching, - missing; the expected
 * state for missing, ignore, breaching and notBreaching (RETAIN: the state stays as it was).
 */
class AlarmEvaluatorTest {
  private static final Instant NOW = Instant.parse("2026-12-06T02:05:00Z");

  @ParameterizedTest(name = "{0} of {1}: {2}")
  @CsvSource({
      // Datapoints to Alarm 3 of Evaluation Periods 3
      "3, 3, 0-X-X, OK, OK, OK, OK",
      "3, 3, 0----, OK, OK, OK, OK",
      "3, 3, -----, INSUFFICIENT_DATA, RETAIN, ALARM, OK",
      "3, 3, 0XX-X, ALARM, ALARM, ALARM, ALARM",
      "3, 3, ----X, INSUFFICIENT_DATA, RETAIN, ALARM, OK",
      // AWS's table gives ALARM for missing here; see AlarmEvaluator's comment.
      "3, 3, X----, INSUFFICIENT_DATA, RETAIN, ALARM, OK",
      // 2 of 3
      "2, 3, 0-X-X, ALARM, ALARM, ALARM, ALARM",
      "2, 3, 00X0X, ALARM, ALARM, ALARM, ALARM",
      "2, 3, 0-X--, OK, OK, ALARM, OK",
      "2, 3, ----0, OK, OK, ALARM, OK",
      "2, 3, ----X, INSUFFICIENT_DATA, RETAIN, ALARM, OK",
  })
  void awsExamples(int m, int n, String points, String missing, String ignore, String breaching, String notBreaching) {
    String[] expected = {missing, ignore, breaching, notBreaching};
    TreatMissingData[] treatments = {TreatMissingData.MISSING, TreatMissingData.IGNORE, TreatMissingData.BREACHING,
        TreatMissingData.NOT_BREACHING};
    for (int i = 0; i < treatments.length; i++) {
      Evaluation e = AlarmEvaluator.evaluate(rule(m, n, treatments[i]), range(points), NOW);
      assertThat(e.retains() ? "RETAIN" : e.state().name()).as(treatments[i].wireName()).isEqualTo(expected[i]);
    }
  }

  @Test
  void theReasonNamesTheBreachingDatapointsMostRecentFirst() {
    Evaluation e = AlarmEvaluator.evaluate(rule(2, 3, TreatMissingData.MISSING), range("0X0XX"), NOW);
    assertThat(e.state()).isEqualTo(AlarmState.ALARM);
    assertThat(e.reason()).isEqualTo("Threshold Crossed: 2 out of the last 3 datapoints [5.0 (06/12/26 02:04:00), "
        + "5.0 (06/12/26 02:03:00)] were greater than or equal to the threshold (1.0) (minimum 2 datapoints for "
        + "OK -> ALARM transition).");
    assertThat(e.reasonData().getString("queryDate")).isEqualTo("2026-12-06T02:05:00.000+0000");
    assertThat(e.reasonData().getString("startDate")).isEqualTo("2026-12-06T02:00:00.000+0000");
    assertThat(e.reasonData().getJsonArray("recentDatapoints")).containsExactly(0.0, 5.0, 0.0, 5.0, 5.0);
    assertThat(e.reasonData().getJsonArray("evaluatedDatapoints")).hasSize(3);
    assertThat(e.reasonData().getJsonArray("evaluatedDatapoints").getJsonObject(0).getString("timestamp"))
        .isEqualTo("2026-12-06T02:04:00.000+0000");
  }

  @Test
  void anOkReasonNamesTheDatapointsWithinTheThreshold() {
    Evaluation e = AlarmEvaluator.evaluate(rule(1, 1, TreatMissingData.MISSING), range("X0"), NOW);
    assertThat(e.state()).isEqualTo(AlarmState.OK);
    assertThat(e.reason()).isEqualTo("Threshold Crossed: 1 out of the last 1 datapoints [0.0 (06/12/26 02:04:00)] "
        + "was not greater than or equal to the threshold (1.0) (minimum 1 datapoint for ALARM -> OK transition).");
  }

  @Test
  void noDataAtAllIsInsufficientData() {
    Evaluation e = AlarmEvaluator.evaluate(rule(1, 1, TreatMissingData.MISSING), range("---"), NOW);
    assertThat(e.state()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
    assertThat(e.reason()).isEqualTo("Insufficient Data: 1 datapoint was unknown.");
  }

  @Test
  void everyComparisonOperator() {
    assertThat(ComparisonOperator.GreaterThanOrEqualToThreshold.breaches(1, 1)).isTrue();
    assertThat(ComparisonOperator.GreaterThanThreshold.breaches(1, 1)).isFalse();
    assertThat(ComparisonOperator.LessThanThreshold.breaches(0.5, 1)).isTrue();
    assertThat(ComparisonOperator.LessThanThreshold.breaches(1, 1)).isFalse();
    assertThat(ComparisonOperator.LessThanOrEqualToThreshold.breaches(1, 1)).isTrue();
  }

  private static AlarmRule rule(int m, int n, TreatMissingData treat) {
    return new AlarmRule(ComparisonOperator.GreaterThanOrEqualToThreshold, 1.0, n, m, treat, 60, "Maximum");
  }

  /** One minute per character, ending at the minute before NOW: 0 is 0.0, X is 5.0, - is missing. */
  private static List<PeriodValue> range(String points) {
    List<PeriodValue> range = new ArrayList<>();
    Instant start = NOW.minusSeconds(60L * points.length());
    for (int i = 0; i < points.length(); i++) {
      Instant at = start.plusSeconds(60L * i);
      char c = points.charAt(i);
      range.add(c == '-' ? PeriodValue.missing(at) : PeriodValue.of(at, c == 'X' ? 5.0 : 0.0, 1));
    }
    return range;
  }
}
