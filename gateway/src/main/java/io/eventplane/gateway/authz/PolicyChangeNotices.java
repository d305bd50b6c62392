package io.eventplane.gateway.authz;

import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * The client calls that may change a resource's own policy (setting it, granting or revoking a
 * permission, creating or deleting the resource), and what a gateway does once one succeeded: it
 * forgets the resource's policy on its node at once, so the caller's next call here reads the new
 * one, and publishes {@link Contracts#RESOURCE_POLICY_CHANGED} for the other nodes.
 */
public final class PolicyChangeNotices {
  static final Map<String, Set<String>> OPERATIONS = Map.of(
      "sqs", Set.of("CreateQueue", "SetQueueAttributes", "AddPermission", "RemovePermission", "DeleteQueue"),
      "sns", Set.of("CreateTopic", "SetTopicAttributes", "AddPermission", "RemovePermission", "DeleteTopic"),
      "s3", Set.of("CreateBucket", "PutBucketPolicy", "DeleteBucketPolicy", "DeleteBucket"),
      "lambda", Set.of("CreateFunction", "AddPermission", "RemovePermission", "DeleteFunction"),
      "events", Set.of("CreateEventBus", "PutPermission", "RemovePermission", "DeleteEventBus"));

  private final Vertx vertx;
  private final ResourcePolicies policies;

  public PolicyChangeNotices(Vertx vertx, ResourcePolicies policies) {
    this.vertx = vertx;
    this.policies = policies;
  }

  /** Whether the operation may change a resource's policy (the few calls worth a look after they succeeded). */
  public static boolean mayChange(String signingName, String operation) {
    Set<String> ops = OPERATIONS.get(signingName);
    return ops != null && ops.contains(operation);
  }

  /** A call that may change a policy succeeded: forget and announce the resources it named. */
  public void succeeded(String signingName, ApiCall call, RequestContext context) {
    if (!mayChange(signingName, call.operation())) return;
    ServiceActions table = Actions.of(signingName);
    if (table == null) return;
    java.util.List<Target> targets;
    try {
      targets = table.targets(call, context);
    } catch (RuntimeException e) {
      policies.invalidateAll();
      vertx.eventBus().publish(Contracts.RESOURCE_POLICY_CHANGED, new JsonObject().put("All", true));
      return;
    }
    java.util.List<String> changed = new java.util.ArrayList<>();
    for (Target t : targets) changed.add(t.resource());
    // EventBridge authorizes its permission calls on no resource: they change the named bus's policy.
    if (signingName.equals("events") && call.operation().endsWith("Permission")) changed.add(busOf(call, context));
    for (String arn : changed) {
      if (ResourcePolicySource.holderOf(arn) == null) continue;
      policies.invalidate(arn);
      vertx.eventBus().publish(Contracts.RESOURCE_POLICY_CHANGED, new JsonObject().put("ResourceArn", arn));
    }
  }

  /** The bus a PutPermission or RemovePermission call names ({@code default} when it names none). */
  static String busOf(ApiCall call, RequestContext context) {
    String bus = call.string("EventBusName");
    if (bus != null && bus.startsWith("arn:")) return bus;
    return new Arns(context.region(), context.accountId()).of("events", "event-bus/" + (bus == null ? "default" : bus));
  }

  /** Every resource's policy may have changed (a reset). */
  public void all() {
    policies.invalidateAll();
    vertx.eventBus().publish(Contracts.RESOURCE_POLICY_CHANGED, new JsonObject().put("All", true));
  }
}
