package io.eventplane.gateway.authz;

import io.eventplane.identity.policy.Decision;
import io.vertx.core.json.JsonArray;
import java.util.Objects;

/**
 * The identity step's answer for one target, in the compact form that travels with the request to
 * the lane owning the resource: the outcome, and for an allow or an explicit deny the deciding
 * policy's name and statement Sid. On the wire a JSON array {@code ["ALLOW","name","Sid"]} (names
 * and Sid may be null).
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

  public JsonArray toWire() {
    return new JsonArray().add(outcome.name()).add(policyName).add(sid);
  }

  /** The decision a wire array carries; IllegalArgumentException for anything else. */
  public static IdentityDecision fromWire(JsonArray wire) {
    if (wire == null || wire.size() != 3 || !(wire.getValue(0) instanceof String outcome)) {
      throw new IllegalArgumentException("not an identity decision: " + wire);
    }
    return new IdentityDecision(Decision.Outcome.valueOf(outcome), text(wire.getValue(1)), text(wire.getValue(2)));
  }

  private static String text(Object v) {
    if (v == null || v instanceof String) return (String) v;
    throw new IllegalArgumentException("not an identity decision member: " + v);
  }
}
