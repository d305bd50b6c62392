package io.eventplane.eventbridge;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
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
import io.eventplane.eventbridge.domain.Archive;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.EventBridgeLimits;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.eventplane.eventbridge.domain.Replay;
import io.eventplane.eventbridge.registry.AccountRegistry;
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
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(EventBridgeLane.class.getName());
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
  private Runnable stopRefreshing = () -> {};
  private Runnable stopSampling = () -> {};
  private Archives archives;
  private Replays replays;
  private ScheduledRules schedules;
  private AccountRegistry registry;
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
    deliveries = new Deliveries(vertx, context, buses, node.clock(), http, node.deliveryAuthorization());
    if (node.metrics().enabled()) {
      TargetMeters meters = new TargetMeters(node.metrics().registry(), buses, deliveries);
      deliveries.setMetrics(meters);
      stopRefreshing = node.metrics().beforeScrape(io.eventplane.common.metrics.OnContext.refresh(context, meters::refresh));
    }
    if (node.awsMetrics() != io.eventplane.common.cloudwatch.AwsMetrics.NONE) {
      RuleCloudWatch cloudWatch = new RuleCloudWatch();
      deliveries.setMetrics(io.eventplane.eventbridge.delivery.RuleMetrics.both(deliveries.metrics(), cloudWatch));
      stopSampling = node.awsMetrics().register(context, cloudWatch);
    }
    archives = new Archives(vertx, buses.store());
    replays = new Replays(vertx, context, buses, archives, deliveries, node.clock());
    schedules = new ScheduledRules(vertx, context, buses, deliveries, node.clock());
    api = new EventsApi(buses, archives, deliveries, replays, schedules, endpoints, http, node.clock(), node.limits());
    registry = new AccountRegistry(vertx, context, buses.store(), node.clock());
    replays.onEnded(this::replayEnded);
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
    stopRefreshing.run();
    stopSampling.run();
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
    }).compose(v -> archives.load(partition)).compose(loaded -> registry.load(partition)).map(loaded -> {
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
    registry.unload(partition);
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
      case "CreateEventBus" -> createEventBus(request);
      case "DeleteEventBus" -> deleteEventBus(request);
      case "CreateArchive" -> createArchive(request);
      case "DeleteArchive" -> deleteArchive(request);
      case "DescribeArchive", "UpdateArchive", "DescribeReplay", "CancelReplay" -> byName(request);
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
      case AccountRegistry.RESERVE -> registry.reserve(request, this::route);
      case AccountRegistry.RELEASE -> registry.release(request, this::route);
      case AccountRegistry.HOLDS -> Future.succeededFuture(holds(request.input()));
      case "PutEvents" -> api.putEvents(request, this::route);
      case EventsApi.PUT_SERVICE_EVENTS -> api.putServiceEvents(request, this::route);
      default -> api.handle(request);
    };
  }

  // ---- what spans an account: names and quotas in the account registry ----

  private static final String BUS = "bus";
  private static final String ARCHIVE = "archive";
  private static final String REPLAY = "replay";

  /**
   * Reserves {@code kind}/{@code name} in the account registry, then runs {@code create}; a create
   * that fails releases the name again. {@code taken} is the kind's "already exists" error.
   */
  private Future<JsonObject> reserved(ApiRequest reserve, java.util.function.Supplier<Future<JsonObject>> create,
      java.util.function.Supplier<RuntimeException> taken) {
    return route(reserve).compose(r -> switch (r.getString("Outcome", "")) {
      case AccountRegistry.RESERVED -> create.get().recover(e -> route(AccountRegistry.releaseFailed(reserve))
          .transform(x -> Future.<JsonObject>failedFuture(e)));
      case AccountRegistry.TAKEN -> Future.failedFuture(taken.get());
      case AccountRegistry.LIMIT -> Future.failedFuture(EventsErrors.limitExceeded());
      default -> Future.failedFuture(new IllegalStateException("account registry answered " + r.encode()));
    });
  }

  /** After a delete that began at {@code before} succeeded: its name leaves the registry (the answer waits for that). */
  private Future<JsonObject> released(Future<JsonObject> deleted, RequestContext ctx, String kind, String name, long before) {
    return deleted.compose(out -> route(AccountRegistry.releaseDeleted(ctx, kind, name, before)).transform(ar -> {
      if (ar.failed()) LOG.log(java.util.logging.Level.WARNING, "could not release " + kind + " " + name
          + " (the registry frees it when it next checks)", ar.cause());
      return Future.succeededFuture(out);
    }));
  }

  /** CreateEventBus: one unit of the account's bus quota is reserved, then the bus's owner creates it. */
  private Future<JsonObject> createEventBus(ApiRequest request) {
    String name;
    try {
      name = EventsApi.checkCreateBus(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    BusRef ref = new BusRef(request.context().accountId(), request.context().region(), name);
    ApiRequest create = new ApiRequest(EventsApi.CREATE_BUS, request.input(), request.context());
    if (ref.isDefault()) return route(create);
    return reserved(AccountRegistry.reserve(request.context(), BUS, name, ref.arn(), node.limits().busesPerAccount(), false),
        () -> route(create), () -> EventsErrors.busExists(name));
  }

  private Future<JsonObject> deleteEventBus(ApiRequest request) {
    long before = node.clock().millis();
    Object name = request.input().getValue("Name");
    Future<JsonObject> deleted = route(new ApiRequest(EventsApi.DELETE_BUS, request.input(), request.context()));
    return released(deleted, request.context(), BUS, String.valueOf(name), before);
  }

  private Future<JsonObject> deleteArchive(ApiRequest request) {
    long before = node.clock().millis();
    return released(byName(request), request.context(), ARCHIVE, request.input().getString("ArchiveName"), before);
  }

  /** A replay ended (completed, cancelled, failed): it no longer counts towards the running replays. */
  private void replayEnded(Replay r) {
    RequestContext ctx = new RequestContext(r.account(), r.region(), io.eventplane.common.id.Ids.uuid(), "http://eventplane.internal");
    route(AccountRegistry.deactivate(ctx, REPLAY, r.name())).onFailure(e -> LOG.log(java.util.logging.Level.WARNING,
        "could not report the end of replay " + r.arn() + " (the registry finds it when it next checks)", e));
  }

  /** {@link AccountRegistry#HOLDS}: whether this lane holds the named resource at its home, and whether it runs. */
  private JsonObject holds(JsonObject in) {
    String account = in.getString("Account");
    String region = in.getString("Region");
    String name = in.getString("Name");
    BusRef home = BusRef.of(in.getString("Home"), account, region);
    boolean exists;
    boolean active;
    switch (in.getString("Kind", "")) {
      case BUS -> {
        exists = buses.get(home) != null;
        active = exists;
      }
      case ARCHIVE -> {
        Archive a = archives.get(account, region, name);
        exists = a != null && a.bus().equals(home);
        active = exists;
      }
      case REPLAY -> {
        Replay r = archives.replay(account, region, name);
        exists = r != null;
        active = r != null && r.active();
      }
      default -> throw new IllegalArgumentException("no holder for kind " + in.getString("Kind"));
    }
    return new JsonObject().put("Exists", exists).put("Active", active);
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
    String home = BusRef.of(request.input().getString("EventSourceArn"), request.context().accountId(),
        request.context().region()).arn();
    return exists("DescribeArchive", new JsonObject().put("ArchiveName", name), request).compose(taken -> {
      if (taken) return Future.failedFuture(EventsApi.archiveExists(name));
      return reserved(AccountRegistry.reserve(request.context(), ARCHIVE, name, home, node.limits().archivesPerAccount(), false),
          () -> route(new ApiRequest(EventsApi.CREATE_ARCHIVE, request.input(), request.context())),
          () -> EventsApi.archiveExists(name));
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
    String home = BusRef.of(EventsApi.replayDestination(request), request.context().accountId(), request.context().region()).arn();
    ApiRequest reserve = AccountRegistry.reserve(request.context(), REPLAY, name, home,
        node.limits().runningReplaysPerAccount(), true);
    return route(describeBus)
        .compose(bus -> exists("DescribeReplay", new JsonObject().put("ReplayName", name), request))
        .compose(taken -> taken ? Future.failedFuture(EventsApi.replayExists(name))
            : reserved(reserve, () -> byName(request), () -> EventsApi.replayExists(name)));
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
    registry.clear();
    return buses.clear().map(v -> new JsonObject());
  }
}
