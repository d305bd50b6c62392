package io.eventplane.identity;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.common.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The IAM calls that deploying functions needs: roles with their trust policy, attached managed
 * policies and inline policies. Policies are stored and shown, not enforced. Roles are
 * partitioned by account and (case-insensitive, as in IAM) name like every other resource.
 */
public final class IamService extends VerticleBase implements PartitionListener {
  private static final String SERVICE = "iam";
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String LIST = "eventplane:ListRoles";
  /** IAM on a node: roles live in partitions of the {@code iam} column family. */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("IAM", Contracts.IAM,
      List.of(RoleStore.COLUMN_FAMILY), env -> new IamService(env.store(), env.writer(), env.placement(), env.clock()));
  private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]+");
  private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]+");
  private static final Pattern AWS_POLICY = Pattern.compile("arn:aws[a-zA-Z-]*:iam::aws:policy/[\\w+=,.@/-]+");
  private static final Pattern POLICY_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:iam::(aws|\\d{12}):policy/[\\w+=,.@/-]+");
  private static final int MAX_POLICY = 10_240;

  private final Store store;
  private final PartitionWriter writer;
  private final Placement placement;
  private final Clock clock;
  private final TreeMap<String, Role> roles = new TreeMap<>();
  private final Map<Integer, Set<String>> byPartition = new HashMap<>();
  private RoleStore roleStore;
  private NodeCalls calls;
  private PartitionRouter router;

  public IamService(Store store, PartitionWriter writer, Placement placement, Clock clock) {
    this.store = store;
    this.writer = writer;
    this.placement = placement;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    roleStore = new RoleStore(store, writer);
    calls = new NodeCalls(vertx, Contracts.IAM);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "IAM");
    return router.listen(Contracts.IAM, this::onClientRequest, this::onNodeRequest).compose(v -> placement.register(this, context));
  }

  @Override
  public Future<?> stop() {
    return router == null ? Future.succeededFuture() : router.close();
  }

  @Override
  public Future<Void> acquire(int partition) {
    return vertx.executeBlocking(() -> roleStore.load(partition)).map(loaded -> {
      Set<String> keys = byPartition.computeIfAbsent(partition, p -> new HashSet<>());
      for (Role r : loaded) {
        roles.put(key(r.accountId(), r.name()), r);
        keys.add(key(r.accountId(), r.name()));
      }
      return null;
    });
  }

  @Override
  public Future<Void> release(int partition) {
    Set<String> keys = byPartition.remove(partition);
    if (keys != null) keys.forEach(roles::remove);
    return Future.succeededFuture();
  }

  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result;
    try {
      result = switch (request.operation()) {
        case RESET -> everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context())).map(x -> new JsonObject());
        case "ListRoles" -> listRoles(request);
        default -> router.route(request, partitionOf(request.context().accountId(), roleName(request.input())), this::handle);
      };
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    router.reply(message, request, result);
  }

  private void onNodeRequest(Message<ApiRequest> message) {
    router.reply(message, message.body(), PartitionRouter.safely(this::handle, message.body()));
  }

  private Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    String account = request.context().accountId();
    try {
      switch (request.operation()) {
        case RESET_NODE: {
          List<Future<Void>> all = new ArrayList<>();
          for (Integer p : byPartition.keySet()) all.add(Future.fromCompletionStage(roleStore.clear(p), context));
          return Future.all(all).map(x -> {
            roles.clear();
            byPartition.values().forEach(Set::clear);
            return new JsonObject();
          });
        }
        case LIST: {
          JsonArray out = new JsonArray();
          for (Role r : roles.values()) if (r.accountId().equals(in.getString("account"))) out.add(r.output());
          return Future.succeededFuture(new JsonObject().put("roles", out));
        }
        case "CreateRole":
          return createRole(in, account);
        case "GetRole":
          return Future.succeededFuture(new JsonObject().put("Role", require(account, in).output()));
        case "DeleteRole":
          return deleteRole(require(account, in));
        case "AttachRolePolicy":
          return attach(require(account, in), in, true);
        case "DetachRolePolicy":
          return attach(require(account, in), in, false);
        case "ListAttachedRolePolicies": {
          JsonArray out = new JsonArray();
          for (String arn : require(account, in).attachedPolicies()) {
            out.add(new JsonObject().put("PolicyName", arn.substring(arn.lastIndexOf('/') + 1)).put("PolicyArn", arn));
          }
          return Future.succeededFuture(new JsonObject().put("AttachedPolicies", out).put("IsTruncated", false));
        }
        case "PutRolePolicy":
          return putInline(require(account, in), in);
        case "GetRolePolicy": {
          Role r = require(account, in);
          String name = in.getString("PolicyName");
          String doc = name == null ? null : r.inlinePolicies().get(name);
          if (doc == null) throw noSuchEntity("The role policy with name " + name + " cannot be found.");
          return Future.succeededFuture(new JsonObject().put("RoleName", r.name()).put("PolicyName", name)
              .put("PolicyDocument", Role.encode(doc)));
        }
        case "DeleteRolePolicy": {
          Role r = require(account, in);
          String name = in.getString("PolicyName");
          if (name == null || !r.inlinePolicies().containsKey(name)) {
            throw noSuchEntity("The role policy with name " + name + " cannot be found.");
          }
          TreeMap<String, String> inline = new TreeMap<>(r.inlinePolicies());
          inline.remove(name);
          return save(with(r, r.attachedPolicies(), inline)).map(x -> new JsonObject());
        }
        case "ListRolePolicies":
          return Future.succeededFuture(new JsonObject()
              .put("PolicyNames", new JsonArray(new ArrayList<>(require(account, in).inlinePolicies().keySet())))
              .put("IsTruncated", false));
        default:
          throw new ServiceException("InvalidAction", "Could not find operation " + request.operation());
      }
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> createRole(JsonObject in, String account) {
    String name = roleName(in);
    String trust = in.getString("AssumeRolePolicyDocument");
    if (trust == null) throw validation("null", "assumeRolePolicyDocument", "Member must not be null");
    policyDocument(trust);
    String path = in.getString("Path", "/");
    if (path.isEmpty() || path.length() > 512 || !path.startsWith("/") || !path.endsWith("/")) {
      throw validation(path, "path", "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
    }
    String description = in.getString("Description");
    if (description != null && description.length() > 1000) {
      throw validation(description, "description", "Member must have length less than or equal to 1000");
    }
    int maxSession = 3600;
    if (in.getValue("MaxSessionDuration") != null) {
      maxSession = Integer.parseInt(String.valueOf(in.getValue("MaxSessionDuration")));
      if (maxSession < 3600 || maxSession > 43200) {
        throw validation(Integer.toString(maxSession), "maxSessionDuration", "Member must have value between 3600 and 43200");
      }
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (Object t : in.getJsonArray("Tags", new JsonArray())) {
      JsonObject tag = (JsonObject) t;
      tags.put(tag.getString("Key"), tag.getString("Value", ""));
    }
    if (roles.containsKey(key(account, name))) {
      throw new ServiceException("EntityAlreadyExists", "Role with name " + name + " already exists.");
    }
    Role role = new Role(account, name, path, roleId(), trust, description, maxSession, tags, new TreeSet<>(),
        new TreeMap<>(), clock.millis());
    return save(role).map(x -> new JsonObject().put("Role", role.output()));
  }

  private Future<JsonObject> deleteRole(Role r) {
    if (!r.attachedPolicies().isEmpty()) {
      throw new ServiceException("DeleteConflict", "Cannot delete entity, must detach all policies first.");
    }
    if (!r.inlinePolicies().isEmpty()) {
      throw new ServiceException("DeleteConflict", "Cannot delete entity, must delete policies first.");
    }
    int partition = partitionOf(r.accountId(), r.name());
    return Future.fromCompletionStage(roleStore.delete(partition, r), context).map(x -> {
      roles.remove(key(r.accountId(), r.name()));
      Set<String> keys = byPartition.get(partition);
      if (keys != null) keys.remove(key(r.accountId(), r.name()));
      return new JsonObject();
    });
  }

  private Future<JsonObject> attach(Role r, JsonObject in, boolean attach) {
    String arn = in.getString("PolicyArn");
    if (arn == null || !POLICY_ARN.matcher(arn).matches()) {
      throw new ServiceException("InvalidInput", "ARN " + arn + " is not valid.");
    }
    TreeSet<String> attached = new TreeSet<>(r.attachedPolicies());
    if (attach) {
      if (!AWS_POLICY.matcher(arn).matches()) {
        throw noSuchEntity("Policy " + arn + " does not exist or is not attachable.");
      }
      attached.add(arn);
    } else if (!attached.remove(arn)) {
      throw noSuchEntity("Policy " + arn + " was not found.");
    }
    return save(with(r, attached, r.inlinePolicies())).map(x -> new JsonObject());
  }

  private Future<JsonObject> putInline(Role r, JsonObject in) {
    String name = in.getString("PolicyName");
    if (name == null || name.isEmpty() || name.length() > 128 || !POLICY_NAME.matcher(name).matches()) {
      throw validation(String.valueOf(name), "policyName", "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    }
    String doc = in.getString("PolicyDocument");
    if (doc == null) throw validation("null", "policyDocument", "Member must not be null");
    policyDocument(doc);
    TreeMap<String, String> inline = new TreeMap<>(r.inlinePolicies());
    inline.put(name, doc);
    return save(with(r, r.attachedPolicies(), inline)).map(x -> new JsonObject());
  }

  private Future<Void> save(Role r) {
    int partition = partitionOf(r.accountId(), r.name());
    return Future.fromCompletionStage(roleStore.put(partition, r), context).map(x -> {
      roles.put(key(r.accountId(), r.name()), r);
      byPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(key(r.accountId(), r.name()));
      return null;
    });
  }

  private static Role with(Role r, TreeSet<String> attached, TreeMap<String, String> inline) {
    return new Role(r.accountId(), r.name(), r.path(), r.roleId(), r.assumeRolePolicy(), r.description(),
        r.maxSessionDuration(), r.tags(), attached, inline, r.createDate());
  }

  /** ListRoles: every node's roles of the account, by name, with PathPrefix, Marker and MaxItems. */
  private Future<JsonObject> listRoles(ApiRequest request) {
    JsonObject in = request.input();
    String prefix = in.getString("PathPrefix", "/");
    int max = in.getValue("MaxItems") == null ? 100 : Integer.parseInt(String.valueOf(in.getValue("MaxItems")));
    if (max < 1 || max > 1000) throw validation(Integer.toString(max), "maxItems", "Member must have value between 1 and 1000");
    String marker = in.getString("Marker");
    JsonObject question = new JsonObject().put("account", request.context().accountId());
    return everyNode(new ApiRequest(LIST, question, request.context())).map(answers -> {
      List<JsonObject> all = new ArrayList<>();
      for (JsonObject a : answers) a.getJsonArray("roles").forEach(o -> all.add((JsonObject) o));
      all.removeIf(r -> !r.getString("Path").startsWith(prefix));
      all.sort(java.util.Comparator.comparing(r -> r.getString("RoleName").toLowerCase(Locale.ROOT)));
      if (marker != null) all.removeIf(r -> r.getString("RoleName").toLowerCase(Locale.ROOT).compareTo(marker) <= 0);
      JsonArray page = new JsonArray();
      for (int i = 0; i < Math.min(max, all.size()); i++) page.add(all.get(i));
      JsonObject out = new JsonObject().put("Roles", page).put("IsTruncated", all.size() > max);
      if (all.size() > max) out.put("Marker", all.get(max - 1).getString("RoleName").toLowerCase(Locale.ROOT));
      return out;
    });
  }

  private Future<List<JsonObject>> everyNode(ApiRequest question) {
    return router.everyNode(question, this::handle);
  }

  private Role require(String account, JsonObject in) {
    String name = roleName(in);
    Role r = roles.get(key(account, name));
    if (r == null) throw noSuchEntity("The role with name " + name + " cannot be found.");
    return r;
  }

  private static String roleName(JsonObject in) {
    String name = in.getString("RoleName");
    if (name == null) throw validation("null", "roleName", "Member must not be null");
    if (name.isEmpty() || name.length() > 64) {
      throw validation(name, "roleName", "Member must have length between 1 and 64");
    }
    if (!ROLE_NAME.matcher(name).matches()) {
      throw validation(name, "roleName", "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    }
    return name;
  }

  private static void policyDocument(String doc) {
    if (doc.length() > MAX_POLICY) {
      throw new ServiceException("LimitExceeded", "Cannot exceed quota for PolicySize: " + MAX_POLICY);
    }
    try {
      new JsonObject(doc);
    } catch (RuntimeException e) {
      throw new ServiceException("MalformedPolicyDocument", "This policy contains invalid Json");
    }
  }

  private static int partitionOf(String account, String name) {
    return Partitions.of(SERVICE, account, name.toLowerCase(Locale.ROOT));
  }

  private static String key(String account, String name) {
    return account + "\u0000" + name.toLowerCase(Locale.ROOT);
  }

  private static String roleId() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder id = new StringBuilder("AROA");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 17; i++) id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return id.toString();
  }

  private static ServiceException noSuchEntity(String message) {
    return new ServiceException("NoSuchEntity", message);
  }

  private static ServiceException validation(String value, String member, String constraint) {
    return new ServiceException("ValidationError", "1 validation error detected: Value '" + value + "' at '" + member
        + "' failed to satisfy constraint: " + constraint);
  }
}
