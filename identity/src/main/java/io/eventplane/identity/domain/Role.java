package io.eventplane.identity.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An IAM role: its trust policy, attached managed policies and inline policies. Stored and shown;
 * not enforced.
 *
 * @param inlinePolicies policy name to document
 * @param createDate epoch millis
 */
public record Role(String accountId, String name, String path, String roleId, String assumeRolePolicy, String description,
    int maxSessionDuration, Map<String, String> tags, TreeSet<String> attachedPolicies,
    TreeMap<String, String> inlinePolicies, long createDate) {

  public Role {
    // Tags keep the order they were given in (IAM lists them so): never a hash order.
    tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
  }

  public String arn() {
    return "arn:aws:iam::" + accountId + ":role" + path + name;
  }

  /**
   * The Role shape as CreateRole answers it (recorded against IAM): without MaxSessionDuration,
   * which GetRole and ListRoles show.
   */
  public JsonObject created() {
    JsonObject out = output();
    out.remove("MaxSessionDuration");
    return out;
  }

  /** The Role shape as GetRole answers it: with RoleLastUsed (empty until the role is used, and Eventplane never uses it). */
  public JsonObject got() {
    return output().put("RoleLastUsed", new JsonObject());
  }

  /** The Role shape as ListRoles lists it: IAM returns policy documents URL-encoded. */
  public JsonObject output() {
    JsonObject out = new JsonObject().put("Path", path).put("RoleName", name).put("RoleId", roleId).put("Arn", arn())
        .put("CreateDate", Instant.ofEpochMilli(createDate).truncatedTo(ChronoUnit.SECONDS).toString())
        .put("AssumeRolePolicyDocument", encode(assumeRolePolicy)).put("MaxSessionDuration", maxSessionDuration);
    if (description != null) out.put("Description", description);
    if (!tags.isEmpty()) {
      JsonArray t = new JsonArray();
      tags.forEach((k, v) -> t.add(new JsonObject().put("Key", k).put("Value", v)));
      out.put("Tags", t);
    }
    return out;
  }

  public static String encode(String document) {
    return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The same role with another trust policy (UpdateAssumeRolePolicy). */
  public Role withTrust(String document) {
    return new Role(accountId, name, path, roleId, document, description, maxSessionDuration, tags, attachedPolicies,
        inlinePolicies, createDate);
  }

  /** The same role with another description and maximum session duration (UpdateRole, UpdateRoleDescription). */
  public Role withSettings(String newDescription, int newMaxSessionDuration) {
    return new Role(accountId, name, path, roleId, assumeRolePolicy, newDescription, newMaxSessionDuration, tags,
        attachedPolicies, inlinePolicies, createDate);
  }

  /** The same role with other tags (TagRole, UntagRole), in the order given. */
  public Role withTags(Map<String, String> newTags) {
    return new Role(accountId, name, path, roleId, assumeRolePolicy, description, maxSessionDuration, newTags,
        attachedPolicies, inlinePolicies, createDate);
  }

  /** The same role with other policies. */
  public Role withPolicies(TreeSet<String> attached, TreeMap<String, String> inline) {
    return new Role(accountId, name, path, roleId, assumeRolePolicy, description, maxSessionDuration, tags, attached,
        inline, createDate);
  }
}
