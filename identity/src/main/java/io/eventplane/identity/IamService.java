package io.eventplane.identity;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.common.store.Store;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.identity.api.AssumeRoleTrust;
import io.eventplane.identity.api.IamInventory;
import io.eventplane.identity.api.PolicyApi;
import io.eventplane.identity.api.RoleApi;
import io.eventplane.identity.domain.Policies;
import io.eventplane.identity.domain.Roles;
import io.eventplane.identity.store.PolicyStore;
import io.eventplane.identity.store.RoleStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The IAM service of a node: the calls that deploying functions needs (roles with their trust
 * policy, attached managed policies and inline policies; customer managed policies and their
 * versions; stored and shown, not enforced). Each call runs at the owner of its role's or
 * policy's partition (both are partitioned by account and case-insensitive name like every other
 * resource); ListRoles, ListPolicies, attachment counts and the dev-mode Reset ask every node.
 * STS asks the owner of a role whether its trust policy lets a verified caller assume it
 * ({@link AssumeRoleTrust}, an internal operation).
 */
public final class IamService extends VerticleBase implements PartitionListener {
  /** IAM on a node: roles live in partitions of the {@code iam} column family. */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("IAM", Contracts.IAM,
      List.of(RoleStore.COLUMN_FAMILY), env -> new IamService(env.store(), env.writer(), env.placement(), env.clock()));

  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String LIST = "eventplane:ListRoles";
  private static final String POLICY_EXISTS = "eventplane:PolicyExists";

  private final Store store;
  private final PartitionWriter writer;
  private final Placement placement;
  private final Clock clock;
  private Roles roles;
  private Policies policies;
  private RoleApi api;
  private PolicyApi policyApi;
  private AssumeRoleTrust trust;
  private PartitionRouter router;

  public IamService(Store store, PartitionWriter writer, Placement placement, Clock clock) {
    this.store = store;
    this.writer = writer;
    this.placement = placement;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    roles = new Roles(context, new RoleStore(store, writer));
    policies = new Policies(context, new PolicyStore(store, writer));
    NodeCalls calls = new NodeCalls(vertx, Contracts.IAM);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "IAM");
    api = new RoleApi(roles, clock, account -> inventoryOfEveryNode(account).map(IamInventory::roles), this::policyExists);
    policyApi = new PolicyApi(policies, clock, this::inventoryOfEveryNode);
    trust = new AssumeRoleTrust(roles, clock);
    return router.listen(Contracts.IAM, this::onClientRequest, this::onNodeRequest).compose(v -> placement.register(this, context));
  }

  @Override
  public Future<?> stop() {
    return router == null ? Future.succeededFuture() : router.close();
  }

  @Override
  public Future<Void> acquire(int partition) {
    return roles.load(partition).compose(v -> policies.load(partition));
  }

  @Override
  public Future<Void> release(int partition) {
    roles.unload(partition);
    policies.unload(partition);
    return Future.succeededFuture();
  }

  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    router.reply(message, request, PartitionRouter.safely(this::route, request));
  }

  private Future<JsonObject> route(ApiRequest request) {
    String account = request.context().accountId();
    if (RESET.equals(request.operation())) {
      return router.everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context()), this::handle)
          .map(x -> new JsonObject());
    }
    if (RoleApi.isListing(request.operation())) return api.handle(request.operation(), request.input(), account);
    if (PolicyApi.isPolicyOperation(request.operation())) {
      if (PolicyApi.isAnsweredAnywhere(request.operation(), request.input())) {
        return policyApi.handle(request.operation(), request.input(), account);
      }
      return router.route(request, PolicyApi.partitionOf(account, request.operation(), request.input()), this::handle);
    }
    return router.route(request, RoleApi.partitionOf(account, request.input()), this::handle);
  }

  private void onNodeRequest(Message<ApiRequest> message) {
    router.reply(message, message.body(), PartitionRouter.safely(this::handle, message.body()));
  }

  private Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case RESET_NODE -> roles.clear().map(x -> {
        policies.forgetAll();
        return new JsonObject();
      });
      case LIST -> Future.succeededFuture(new JsonObject().put("roles", api.rolesHere(in.getString("account")))
          .put("attached", api.attachmentsHere(in.getString("account")))
          .put("policies", policyApi.policiesHere(in.getString("account"))));
      case POLICY_EXISTS -> Future.succeededFuture(new JsonObject()
          .put("exists", policyApi.exists(request.context().accountId(), in.getString("PolicyArn"))));
      case AssumeRoleTrust.OPERATION -> Future.succeededFuture(trust.check(in, request.context().accountId()));
      default -> PolicyApi.isPolicyOperation(request.operation())
          ? policyApi.handle(request.operation(), in, request.context().accountId())
          : api.handle(request.operation(), in, request.context().accountId());
    };
  }

  private Future<Boolean> policyExists(String account, String arn) {
    String name = arn.substring(arn.lastIndexOf('/') + 1);
    ApiRequest question = new ApiRequest(POLICY_EXISTS, new JsonObject().put("PolicyArn", arn),
        new RequestContext(account, "global", "policy-exists", ""));
    return router.route(question, Policies.partitionOf(account, name), this::handle)
        .map(answer -> answer.getBoolean("exists", false));
  }

  /** An account's roles, attachment counts and customer policies, gathered from every node. */
  private Future<IamInventory> inventoryOfEveryNode(String account) {
    ApiRequest question = new ApiRequest(LIST, new JsonObject().put("account", account),
        new RequestContext(account, "global", "list-roles", ""));
    return router.everyNode(question, this::handle).map(answers -> {
      List<JsonObject> roles = new ArrayList<>();
      Map<String, Integer> attachments = new HashMap<>();
      List<JsonObject> policies = new ArrayList<>();
      for (JsonObject a : answers) {
        a.getJsonArray("roles", new JsonArray()).forEach(o -> roles.add((JsonObject) o));
        a.getJsonArray("attached", new JsonArray()).forEach(o -> attachments.merge(String.valueOf(o), 1, Integer::sum));
        a.getJsonArray("policies", new JsonArray()).forEach(o -> policies.add((JsonObject) o));
      }
      return new IamInventory(roles, attachments, policies);
    });
  }
}
