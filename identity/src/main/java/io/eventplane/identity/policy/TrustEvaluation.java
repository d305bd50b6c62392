package io.eventplane.identity.policy;

/**
 * Whether a role's trust policy lets a principal take the role ({@code sts:AssumeRole}, and
 * {@code sts:TagSession} / {@code sts:SetSourceIdentity} when the call passes session tags or a
 * source identity), as IAM decides it. The trust policy is the role's resource policy, but unlike
 * other resource policies it must always allow: an identity policy alone never lets anyone assume
 * a role. Within the role's account a trust policy naming the principal (or, for a role session,
 * its role) suffices; one naming the account only defers to the principal's identity policies, as
 * across accounts, where both must allow. An explicit deny on either side wins. Stateless.
 */
public final class TrustEvaluation {
  private TrustEvaluation() {}

  /**
   * @param request the principal, the action, the role's ARN as resource, and the context
   *     (sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity, aws:RequestTag/..., aws:TagKeys)
   * @param identity the identity-based step's decision for the same request
   * @param trust the role's trust policy
   * @param roleAccount the account that owns the role
   */
  public static Decision evaluate(AccessRequest request, Decision identity, PolicyDocument trust, String roleAccount) {
    if (identity.explicitlyDenied()) return identity;
    Principal principal = request.principal();
    if (principal.type() != Principal.Type.AWS) return Decision.IMPLICIT_DENY;
    Decision allow = null;
    boolean principalNamed = false;
    for (Statement s : trust.statements()) {
      PrincipalSet.Match match = s.principalMatch(request);
      if (match == PrincipalSet.Match.NONE || !s.applies(request)) continue;
      if (s.effect() == Statement.Effect.DENY) return Decision.deny(trust, s);
      if (allow == null || (!principalNamed && match == PrincipalSet.Match.PRINCIPAL)) {
        allow = Decision.allow(trust, s);
        principalNamed = match == PrincipalSet.Match.PRINCIPAL;
      }
    }
    if (allow == null) return Decision.IMPLICIT_DENY;
    boolean sameAccount = roleAccount.equals(principal.account());
    if (sameAccount && principalNamed) return allow;
    return identity.allowed() ? allow : Decision.IMPLICIT_DENY;
  }
}
