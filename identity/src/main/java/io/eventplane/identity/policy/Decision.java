package io.eventplane.identity.policy;

/**
 * The answer of a policy evaluation: an explicit deny, an allow, or an implicit deny (nothing
 * allowed). For the first two, the policy and statement that decided, for error messages and tests;
 * {@code policy} is null for an implicit deny.
 */
public record Decision(Outcome outcome, PolicyDocument policy, Statement statement) {
  public enum Outcome { EXPLICIT_DENY, ALLOW, IMPLICIT_DENY }

  static final Decision IMPLICIT_DENY = new Decision(Outcome.IMPLICIT_DENY, null, null);

  static Decision deny(PolicyDocument policy, Statement statement) {
    return new Decision(Outcome.EXPLICIT_DENY, policy, statement);
  }

  static Decision allow(PolicyDocument policy, Statement statement) {
    return new Decision(Outcome.ALLOW, policy, statement);
  }

  public boolean allowed() {
    return outcome == Outcome.ALLOW;
  }

  public boolean explicitlyDenied() {
    return outcome == Outcome.EXPLICIT_DENY;
  }
}
