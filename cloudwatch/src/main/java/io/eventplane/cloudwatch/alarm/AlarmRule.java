package io.eventplane.cloudwatch.alarm;

/**
 * What an alarm checks each period: "M out of N" ({@code datapointsToAlarm} of the last
 * {@code evaluationPeriods} datapoints) compared with a static threshold, and how a period without
 * data counts. {@code statistic} is the statistic's name as the alarm's reason data shows it
 * (Maximum, Sum, p90...).
 */
public record AlarmRule(ComparisonOperator comparison, double threshold, int evaluationPeriods,
    int datapointsToAlarm, TreatMissingData treatMissingData, int periodSeconds, String statistic) {
  public AlarmRule {
    if (evaluationPeriods < 1 || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
      throw new IllegalArgumentException("datapointsToAlarm " + datapointsToAlarm + " of " + evaluationPeriods);
    }
  }

  /**
   * How many periods back the evaluation looks: AWS retrieves more than EvaluationPeriods so that a
   * few missing periods can be skipped (its documented examples take 5 for 3).
   */
  public int rangePeriods() {
    return evaluationPeriods + 2;
  }
}
