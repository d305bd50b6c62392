package io.eventplane.identity.store;

import io.eventplane.identity.domain.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** A role's stored form: a JSON object whose member names are kept stable across versions. */
final class RoleCodec {
  private RoleCodec() {}

  static JsonObject encode(Role r) {
    JsonObject t = new JsonObject();
    r.tags().forEach(t::put);
    JsonObject inline = new JsonObject();
    r.inlinePolicies().forEach(inline::put);
    return new JsonObject().put("account", r.accountId()).put("name", r.name()).put("path", r.path()).put("id", r.roleId())
        .put("trust", r.assumeRolePolicy()).put("description", r.description()).put("maxSession", r.maxSessionDuration())
        .put("tags", t).put("attached", new JsonArray(new ArrayList<>(r.attachedPolicies()))).put("inline", inline)
        .put("created", r.createDate());
  }

  static Role decode(JsonObject j) {
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
