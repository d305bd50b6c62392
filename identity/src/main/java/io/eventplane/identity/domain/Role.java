package io.eventplane.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
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
record Role(String accountId, String name, String path, String roleId, String assumeRolePolicy, String description,
    int maxSessionDuration, Map<String, String> tags, TreeSet<String> attachedPolicies,
    TreeMap<String, String> inlinePolicies, long createDate) {

  String arn() {
    return "arn:aws:iam::" + accountId + ":role" + path + name;
  }

  /** The Role shape: IAM returns policy documents URL-encoded. */
  JsonObject output() {
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

  static String encode(String document) {
    return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonObject toJson() {
    JsonObject t = new JsonObject();
    tags.forEach(t::put);
    JsonObject inline = new JsonObject();
    inlinePolicies.forEach(inline::put);
    return new JsonObject().put("account", accountId).put("name", name).put("path", path).put("id", roleId)
        .put("trust", assumeRolePolicy).put("description", description).put("maxSession", maxSessionDuration)
        .put("tags", t).put("attached", new JsonArray(new java.util.ArrayList<>(attachedPolicies))).put("inline", inline)
        .put("created", createDate);
  }

  static Role fromJson(JsonObject j) {
    Map<String, String> tags = new LinkedHashMap<>();
    j.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    TreeSet<String> attached = new TreeSet<>();
    j.getJsonArray("attached", new JsonArray()).forEach(a -> attached.add(String.valueOf(a)));
    TreeMap<String, String> inline = new TreeMap<>();
    j.getJsonObject("inline", new JsonObject()).forEach(e -> inline.put(e.getKey(), String.valueOf(e.getValue())));
    return new Role(j.getString("account"), j.getString("name"), j.getString("path"), j.getString("id"),
        j.getString("trust"), j.getString("description"), j.getInteger("maxSession", 3600), tags, attached, inline,
        j.getLong("created"));
  }
}
