package io.eventplane.gateway.authz;

import io.eventplane.identity.policy.Decision;
import java.util.Objects;

/**
 * The identity step's answer for one target, in a compact form: the outcome, and for an allow or an
 * explicit deny the deciding policy's name and statement Sid (for error messages and tests).
 *
 * @param policyName the deciding policy's name; {@link #ROOT} for the account's root, null for an implicit deny
 * @param sid the deciding statement's Sid, or null (none, or an implicit deny)
 */
public record IdentityDecision(Decision.Outcome outcome, String policyName, String sid) {
  /** The policy name of the root's allow: the account's root user (and the admin key) may do anything in its account. */
  public static final String ROOT = "(root)";
  public static final IdentityDecision IMPLICIT_DENY = new IdentityDecision(Decision.Outcome.IMPLICIT_DENY, null, null);
  public static final IdentityDecision ROOT_ALLOW = new IdentityDecision(Decision.Outcome.ALLOW, ROOT, null);

  public IdentityDecision {
    Objects.requireNonNull(outcome, "outcome");
  }

  public boolean allowed() {
    return outcome == Decision.Outcome.ALLOW;
  }

  public boolean explicitlyDenied() {
    return outcome == Decision.Outcome.EXPLICIT_DENY;
  }
}
