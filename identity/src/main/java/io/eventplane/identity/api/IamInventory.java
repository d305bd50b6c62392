package io.eventplane.identity.api;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What every node holds of one account: its roles (Role shapes), users (User shapes as ListUsers
 * lists them, plus {@code GroupIds}), groups (Group shapes), how many roles, users and groups each
 * managed policy is attached to (by policy ARN), and its customer policies (ListPolicies items).
 */
public record IamInventory(List<JsonObject> roles, List<JsonObject> users, List<JsonObject> groups,
    Map<String, Integer> attachments, List<JsonObject> policies) {
  public IamInventory {
    roles = List.copyOf(roles);
    users = List.copyOf(users);
    groups = List.copyOf(groups);
    attachments = Map.copyOf(attachments);
    policies = List.copyOf(policies);
  }
}
