package io.eventplane.eventbridge.schedule;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import java.time.Instant;
import java.util.Optional;

/**
 * A rule's {@code ScheduleExpression}: {@code rate(value unit)} or EventBridge's six-field
 * {@code cron(Minutes Hours Day-of-month Month Day-of-week Year)}, in UTC, to the minute.
 *
 * <p>Parse once when the rule is put; values are immutable and thread-safe.
 */
public sealed interface ScheduleExpression permits RateExpression, CronExpression {
  /** What EventBridge answers for every schedule expression it refuses (ValidationException). */
  String INVALID = "Parameter ScheduleExpression is not valid.";

  /**
   * The expression, or a {@link ServiceException} {@code ValidationException} "Parameter
   * ScheduleExpression is not valid." when EventBridge refuses it. The text must be exact: no
   * surrounding blanks, lower-case {@code rate}/{@code cron} and units.
   */
  static ScheduleExpression parse(String text) {
    if (text == null || text.length() > 256) throw invalid();
    if (text.startsWith("rate(")) return RateExpression.parseRate(text);
    if (text.startsWith("cron(")) return CronExpression.parseCron(text);
    throw invalid();
  }

  /** The expression as given (ListRules and DescribeRule answer it unchanged). */
  String text();

  /**
   * The first firing strictly after {@code after}, on a minute boundary, or empty when there is
   * none (a cron whose years are past, or a date that never exists such as 30 February).
   *
   * @param start when the rule's schedule began (the rule was put or enabled); rate expressions
   *     count their periods from its minute, cron expressions ignore it
   */
  Optional<Instant> next(Instant start, Instant after);

  static ServiceException invalid() {
    return new ServiceException(ServiceError.sender("ValidationException", INVALID));
  }
}
