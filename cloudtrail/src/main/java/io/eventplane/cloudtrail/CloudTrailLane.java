package io.eventplane.cloudtrail;

import io.eventplane.cloudtrail.api.AuditPartitions;
import io.eventplane.cloudtrail.api.AuditRecords;
import io.eventplane.cloudtrail.delivery.BusEvents;
import io.eventplane.cloudtrail.store.AuditStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceError;
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
 * One lane of a node's CloudTrail service: the audit partitions {@code p % lanes == lane} this node
 * owns, their sequences, their outbox of events for the default bus and an hourly sweep of records
 * older than 90 days. Every call names its partition (the context's account and region), so every
 * call runs at that partition's owning lane; only the reset goes everywhere.
 */
final class CloudTrailLane extends VerticleBase implements PartitionListener, ServiceLane {
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String RESET_LANE = "eventplane:ResetLane";
  private static final long SWEEP_MILLIS = 3_600_000;

  private final int lane;
  private final int lanes;
  private final CloudTrailNode node;
  private final Placement placement;
  private final Set<Integer> owned = new HashSet<>();
  private AuditStore store;
  private AuditRecords records;
  private io.eventplane.cloudtrail.api.Trails trails;
  private io.eventplane.cloudtrail.delivery.LogFiles logFiles;
  private BusEvents busEvents;
  private LaneCalls laneCalls;
  private PartitionRouter router;
  private long sweepTimer = -1;

  CloudTrailLane(int lane, int lanes, CloudTrailNode node) {
    this.lane = lane;
    this.lanes = lanes;
    this.node = node;
    this.placement = node.placement();
  }

  @Override
  public Future<?> start() {
    store = new AuditStore(node.store(), node.writer());
    busEvents = new BusEvents(vertx, context, store);
    records = new AuditRecords(vertx, context, store, busEvents, node.clock());
    trails = new io.eventplane.cloudtrail.api.Trails(vertx, context, store, node.clock(), records::sequence);
    records.trails(trails);
    logFiles = new io.eventplane.cloudtrail.delivery.LogFiles(vertx, context, store, trails, node.clock(), node.gatewayUrl(),
        node.gatewaySigner(), node.deliveryInterval(), () -> Set.copyOf(owned));
    NodeCalls calls = new NodeCalls(vertx, Contracts.CLOUDTRAIL, Map.of(), lanes);
    laneCalls = new LaneCalls(vertx, Contracts.CLOUDTRAIL, lanes);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "CloudTrail");
    sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, t -> {
      for (int p : Set.copyOf(owned)) records.sweep(p);
    });
    return router.listen(Lanes.address(Contracts.CLOUDTRAIL, lane), this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context, p -> Lanes.of(p, lanes) == lane));
  }

  @Override
  public Future<Void> listenShared() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> router.listenLocal(Contracts.CLOUDTRAIL, this::onClientRequest).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    if (logFiles != null) logFiles.close();
    if (busEvents != null) busEvents.clear();
    return router == null ? Future.succeededFuture() : router.close();
  }

  /** Loads the partition's sequence and resumes its outbox; sweeps what aged out while it was elsewhere. */
  @Override
  public Future<Void> acquire(int partition) {
    owned.add(partition);
    return records.load(partition).compose(v -> trails.load(partition)).onSuccess(v -> records.sweep(partition));
  }

  @Override
  public Future<Void> release(int partition) {
    owned.remove(partition);
    records.unload(partition);
    trails.unload(partition);
    return Future.succeededFuture();
  }

  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result = RESET.equals(request.operation())
        ? router.everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context()), this::handle)
            .map(all -> new JsonObject().put("reset", true))
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
    return request.operation().startsWith("eventplane:Reset") ? PartitionRouter.ANY : AuditPartitions.of(request);
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
        case AuditRecords.PUT_RECORDS -> records.putRecords(request);
        case "LookupEvents" -> records.lookupEvents(request);
        case io.eventplane.common.audit.DataSelection.GET -> Future.succeededFuture(new JsonObject().put("Selection",
            trails.dataSelection(request.context().accountId(), request.context().region()).toJson()));
        case "CreateTrail", "GetTrail", "DescribeTrails", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging",
            "GetTrailStatus", "PutEventSelectors", "GetEventSelectors", "AddTags", "RemoveTags", "ListTags" -> trails.handle(request);
        default -> Future.failedFuture(new ServiceException(ServiceError.sender("InvalidAction",
            "The action " + request.operation() + " is not valid for this endpoint.")));
      };
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> resetHere() {
    records.clear();
    trails.clear();
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
