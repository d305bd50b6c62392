package io.eventplane.gateway.authz;

import java.util.List;
import java.util.Map;

/**
 * The identity step's decisions for all the targets of one call, in the targets' order.
 * {@link #denied()} is the first target the identity policies deny explicitly, else null: an
 * explicit deny is final, whatever the resource's policy says. An implicit deny is not final yet
 * (the resource's policy may allow the caller): {@link ResourceAuthorizer} completes it, with the
 * principal's tags ({@code principalTags}, for aws:PrincipalTag in resource policies).
 */
public record IdentityVerdict(List<Target> targets, List<IdentityDecision> decisions, Map<String, String> principalTags) {
  public IdentityVerdict {
    targets = List.copyOf(targets);
    decisions = List.copyOf(decisions);
    principalTags = Map.copyOf(principalTags);
    if (targets.size() != decisions.size()) throw new IllegalArgumentException("one decision per target");
  }

  /** A verdict for a principal without tags. */
  public IdentityVerdict(List<Target> targets, List<IdentityDecision> decisions) {
    this(targets, decisions, Map.of());
  }

  /** The index of the first explicitly denied target, or -1. */
  public int denied() {
    for (int i = 0; i < decisions.size(); i++) if (decisions.get(i).explicitlyDenied()) return i;
    return -1;
  }

  /**
   * The index of the first target denied for good at the identity step, or -1: an explicit deny, or
   * an implicit deny of an action no resource policy can grant (iam:PassRole: a role's trust policy
   * governs assuming it, never passing it).
   */
  public int finalDenial() {
    int explicit = denied();
    if (explicit >= 0) return explicit;
    for (int i = 0; i < decisions.size(); i++) {
      if (!decisions.get(i).allowed() && targets.get(i).action().equals("iam:PassRole")) return i;
    }
    return -1;
  }

  /** The index of the first target that is not allowed (explicitly or implicitly denied), or -1. */
  public int notAllowed() {
    int explicit = denied();
    if (explicit >= 0) return explicit;
    for (int i = 0; i < decisions.size(); i++) if (!decisions.get(i).allowed()) return i;
    return -1;
  }

  public boolean allAllowed() {
    return notAllowed() < 0;
  }
}
