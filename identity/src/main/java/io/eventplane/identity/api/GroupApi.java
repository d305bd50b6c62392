package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.noSuchEntity;

import io.eventplane.common.error.ServiceException;
import io.eventplane.identity.domain.Group;
import io.eventplane.identity.domain.Groups;
import io.eventplane.identity.domain.IamErrors;
import io.eventplane.identity.store.UserCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * IAM's group operations, one method each, at the owner of the group's partition. A group's
 * members are recorded on the users (by group id), so GetGroup and DeleteGroup's conflict check
 * ask every node for the account's users; ListGroups asks every node for its groups.
 */
public final class GroupApi {
  private static final Set<String> OPERATIONS = Set.of("CreateGroup", "GetGroup", "UpdateGroup", "DeleteGroup", "ListGroups",
      "AttachGroupPolicy", "DetachGroupPolicy", "ListAttachedGroupPolicies", "PutGroupPolicy", "GetGroupPolicy",
      "DeleteGroupPolicy", "ListGroupPolicies", IamCalls.GROUP_ID, IamCalls.ADOPT_GROUP);
  /** IAM's quota of a group's inline policies together (characters, whitespace not counted). */
  private static final int MAX_INLINE = 5_120;

  private final Groups groups;
  private final Clock clock;
  private final IamCalls calls;
  private final PrincipalPolicies policies;

  public GroupApi(Groups groups, Clock clock, IamCalls calls, RoleApi.PolicyExists policyExists) {
    this.groups = groups;
    this.clock = clock;
    this.calls = calls;
    this.policies = new PrincipalPolicies("group", "PoliciesPerGroup", MAX_INLINE, policyExists);
  }

  public static boolean isGroupOperation(String operation) {
    return OPERATIONS.contains(operation);
  }

  /** The partition of the group a call names; a bad name is refused before routing. */
  public static int partitionOf(String account, String operation, JsonObject in) {
    if (IamCalls.ADOPT_GROUP.equals(operation)) {
      JsonObject g = in.getJsonObject("Group");
      return Groups.partitionOf(g.getString("account"), g.getString("name"));
    }
    return Groups.partitionOf(account, UserInputs.groupName(in));
  }

  public Future<JsonObject> handle(String operation, JsonObject in, String account) {
    return switch (operation) {
      case "CreateGroup" -> create(in, account);
      case "GetGroup" -> get(in, account);
      case "UpdateGroup" -> update(in, account);
      case "DeleteGroup" -> delete(in, account);
      case "ListGroups" -> list(in, account);
      case "AttachGroupPolicy" -> attach(in, account);
      case "DetachGroupPolicy" -> {
        String arn = PrincipalPolicies.policyArn(in);
        Group g = require(account, in);
        yield groups.save(g.withPolicies(policies.detach(g.attachedPolicies(), arn), g.inlinePolicies()))
            .map(x -> new JsonObject());
      }
      case "ListAttachedGroupPolicies" -> Future.succeededFuture(
          policies.listAttached(require(account, in).attachedPolicies(), in));
      case "PutGroupPolicy" -> {
        Group g = require(account, in);
        yield groups.save(g.withPolicies(g.attachedPolicies(), policies.put(g.name(), g.inlinePolicies(), in)))
            .map(x -> new JsonObject());
      }
      case "GetGroupPolicy" -> {
        Group g = require(account, in);
        yield Future.succeededFuture(policies.get("GroupName", g.name(), g.inlinePolicies(), in));
      }
      case "DeleteGroupPolicy" -> {
        Group g = require(account, in);
        yield groups.save(g.withPolicies(g.attachedPolicies(), policies.delete(g.inlinePolicies(), in)))
            .map(x -> new JsonObject());
      }
      case "ListGroupPolicies" -> Future.succeededFuture(policies.listInline(require(account, in).inlinePolicies(), in));
      case IamCalls.GROUP_ID -> {
        Group g = require(account, in);
        yield Future.succeededFuture(g.output());
      }
      case IamCalls.ADOPT_GROUP -> adopt(in);
      default -> throw new ServiceException("InvalidAction", "Could not find operation " + operation);
    };
  }

  /** This node's groups of an account, as Group shapes (one node's part of the inventory). */
  public JsonArray groupsHere(String account) {
    JsonArray out = new JsonArray();
    for (Group g : groups.ofAccount(account)) out.add(g.output());
    return out;
  }

  /** The managed policies this node's groups of an account have attached: one ARN per attachment. */
  public JsonArray attachmentsHere(String account) {
    JsonArray out = new JsonArray();
    for (Group g : groups.ofAccount(account)) g.attachedPolicies().forEach(out::add);
    return out;
  }

  private Future<JsonObject> create(JsonObject in, String account) {
    String name = UserInputs.groupName(in);
    String path = RoleInputs.path(in);
    if (groups.find(account, name) != null) throw alreadyExists(name);
    Group g = new Group(account, name, path, UserApi.id("AGPA"), new TreeSet<>(), new TreeMap<>(), clock.millis());
    return groups.save(g).map(x -> new JsonObject().put("Group", g.output()));
  }

  /** GetGroup: the group and a page of its users (every node's users that belong to it). */
  private Future<JsonObject> get(JsonObject in, String account) {
    Group g = require(account, in);
    int max = RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    String marker = RoleInputs.string(in, "Marker", "marker");
    return calls.inventory(account).map(inventory -> {
      Group now = require(account, in);
      JsonObject page = UserApi.byName(members(inventory, now), "UserName", "Users", marker, max);
      return page.put("Group", now.output());
    });
  }

  private static List<JsonObject> members(IamInventory inventory, Group g) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject u : inventory.users()) {
      if (u.getJsonArray("GroupIds", new JsonArray()).contains(g.groupId())) {
        JsonObject item = u.copy();
        item.remove("GroupIds");
        out.add(item);
      }
    }
    return out;
  }

  /** UpdateGroup: a new path, a new name, or both; a name in another partition moves the group there. */
  private Future<JsonObject> update(JsonObject in, String account) {
    UserInputs.groupName(in);
    String newName = UserInputs.optionalName(in, "NewGroupName", "newGroupName", 128);
    String newPath = UserInputs.optionalPath(in, "NewPath", "newPath");
    Group g = require(account, in);
    Group next = g.renamed(newName == null ? g.name() : newName, newPath == null ? g.path() : newPath);
    if (next.name().equalsIgnoreCase(g.name())) return groups.save(next).map(x -> new JsonObject());
    if (groups.find(account, next.name()) != null) throw alreadyExists(next.name());
    int target = Groups.partitionOf(account, next.name());
    Future<?> moved = target == Groups.partitionOf(account, g.name()) ? groups.save(next)
        : calls.at(target, IamCalls.ADOPT_GROUP, new JsonObject().put("Group", UserCodec.encode(next)), account);
    return moved.compose(x -> groups.delete(g)).map(x -> new JsonObject());
  }

  private Future<JsonObject> adopt(JsonObject in) {
    Group g = UserCodec.decodeGroup(in.getJsonObject("Group"));
    if (groups.find(g.accountId(), g.name()) != null) throw alreadyExists(g.name());
    return groups.save(g).map(x -> new JsonObject());
  }

  private Future<JsonObject> delete(JsonObject in, String account) {
    Group g = require(account, in);
    return calls.inventory(account).compose(inventory -> {
      Group now = require(account, in);
      if (!members(inventory, now).isEmpty()) {
        throw IamErrors.deleteConflict("Cannot delete entity, must remove users from group first.");
      }
      if (!now.attachedPolicies().isEmpty()) {
        throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
      }
      if (!now.inlinePolicies().isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
      return groups.delete(now).map(x -> new JsonObject());
    });
  }

  private Future<JsonObject> list(JsonObject in, String account) {
    String given = UserInputs.pathPrefix(in);
    String prefix = given == null ? "/" : given;
    int max = RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    String marker = RoleInputs.string(in, "Marker", "marker");
    return calls.inventory(account).map(inventory -> {
      List<JsonObject> matching = new ArrayList<>(inventory.groups());
      matching.removeIf(g -> !g.getString("Path").startsWith(prefix));
      return UserApi.byName(matching, "GroupName", "Groups", marker, max);
    });
  }

  private Future<JsonObject> attach(JsonObject in, String account) {
    String arn = PrincipalPolicies.policyArn(in);
    require(account, in);
    return policies.checkAttachable(account, arn).compose(x -> {
      Group now = require(account, in);
      return groups.save(now.withPolicies(policies.attach(now.attachedPolicies(), arn), now.inlinePolicies()));
    }).map(x -> new JsonObject());
  }

  private Group require(String account, JsonObject in) {
    String name = UserInputs.groupName(in);
    Group g = groups.find(account, name);
    if (g == null) throw noSuchEntity("The group with name " + name + " cannot be found.");
    return g;
  }

  private static ServiceException alreadyExists(String name) {
    return new ServiceException("EntityAlreadyExists", "Group with name " + name + " already exists.");
  }
}
