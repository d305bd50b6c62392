package io.eventplane.eventbridge.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sources: "recorded" rows were put against AWS in LocalStack's tests/aws/services/events/
 * test_events_schedule.py (valid ones in its snapshot, invalid ones asserting ValidationException
 * "Parameter ScheduleExpression is not valid."); "guide" rows are the EventBridge user guide's
 * "Schedule expressions for rules" examples and rules.
 */
class ScheduleExpressionTest {
  static final Instant ANY = Instant.parse("2024-01-01T00:00:00Z");

  @ParameterizedTest
  @ValueSource(strings = {
      // guide
      "rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(1 day)",
      "cron(0 10 * * ? *)", "cron(15 12 * * ? *)", "cron(0 18 ? * MON-FRI *)", "cron(0 8 1 * ? *)",
      "cron(0/15 * * * ? *)", "cron(0/10 * ? * MON-FRI *)", "cron(0/5 8-17 ? * MON-FRI *)",
      "cron(0/30 20-2 ? * MON-FRI *)", "cron(0 12 * * ? *)", "cron(5,35 14 * * ? *)", "cron(15 10 ? * 6L 2019-2022)",
      // recorded
      "cron(0 2 ? * SAT *)", "cron(15 10 ? * 6L 2002-2005)", "cron(0 2 ? * SAT#3 *)", "cron(* * ? * SAT#3 *)",
      "cron(0/5 5 ? JAN 1-5 2022)", "cron(0/30 20-23 ? * MON-FRI *)", "cron(0/30 0-2 ? * MON-FRI *)", "cron(0 20 * * ? *)",
      // the wildcards the guide lists for each field
      "cron(0 0 L * ? *)", "cron(0 0 LW * ? *)", "cron(0 0 3W * ? *)", "cron(0 0 ? * L *)", "cron(0 0 ? * 3#2 *)",
      "cron(0 0 1-15 JAN,FEB,MAR ? *)", "cron(1/10 * * * ? *)", "cron(0 0 7 * ? 1970-2199)", "cron(0 0 ? * sun *)",
      "cron(0 0 29 2 ? */4)", "cron(59 23 31 DEC ? 2199)", "cron(0 0 ? * FRI-MON *)", "rate(100 days)"})
  void accepts(String text) {
    ScheduleExpression parsed = ScheduleExpression.parse(text);
    assertThat(parsed.text()).isEqualTo(text);
    assertThat(parsed).isInstanceOf(text.startsWith("rate") ? RateExpression.class : CronExpression.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // recorded (rate)
      "rate(10 seconds)", "rate(10 years)", "rate(1 minutes)", "rate(1 hours)", "rate(1 days)", "rate(10 minute)",
      "rate(10 hour)", "rate(10 day)", "rate()", "rate(10)", "rate(10 minutess)", "rate(foo minutes)", "rate(0 minutes)",
      "rate(-10 minutes)", "rate(10 MINUTES)", "rate( 10 minutes )", " rate(10 minutes)",
      // recorded (cron)
      "cron(0 1 * * * *)", "cron(7 20 * * NOT *)", "cron(INVALID)", "cron(0 dummy ? * MON-FRI *)", "cron(71 8 1 * ? *)",
      // guide: only one expression with #, ? in exactly one day field, years 1970-2199, field ranges
      "cron(0 0 ? * 3#1,6#3 *)", "cron(0 0 ? * ? *)", "cron(0 10 * * ? 1969)", "cron(0 10 * * ? 2200)",
      "cron(0 24 * * ? *)", "cron(0 0 32 * ? *)", "cron(0 0 0 * ? *)", "cron(0 0 ? * 8 *)", "cron(0 0 ? * 0 *)",
      "cron(0 0 1 13 ? *)", "cron(0 0 1 0 ? *)", "cron(0 0 ? * 3#6 *)", "cron(0 0 ? * MON/2 *)", "cron(0 0 L-2 * ? *)",
      "cron(? 0 1 * ? *)", "cron(0 0 1 * ? L)", "cron(0 0 1,L * ? *)", "cron(0/0 * * * ? *)", "cron(0/61 * * * ? *)",
      "cron(0 0 1 * ? 2030-2020)",
      // shape
      "cron()", "cron(0 10 * * ?)", "cron(0 10 * * ? * *)", "cron(0  10 * * ? *)", "cron(0 10 * * ? *) ", "CRON(0 10 * * ? *)",
      "cron(0 10 * * ? *", "cron(0 10 * * ? *))", "daily", "", "at(2024-01-01T00:00:00)", "rate(1 minute) "})
  void refusesAsAws(String text) {
    assertThatThrownBy(() -> ScheduleExpression.parse(text))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.error().code()).isEqualTo("ValidationException");
          assertThat(e.error().message()).isEqualTo("Parameter ScheduleExpression is not valid.");
        });
  }

  @Test
  void refusesMoreThan256Characters() {
    String longCron = "cron(0 0 1 * ? " + "2024,".repeat(50) + "2025)";
    assertThatThrownBy(() -> ScheduleExpression.parse(longCron)).isInstanceOf(ServiceException.class);
  }

  static Stream<Arguments> cronFirings() {
    return Stream.of(
        Arguments.of("cron(0 10 * * ? *)", "2024-01-01T09:59:30Z", "2024-01-01T10:00:00Z"),
        Arguments.of("cron(0 10 * * ? *)", "2024-01-01T10:00:00Z", "2024-01-02T10:00:00Z"),
        Arguments.of("cron(15 12 * * ? *)", "2024-12-31T12:15:01Z", "2025-01-01T12:15:00Z"),
        Arguments.of("cron(0 18 ? * MON-FRI *)", "2024-06-14T18:00:00Z", "2024-06-17T18:00:00Z"),
        Arguments.of("cron(0 8 1 * ? *)", "2024-01-15T00:00:00Z", "2024-02-01T08:00:00Z"),
        Arguments.of("cron(0/15 * * * ? *)", "2024-01-01T10:07:00Z", "2024-01-01T10:15:00Z"),
        Arguments.of("cron(0/15 * * * ? *)", "2024-01-01T23:45:00Z", "2024-01-02T00:00:00Z"),
        Arguments.of("cron(1/10 * * * ? *)", "2024-01-01T10:01:00Z", "2024-01-01T10:11:00Z"),
        Arguments.of("cron(0/10 * ? * MON-FRI *)", "2024-06-14T23:55:00Z", "2024-06-17T00:00:00Z"),
        Arguments.of("cron(0/5 8-17 ? * MON-FRI *)", "2024-06-17T17:55:00Z", "2024-06-18T08:00:00Z"),
        Arguments.of("cron(0/30 20-2 ? * MON-FRI *)", "2024-06-17T23:30:00Z", "2024-06-18T00:00:00Z"),
        Arguments.of("cron(0/30 20-2 ? * MON-FRI *)", "2024-06-18T02:30:00Z", "2024-06-18T20:00:00Z"),
        Arguments.of("cron(5,35 14 * * ? *)", "2024-01-01T14:05:00Z", "2024-01-01T14:35:00Z"),
        Arguments.of("cron(15 10 ? * 6L 2019-2022)", "2018-06-01T00:00:00Z", "2019-01-25T10:15:00Z"),
        Arguments.of("cron(15 10 ? * 6L 2019-2022)", "2022-12-30T10:15:00Z", null),
        Arguments.of("cron(0 2 ? * SAT#3 *)", "2024-06-01T00:00:00Z", "2024-06-15T02:00:00Z"),
        Arguments.of("cron(0 0 ? * 3#5 *)", "2024-01-01T00:00:00Z", "2024-01-30T00:00:00Z"),
        Arguments.of("cron(0 0 ? * 3#5 *)", "2024-01-30T00:00:00Z", "2024-04-30T00:00:00Z"),
        Arguments.of("cron(0 0 29 2 ? *)", "2024-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        Arguments.of("cron(0 0 1 1 ? 2199)", "2024-06-01T00:00:00Z", "2199-01-01T00:00:00Z"),
        Arguments.of("cron(0 0 1 1 ? 2199)", "2199-01-01T00:00:00Z", null),
        Arguments.of("cron(0 0 30 2 ? *)", "2024-01-01T00:00:00Z", null),
        Arguments.of("cron(0 12 L * ? *)", "2024-02-01T00:00:00Z", "2024-02-29T12:00:00Z"),
        Arguments.of("cron(0 12 LW * ? *)", "2024-06-01T00:00:00Z", "2024-06-28T12:00:00Z"),
        Arguments.of("cron(0 12 15W * ? *)", "2024-06-01T00:00:00Z", "2024-06-14T12:00:00Z"),
        Arguments.of("cron(0 12 16W * ? *)", "2024-06-01T00:00:00Z", "2024-06-17T12:00:00Z"),
        Arguments.of("cron(0 12 1W * ? *)", "2024-06-01T00:00:00Z", "2024-06-03T12:00:00Z"),
        Arguments.of("cron(0 12 30W * ? *)", "2024-06-01T00:00:00Z", "2024-06-28T12:00:00Z"),
        Arguments.of("cron(0 12 31W * ? *)", "2024-06-01T00:00:00Z", "2024-07-31T12:00:00Z"),
        Arguments.of("cron(0 12 ? * L *)", "2024-06-01T12:00:00Z", "2024-06-08T12:00:00Z"),
        Arguments.of("cron(0 0 ? * FRI-MON *)", "2024-06-18T00:00:00Z", "2024-06-21T00:00:00Z"),
        Arguments.of("cron(0 0 1 NOV-FEB ? *)", "2024-03-01T00:00:00Z", "2024-11-01T00:00:00Z"),
        Arguments.of("cron(* * ? * SAT#3 *)", "2024-06-15T23:59:00Z", "2024-07-20T00:00:00Z"),
        Arguments.of("cron(0 0 1 1 ? *)", "1960-01-01T00:00:00Z", "1970-01-01T00:00:00Z"));
  }

  @ParameterizedTest(name = "{0} after {1}")
  @MethodSource("cronFirings")
  void cronNextFiring(String text, String after, String expected) {
    Optional<Instant> next = ScheduleExpression.parse(text).next(ANY, Instant.parse(after));
    assertThat(next).isEqualTo(Optional.ofNullable(expected).map(Instant::parse));
  }

  static Stream<Arguments> rateFirings() {
    return Stream.of(
        Arguments.of("rate(5 minutes)", "2024-01-01T10:02:30Z", "2024-01-01T10:02:30Z", "2024-01-01T10:07:00Z"),
        Arguments.of("rate(5 minutes)", "2024-01-01T10:02:30Z", "2024-01-01T10:06:59Z", "2024-01-01T10:07:00Z"),
        Arguments.of("rate(5 minutes)", "2024-01-01T10:02:30Z", "2024-01-01T10:07:00Z", "2024-01-01T10:12:00Z"),
        Arguments.of("rate(5 minutes)", "2024-01-01T10:02:30Z", "2024-01-01T09:00:00Z", "2024-01-01T10:07:00Z"),
        Arguments.of("rate(1 minute)", "2024-01-01T10:02:30Z", "2024-01-01T11:00:00.5Z", "2024-01-01T11:01:00Z"),
        Arguments.of("rate(1 hour)", "2024-01-01T10:02:30Z", "2024-01-01T23:30:00Z", "2024-01-02T00:02:00Z"),
        Arguments.of("rate(1 day)", "2024-02-28T10:02:30Z", "2024-02-28T10:03:00Z", "2024-02-29T10:02:00Z"),
        Arguments.of("rate(3 days)", "2024-01-01T00:00:00Z", "2024-01-04T00:00:00Z", "2024-01-07T00:00:00Z"));
  }

  @ParameterizedTest(name = "{0} from {1} after {2}")
  @MethodSource("rateFirings")
  void rateNextFiring(String text, String start, String after, String expected) {
    assertThat(ScheduleExpression.parse(text).next(Instant.parse(start), Instant.parse(after)))
        .contains(Instant.parse(expected));
  }

  @Test
  void rateParts() {
    RateExpression rate = (RateExpression) ScheduleExpression.parse("rate(15 hours)");
    assertThat(rate.value()).isEqualTo(15);
    assertThat(rate.unit()).isEqualTo(ChronoUnit.HOURS);
    assertThat(rate.period()).isEqualTo(Duration.ofHours(15));
  }

  @Test
  void sparseExpressionsFindTheirRareFiringsOrNone() {
    // Answered field by field (year, month, day, ...), not by scanning minutes to 2199.
    CronExpression never = (CronExpression) ScheduleExpression.parse("cron(0 0 30 2 ? *)");
    CronExpression leap = (CronExpression) ScheduleExpression.parse("cron(59 23 29 2 ? *)");
    assertThat(never.next(ANY)).isEmpty();
    assertThat(leap.next(Instant.parse("2100-01-01T00:00:00Z"))).contains(Instant.parse("2104-02-29T23:59:00Z"));
  }
}
