package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.noSuchEntity;

import io.eventplane.common.error.ServiceException;
import io.eventplane.identity.domain.IamErrors;
import io.eventplane.identity.domain.Role;
import io.eventplane.identity.domain.Roles;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * IAM's role operations: one method each, on the roles of the partitions this node owns (the
 * service routes each call to the owner of its role's partition). ListRoles asks every node.
 */
public final class RoleApi {
  private static final Pattern AWS_POLICY = Pattern.compile("arn:aws[a-zA-Z-]*:iam::aws:policy/[\\w+=,.@/-]+");
  private static final Pattern POLICY_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:iam::(aws|\\d{12}):policy/[\\w+=,.@/-]+");

  private final Roles roles;
  private final Clock clock;
  private final Function<String, Future<List<JsonObject>>> rolesOfEveryNode;
  private final PolicyExists policyExists;

  /** Asks the owner of a customer policy whether it exists (AttachRolePolicy's check). */
  public interface PolicyExists {
    Future<Boolean> exists(String account, String policyArn);
  }

  /**
   * @param rolesOfEveryNode the Role shapes of an account from every node of the cluster
   * @param policyExists whether a customer managed policy exists, asked at its owner
   */
  public RoleApi(Roles roles, Clock clock, Function<String, Future<List<JsonObject>>> rolesOfEveryNode,
      PolicyExists policyExists) {
    this.roles = roles;
    this.clock = clock;
    this.rolesOfEveryNode = rolesOfEveryNode;
    this.policyExists = policyExists;
  }

  /** Whether the operation is answered from every node rather than at one role's owner. */
  public static boolean isListing(String operation) {
    return "ListRoles".equals(operation);
  }

  /** The partition of the role a call names; a bad name is refused before routing. */
  public static int partitionOf(String account, JsonObject input) {
    return Roles.partitionOf(account, RoleInputs.roleName(input));
  }

  public Future<JsonObject> handle(String operation, JsonObject in, String account) {
    return switch (operation) {
      case "CreateRole" -> createRole(in, account);
      case "GetRole" -> Future.succeededFuture(new JsonObject().put("Role", require(account, in).got()));
      case "DeleteRole" -> deleteRole(require(account, in));
      case "AttachRolePolicy" -> attach(require(account, in), in, true);
      case "DetachRolePolicy" -> attach(require(account, in), in, false);
      case "ListAttachedRolePolicies" -> listAttached(require(account, in), in);
      case "PutRolePolicy" -> putInline(require(account, in), in);
      case "GetRolePolicy" -> getInline(require(account, in), in);
      case "DeleteRolePolicy" -> deleteInline(require(account, in), in);
      case "ListRolePolicies" -> listInline(require(account, in), in);
      case "ListRoles" -> listRoles(in, account);
      case "UpdateRole" -> updateRole(in, account);
      case "UpdateRoleDescription" -> updateDescription(in, account);
      case "UpdateAssumeRolePolicy" -> updateTrust(in, account);
      case "TagRole" -> tagRole(in, account);
      case "UntagRole" -> untagRole(in, account);
      case "ListRoleTags" -> listTags(in, account);
      default -> throw new ServiceException("InvalidAction", "Could not find operation " + operation);
    };
  }

  /** This node's roles of an account, as Role shapes (one node's part of ListRoles). */
  public JsonArray rolesHere(String account) {
    JsonArray out = new JsonArray();
    for (Role r : roles.ofAccount(account)) out.add(r.output());
    return out;
  }

  /** The managed policies this node's roles of an account have attached: one ARN per attachment. */
  public JsonArray attachmentsHere(String account) {
    JsonArray out = new JsonArray();
    for (Role r : roles.ofAccount(account)) r.attachedPolicies().forEach(out::add);
    return out;
  }

  private Future<JsonObject> createRole(JsonObject in, String account) {
    String name = RoleInputs.roleName(in);
    String trust = RoleInputs.trustPolicy(in);
    String path = RoleInputs.path(in);
    String description = RoleInputs.description(in);
    int maxSession = RoleInputs.integer(in, "MaxSessionDuration", "maxSessionDuration", 3600, 43200, 3600);
    Map<String, String> tags = RoleInputs.tags(in);
    if (roles.find(account, name) != null) throw IamErrors.alreadyExists(name);
    Role role = new Role(account, name, path, roleId(), trust, description, maxSession, tags, new TreeSet<>(),
        new TreeMap<>(), clock.millis());
    return roles.save(role).map(x -> new JsonObject().put("Role", role.created()));
  }

  private Future<JsonObject> deleteRole(Role r) {
    if (!r.attachedPolicies().isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
    if (!r.inlinePolicies().isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
    return roles.delete(r).map(x -> new JsonObject());
  }

  private Future<JsonObject> attach(Role r, JsonObject in, boolean attach) {
    String arn = RoleInputs.string(in, "PolicyArn", "policyArn");
    // Recorded against IAM: a malformed ARN is a ValidationError (400), worded so.
    if (arn == null || !POLICY_ARN.matcher(arn).matches()) throw PolicyInputs.notValid(arn);
    if (!attach) {
      TreeSet<String> attached = new TreeSet<>(r.attachedPolicies());
      if (!attached.remove(arn)) throw noSuchEntity("Policy " + arn + " was not found.");
      return roles.save(r.withPolicies(attached, r.inlinePolicies())).map(x -> new JsonObject());
    }
    // Any AWS-managed policy is attachable (Eventplane does not list all of AWS's); a customer
    // policy must exist, which its own partition's owner knows.
    Future<Boolean> exists = AWS_POLICY.matcher(arn).matches() ? Future.succeededFuture(true)
        : policyExists.exists(r.accountId(), arn);
    return exists.compose(found -> {
      if (!found) throw noSuchEntity("Policy " + arn + " does not exist or is not attachable.");
      // The role may have changed while the policy's owner was asked: attach to what is there now.
      Role now = roles.find(r.accountId(), r.name());
      if (now == null) throw noSuchEntity("The role with name " + r.name() + " cannot be found.");
      TreeSet<String> attached = new TreeSet<>(now.attachedPolicies());
      attached.add(arn);
      return roles.save(now.withPolicies(attached, now.inlinePolicies())).map(x -> new JsonObject());
    });
  }

  private Future<JsonObject> listAttached(Role r, JsonObject in) {
    RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    JsonArray out = new JsonArray();
    for (String arn : r.attachedPolicies()) {
      out.add(new JsonObject().put("PolicyName", arn.substring(arn.lastIndexOf('/') + 1)).put("PolicyArn", arn));
    }
    return Future.succeededFuture(new JsonObject().put("AttachedPolicies", out).put("IsTruncated", false));
  }

  private Future<JsonObject> putInline(Role r, JsonObject in) {
    String name = RoleInputs.policyName(in);
    String doc = RoleInputs.policyDocument(in, "PolicyDocument", "policyDocument");
    TreeMap<String, String> inline = new TreeMap<>(r.inlinePolicies());
    inline.put(name, doc);
    return roles.save(r.withPolicies(r.attachedPolicies(), inline)).map(x -> new JsonObject());
  }

  private Future<JsonObject> getInline(Role r, JsonObject in) {
    String name = RoleInputs.string(in, "PolicyName", "policyName");
    String doc = name == null ? null : r.inlinePolicies().get(name);
    if (doc == null) throw noSuchEntity("The role policy with name " + name + " cannot be found.");
    return Future.succeededFuture(new JsonObject().put("RoleName", r.name()).put("PolicyName", name)
        .put("PolicyDocument", Role.encode(doc)));
  }

  private Future<JsonObject> deleteInline(Role r, JsonObject in) {
    String name = RoleInputs.string(in, "PolicyName", "policyName");
    if (name == null || !r.inlinePolicies().containsKey(name)) {
      throw noSuchEntity("The role policy with name " + name + " cannot be found.");
    }
    TreeMap<String, String> inline = new TreeMap<>(r.inlinePolicies());
    inline.remove(name);
    return roles.save(r.withPolicies(r.attachedPolicies(), inline)).map(x -> new JsonObject());
  }

  private Future<JsonObject> listInline(Role r, JsonObject in) {
    RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    return Future.succeededFuture(new JsonObject()
        .put("PolicyNames", new JsonArray(new ArrayList<>(r.inlinePolicies().keySet())))
        .put("IsTruncated", false));
  }

  /**
   * UpdateRole (recorded against IAM): changes only the members given, answers nothing; the
   * input is checked before the role is looked up.
   */
  private Future<JsonObject> updateRole(JsonObject in, String account) {
    RoleInputs.roleName(in);
    String description = RoleInputs.description(in);
    Integer maxSession = in.getValue("MaxSessionDuration") == null ? null
        : RoleInputs.integer(in, "MaxSessionDuration", "maxSessionDuration", 3600, 43200, 3600);
    Role r = require(account, in);
    Role next = r.withSettings(description == null ? r.description() : description,
        maxSession == null ? r.maxSessionDuration() : maxSession);
    return roles.save(next).map(x -> new JsonObject());
  }

  /** UpdateRoleDescription answers the Role as CreateRole shapes it (recorded against IAM). */
  private Future<JsonObject> updateDescription(JsonObject in, String account) {
    RoleInputs.roleName(in);
    String description = RoleInputs.description(in);
    if (description == null) throw IamErrors.validation("null", "description", "Member must not be null");
    Role next = require(account, in).withSettings(description, require(account, in).maxSessionDuration());
    return roles.save(next).map(x -> new JsonObject().put("Role", next.created()));
  }

  private Future<JsonObject> updateTrust(JsonObject in, String account) {
    RoleInputs.roleName(in);
    String trust = RoleInputs.trustPolicy(in, "PolicyDocument", "policyDocument");
    return roles.save(require(account, in).withTrust(trust)).map(x -> new JsonObject());
  }

  /**
   * TagRole (recorded against IAM): the tags are checked as CreateRole checks them, before the
   * role is looked up; a key the role has (compared without regard to case) takes the new value
   * in its place, new keys follow.
   */
  private Future<JsonObject> tagRole(JsonObject in, String account) {
    RoleInputs.roleName(in);
    Map<String, String> given = RoleInputs.tags(in);
    if (in.getValue("Tags") == null) throw IamErrors.validation("null", "tags", "Member must not be null");
    Role r = require(account, in);
    Map<String, String> tags = new java.util.LinkedHashMap<>(r.tags());
    given.forEach((key, value) -> {
      String existing = tags.keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst().orElse(null);
      if (existing != null && !existing.equals(key)) {
        Map<String, String> renamed = new java.util.LinkedHashMap<>();
        tags.forEach((k, v) -> renamed.put(k.equals(existing) ? key : k, v));
        tags.clear();
        tags.putAll(renamed);
      }
      tags.put(key, value);
    });
    return roles.save(r.withTags(tags)).map(x -> new JsonObject());
  }

  /** UntagRole: keys are matched without regard to case; a key the role does not have is no error. */
  private Future<JsonObject> untagRole(JsonObject in, String account) {
    RoleInputs.roleName(in);
    List<String> keys = RoleInputs.tagKeys(in);
    Role r = require(account, in);
    Map<String, String> tags = new java.util.LinkedHashMap<>(r.tags());
    tags.keySet().removeIf(k -> keys.stream().anyMatch(k::equalsIgnoreCase));
    return roles.save(r.withTags(tags)).map(x -> new JsonObject());
  }

  private Future<JsonObject> listTags(JsonObject in, String account) {
    RoleInputs.roleName(in);
    int max = RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    String marker = RoleInputs.string(in, "Marker", "marker");
    Role r = require(account, in);
    List<Map.Entry<String, String>> all = new ArrayList<>(r.tags().entrySet());
    // The marker is this listing's own (the position of the next tag); one it did not hand out starts over.
    int from = marker != null && marker.matches("\\d{1,4}") ? Integer.parseInt(marker) : 0;
    JsonArray page = new JsonArray();
    for (int i = from; i < Math.min(all.size(), from + max); i++) {
      page.add(new JsonObject().put("Key", all.get(i).getKey()).put("Value", all.get(i).getValue()));
    }
    boolean truncated = from + max < all.size();
    JsonObject out = new JsonObject().put("Tags", page).put("IsTruncated", truncated);
    if (truncated) out.put("Marker", String.valueOf(from + max));
    return Future.succeededFuture(out);
  }

  /** Every node's roles of the account, by name, with PathPrefix, Marker and MaxItems. */
  private Future<JsonObject> listRoles(JsonObject in, String account) {
    String given = RoleInputs.string(in, "PathPrefix", "pathPrefix");
    String prefix = given == null ? "/" : given;
    int max = RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    String marker = RoleInputs.string(in, "Marker", "marker");
    return rolesOfEveryNode.apply(account).map(all -> {
      List<JsonObject> matching = new ArrayList<>(all);
      matching.removeIf(r -> !r.getString("Path").startsWith(prefix));
      matching.sort(Comparator.comparing(r -> r.getString("RoleName").toLowerCase(Locale.ROOT)));
      if (marker != null) matching.removeIf(r -> r.getString("RoleName").toLowerCase(Locale.ROOT).compareTo(marker) <= 0);
      JsonArray page = new JsonArray();
      for (int i = 0; i < Math.min(max, matching.size()); i++) page.add(matching.get(i));
      JsonObject out = new JsonObject().put("Roles", page).put("IsTruncated", matching.size() > max);
      if (matching.size() > max) out.put("Marker", matching.get(max - 1).getString("RoleName").toLowerCase(Locale.ROOT));
      return out;
    });
  }

  private Role require(String account, JsonObject in) {
    String name = RoleInputs.roleName(in);
    Role r = roles.find(account, name);
    if (r == null) throw noSuchEntity("The role with name " + name + " cannot be found.");
    return r;
  }

  private static String roleId() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder id = new StringBuilder("AROA");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 17; i++) id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return id.toString();
  }
}
