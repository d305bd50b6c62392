package io.eventplane.identity.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An IAM group: a name, a path and the policies its members get. Which users belong to it is kept
 * on the users ({@link User#groupIds}), so a membership is written in one partition, the user's.
 *
 * @param inlinePolicies policy name to document
 * @param createDate epoch millis
 */
public record Group(String accountId, String name, String path, String groupId, TreeSet<String> attachedPolicies,
    TreeMap<String, String> inlinePolicies, long createDate) {
  public Group {
    attachedPolicies = new TreeSet<>(attachedPolicies);
    inlinePolicies = new TreeMap<>(inlinePolicies);
  }

  public String arn() {
    return "arn:aws:iam::" + accountId + ":group" + path + name;
  }

  /** The Group shape. */
  public JsonObject output() {
    return new JsonObject().put("Path", path).put("GroupName", name).put("GroupId", groupId).put("Arn", arn())
        .put("CreateDate", Instant.ofEpochMilli(createDate).truncatedTo(ChronoUnit.SECONDS).toString());
  }

  public Group renamed(String newName, String newPath) {
    return new Group(accountId, newName, newPath, groupId, attachedPolicies, inlinePolicies, createDate);
  }

  public Group withPolicies(TreeSet<String> attached, TreeMap<String, String> inline) {
    return new Group(accountId, name, path, groupId, attached, inline, createDate);
  }
}
