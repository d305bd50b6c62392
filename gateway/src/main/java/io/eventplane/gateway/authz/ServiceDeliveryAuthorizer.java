package io.eventplane.gateway.authz;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.identity.policy.AccessRequest;
import io.eventplane.identity.policy.Decision;
import io.eventplane.identity.policy.PolicyEvaluation;
import io.eventplane.identity.policy.Principal;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * {@link DeliveryAuthorization} in {@code --auth iam}: a service principal has no identity policies,
 * so only the destination's own policy can let it deliver, as on AWS (a queue policy allowing
 * {@code sns.amazonaws.com} {@code sqs:SendMessage} for the topic's ARN, a function permission for
 * {@code s3.amazonaws.com}, ...). The destination's policy comes from the node's
 * {@link ResourcePolicies}, so a policy just set is read at once on the node that set it and after
 * its change notice elsewhere.
 */
public final class ServiceDeliveryAuthorizer implements DeliveryAuthorization {
  private static final String SOURCE_ARN = "aws:SourceArn";
  private static final String SOURCE_ACCOUNT = "aws:SourceAccount";
  private static final Decision NO_IDENTITY = new Decision(Decision.Outcome.IMPLICIT_DENY, null, null);

  private final ResourcePolicies policies;

  public ServiceDeliveryAuthorizer(ResourcePolicies policies) {
    this.policies = policies;
  }

  @Override
  public boolean judges() {
    return true;
  }

  /**
   * A policy already read (the usual case) is judged at once, in the same turn, so a sender keeps its
   * batching; one still being read is judged on the caller's context ({@link ResourcePolicies#of}).
   */
  @Override
  public Future<Verdict> authorize(Delivery d) {
    return policies.of(d.destinationArn()).map(resource -> judge(d, resource))
        .otherwise(e -> Verdict.unavailable(d.destinationArn() + ": " + e.getMessage()));
  }

  static Verdict judge(Delivery d, ResourcePolicy resource) {
    String refused = d.servicePrincipal() + " may not perform " + d.action() + " on " + d.destinationArn() + " for "
        + d.sourceArn();
    if (resource.unreadable()) return Verdict.denied(refused + ": its policy does not parse");
    if (resource.policy() == null) return Verdict.denied(refused + ": the resource has no policy allowing it");
    Map<String, List<String>> keys = d.sourceAccount() == null
        ? Map.of(SOURCE_ARN, List.of(d.sourceArn()))
        : Map.of(SOURCE_ARN, List.of(d.sourceArn()), SOURCE_ACCOUNT, List.of(d.sourceAccount()));
    AccessRequest request = AccessRequest.of(Principal.service(d.servicePrincipal()), d.action(), d.destinationArn(), keys);
    Decision decided = PolicyEvaluation.complete(request, NO_IDENTITY, resource.policy(), resource.account());
    if (decided.allowed()) return Verdict.ALLOWED;
    return Verdict.denied(refused + (decided.explicitlyDenied() ? ": its policy denies it" : ": its policy does not allow it"));
  }
}
