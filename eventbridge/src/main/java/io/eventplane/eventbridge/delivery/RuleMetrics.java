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

  /**
   * EventBridge stopped trying to deliver the event to the target (a client error, retries or age used
   * up): once per event and target; {@code toDeadLetterQueue} when the target has one to try.
   */
  default void gaveUp(Rule rule, Target target, boolean toDeadLetterQueue) {}

  /** The event could not be sent to the target's dead-letter queue and is gone (its policy refused). */
  default void deadLetterFailed(Rule rule, Target target) {}

  /** Both recorders (the node's Prometheus meters and CloudWatch's AWS/Events counts), {@code a} first. */
  static RuleMetrics both(RuleMetrics a, RuleMetrics b) {
    if (a == NONE) return b;
    if (b == NONE) return a;
    return new RuleMetrics() {
      @Override
      public void matched(Rule rule) {
        a.matched(rule);
        b.matched(rule);
      }

      @Override
      public void delivered(Rule rule, Target target) {
        a.delivered(rule, target);
        b.delivered(rule, target);
      }

      @Override
      public void failed(Rule rule, Target target) {
        a.failed(rule, target);
        b.failed(rule, target);
      }

      @Override
      public void deadLettered(Rule rule, Target target) {
        a.deadLettered(rule, target);
        b.deadLettered(rule, target);
      }

      @Override
      public void gaveUp(Rule rule, Target target, boolean toDeadLetterQueue) {
        a.gaveUp(rule, target, toDeadLetterQueue);
        b.gaveUp(rule, target, toDeadLetterQueue);
      }

      @Override
      public void deadLetterFailed(Rule rule, Target target) {
        a.deadLetterFailed(rule, target);
        b.deadLetterFailed(rule, target);
      }
    };
  }
}
