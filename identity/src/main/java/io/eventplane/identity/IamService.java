package io.eventplane.identity;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.secret.SecretBox;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.common.store.Store;
import io.eventplane.identity.api.AssumeRoleTrust;
import io.eventplane.identity.api.AccessKeyApi;
import io.eventplane.identity.api.CallerUser;
import io.eventplane.identity.api.GroupApi;
import io.eventplane.identity.api.IamCalls;
import io.eventplane.identity.api.IamInventory;
import io.eventplane.identity.api.IdentityPolicies;
import io.eventplane.identity.api.PolicyApi;
import io.eventplane.identity.api.RoleApi;
import io.eventplane.identity.api.UserApi;
import io.eventplane.identity.domain.Groups;
import io.eventplane.identity.domain.Policies;
import io.eventplane.identity.domain.Roles;
import io.eventplane.identity.domain.Users;
import io.eventplane.identity.store.PolicyStore;
import io.eventplane.identity.store.RoleStore;
import io.eventplane.identity.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The IAM service of a node: roles with their trust policy, attached managed policies and inline
 * policies; customer managed policies and their versions; users, groups, their policies and group
 * memberships; users' access keys (secrets sealed with the credentials key) and the lookup of a
 * key by its id that the gateway's signature check asks ({@code eventplane:ResolveAccessKey}).
 * Each call runs at the owner of its entity's partition (every entity is partitioned by account
 * and case-insensitive name; an access key's lookup by the partition its id names); listings,
 * attachment counts, group members and the dev-mode Reset ask every node.
 * STS asks the owner of a role whether its trust policy lets a verified caller assume it
 * ({@link AssumeRoleTrust}, an internal operation).
 */
public final class IamService extends VerticleBase implements PartitionListener, IamCalls {
  /** IAM on a node: its entities live in partitions of the {@code iam} column family. */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("IAM", Contracts.IAM,
      List.of(RoleStore.COLUMN_FAMILY), env -> new IamService(env.store(), env.writer(), env.placement(), env.clock(),
          new SecretBox(env.config().auth().credentialsKey())));

  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String LIST = "eventplane:ListRoles";
  private static final String POLICY_EXISTS = "eventplane:PolicyExists";

  private final Store store;
  private final PartitionWriter writer;
  private final Placement placement;
  private final Clock clock;
  private final SecretBox box;
  private Roles roles;
  private Policies policies;
  private Users users;
  private Groups groups;
  private RoleApi api;
  private PolicyApi policyApi;
  private AssumeRoleTrust trust;
  private UserApi userApi;
  private GroupApi groupApi;
  private AccessKeyApi keyApi;
  private IdentityPolicies identityPolicies;
  private PartitionRouter router;

  public IamService(Store store, PartitionWriter writer, Placement placement, Clock clock, SecretBox box) {
    this.store = store;
    this.writer = writer;
    this.placement = placement;
    this.clock = clock;
    this.box = box;
  }

  @Override
  public Future<?> start() {
    roles = new Roles(context, new RoleStore(store, writer));
    policies = new Policies(context, new PolicyStore(store, writer));
    UserStore userStore = new UserStore(store, writer);
    users = new Users(context, userStore);
    groups = new Groups(context, userStore);
    NodeCalls calls = new NodeCalls(vertx, Contracts.IAM);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "IAM");
    api = new RoleApi(roles, clock, account -> inventory(account).map(IamInventory::roles), this::policyExists);
    policyApi = new PolicyApi(policies, clock, this::inventory);
    userApi = new UserApi(users, clock, this, this::policyExists);
    groupApi = new GroupApi(groups, clock, this, this::policyExists);
    keyApi = new AccessKeyApi(users, clock, this, box);
    trust = new AssumeRoleTrust(roles, clock);
    identityPolicies = new IdentityPolicies(this, users, groups, roles, policies);
    return router.listen(Contracts.IAM, this::onClientRequest, this::onNodeRequest).compose(v -> placement.register(this, context));
  }

  @Override
  public Future<?> stop() {
    return router == null ? Future.succeededFuture() : router.close();
  }

  @Override
  public Future<Void> acquire(int partition) {
    return roles.load(partition).compose(v -> policies.load(partition)).compose(v -> users.load(partition))
        .compose(v -> groups.load(partition));
  }

  @Override
  public Future<Void> release(int partition) {
    roles.unload(partition);
    policies.unload(partition);
    users.unload(partition);
    groups.unload(partition);
    return Future.succeededFuture();
  }

  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    router.reply(message, request, PartitionRouter.safely(this::route, request));
  }

  private Future<JsonObject> route(ApiRequest request) {
    String account = request.context().accountId();
    String operation = request.operation();
    if (RESET.equals(operation)) {
      return router.everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context()), this::handle)
          .map(x -> {
            vertx.eventBus().publish(Contracts.IAM_CHANGED, new JsonObject().put("All", true));
            return new JsonObject();
          });
    }
    if (IdentityPolicies.OPERATION.equals(operation)) return identityPolicies.lookup(request.input());
    if (PolicyChanges.changesPolicies(operation)) {
      return routed(request, account, operation).onSuccess(x -> PolicyChanges.publish(vertx));
    }
    return routed(request, account, operation);
  }

  private Future<JsonObject> routed(ApiRequest request, String account, String operation) {
    if (("GetUser".equals(operation) || AccessKeyApi.actsForCaller(operation)) && request.input().getValue("UserName") == null) {
      String name = CallerUser.nameOf(request.context());
      if (name == null) return CallerUser.rootAnswer(operation, request.input(), account, clock);
      request = new ApiRequest(operation, request.input().copy().put("UserName", name), request.context());
    }
    if (RoleApi.isListing(operation)) return api.handle(operation, request.input(), account);
    if ("ListUsers".equals(operation)) return userApi.handle(operation, request.input(), account);
    if ("ListGroups".equals(operation)) return groupApi.handle(operation, request.input(), account);
    if (PolicyApi.isPolicyOperation(operation)) {
      if (PolicyApi.isAnsweredAnywhere(operation, request.input())) {
        return policyApi.handle(operation, request.input(), account);
      }
      return router.route(request, PolicyApi.partitionOf(account, operation, request.input()), this::handle);
    }
    if (UserApi.isUserOperation(operation)) {
      return router.route(request, UserApi.partitionOf(account, operation, request.input()), this::handle);
    }
    if (GroupApi.isGroupOperation(operation)) {
      return router.route(request, GroupApi.partitionOf(account, operation, request.input()), this::handle);
    }
    if (AccessKeyApi.isAccessKeyOperation(operation)) {
      return router.route(request, AccessKeyApi.partitionOf(account, operation, request.input()), this::handle);
    }
    return router.route(request, RoleApi.partitionOf(account, request.input()), this::handle);
  }

  private void onNodeRequest(Message<ApiRequest> message) {
    router.reply(message, message.body(), PartitionRouter.safely(this::handle, message.body()));
  }

  private Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    String account = request.context().accountId();
    String operation = request.operation();
    if (RESET_NODE.equals(operation)) {
      return roles.clear().map(x -> {
        policies.forgetAll();
        users.forgetAll();
        groups.forgetAll();
        return new JsonObject();
      });
    }
    if (LIST.equals(operation)) {
      String of = in.getString("account");
      JsonArray attached = api.attachmentsHere(of);
      attached.addAll(userApi.attachmentsHere(of));
      attached.addAll(groupApi.attachmentsHere(of));
      return Future.succeededFuture(new JsonObject().put("roles", api.rolesHere(of)).put("attached", attached)
          .put("policies", policyApi.policiesHere(of)).put("users", userApi.usersHere(of))
          .put("groups", groupApi.groupsHere(of)));
    }
    if (POLICY_EXISTS.equals(operation)) {
      return Future.succeededFuture(new JsonObject().put("exists", policyApi.exists(account, in.getString("PolicyArn"))));
    }
    if (AssumeRoleTrust.OPERATION.equals(operation)) return Future.succeededFuture(trust.check(in, account));
    if (IdentityPolicies.ENTITY.equals(operation)) return Future.succeededFuture(identityPolicies.here(in, account));
    if (PolicyApi.isPolicyOperation(operation)) return policyApi.handle(operation, in, account);
    if (UserApi.isUserOperation(operation)) return userApi.handle(operation, in, account);
    if (GroupApi.isGroupOperation(operation)) return groupApi.handle(operation, in, account);
    if (AccessKeyApi.isAccessKeyOperation(operation)) return keyApi.handle(operation, in, account);
    return api.handle(operation, in, account);
  }

  @Override
  public Future<JsonObject> at(int partition, String operation, JsonObject input, String account) {
    ApiRequest question = new ApiRequest(operation, input, new RequestContext(account, "global", "iam-internal", ""));
    return router.route(question, partition, this::handle);
  }

  @Override
  public void accessKeysChanged(Collection<String> accessKeyIds) {
    if (accessKeyIds.isEmpty()) return;
    vertx.eventBus().publish(Contracts.IAM_CHANGED, new JsonObject().put("AccessKeyIds", new JsonArray(new ArrayList<>(accessKeyIds))));
  }

  private Future<Boolean> policyExists(String account, String arn) {
    String name = arn.substring(arn.lastIndexOf('/') + 1);
    return at(Policies.partitionOf(account, name), POLICY_EXISTS, new JsonObject().put("PolicyArn", arn), account)
        .map(answer -> answer.getBoolean("exists", false));
  }

  /** An account's roles, users, groups, attachment counts and customer policies, gathered from every node. */
  @Override
  public Future<IamInventory> inventory(String account) {
    ApiRequest question = new ApiRequest(LIST, new JsonObject().put("account", account),
        new RequestContext(account, "global", "list-roles", ""));
    return router.everyNode(question, this::handle).map(answers -> {
      List<JsonObject> roles = new ArrayList<>();
      List<JsonObject> users = new ArrayList<>();
      List<JsonObject> groups = new ArrayList<>();
      Map<String, Integer> attachments = new HashMap<>();
      List<JsonObject> policies = new ArrayList<>();
      for (JsonObject a : answers) {
        a.getJsonArray("roles", new JsonArray()).forEach(o -> roles.add((JsonObject) o));
        a.getJsonArray("users", new JsonArray()).forEach(o -> users.add((JsonObject) o));
        a.getJsonArray("groups", new JsonArray()).forEach(o -> groups.add((JsonObject) o));
        a.getJsonArray("attached", new JsonArray()).forEach(o -> attachments.merge(String.valueOf(o), 1, Integer::sum));
        a.getJsonArray("policies", new JsonArray()).forEach(o -> policies.add((JsonObject) o));
      }
      return new IamInventory(roles, users, groups, attachments, policies);
    });
  }
}
