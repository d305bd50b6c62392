package io.eventplane.apigateway;

import io.eventplane.apigateway.api.ApiGatewayPartitions;
import io.eventplane.apigateway.api.DomainNameIndex;
import io.eventplane.apigateway.api.HttpApiOperations;
import io.eventplane.apigateway.domain.ApiTable;
import io.eventplane.apigateway.rest.RestApiOperations;
import io.eventplane.apigateway.store.ApiGatewayStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.partition.LaneCalls;
import io.eventplane.common.partition.Lanes;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.partition.ServiceLane;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One lane of a node's API Gateway service: the partitions {@code p % lanes == lane} this node owns,
 * with their APIs and domain names. Every call names its partition (its API's id, else the
 * context's account and region), so every call runs at that partition's owning lane; only the
 * reset goes everywhere (and tells every gateway to drop what it cached).
 */
final class ApiGatewayLane extends VerticleBase implements PartitionListener, ServiceLane {
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String RESET_LANE = "eventplane:ResetLane";

  private final int lane;
  private final int lanes;
  private final ApiGatewayNode node;
  private final Placement placement;
  private final Set<Integer> owned = new HashSet<>();
  private ApiGatewayStore store;
  private ApiTable table;
  private HttpApiOperations v2;
  private RestApiOperations v1;
  private DomainNameIndex index;
  private LaneCalls laneCalls;
  private PartitionRouter router;

  ApiGatewayLane(int lane, int lanes, ApiGatewayNode node) {
    this.lane = lane;
    this.lanes = lanes;
    this.node = node;
    this.placement = node.placement();
  }

  @Override
  public Future<?> start() {
    store = new ApiGatewayStore(node.store(), node.writer());
    table = new ApiTable(vertx, context, store);
    index = new DomainNameIndex(table, vertx.eventBus(), this::route);
    v2 = new HttpApiOperations(table, node.clock(), new ApiIds(), vertx.eventBus(), node.hostSuffix(), index);
    v1 = new RestApiOperations(table, node.clock(), new ApiIds(), vertx.eventBus(), node.hostSuffix(), index);
    NodeCalls calls = new NodeCalls(vertx, Contracts.APIGATEWAY, Map.of(), lanes);
    laneCalls = new LaneCalls(vertx, Contracts.APIGATEWAY, lanes);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "API Gateway");
    return router.listen(Lanes.address(Contracts.APIGATEWAY, lane), this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context, p -> Lanes.of(p, lanes) == lane));
  }

  @Override
  public Future<Void> listenShared() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> router.listenLocal(Contracts.APIGATEWAY, this::onClientRequest).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    return router == null ? Future.succeededFuture() : router.close();
  }

  @Override
  public Future<Void> acquire(int partition) {
    return table.load(partition).onSuccess(v -> owned.add(partition));
  }

  @Override
  public Future<Void> release(int partition) {
    owned.remove(partition);
    table.unload(partition);
    return Future.succeededFuture();
  }

  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result = RESET.equals(request.operation())
        ? router.everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context()), this::handle)
            .map(all -> {
              vertx.eventBus().publish(Contracts.APIGATEWAY_CHANGED, new JsonObject().put("All", true));
              return new JsonObject().put("reset", true);
            })
        : route(request);
    router.reply(message, request, result);
  }

  private void onNodeRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    int partition = partitionOf(request);
    if (partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane) {
      router.reply(message, request, laneCalls.call(laneCalls.laneOf(partition), request));
      return;
    }
    router.reply(message, request, PartitionRouter.safely(this::handle, request));
  }

  private static int partitionOf(ApiRequest request) {
    return request.operation().startsWith("eventplane:Reset") ? PartitionRouter.ANY : ApiGatewayPartitions.of(request);
  }

  private Future<JsonObject> route(ApiRequest request) {
    int partition = partitionOf(request);
    return partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane
        ? laneCalls.call(laneCalls.laneOf(partition), request)
        : router.route(request, partition, this::handle);
  }

  private Future<JsonObject> handle(ApiRequest request) {
    try {
      return switch (request.operation()) {
        case RESET_NODE -> laneCalls.everyLane(lane, new ApiRequest(RESET_LANE, new JsonObject(), request.context()),
            this::resetHere).map(v -> new JsonObject());
        case RESET_LANE -> resetHere();
        default -> {
          table.requireLoaded(ApiGatewayPartitions.of(request));
          if (DomainNameIndex.handles(request.operation())) yield index.handle(request);
          yield v1.claims(request) ? v1.handle(request) : v2.handle(request);
        }
      };
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> resetHere() {
    table.clear();
    Future<Void> all = Future.succeededFuture();
    for (int p : Set.copyOf(owned)) {
      all = all.compose(v -> {
        var b = store.batch();
        store.clearPartition(b, p);
        return store.commit(p, b, context);
      });
    }
    return all.map(v -> new JsonObject());
  }
}
