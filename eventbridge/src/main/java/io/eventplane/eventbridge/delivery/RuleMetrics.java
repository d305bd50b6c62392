package io.eventplane.eventbridge.delivery;

import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.Target;

/**
 * Counts what happens to a rule's events and its targets' deliveries, as CloudWatch's AWS/Events
 * metrics do (MatchedEvents, Invocations, FailedInvocations, InvocationsSentToDlq). Called on the
 * lane that owns the bus: matches once the event and its deliveries are committed, the rest when an
 * attempt's outcome is known. {@link #NONE} with {@code --metrics off}: nothing is recorded.
 */
public interface RuleMetrics {
  RuleMetrics NONE = new RuleMetrics() {
    @Override
    public void matched(Rule rule) {}

    @Override
    public void delivered(Rule rule, Target target) {}

    @Override
    public void failed(Rule rule, Target target) {}

    @Override
    public void deadLettered(Rule rule, Target target) {}
  };

  /** An event (put, replayed or a schedule's) matched the rule. */
  void matched(Rule rule);

  /** The target took the event. */
  void delivered(Rule rule, Target target);

  /** One attempt failed (every failed attempt counts, retried or not). */
  void failed(Rule rule, Target target);

  /** The event reached the target's dead-letter queue. */
  void deadLettered(Rule rule, Target target);
}
