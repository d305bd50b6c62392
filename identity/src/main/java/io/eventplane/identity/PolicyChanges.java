package io.eventplane.identity;

import io.eventplane.common.bus.Contracts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The IAM calls that change what a principal's identity-based policies allow: a user's, group's or
 * role's inline or attached policies, its tags, a membership, a managed policy's default version,
 * an entity's deletion or rename. After one succeeds every node's gateway forgets the policies it
 * compiled ({@link Contracts#IAM_CHANGED} with {@code "All": true}): such calls are rare, and
 * naming every principal a group's or managed policy's change reaches would cost an inventory.
 */
final class PolicyChanges {
  private static final Set<String> OPERATIONS = Set.of(
      "PutUserPolicy", "DeleteUserPolicy", "AttachUserPolicy", "DetachUserPolicy", "TagUser", "UntagUser", "DeleteUser",
      "UpdateUser", "AddUserToGroup", "RemoveUserFromGroup",
      "PutGroupPolicy", "DeleteGroupPolicy", "AttachGroupPolicy", "DetachGroupPolicy", "DeleteGroup", "UpdateGroup",
      "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "TagRole", "UntagRole", "DeleteRole",
      "CreatePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicy");

  private PolicyChanges() {}

  static boolean changesPolicies(String operation) {
    return OPERATIONS.contains(operation);
  }

  static void publish(Vertx vertx) {
    vertx.eventBus().publish(Contracts.IAM_CHANGED, new JsonObject().put("All", true));
  }
}
