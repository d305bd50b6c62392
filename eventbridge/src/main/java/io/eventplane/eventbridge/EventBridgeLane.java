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
import io.eventplane.eventbridge.delivery.HttpCalls;
import io.eventplane.eventbridge.domain.HttpEndpoints;
import io.eventplane.eventbridge.delivery.Replays;
import io.eventplane.eventbridge.domain.Archives;
import io.eventplane.eventbridge.delivery.ScheduledRules;
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
  /** A call by archive or replay name asked of a node: answered by whichever of its lanes holds the name. */
  private static final String NODE_ARCHIVE_CALL = "eventplane:NodeArchiveCall";
  /** A node's share of ListArchives and ListReplays, gathered from all its lanes. */
  private static final String NODE_ARCHIVES = "eventplane:NodeArchives";

  private final int lane;
  private final int lanes;
  private final EventBridgeNode node;
  private final Placement placement;
  private Buses buses;
  private Deliveries deliveries;
  private Archives archives;
  private Replays replays;
  private ScheduledRules schedules;
  private HttpEndpoints endpoints;
  private HttpCalls http;
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
    http = new HttpCalls(vertx);
    endpoints = new HttpEndpoints(vertx, buses.store());
    deliveries = new Deliveries(vertx, context, buses, node.clock(), http);
    archives = new Archives(vertx, buses.store());
    replays = new Replays(vertx, context, buses, archives, deliveries, node.clock());
    schedules = new ScheduledRules(vertx, context, buses, deliveries, node.clock());
    api = new EventsApi(buses, archives, deliveries, replays, schedules, endpoints, http, node.clock());
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
    if (replays != null) replays.clear();
    if (schedules != null) schedules.close();
    if (http != null) http.close();
    return router == null ? Future.succeededFuture() : router.close();
  }

  /**
   * Loads the partition's buses and rules, resumes its pending deliveries (after a restart or a
   * failover), times its scheduled rules, then loads its archives, resuming the replays that were running.
   */
  @Override
  public Future<Void> acquire(int partition) {
    return buses.load(partition).compose(snapshot -> schedules.load(partition, snapshot.rules()).map(snapshot)).<Void>map(snapshot -> {
      Map<Long, List<EventStore.PendingDelivery>> bySeq = new HashMap<>();
      for (EventStore.PendingDelivery d : snapshot.deliveries()) bySeq.computeIfAbsent(d.seq(), s -> new ArrayList<>()).add(d);
      for (Map.Entry<Long, List<EventStore.PendingDelivery>> e : bySeq.entrySet()) {
        StoredEvent event = snapshot.events().get(e.getKey());
        if (event != null) deliveries.add(partition, event, e.getValue());
      }
      return null;
    }).compose(v -> archives.load(partition)).map(loaded -> {
      replays.resume(partition);
      return null;
    }).compose(v -> endpoints.load(partition)).map(loaded -> {
      api.resumeConnections(loaded.connections());
      return null;
    });
  }

  @Override
  public Future<Void> release(int partition) {
    deliveries.unload(partition);
    replays.unload(partition);
    archives.unload(partition);
    endpoints.unload(partition);
    schedules.unload(partition);
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
      case "CreateArchive" -> createArchive(request);
      case "DescribeArchive", "UpdateArchive", "DeleteArchive", "DescribeReplay", "CancelReplay" -> byName(request);
      case "StartReplay" -> startReplay(request);
      case "ListArchives", "ListReplays" -> listArchives(request);
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
      case NODE_ARCHIVE_CALL -> laneCalls.everyLane(lane, new ApiRequest(EventsApi.ARCHIVE_CALL, request.input(), request.context()),
          () -> api.handle(new ApiRequest(EventsApi.ARCHIVE_CALL, request.input(), request.context())))
          .map(answers -> answers.stream().filter(a -> !EventsApi.isAbsent(a)).findFirst().orElse(answers.get(0)));
      case NODE_ARCHIVES -> laneCalls.everyLane(lane, new ApiRequest(EventsApi.LANE_ARCHIVES, request.input(), request.context()),
          () -> api.handle(new ApiRequest(EventsApi.LANE_ARCHIVES, request.input(), request.context())))
          .map(shares -> {
            io.vertx.core.json.JsonArray as = new io.vertx.core.json.JsonArray();
            io.vertx.core.json.JsonArray rs = new io.vertx.core.json.JsonArray();
            for (JsonObject s : shares) {
              as.addAll(s.getJsonArray("Archives"));
              rs.addAll(s.getJsonArray("Replays"));
            }
            return new JsonObject().put("Archives", as).put("Replays", rs);
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

  /**
   * A call that names an archive or a replay only by name: every lane of every node is asked, and
   * the one that holds the name (its bus's partition's owner) runs it.
   */
  private Future<JsonObject> byName(ApiRequest request) {
    try {
      EventsApi.checkArchiveCall(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return askHolder(request).map(answers -> EventsApi.archiveAnswer(request, answers));
  }

  private Future<List<JsonObject>> askHolder(ApiRequest request) {
    JsonObject call = new JsonObject().put("Operation", request.operation()).put("Input", request.input());
    return router.everyNode(new ApiRequest(NODE_ARCHIVE_CALL, call, request.context()), this::handle);
  }

  /** Whether any lane holds the archive or replay {@code operation} (a Describe) names in {@code input}. */
  private Future<Boolean> exists(String operation, JsonObject input, ApiRequest request) {
    return askHolder(new ApiRequest(operation, input, request.context()))
        .map(answers -> answers.stream().anyMatch(a -> !EventsApi.isAbsent(a)));
  }

  /**
   * CreateArchive: the name must be free on every lane (archive names are per account and region),
   * then the bus's owner creates it. Two creates of one name on two buses at once can both pass
   * the check (see docs/architecture.md).
   */
  private Future<JsonObject> createArchive(ApiRequest request) {
    try {
      EventsApi.checkArchiveCall(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String name = request.input().getString("ArchiveName");
    return exists("DescribeArchive", new JsonObject().put("ArchiveName", name), request).compose(taken -> {
      if (taken) return Future.failedFuture(EventsApi.archiveExists(name));
      return route(new ApiRequest(EventsApi.CREATE_ARCHIVE, request.input(), request.context()));
    });
  }

  /** StartReplay: the destination bus must exist, the replay name be free, then the archive's owner starts it. */
  private Future<JsonObject> startReplay(ApiRequest request) {
    try {
      EventsApi.checkArchiveCall(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String name = request.input().getString("ReplayName");
    ApiRequest describeBus = new ApiRequest("DescribeEventBus",
        new JsonObject().put("Name", EventsApi.replayDestination(request)), request.context());
    return route(describeBus)
        .compose(bus -> exists("DescribeReplay", new JsonObject().put("ReplayName", name), request))
        .compose(taken -> taken ? Future.failedFuture(EventsApi.replayExists(name)) : byName(request));
  }

  /** ListArchives and ListReplays: every node's lanes answer; a ListArchives EventSourceArn must name a bus that exists. */
  private Future<JsonObject> listArchives(ApiRequest request) {
    try {
      EventsApi.checkArchiveCall(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String source = request.input().getString("EventSourceArn");
    Future<?> busExists = request.operation().equals("ListArchives") && source != null
        ? route(new ApiRequest("DescribeEventBus", new JsonObject().put("Name", source), request.context()))
        : Future.succeededFuture();
    JsonObject ask = new JsonObject().put("Account", request.context().accountId()).put("Region", request.context().region());
    return busExists.compose(b -> router.everyNode(new ApiRequest(NODE_ARCHIVES, ask, request.context()), this::handle))
        .map(shares -> EventsApi.listArchives(request, shares));
  }

  private Future<JsonObject> resetHere() {
    deliveries.clear();
    replays.clear();
    archives.clear();
    endpoints.clear();
    schedules.clear();
    return buses.clear().map(v -> new JsonObject());
  }
}
