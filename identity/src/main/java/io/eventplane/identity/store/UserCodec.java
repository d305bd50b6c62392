package io.eventplane.identity.store;

import io.eventplane.identity.domain.AccessKey;
import io.eventplane.identity.domain.Group;
import io.eventplane.identity.domain.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The stored forms of users (with their access keys, secrets sealed) and groups: member names kept stable across versions. */
public final class UserCodec {
  private UserCodec() {}

  public static JsonObject encode(User u) {
    JsonObject tags = new JsonObject();
    u.tags().forEach(tags::put);
    JsonObject inline = new JsonObject();
    u.inlinePolicies().forEach(inline::put);
    JsonArray keys = new JsonArray();
    for (AccessKey k : u.accessKeys().values()) {
      keys.add(new JsonObject().put("id", k.keyId()).put("sealed", k.sealedSecret()).put("status", k.status())
          .put("generation", k.generation()).put("created", k.createDate()));
    }
    return new JsonObject().put("account", u.accountId()).put("name", u.name()).put("path", u.path()).put("id", u.userId())
        .put("boundary", u.permissionsBoundary()).put("tags", tags)
        .put("attached", new JsonArray(new ArrayList<>(u.attachedPolicies()))).put("inline", inline)
        .put("groups", new JsonArray(new ArrayList<>(u.groupIds()))).put("keys", keys).put("created", u.createDate());
  }

  public static User decodeUser(JsonObject j) {
    Map<String, String> tags = new LinkedHashMap<>();
    j.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    Map<String, AccessKey> keys = new LinkedHashMap<>();
    for (Object o : j.getJsonArray("keys", new JsonArray())) {
      JsonObject k = (JsonObject) o;
      keys.put(k.getString("id"), new AccessKey(k.getString("id"), k.getString("sealed"), k.getString("status"),
          k.getInteger("generation", 0), k.getLong("created")));
    }
    return new User(j.getString("account"), j.getString("name"), j.getString("path"), j.getString("id"),
        j.getString("boundary"), tags, strings(j.getJsonArray("attached")), inline(j.getJsonObject("inline")),
        strings(j.getJsonArray("groups")), keys, j.getLong("created"));
  }

  public static JsonObject encode(Group g) {
    JsonObject inline = new JsonObject();
    g.inlinePolicies().forEach(inline::put);
    return new JsonObject().put("account", g.accountId()).put("name", g.name()).put("path", g.path()).put("id", g.groupId())
        .put("attached", new JsonArray(new ArrayList<>(g.attachedPolicies()))).put("inline", inline)
        .put("created", g.createDate());
  }

  public static Group decodeGroup(JsonObject j) {
    return new Group(j.getString("account"), j.getString("name"), j.getString("path"), j.getString("id"),
        strings(j.getJsonArray("attached")), inline(j.getJsonObject("inline")), j.getLong("created"));
  }

  private static TreeSet<String> strings(JsonArray a) {
    TreeSet<String> out = new TreeSet<>();
    if (a != null) a.forEach(x -> out.add(String.valueOf(x)));
    return out;
  }

  private static TreeMap<String, String> inline(JsonObject o) {
    TreeMap<String, String> out = new TreeMap<>();
    if (o != null) o.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
    return out;
  }
}
