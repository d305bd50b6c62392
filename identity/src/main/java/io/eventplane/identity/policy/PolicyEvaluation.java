package io.eventplane.identity.policy;

import java.util.List;

/**
 * IAM's policy evaluation logic for identity-based and resource-based policies (the User Guide's
 * "Policy evaluation logic" and "Cross-account policy evaluation logic"), in two steps so that the
 * gateway runs the first per caller and then the second per target resource:
 * <ol>
 *   <li>{@link #identity}: the caller's identity-based policies alone: an explicit deny, an allow, or
 *   nothing;</li>
 *   <li>{@link #complete}: with the resource's own policy and account. An explicit deny in any policy
 *   wins. Within one account an allow from either side suffices, where a resource policy that names the
 *   account (its id or root ARN) rather than the principal only defers to the identity policies. Across
 *   accounts both sides must allow. Service principals and anonymous callers have no identity policies:
 *   only a resource policy can let them in.</li>
 * </ol>
 * Permissions boundaries, session policies and organization SCPs are not evaluated. Stateless.
 */
public final class PolicyEvaluation {
  private PolicyEvaluation() {}

  /** The identity-based step: deny wins over allow; neither is an implicit deny. */
  public static Decision identity(AccessRequest request, List<PolicyDocument> identityPolicies) {
    if (request.principal().type() != Principal.Type.AWS) return Decision.IMPLICIT_DENY;
    Decision allow = null;
    for (PolicyDocument policy : identityPolicies) {
      for (Statement s : policy.statements()) {
        if (s.hasPrincipal()) continue;
        if (s.effect() == Statement.Effect.ALLOW && allow != null) continue;
        if (!s.applies(request)) continue;
        if (s.effect() == Statement.Effect.DENY) return Decision.deny(policy, s);
        allow = Decision.allow(policy, s);
      }
    }
    return allow != null ? allow : Decision.IMPLICIT_DENY;
  }

  /**
   * The whole evaluation with the resource's policy.
   *
   * @param identity the identity step's decision for this request
   * @param resourcePolicy the resource's policy, or null when it has none
   * @param resourceAccount the account that owns the resource
   */
  public static Decision complete(AccessRequest request, Decision identity, PolicyDocument resourcePolicy,
      String resourceAccount) {
    if (identity.explicitlyDenied()) return identity;
    Decision resourceAllow = null;
    boolean principalNamed = false;
    if (resourcePolicy != null) {
      for (Statement s : resourcePolicy.statements()) {
        if (s.effect() == Statement.Effect.ALLOW && resourceAllow != null && principalNamed) continue;
        PrincipalSet.Match match = s.principalMatch(request);
        if (match == PrincipalSet.Match.NONE || !s.applies(request)) continue;
        if (s.effect() == Statement.Effect.DENY) return Decision.deny(resourcePolicy, s);
        if (resourceAllow == null || (!principalNamed && match == PrincipalSet.Match.PRINCIPAL)) {
          resourceAllow = Decision.allow(resourcePolicy, s);
          principalNamed = match == PrincipalSet.Match.PRINCIPAL;
        }
      }
    }
    Principal principal = request.principal();
    if (principal.type() != Principal.Type.AWS) return resourceAllow != null ? resourceAllow : Decision.IMPLICIT_DENY;
    boolean sameAccount = principal.account() != null && principal.account().equals(resourceAccount);
    if (sameAccount) {
      if (identity.allowed()) return identity;
      if (resourceAllow != null && principalNamed) return resourceAllow;
      return Decision.IMPLICIT_DENY;
    }
    if (identity.allowed() && resourceAllow != null) return resourceAllow;
    return Decision.IMPLICIT_DENY;
  }

  /** Both steps at once. */
  public static Decision evaluate(AccessRequest request, List<PolicyDocument> identityPolicies,
      PolicyDocument resourcePolicy, String resourceAccount) {
    return complete(request, identity(request, identityPolicies), resourcePolicy, resourceAccount);
  }
}
