package io.eventplane.identity.api;

import io.eventplane.identity.domain.AwsManagedPolicies;
import io.eventplane.identity.domain.Group;
import io.eventplane.identity.domain.Groups;
import io.eventplane.identity.domain.ManagedPolicy;
import io.eventplane.identity.domain.Policies;
import io.eventplane.identity.domain.Role;
import io.eventplane.identity.domain.Roles;
import io.eventplane.identity.domain.User;
import io.eventplane.identity.domain.Users;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * A principal's identity-based policies as the gateway's authorization asks for them
 * ({@code eventplane:PrincipalPolicies}, internal): for an IAM user its inline policies, the managed
 * policies attached to it (their default version) and those of every group it belongs to; for an
 * assumed-role session ({@code arn:aws:sts::A:assumed-role/R/S}) or a role, the role's inline and
 * attached policies; the user's or role's tags. An unknown principal has none. Answered as
 * {@code {"Policies": [{"Name", "Document"}], "Tags": {...}}}: inline policies named by their name,
 * managed ones by their ARN. An AWS-managed policy Eventplane has no document of is left out (it
 * grants nothing here) and logged.
 *
 * <p>Gathered where the call arrives, from the owners of the partitions involved: the user's or
 * role's ({@link #ENTITY}), the account's inventory for the user's groups' names, each group's, each
 * customer policy's.
 */
public final class IdentityPolicies {
  /** The gateway's question: {@code PrincipalArn}. */
  public static final String OPERATION = "eventplane:PrincipalPolicies";
  /** One entity's own policies at its owner: {@code Kind} (user, role, group, policy) and {@code Name}. */
  public static final String ENTITY = "eventplane:EntityPolicies";
  private static final Logger LOG = Logger.getLogger(IdentityPolicies.class.getName());

  private final IamCalls calls;
  private final Users users;
  private final Groups groups;
  private final Roles roles;
  private final Policies policies;

  public IdentityPolicies(IamCalls calls, Users users, Groups groups, Roles roles, Policies policies) {
    this.calls = calls;
    this.users = users;
    this.groups = groups;
    this.roles = roles;
    this.policies = policies;
  }

  /** A user's or role's name from a principal ARN, with its kind; null for anything else (the root, a federated user). */
  record Named(String kind, String account, String name) {}

  static Named parse(String arn) {
    if (arn == null) return null;
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[0].equals("arn")) return null;
    String account = parts[4];
    String resource = parts[5];
    if (parts[2].equals("iam") && resource.startsWith("user/")) {
      return new Named("user", account, resource.substring(resource.lastIndexOf('/') + 1));
    }
    if (parts[2].equals("iam") && resource.startsWith("role/")) {
      return new Named("role", account, resource.substring(resource.lastIndexOf('/') + 1));
    }
    if (parts[2].equals("sts") && resource.startsWith("assumed-role/")) {
      String[] r = resource.split("/");
      if (r.length >= 3) return new Named("role", account, r[1]);
    }
    return null;
  }

  /** The whole answer for {@code PrincipalArn}, gathered from the partitions' owners. */
  public Future<JsonObject> lookup(JsonObject in) {
    Named who = parse(in.getString("PrincipalArn"));
    if (who == null) return Future.succeededFuture(none());
    int partition = who.kind().equals("user") ? Users.partitionOf(who.account(), who.name())
        : Roles.partitionOf(who.account(), who.name());
    return entity(partition, who.kind(), who.name(), who.account()).compose(own -> {
      if (!own.getBoolean("Found", false)) return Future.succeededFuture(none());
      List<Future<JsonObject>> holders = new ArrayList<>();
      holders.add(Future.succeededFuture(own));
      JsonArray groupIds = own.getJsonArray("GroupIds", new JsonArray());
      Future<List<JsonObject>> groupAnswers = groupIds.isEmpty() ? Future.succeededFuture(List.of())
          : groupsOf(who.account(), groupIds);
      return groupAnswers.compose(g -> {
        holders.addAll(g.stream().map(Future::succeededFuture).toList());
        return Future.all(holders);
      }).compose(all -> documents(who.account(), all.list(), own.getJsonObject("Tags", new JsonObject())));
    });
  }

  private Future<List<JsonObject>> groupsOf(String account, JsonArray groupIds) {
    return calls.inventory(account).compose(inventory -> {
      List<Future<JsonObject>> asked = new ArrayList<>();
      for (JsonObject g : inventory.groups()) {
        if (!groupIds.contains(g.getString("GroupId"))) continue;
        String name = g.getString("GroupName");
        asked.add(entity(Groups.partitionOf(account, name), "group", name, account));
      }
      return Future.all(asked).map(all -> all.<JsonObject>list());
    });
  }

  private Future<JsonObject> documents(String account, List<JsonObject> holders, JsonObject tags) {
    JsonArray named = new JsonArray();
    TreeSet<String> attached = new TreeSet<>();
    for (JsonObject h : holders) {
      JsonObject inline = h.getJsonObject("Inline", new JsonObject());
      for (String name : inline.fieldNames()) {
        named.add(new JsonObject().put("Name", name).put("Document", inline.getString(name)));
      }
      h.getJsonArray("Attached", new JsonArray()).forEach(a -> attached.add(String.valueOf(a)));
    }
    List<Future<JsonObject>> managed = new ArrayList<>();
    for (String arn : attached) managed.add(managed(account, arn));
    return Future.all(managed).map(all -> {
      for (JsonObject m : all.<JsonObject>list()) if (m != null) named.add(m);
      return new JsonObject().put("Policies", named).put("Tags", tags);
    });
  }

  private Future<JsonObject> managed(String account, String arn) {
    if (arn.contains(":iam::aws:policy/")) {
      ManagedPolicy p = AwsManagedPolicies.find(arn);
      if (p == null) {
        LOG.fine(() -> "AWS-managed policy " + arn + " has no document here: it grants nothing");
        return Future.succeededFuture(null);
      }
      return Future.succeededFuture(new JsonObject().put("Name", arn).put("Document", p.versions().get(p.defaultVersion()).document()));
    }
    String name = arn.substring(arn.lastIndexOf('/') + 1);
    return entity(Policies.partitionOf(account, name), "policy", name, account).map(answer -> answer.getBoolean("Found", false)
        ? new JsonObject().put("Name", arn).put("Document", answer.getString("Document")) : null);
  }

  private Future<JsonObject> entity(int partition, String kind, String name, String account) {
    return calls.at(partition, ENTITY, new JsonObject().put("Kind", kind).put("Name", name), account);
  }

  /** One entity's own policies, here at its owner: {@code Found}, {@code Inline}, {@code Attached}, {@code GroupIds}, {@code Tags}, or a policy's {@code Document}. */
  public JsonObject here(JsonObject in, String account) {
    String name = in.getString("Name");
    JsonObject out = new JsonObject().put("Found", false);
    switch (in.getString("Kind", "")) {
      case "user" -> {
        User u = users.find(account, name);
        if (u != null) {
          holder(out, u.inlinePolicies(), u.attachedPolicies(), u.tags()).put("GroupIds", new JsonArray(new ArrayList<>(u.groupIds())));
        }
      }
      case "role" -> {
        Role r = roles.find(account, name);
        if (r != null) holder(out, r.inlinePolicies(), r.attachedPolicies(), r.tags());
      }
      case "group" -> {
        Group g = groups.find(account, name);
        if (g != null) holder(out, g.inlinePolicies(), g.attachedPolicies(), Map.of());
      }
      case "policy" -> {
        ManagedPolicy p = policies.find(account, name);
        if (p != null) out.put("Found", true).put("Document", p.versions().get(p.defaultVersion()).document());
      }
      default -> { }
    }
    return out;
  }

  private static JsonObject holder(JsonObject out, TreeMap<String, String> inline, java.util.Set<String> attached,
      Map<String, String> tags) {
    JsonObject docs = new JsonObject();
    inline.forEach(docs::put);
    JsonObject t = new JsonObject();
    tags.forEach(t::put);
    return out.put("Found", true).put("Inline", docs).put("Attached", new JsonArray(new ArrayList<>(attached))).put("Tags", t);
  }

  private static JsonObject none() {
    return new JsonObject().put("Policies", new JsonArray()).put("Tags", new JsonObject());
  }
}
