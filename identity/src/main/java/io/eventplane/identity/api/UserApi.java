package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.noSuchEntity;

import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.AccessKeyIds;
import io.eventplane.identity.domain.IamErrors;
import io.eventplane.identity.domain.User;
import io.eventplane.identity.domain.Users;
import io.eventplane.identity.store.UserCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * IAM's user operations (users, their tags, policies and group memberships), one method each, on
 * the users of the partitions this node owns: the service routes each call to the owner of its
 * user's partition. ListUsers asks every node. Access keys are {@link AccessKeyApi}'s.
 */
public final class UserApi {
  private static final Set<String> OPERATIONS = Set.of("CreateUser", "GetUser", "UpdateUser", "DeleteUser", "ListUsers",
      "TagUser", "UntagUser", "ListUserTags", "AttachUserPolicy", "DetachUserPolicy", "ListAttachedUserPolicies",
      "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy", "ListUserPolicies", "AddUserToGroup", "RemoveUserFromGroup",
      "ListGroupsForUser", IamCalls.ADOPT_USER);
  /** IAM's quota of a user's inline policies together (characters, whitespace not counted). */
  private static final int MAX_INLINE = 2_048;

  private final Users users;
  private final Clock clock;
  private final IamCalls calls;
  private final PrincipalPolicies policies;

  public UserApi(Users users, Clock clock, IamCalls calls, RoleApi.PolicyExists policyExists) {
    this.users = users;
    this.clock = clock;
    this.calls = calls;
    this.policies = new PrincipalPolicies("user", "PoliciesPerUser", MAX_INLINE, policyExists);
  }

  public static boolean isUserOperation(String operation) {
    return OPERATIONS.contains(operation);
  }

  /** The partition of the user a call names; a bad name is refused before routing. */
  public static int partitionOf(String account, String operation, JsonObject in) {
    if (IamCalls.ADOPT_USER.equals(operation)) {
      JsonObject u = in.getJsonObject("User");
      return Users.partitionOf(u.getString("account"), u.getString("name"));
    }
    return Users.partitionOf(account, UserInputs.userName(in));
  }

  public Future<JsonObject> handle(String operation, JsonObject in, String account) {
    return switch (operation) {
      case "CreateUser" -> create(in, account);
      case "GetUser" -> Future.succeededFuture(new JsonObject().put("User", require(account, in).output(true)));
      case "UpdateUser" -> update(in, account);
      case "DeleteUser" -> delete(require(account, in));
      case "ListUsers" -> list(in, account);
      case "TagUser" -> tag(in, account);
      case "UntagUser" -> untag(in, account);
      case "ListUserTags" -> listTags(in, account);
      case "AttachUserPolicy" -> attach(in, account);
      case "DetachUserPolicy" -> detach(in, account);
      case "ListAttachedUserPolicies" -> Future.succeededFuture(
          policies.listAttached(require(account, in).attachedPolicies(), in));
      case "PutUserPolicy" -> putInline(in, account);
      case "GetUserPolicy" -> getInline(in, account);
      case "DeleteUserPolicy" -> deleteInline(in, account);
      case "ListUserPolicies" -> Future.succeededFuture(policies.listInline(require(account, in).inlinePolicies(), in));
      case "AddUserToGroup" -> membership(in, account, true);
      case "RemoveUserFromGroup" -> membership(in, account, false);
      case "ListGroupsForUser" -> groupsForUser(in, account);
      case IamCalls.ADOPT_USER -> adopt(in);
      default -> throw new ServiceException("InvalidAction", "Could not find operation " + operation);
    };
  }

  /** This node's users of an account, as ListUsers items with their group ids (one node's part of the inventory). */
  public JsonArray usersHere(String account) {
    JsonArray out = new JsonArray();
    for (User u : users.ofAccount(account)) {
      out.add(u.output(false).put("GroupIds", new JsonArray(new ArrayList<>(u.groupIds()))));
    }
    return out;
  }

  /** The managed policies this node's users of an account have attached: one ARN per attachment. */
  public JsonArray attachmentsHere(String account) {
    JsonArray out = new JsonArray();
    for (User u : users.ofAccount(account)) u.attachedPolicies().forEach(out::add);
    return out;
  }

  private Future<JsonObject> create(JsonObject in, String account) {
    String name = UserInputs.userName(in);
    String path = RoleInputs.path(in);
    Map<String, String> tags = RoleInputs.tags(in);
    String boundary = RoleInputs.string(in, "PermissionsBoundary", "permissionsBoundary");
    if (boundary != null) PrincipalPolicies.policyArn(new JsonObject().put("PolicyArn", boundary));
    if (users.find(account, name) != null) throw alreadyExists(name);
    User u = new User(account, name, path, id("AIDA"), boundary, tags, new TreeSet<>(), new TreeMap<>(), new TreeSet<>(),
        Map.of(), clock.millis());
    return users.save(u).map(x -> new JsonObject().put("User", u.output(true)));
  }

  /**
   * UpdateUser: a new path, a new name, or both. A new name that lands in another partition moves
   * the user there (its owner refuses a name taken), points the access keys' index entries at the
   * new name, then drops the old record.
   */
  private Future<JsonObject> update(JsonObject in, String account) {
    UserInputs.userName(in);
    String newName = UserInputs.optionalName(in, "NewUserName", "newUserName", 64);
    String newPath = UserInputs.optionalPath(in, "NewPath", "newPath");
    User u = require(account, in);
    User next = u.renamed(newName == null ? u.name() : newName, newPath == null ? u.path() : newPath);
    if (next.name().equalsIgnoreCase(u.name())) return users.save(next).map(x -> new JsonObject());
    if (users.find(account, next.name()) != null) throw alreadyExists(next.name());
    int target = Users.partitionOf(account, next.name());
    Future<JsonObject> moved = target == Users.partitionOf(account, u.name()) ? users.save(next).map(x -> new JsonObject())
        : calls.at(target, IamCalls.ADOPT_USER, new JsonObject().put("User", UserCodec.encode(next)), account);
    return moved.compose(x -> {
      List<Future<JsonObject>> indexed = new ArrayList<>();
      for (String keyId : u.accessKeys().keySet()) {
        indexed.add(calls.at(AccessKeyIds.partitionOf(keyId), IamCalls.INDEX_ACCESS_KEY,
            new JsonObject().put("AccessKeyId", keyId).put("UserName", next.name()), account));
      }
      return Future.all(indexed);
    }).compose(x -> users.delete(u)).map(x -> {
      calls.accessKeysChanged(u.accessKeys().keySet());
      return new JsonObject();
    });
  }

  private Future<JsonObject> adopt(JsonObject in) {
    User u = UserCodec.decodeUser(in.getJsonObject("User"));
    if (users.find(u.accountId(), u.name()) != null) throw alreadyExists(u.name());
    return users.save(u).map(x -> new JsonObject());
  }

  private Future<JsonObject> delete(User u) {
    if (!u.accessKeys().isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must delete access keys first.");
    if (!u.groupIds().isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must remove users from group first.");
    if (!u.attachedPolicies().isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
    if (!u.inlinePolicies().isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
    return users.delete(u).map(x -> new JsonObject());
  }

  /** Every node's users of the account, by name, with PathPrefix, Marker and MaxItems. */
  private Future<JsonObject> list(JsonObject in, String account) {
    String given = UserInputs.pathPrefix(in);
    String prefix = given == null ? "/" : given;
    int max = RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    String marker = RoleInputs.string(in, "Marker", "marker");
    return calls.inventory(account).map(inventory -> {
      List<JsonObject> matching = new ArrayList<>();
      for (JsonObject u : inventory.users()) {
        if (!u.getString("Path").startsWith(prefix)) continue;
        JsonObject item = u.copy();
        item.remove("GroupIds");
        matching.add(item);
      }
      return byName(matching, "UserName", "Users", marker, max);
    });
  }

  /** A page of a listing in IAM's order (by name, without regard to case); the marker is the last name handed out. */
  static JsonObject byName(List<JsonObject> all, String nameMember, String listMember, String marker, int max) {
    List<JsonObject> matching = new ArrayList<>(all);
    matching.sort(Comparator.comparing(o -> o.getString(nameMember).toLowerCase(Locale.ROOT)));
    if (marker != null) matching.removeIf(o -> o.getString(nameMember).toLowerCase(Locale.ROOT).compareTo(marker) <= 0);
    JsonArray page = new JsonArray();
    for (int i = 0; i < Math.min(max, matching.size()); i++) page.add(matching.get(i));
    JsonObject out = new JsonObject().put(listMember, page).put("IsTruncated", matching.size() > max);
    if (matching.size() > max) out.put("Marker", matching.get(max - 1).getString(nameMember).toLowerCase(Locale.ROOT));
    return out;
  }

  /** TagUser: as TagRole, keys compared without regard to case; at most 50 tags in all. */
  private Future<JsonObject> tag(JsonObject in, String account) {
    UserInputs.userName(in);
    Map<String, String> given = RoleInputs.tags(in);
    if (in.getValue("Tags") == null) throw IamErrors.validation("null", "tags", "Member must not be null");
    User u = require(account, in);
    Map<String, String> tags = new LinkedHashMap<>();
    u.tags().forEach((k, v) -> {
      if (given.keySet().stream().noneMatch(k::equalsIgnoreCase)) tags.put(k, v);
    });
    tags.putAll(given);
    if (tags.size() > 50) throw UserInputs.limit("Cannot exceed quota for TagsPerUser: 50");
    return users.save(u.withTags(tags)).map(x -> new JsonObject());
  }

  private Future<JsonObject> untag(JsonObject in, String account) {
    UserInputs.userName(in);
    List<String> keys = RoleInputs.tagKeys(in);
    User u = require(account, in);
    Map<String, String> tags = new LinkedHashMap<>(u.tags());
    tags.keySet().removeIf(k -> keys.stream().anyMatch(k::equalsIgnoreCase));
    return users.save(u.withTags(tags)).map(x -> new JsonObject());
  }

  private Future<JsonObject> listTags(JsonObject in, String account) {
    List<JsonObject> all = new ArrayList<>();
    require(account, in).tags().forEach((k, v) -> all.add(new JsonObject().put("Key", k).put("Value", v)));
    return Future.succeededFuture(PrincipalPolicies.page(all, in, "Tags"));
  }

  private Future<JsonObject> attach(JsonObject in, String account) {
    String arn = PrincipalPolicies.policyArn(in);
    User u = require(account, in);
    return policies.checkAttachable(account, arn).compose(x -> {
      // The user may have changed while the policy's owner was asked: attach to what is there now.
      User now = require(account, in);
      return users.save(now.withPolicies(policies.attach(now.attachedPolicies(), arn), now.inlinePolicies()));
    }).map(x -> new JsonObject());
  }

  private Future<JsonObject> detach(JsonObject in, String account) {
    String arn = PrincipalPolicies.policyArn(in);
    User u = require(account, in);
    return users.save(u.withPolicies(policies.detach(u.attachedPolicies(), arn), u.inlinePolicies())).map(x -> new JsonObject());
  }

  private Future<JsonObject> putInline(JsonObject in, String account) {
    User u = require(account, in);
    return users.save(u.withPolicies(u.attachedPolicies(), policies.put(u.name(), u.inlinePolicies(), in)))
        .map(x -> new JsonObject());
  }

  private Future<JsonObject> getInline(JsonObject in, String account) {
    User u = require(account, in);
    return Future.succeededFuture(policies.get("UserName", u.name(), u.inlinePolicies(), in));
  }

  private Future<JsonObject> deleteInline(JsonObject in, String account) {
    User u = require(account, in);
    return users.save(u.withPolicies(u.attachedPolicies(), policies.delete(u.inlinePolicies(), in)))
        .map(x -> new JsonObject());
  }

  /**
   * AddUserToGroup / RemoveUserFromGroup, at the user's owner: the group's owner gives its id
   * (NoSuchEntity when there is no such group), the membership is written on the user.
   */
  private Future<JsonObject> membership(JsonObject in, String account, boolean add) {
    String groupName = UserInputs.groupName(in);
    UserInputs.userName(in);
    return calls.at(io.eventplane.identity.domain.Groups.partitionOf(account, groupName), IamCalls.GROUP_ID,
        new JsonObject().put("GroupName", groupName), account).compose(group -> {
          String groupId = group.getString("GroupId");
          User u = require(account, in);
          TreeSet<String> groups = new TreeSet<>(u.groupIds());
          if (add) {
            if (groups.add(groupId) && groups.size() > User.MAX_GROUPS) {
              throw UserInputs.limit("Cannot exceed quota for GroupsPerUser: " + User.MAX_GROUPS);
            }
          } else if (!groups.remove(groupId)) {
            throw noSuchEntity("The user with name " + u.name() + " cannot be found in group " + groupName + ".");
          }
          return users.save(u.withGroups(groups)).map(x -> new JsonObject());
        });
  }

  private Future<JsonObject> groupsForUser(JsonObject in, String account) {
    User u = require(account, in);
    int max = RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    String marker = RoleInputs.string(in, "Marker", "marker");
    if (u.groupIds().isEmpty()) return Future.succeededFuture(byName(List.of(), "GroupName", "Groups", marker, max));
    return calls.inventory(account).map(inventory -> {
      List<JsonObject> groups = new ArrayList<>();
      for (JsonObject g : inventory.groups()) if (u.groupIds().contains(g.getString("GroupId"))) groups.add(g);
      return byName(groups, "GroupName", "Groups", marker, max);
    });
  }

  User require(String account, JsonObject in) {
    String name = UserInputs.userName(in);
    User u = users.find(account, name);
    if (u == null) throw noSuchEntity("The user with name " + name + " cannot be found.");
    return u;
  }

  private static ServiceException alreadyExists(String name) {
    return new ServiceException("EntityAlreadyExists", "User with name " + name + " already exists.");
  }

  /** An IAM unique id: the type's prefix ({@code AIDA} users, {@code AGPA} groups) and 17 characters of base 32. */
  static String id(String prefix) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder id = new StringBuilder(prefix);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 17; i++) id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return id.toString();
  }
}
