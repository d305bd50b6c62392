package io.eventplane.identity.api;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What every node holds of one account: its roles (Role shapes), how many roles each managed
 * policy is attached to (by policy ARN), and its customer policies (ListPolicies items).
 */
public record IamInventory(List<JsonObject> roles, Map<String, Integer> attachments, List<JsonObject> policies) {
  public IamInventory {
    roles = List.copyOf(roles);
    attachments = Map.copyOf(attachments);
    policies = List.copyOf(policies);
  }
}
