package io.eventplane.gateway.authz;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.function.BiFunction;

/**
 * The node's one {@link IdentityAuthorizer} (every gateway instance of a node shares its cache of
 * compiled policies), fed by {@link PrincipalPolicySource} and told of changes by the IAM service's
 * {@link Contracts#IAM_CHANGED} notices: {@code "All": true} forgets everything, {@code
 * "PrincipalArns": [...]} those principals (a role's ARN its sessions too). Likewise the node's one
 * {@link ResourcePolicies}, fed by {@link ResourcePolicySource} and told of changes by the gateways'
 * {@link Contracts#RESOURCE_POLICY_CHANGED} notices.
 */
public final class NodeAuthorizer implements Shareable {
  /** How many principals' policies a node keeps. */
  static final int MAX_PRINCIPALS = 10_000;
  private static final String LOCAL_MAP = "eventplane.gateway.authz";

  private final IdentityAuthorizer authorizer;

  private NodeAuthorizer(IdentityAuthorizer authorizer) {
    this.authorizer = authorizer;
  }

  /** The node's authorizer, made on first use (with the first caller's bus) and listening for change notices from then on. */
  public static IdentityAuthorizer of(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    LocalMap<String, NodeAuthorizer> node = vertx.sharedData().getLocalMap(LOCAL_MAP);
    NodeAuthorizer kept = node.get("identity-authorizer");
    if (kept != null) return kept.authorizer;
    NodeAuthorizer made = new NodeAuthorizer(new IdentityAuthorizer(new PrincipalPolicySource(bus), MAX_PRINCIPALS));
    kept = node.putIfAbsent("identity-authorizer", made);
    if (kept != null) return kept.authorizer;
    vertx.eventBus().<JsonObject>consumer(Contracts.IAM_CHANGED, m -> changed(made.authorizer, m.body()));
    return made.authorizer;
  }

  /** How many resources' policies a node keeps. */
  static final int MAX_RESOURCES = 10_000;

  /** The node's resource policies, made on first use (with the first caller's bus) and listening for change notices from then on. */
  public static ResourcePolicies resourcePolicies(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    LocalMap<String, Kept> node = vertx.sharedData().getLocalMap(LOCAL_MAP + ".resources");
    Kept kept = node.get("resource-policies");
    if (kept != null) return kept.policies;
    Kept made = new Kept(new ResourcePolicies(new ResourcePolicySource(bus), MAX_RESOURCES, System::nanoTime));
    kept = node.putIfAbsent("resource-policies", made);
    if (kept != null) return kept.policies;
    vertx.eventBus().<JsonObject>consumer(Contracts.RESOURCE_POLICY_CHANGED, m -> resourceChanged(made.policies, m.body()));
    return made.policies;
  }

  private record Kept(ResourcePolicies policies) implements Shareable {}

  static void resourceChanged(ResourcePolicies policies, JsonObject notice) {
    if (notice == null || notice.getBoolean("All", false)) {
      policies.invalidateAll();
      return;
    }
    String arn = notice.getString("ResourceArn");
    if (arn != null) policies.invalidate(arn);
  }

  static void changed(IdentityAuthorizer authorizer, JsonObject notice) {
    if (notice == null || notice.getBoolean("All", false)) {
      authorizer.invalidateAll();
      return;
    }
    for (Object arn : notice.getJsonArray("PrincipalArns", new io.vertx.core.json.JsonArray())) authorizer.invalidate(String.valueOf(arn));
  }
}
