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
import java.util.Set;
import java.util.function.Supplier;

/**
 * The second half of IAM authorization in {@code --auth iam}: the identity step's verdict completed
 * with each target resource's own policy ({@code PolicyEvaluation.complete}), as IAM's evaluation
 * logic has it. An explicit deny in the resource's policy wins over any allow. Within the resource's
 * account either side's allow suffices (a resource policy naming only the account defers to the
 * identity policies); from another account both must allow, so a call on another account's queue,
 * topic, bucket, function or bus needs that resource's policy to let the caller's account or the
 * caller in.
 *
 * <p>As on AWS, an account's root may always read, put and delete its own buckets' policies, whatever
 * they say (the way out of a policy that locks everyone out). A resource whose stored policy does not
 * parse denies everyone but its account's root, who can replace the policy.
 */
public final class ResourceAuthorizer {
  private static final Set<String> ROOT_ALWAYS = Set.of("s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy");

  private final ResourcePolicies policies;

  public ResourceAuthorizer(ResourcePolicies policies) {
    this.policies = policies;
  }

  /**
   * A target the evaluation denies.
   *
   * @param index the target's index in the verdict
   * @param explicit whether a policy denies it explicitly (else nothing allows it)
   * @param type which kind of policy the error message names
   */
  public record Denied(int index, boolean explicit, AccessDenied.PolicyType type) {}

  /** What {@link #completeNow} answers when a resource's policy is not at hand. */
  public static final Denied NOT_YET = new Denied(-1, false, null);

  /**
   * The completed verdict at once when every target resource's policy is at hand: null when every
   * target is allowed, the first denied one, or {@link #NOT_YET} (ask {@link #complete}).
   */
  public Denied completeNow(Caller caller, IdentityVerdict verdict, Supplier<Map<String, List<String>>> context) {
    int explicit = verdict.finalDenial();
    if (explicit >= 0) return new Denied(explicit, verdict.decisions().get(explicit).explicitlyDenied(), AccessDenied.PolicyType.IDENTITY);
    List<Target> targets = verdict.targets();
    for (int i = 0; i < targets.size(); i++) {
      ResourcePolicy p = policies.now(targets.get(i).resource());
      if (p == null) return NOT_YET;
      Denied d = judge(caller, verdict, i, p, context);
      if (d != null) return d;
    }
    return null;
  }

  /**
   * Completes the verdict: null when every target is allowed, else the first denied one. The
   * verdict's explicit denies are final without looking further; the condition keys are built only
   * for a resource with a policy.
   */
  public Future<Denied> complete(Caller caller, IdentityVerdict verdict, Supplier<Map<String, List<String>>> context) {
    int explicit = verdict.finalDenial();
    if (explicit >= 0) {
      return Future.succeededFuture(new Denied(explicit, verdict.decisions().get(explicit).explicitlyDenied(),
          AccessDenied.PolicyType.IDENTITY));
    }
    List<Target> targets = verdict.targets();
    if (targets.size() == 1) {
      Future<ResourcePolicy> policy = policies.of(targets.get(0).resource());
      return policy.map(p -> judge(caller, verdict, 0, p, context));
    }
    List<Future<ResourcePolicy>> all = new ArrayList<>(targets.size());
    for (Target t : targets) all.add(policies.of(t.resource()));
    return Future.all(all).map(v -> {
      for (int i = 0; i < targets.size(); i++) {
        Denied d = judge(caller, verdict, i, all.get(i).result(), context);
        if (d != null) return d;
      }
      return null;
    });
  }

  /** One target's completed decision: null when allowed. */
  static Denied judge(Caller caller, IdentityVerdict verdict, int index, ResourcePolicy resource,
      Map<String, List<String>> context) {
    return judge(caller, verdict, index, resource, () -> context);
  }

  static Denied judge(Caller caller, IdentityVerdict verdict, int index, ResourcePolicy resource,
      Supplier<Map<String, List<String>>> context) {
    Target target = verdict.targets().get(index);
    IdentityDecision identity = verdict.decisions().get(index);
    String callerAccount = Arns.accountOf(caller.arn());
    String account = resource.account() != null ? resource.account() : callerAccount;
    boolean sameAccount = account != null && account.equals(callerAccount);
    if (sameAccount && IdentityAuthorizer.isRoot(caller) && ROOT_ALWAYS.contains(target.action())) return null;
    if (resource.unreadable()) {
      return sameAccount && IdentityAuthorizer.isRoot(caller) ? null : new Denied(index, true, AccessDenied.PolicyType.RESOURCE);
    }
    if (resource.policy() == null) {
      if (sameAccount) return identity.allowed() ? null : new Denied(index, false, AccessDenied.PolicyType.IDENTITY);
      return new Denied(index, false, AccessDenied.PolicyType.RESOURCE);
    }
    Map<String, List<String>> keys = context.get();
    if (!target.keys().isEmpty()) {
      keys = new HashMap<>(keys);
      keys.putAll(target.keys());
    }
    AccessRequest request = AccessRequest.of(Principal.aws(caller.arn()), verdict.principalTags(), target.action(),
        target.resource(), keys);
    Decision decided = PolicyEvaluation.complete(request, new Decision(identity.outcome(), null, null), resource.policy(), account);
    if (decided.allowed()) return null;
    if (decided.explicitlyDenied()) return new Denied(index, true, AccessDenied.PolicyType.RESOURCE);
    return new Denied(index, false, sameAccount ? AccessDenied.PolicyType.IDENTITY : AccessDenied.PolicyType.RESOURCE);
  }
}
