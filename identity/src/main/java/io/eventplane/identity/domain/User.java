package io.eventplane.identity.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An IAM user: its path, tags, permissions boundary, attached managed policies, inline policies,
 * the groups it belongs to (by group id, which survives a group's rename) and its access keys.
 * Stored and shown; the keys sign requests once the gateway looks them up.
 *
 * @param permissionsBoundary a managed policy's ARN, or null
 * @param inlinePolicies policy name to document
 * @param accessKeys by key id, in creation order
 * @param createDate epoch millis
 */
public record User(String accountId, String name, String path, String userId, String permissionsBoundary,
    Map<String, String> tags, TreeSet<String> attachedPolicies, TreeMap<String, String> inlinePolicies,
    TreeSet<String> groupIds, Map<String, AccessKey> accessKeys, long createDate) {
  /** IAM's quota of access keys per user. */
  public static final int MAX_ACCESS_KEYS = 2;
  /** IAM's quota of groups a user may belong to. */
  public static final int MAX_GROUPS = 10;

  public User {
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    attachedPolicies = new TreeSet<>(attachedPolicies);
    inlinePolicies = new TreeMap<>(inlinePolicies);
    groupIds = new TreeSet<>(groupIds);
    accessKeys = Collections.unmodifiableMap(new LinkedHashMap<>(accessKeys));
  }

  public static String arn(String account, String path, String name) {
    return "arn:aws:iam::" + account + ":user" + path + name;
  }

  public String arn() {
    return arn(accountId, path, name);
  }

  /** The User shape of GetUser, CreateUser and ListUsers (ListUsers' items carry no tags or boundary). */
  public JsonObject output(boolean full) {
    JsonObject out = new JsonObject().put("Path", path).put("UserName", name).put("UserId", userId).put("Arn", arn())
        .put("CreateDate", Instant.ofEpochMilli(createDate).truncatedTo(ChronoUnit.SECONDS).toString());
    if (full && permissionsBoundary != null) {
      out.put("PermissionsBoundary", new JsonObject().put("PermissionsBoundaryType", "Policy")
          .put("PermissionsBoundaryArn", permissionsBoundary));
    }
    if (full && !tags.isEmpty()) out.put("Tags", tagList(tags));
    return out;
  }

  static JsonArray tagList(Map<String, String> tags) {
    JsonArray t = new JsonArray();
    tags.forEach((k, v) -> t.add(new JsonObject().put("Key", k).put("Value", v)));
    return t;
  }

  /** The same user under another name and path (UpdateUser), everything else kept. */
  public User renamed(String newName, String newPath) {
    return new User(accountId, newName, newPath, userId, permissionsBoundary, tags, attachedPolicies, inlinePolicies,
        groupIds, accessKeys, createDate);
  }

  public User withTags(Map<String, String> next) {
    return new User(accountId, name, path, userId, permissionsBoundary, next, attachedPolicies, inlinePolicies, groupIds,
        accessKeys, createDate);
  }

  public User withPolicies(TreeSet<String> attached, TreeMap<String, String> inline) {
    return new User(accountId, name, path, userId, permissionsBoundary, tags, attached, inline, groupIds, accessKeys,
        createDate);
  }

  public User withGroups(TreeSet<String> next) {
    return new User(accountId, name, path, userId, permissionsBoundary, tags, attachedPolicies, inlinePolicies, next,
        accessKeys, createDate);
  }

  public User withKeys(Map<String, AccessKey> next) {
    return new User(accountId, name, path, userId, permissionsBoundary, tags, attachedPolicies, inlinePolicies, groupIds,
        next, createDate);
  }
}
