package io.eventplane.identity.policy;

import java.util.List;

/**
 * One compiled statement of a policy: its effect, the actions and resources it covers (or, with
 * NotAction/NotResource, everything but them), the principals it names (resource policies) and its
 * conditions. Immutable; safe to evaluate from any number of threads.
 */
public final class Statement {
  public enum Effect { ALLOW, DENY }

  private final int index;
  private final String sid;
  private final Effect effect;
  private final Wildcard[] actions;
  private final boolean notAction;
  private final Wildcard[] resources; // null: the policy has no Resource element (a trust policy)
  private final boolean notResource;
  private final PrincipalSet principals; // null: no Principal element (an identity policy)
  private final boolean notPrincipal;
  private final Condition[] conditions;

  Statement(int index, String sid, Effect effect, List<Wildcard> actions, boolean notAction, List<Wildcard> resources,
      boolean notResource, PrincipalSet principals, boolean notPrincipal, List<Condition> conditions) {
    this.index = index;
    this.sid = sid;
    this.effect = effect;
    this.actions = actions.toArray(Wildcard[]::new);
    this.notAction = notAction;
    this.resources = resources == null ? null : resources.toArray(Wildcard[]::new);
    this.notResource = notResource;
    this.principals = principals;
    this.notPrincipal = notPrincipal;
    this.conditions = conditions.toArray(Condition[]::new);
  }

  /** The statement's position in its policy, from 0. */
  public int index() {
    return index;
  }

  /** The statement's Sid, or null. */
  public String sid() {
    return sid;
  }

  public Effect effect() {
    return effect;
  }

  /**
   * Whether the statement applies by action and resource alone: no Condition element and no policy
   * variable in its resources (nor a Principal element, which only resource policies have).
   */
  boolean contextFree() {
    if (conditions.length > 0 || principals != null) return false;
    if (resources != null) for (Wildcard w : resources) if (w.hasVariable()) return false;
    for (Wildcard w : actions) if (w.hasVariable()) return false;
    return true;
  }

  boolean hasPrincipal() {
    return principals != null;
  }

  /** Whether action, resource and conditions apply to the request (the Principal element aside). */
  boolean applies(AccessRequest request) {
    return matchesAction(request.action()) && matchesResource(request) && conditionsHold(request.context());
  }

  /** How this statement's Principal/NotPrincipal element names the request's principal. */
  PrincipalSet.Match principalMatch(AccessRequest request) {
    if (principals == null) return PrincipalSet.Match.NONE;
    PrincipalSet.Match m = principals.match(request);
    if (!notPrincipal) return m;
    return m == PrincipalSet.Match.NONE ? PrincipalSet.Match.PRINCIPAL : PrincipalSet.Match.NONE;
  }

  private boolean matchesAction(String action) {
    boolean any = false;
    for (Wildcard w : actions) {
      if (w.matches(action, null)) {
        any = true;
        break;
      }
    }
    return any != notAction;
  }

  private boolean matchesResource(AccessRequest request) {
    if (resources == null) return true;
    String resource = request.resource() == null ? "*" : request.resource();
    boolean any = false;
    for (Wildcard w : resources) {
      if (w.matches(resource, request.context())) {
        any = true;
        break;
      }
    }
    return any != notResource;
  }

  private boolean conditionsHold(RequestContext context) {
    for (Condition c : conditions) if (!c.test(context)) return false;
    return true;
  }

  @Override
  public String toString() {
    return "Statement[" + index + (sid == null ? "" : ", Sid " + sid) + ", " + effect + "]";
  }
}
