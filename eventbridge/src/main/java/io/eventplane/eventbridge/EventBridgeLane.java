package io.eventplane.eventbridge;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneCalls;
import io.eventplane.common.partition.Lanes;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.partition.ServiceLane;
import io.eventplane.eventbridge.api.EventsApi;
import io.eventplane.eventbridge.api.EventsRequestPartitions;
import io.eventplane.eventbridge.delivery.Deliveries;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.StoredEvent;
import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One lane of a node's EventBridge service: the buses (with rules, targets, each bus's matcher) of
 * the partitions {@code p % lanes == lane}, their pending deliveries and retry tick, on a context of
 * their own. Requests arrive at the lane's local address from the gateway, at its node address
 * from other nodes, and at {@link Contracts#EVENTS} from other services of this node (a lane passes
 * one that is not its own to the owning lane). Everything about a bus is decided by its
 * partition's lane; the reads across partitions are ListEventBuses (every lane of every node) and
 * a PutEvents whose entries name buses of several partitions (split and sent to each owner).
 */
final class EventBridgeLane extends VerticleBase implements PartitionListener, ServiceLane {
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String RESET_LANE = "eventplane:ResetLane";
  /** A node's share of ListEventBuses, gathered from all its lanes. */
  private static final String NODE_BUSES = "eventplane:NodeBuses";

  private final int lane;
  private final int lanes;
  private final EventBridgeNode node;
  private final Placement placement;
  private Buses buses;
  private Deliveries deliveries;
  private EventsApi api;
  private NodeCalls calls;
  private LaneCalls laneCalls;
  private PartitionRouter router;

  EventBridgeLane(int lane, int lanes, EventBridgeNode node) {
    this.lane = lane;
    this.lanes = lanes;
    this.node = node;
    this.placement = node.placement();
  }

  @Override
  public Future<?> start() {
    buses = new Buses(vertx, context, new EventStore(node.store(), node.writer()));
    deliveries = new Deliveries(vertx, context, buses, node.clock());
    api = new EventsApi(buses, deliveries, node.clock());
    calls = new NodeCalls(vertx, Contracts.EVENTS, Map.of(), lanes);
    laneCalls = new LaneCalls(vertx, Contracts.EVENTS, lanes);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "EventBridge");
    return router.listen(Lanes.address(Contracts.EVENTS, lane), this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context, p -> Lanes.of(p, lanes) == lane));
  }

  @Override
  public Future<Void> listenShared() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> router.listenLocal(Contracts.EVENTS, this::onClientRequest).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    if (deliveries != null) deliveries.clear();
    return router == null ? Future.succeededFuture() : router.close();
  }

  /** Loads the partition's buses and rules and resumes its pending deliveries (after a restart or a failover). */
  @Override
  public Future<Void> acquire(int partition) {
    return buses.load(partition).map(snapshot -> {
      Map<Long, List<EventStore.PendingDelivery>> bySeq = new HashMap<>();
      for (EventStore.PendingDelivery d : snapshot.deliveries()) bySeq.computeIfAbsent(d.seq(), s -> new ArrayList<>()).add(d);
      for (Map.Entry<Long, List<EventStore.PendingDelivery>> e : bySeq.entrySet()) {
        StoredEvent event = snapshot.events().get(e.getKey());
        if (event != null) deliveries.add(partition, event, e.getValue());
      }
      return null;
    });
  }

  @Override
  public Future<Void> release(int partition) {
    deliveries.unload(partition);
    buses.unload(partition);
    return Future.succeededFuture();
  }

  /** A request from this node (its gateway, another service, another lane): run here or at the partition's owner. */
  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result = switch (request.operation()) {
      case RESET -> router.everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context()), this::handle)
          .map(all -> new JsonObject().put("reset", true));
      case "ListEventBuses" -> listEventBuses(request);
      default -> route(request);
    };
    router.reply(message, request, result);
  }

  /** A request another node forwarded, or a node-wide question: answered on this node. */
  private void onNodeRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    int partition = EventsRequestPartitions.of(request);
    if (partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane) {
      router.reply(message, request, laneCalls.call(laneCalls.laneOf(partition), request));
      return;
    }
    router.reply(message, request, PartitionRouter.safely(this::handle, request));
  }

  /** Runs the request at its partition's owning lane: this one, another lane of this node, or the owner node's. */
  private Future<JsonObject> route(ApiRequest request) {
    int partition = EventsRequestPartitions.of(request);
    return partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane
        ? laneCalls.call(laneCalls.laneOf(partition), request)
        : router.route(request, partition, this::handle);
  }

  private Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case RESET_NODE -> laneCalls.everyLane(lane, new ApiRequest(RESET_LANE, new JsonObject(), request.context()),
          this::resetHere).map(v -> new JsonObject());
      case RESET_LANE -> resetHere();
      case NODE_BUSES -> laneCalls.everyLane(lane, new ApiRequest(EventsApi.LANE_BUSES, request.input(), request.context()),
          () -> api.handle(new ApiRequest(EventsApi.LANE_BUSES, request.input(), request.context())))
          .map(shares -> {
            io.vertx.core.json.JsonArray all = new io.vertx.core.json.JsonArray();
            for (JsonObject s : shares) all.addAll(s.getJsonArray("EventBuses"));
            return new JsonObject().put("EventBuses", all);
          });
      case "PutEvents" -> api.putEvents(request, this::route);
      case EventsApi.PUT_SERVICE_EVENTS -> api.putServiceEvents(request, this::route);
      default -> api.handle(request);
    };
  }

  /** ListEventBuses: the default bus is made first (it always exists), then every node's lanes answer. */
  private Future<JsonObject> listEventBuses(ApiRequest request) {
    EventsApi.ListQuery query;
    try {
      query = EventsApi.listQuery(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    JsonObject ask = new JsonObject().put("Account", request.context().accountId()).put("Region", request.context().region());
    ApiRequest describeDefault = new ApiRequest("DescribeEventBus", new JsonObject().put("Name", BusRef.DEFAULT), request.context());
    return route(describeDefault)
        .compose(d -> router.everyNode(new ApiRequest(NODE_BUSES, ask, request.context()), this::handle))
        .map(shares -> EventsApi.listBuses(query, shares));
  }

  private Future<JsonObject> resetHere() {
    deliveries.clear();
    return buses.clear().map(v -> new JsonObject());
  }
}
