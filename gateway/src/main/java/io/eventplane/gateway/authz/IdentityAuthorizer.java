package io.eventplane.gateway.authz;

import io.eventplane.common.bus.Caller;
import io.eventplane.identity.policy.AccessRequest;
import io.eventplane.identity.policy.Decision;
import io.eventplane.identity.policy.PolicyEvaluation;
import io.eventplane.identity.policy.Principal;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gateway's half of IAM authorization in {@code --auth iam}: evaluates the caller's
 * identity-based policies for each target of a call (IAM's "Policy evaluation logic" up to the
 * resource-based policies, which the lane owning the resource adds with
 * {@code PolicyEvaluation.complete}).
 *
 * <p>The account's root user (and the admin key, which signs as the root) has no policies and may
 * do everything in its account: its decision is an allow without asking the policy source. Other
 * principals' compiled policies come from an asynchronous source (the identity service: inline,
 * attached and group policies) and are kept per principal ARN until {@link #invalidate} says one
 * changed. A failed lookup is not kept. Evaluation itself is synchronous and allocation-light: one
 * context map per call, one request object per target.
 */
public final class IdentityAuthorizer {
  private final Function<Caller, Future<PrincipalPolicies>> source;
  private final int maxCached;
  private final ConcurrentHashMap<String, Future<PrincipalPolicies>> cache = new ConcurrentHashMap<>();

  /**
   * @param source a principal's identity policies (never called for the root)
   * @param maxCached how many principals' policies to keep; the cache is dropped whole when full
   */
  public IdentityAuthorizer(Function<Caller, Future<PrincipalPolicies>> source, int maxCached) {
    this.source = source;
    this.maxCached = maxCached;
  }

  /** The identity decisions for the call's targets, the caller's policies fetched (or cached) first. */
  public Future<IdentityVerdict> authorize(Caller caller, List<Target> targets, Map<String, List<String>> context) {
    return authorize(caller, targets, () -> context);
  }

  /**
   * As {@link #authorize(Caller, List, Map)}, the request's condition keys asked for only when a
   * policy needs them (one with a condition or a policy variable).
   */
  public Future<IdentityVerdict> authorize(Caller caller, List<Target> targets, Supplier<Map<String, List<String>>> context) {
    if (isRoot(caller)) return Future.succeededFuture(rootVerdict(targets));
    return CallersContext.of(policies(caller)).map(p -> decide(caller, p, targets, context));
  }

  /**
   * The verdict at once when the caller's policies are at hand (the root's need none; others' read
   * before and still kept), else null: the caller then asks {@link #authorize}. Most calls take this
   * way, with no future in between.
   */
  public IdentityVerdict decideNow(Caller caller, List<Target> targets, Supplier<Map<String, List<String>>> context) {
    if (isRoot(caller)) return rootVerdict(targets);
    Future<PrincipalPolicies> cached = cache.get(caller.arn());
    if (cached == null || !cached.succeeded()) return null;
    return decide(caller, cached.result(), targets, context);
  }

  /**
   * The identity step for a parsed call: its targets from the service's action table, the request's
   * condition keys, the verified caller of the context.
   *
   * @throws IllegalArgumentException when the table has no entry for the operation
   * @throws IllegalStateException when the context carries no verified caller (signatures not verified)
   */
  public Future<IdentityVerdict> authorize(ServiceActions table, ApiCall call, io.eventplane.common.bus.RequestContext context,
      RequestFacts facts) {
    Caller caller = context.caller();
    if (caller == null) throw new IllegalStateException("no verified caller: identity policies need --auth iam");
    return authorize(caller, table.targets(call, context), facts.conditionKeys(caller));
  }

  /** The identity decisions for the given policies (synchronous, no lookups). */
  public static IdentityVerdict decide(Caller caller, PrincipalPolicies policies, List<Target> targets,
      Map<String, List<String>> context) {
    return decide(caller, policies, targets, () -> context);
  }

  /**
   * The identity decisions for the given policies. Policies without conditions and policy variables
   * decide by action and resource alone: their answers are remembered with them and the request's
   * condition keys are never built.
   */
  static IdentityVerdict decide(Caller caller, PrincipalPolicies policies, List<Target> targets,
      Supplier<Map<String, List<String>>> context) {
    if (isRoot(caller)) return rootVerdict(targets);
    Principal principal = null;
    List<IdentityDecision> decisions = new ArrayList<>(targets.size());
    for (Target t : targets) {
      IdentityDecision d;
      if (policies.contextFree()) {
        d = policies.remembered(t.action(), t.resource());
        if (d == null) {
          d = evaluate(Principal.aws(caller.arn()), policies, t, Map.of());
          policies.remember(t.action(), t.resource(), d);
        }
      } else {
        Map<String, List<String>> keys = context.get();
        if (!t.keys().isEmpty()) {
          keys = new HashMap<>(keys);
          keys.putAll(t.keys());
        }
        if (principal == null) principal = Principal.aws(caller.arn());
        d = evaluate(principal, policies, t, keys);
      }
      decisions.add(d);
    }
    return new IdentityVerdict(targets, decisions, policies.tags());
  }

  private static IdentityDecision evaluate(Principal principal, PrincipalPolicies policies, Target t,
      Map<String, List<String>> keys) {
    AccessRequest request = AccessRequest.of(principal, policies.tags(), t.action(), t.resource(), keys);
    Decision d = PolicyEvaluation.identity(request, policies.documents());
    return d.policy() == null ? IdentityDecision.IMPLICIT_DENY
        : new IdentityDecision(d.outcome(), policies.nameOf(d.policy()), d.statement() == null ? null : d.statement().sid());
  }

  /** Forgets a principal's policies (a policy of it, its group or its role changed), and its role's sessions'. */
  public void invalidate(String principalArn) {
    cache.remove(principalArn);
    String sessions = sessionsPrefix(principalArn);
    if (sessions != null) cache.keySet().removeIf(k -> k.startsWith(sessions));
  }

  /** Forgets every principal's policies (a managed policy changed: any principal may have it attached). */
  public void invalidateAll() {
    cache.clear();
  }

  private Future<PrincipalPolicies> policies(Caller caller) {
    Future<PrincipalPolicies> cached = cache.get(caller.arn());
    if (cached != null) return cached;
    if (cache.size() >= maxCached) cache.clear();
    Future<PrincipalPolicies> fetched = source.apply(caller);
    Future<PrincipalPolicies> raced = cache.putIfAbsent(caller.arn(), fetched);
    if (raced != null) return raced;
    fetched.onFailure(e -> cache.remove(caller.arn(), fetched));
    return fetched;
  }

  static boolean isRoot(Caller caller) {
    return caller.arn().endsWith(":root");
  }

  private static IdentityVerdict rootVerdict(List<Target> targets) {
    List<IdentityDecision> all = new ArrayList<>(targets.size());
    for (int i = 0; i < targets.size(); i++) all.add(IdentityDecision.ROOT_ALLOW);
    return new IdentityVerdict(targets, all);
  }

  /** {@code arn:aws:iam::A:role/path/R} to {@code arn:aws:sts::A:assumed-role/R/}; null for anything else. */
  static String sessionsPrefix(String arn) {
    int role = arn.indexOf(":role/");
    if (!arn.startsWith("arn:") || role < 0) return null;
    String head = arn.substring(0, role);
    String name = arn.substring(arn.lastIndexOf('/') + 1);
    return head.replace(":iam::", ":sts::") + ":assumed-role/" + name + "/";
  }
}
