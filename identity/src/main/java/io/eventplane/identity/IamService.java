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
import io.eventplane.identity.api.RoleApi;
import io.eventplane.identity.domain.Roles;
import io.eventplane.identity.store.RoleStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The IAM service of a node: the calls that deploying functions needs (roles with their trust
 * policy, attached managed policies and inline policies; stored and shown, not enforced). Each
 * call runs at the owner of its role's partition (roles are partitioned by account and
 * case-insensitive name like every other resource); ListRoles and the dev-mode Reset ask every node.
 */
public final class IamService extends VerticleBase implements PartitionListener {
  /** IAM on a node: roles live in partitions of the {@code iam} column family. */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("IAM", Contracts.IAM,
      List.of(RoleStore.COLUMN_FAMILY), env -> new IamService(env.store(), env.writer(), env.placement(), env.clock()));

  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String LIST = "eventplane:ListRoles";

  private final Store store;
  private final PartitionWriter writer;
  private final Placement placement;
  private final Clock clock;
  private Roles roles;
  private RoleApi api;
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
    NodeCalls calls = new NodeCalls(vertx, Contracts.IAM);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "IAM");
    api = new RoleApi(roles, clock, this::rolesOfEveryNode);
    return router.listen(Contracts.IAM, this::onClientRequest, this::onNodeRequest).compose(v -> placement.register(this, context));
  }

  @Override
  public Future<?> stop() {
    return router == null ? Future.succeededFuture() : router.close();
  }

  @Override
  public Future<Void> acquire(int partition) {
    return roles.load(partition);
  }

  @Override
  public Future<Void> release(int partition) {
    roles.unload(partition);
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
    return router.route(request, RoleApi.partitionOf(account, request.input()), this::handle);
  }

  private void onNodeRequest(Message<ApiRequest> message) {
    router.reply(message, message.body(), PartitionRouter.safely(this::handle, message.body()));
  }

  private Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case RESET_NODE -> roles.clear().map(x -> new JsonObject());
      case LIST -> Future.succeededFuture(new JsonObject().put("roles", api.rolesHere(in.getString("account"))));
      default -> api.handle(request.operation(), in, request.context().accountId());
    };
  }

  private Future<List<JsonObject>> rolesOfEveryNode(String account) {
    ApiRequest question = new ApiRequest(LIST, new JsonObject().put("account", account),
        new io.eventplane.common.bus.RequestContext(account, "global", "list-roles", ""));
    return router.everyNode(question, this::handle).map(answers -> {
      List<JsonObject> all = new ArrayList<>();
      for (JsonObject a : answers) a.getJsonArray("roles", new JsonArray()).forEach(o -> all.add((JsonObject) o));
      return all;
    });
  }
}
