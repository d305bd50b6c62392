package io.eventplane.eventbridge;

import io.eventplane.common.cloudwatch.AwsMetricDatum;
import io.eventplane.common.cloudwatch.AwsMetricSets;
import io.eventplane.common.cloudwatch.AwsMetricSource;
import io.eventplane.eventbridge.delivery.RuleMetrics;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.Target;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One EventBridge lane's rules in CloudWatch's {@code AWS/Events} namespace, as AWS publishes them for
 * each minute a rule is used: dimension {@code RuleName} for a rule of the default bus,
 * {@code EventBusName} and {@code RuleName} for a custom bus's; MatchedEvents, Invocations and
 * InvocationAttempts also without dimensions (the account's), and InvocationAttempts per
 * {@code EventBusName}, as AWS's table lists their dimensions. One value per event, so Sum (and
 * SampleCount) is the minute's count: MatchedEvents and TriggeredRules (an event, put, replayed or a
 * schedule's, matched the rule), InvocationAttempts (every attempt to deliver to a target),
 * Invocations (a target took the event, or EventBridge stopped trying: retries included only when
 * they end), FailedInvocations (stopped trying and no dead-letter queue to send it to),
 * InvocationsSentToDlq and InvocationsFailedToBeSentToDlq (the queue's policy refused, {@code --auth
 * iam}). Lane-confined: recorded and sampled on the lane's context.
 */
final class RuleCloudWatch implements RuleMetrics, AwsMetricSource {
  static final String NAMESPACE = "AWS/Events";

  private static final Map<String, String> UNITS = Map.of(
      "MatchedEvents", "Count", "TriggeredRules", "Count", "InvocationAttempts", "Count", "Invocations", "Count",
      "FailedInvocations", "Count", "InvocationsSentToDlq", "Count", "InvocationsFailedToBeSentToDlq", "Count");

  /** A rule as its metrics name it. */
  private record RuleKey(BusRef bus, String name) {}

  private final AwsMetricSets<RuleKey> sets = new AwsMetricSets<>(NAMESPACE, UNITS);

  private void count(Rule rule, String metric) {
    sets.of(new RuleKey(rule.bus(), rule.name()), metric).add(1);
  }

  @Override
  public void matched(Rule rule) {
    count(rule, "MatchedEvents");
    count(rule, "TriggeredRules");
  }

  @Override
  public void delivered(Rule rule, Target target) {
    count(rule, "InvocationAttempts");
    count(rule, "Invocations");
  }

  @Override
  public void failed(Rule rule, Target target) {
    count(rule, "InvocationAttempts");
  }

  @Override
  public void gaveUp(Rule rule, Target target, boolean toDeadLetterQueue) {
    count(rule, "Invocations");
    if (!toDeadLetterQueue) count(rule, "FailedInvocations");
  }

  @Override
  public void deadLettered(Rule rule, Target target) {
    count(rule, "InvocationsSentToDlq");
  }

  @Override
  public void deadLetterFailed(Rule rule, Target target) {
    count(rule, "InvocationsFailedToBeSentToDlq");
  }

  /** What AWS also publishes without dimensions, for the account as a whole. */
  private static final Set<String> ACCOUNT_WIDE = Set.of("MatchedEvents", "Invocations", "InvocationAttempts");

  @Override
  public List<AwsMetricDatum> sample(long millis) {
    return sets.drain(r -> {
      String account = r.bus().account();
      String region = r.bus().region();
      return List.of(new AwsMetricSets.Where(account, region, r.bus().isDefault()
              ? Map.of("RuleName", r.name()) : Map.of("EventBusName", r.bus().name(), "RuleName", r.name())),
          new AwsMetricSets.Where(account, region, Map.of(), ACCOUNT_WIDE),
          new AwsMetricSets.Where(account, region, Map.of("EventBusName", r.bus().name()), Set.of("InvocationAttempts")));
    });
  }
}
