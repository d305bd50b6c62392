package io.eventplane.firehose;

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
import io.eventplane.firehose.api.DeliveryStreams;
import io.eventplane.firehose.api.FirehosePartitions;
import io.eventplane.firehose.api.Records;
import io.eventplane.firehose.delivery.Deliveries;
import io.eventplane.firehose.delivery.StreamSources;
import io.eventplane.firehose.domain.StreamTable;
import io.eventplane.firehose.store.FirehoseStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One lane of a node's Firehose service: the partitions {@code p % lanes == lane} this node owns,
 * with their delivery streams, buffered records and deliveries. Every call names its partition (the
 * context's account and region), so every call runs at that partition's owning lane; only the reset
 * goes everywhere.
 */
final class FirehoseLane extends VerticleBase implements PartitionListener, ServiceLane {
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String RESET_LANE = "eventplane:ResetLane";

  private final int lane;
  private final int lanes;
  private final FirehoseNode node;
  private final Placement placement;
  private final Set<Integer> owned = new HashSet<>();
  private FirehoseStore store;
  private StreamTable table;
  private DeliveryStreams streams;
  private Records records;
  private Deliveries deliveries;
  private StreamSources sources;
  private LaneCalls laneCalls;
  private PartitionRouter router;

  FirehoseLane(int lane, int lanes, FirehoseNode node) {
    this.lane = lane;
    this.lanes = lanes;
    this.node = node;
    this.placement = node.placement();
  }

  @Override
  public Future<?> start() {
    store = new FirehoseStore(node.store(), node.writer());
    table = new StreamTable(vertx, context, store);
    streams = new DeliveryStreams(vertx, context, table, node.clock());
    deliveries = new Deliveries(vertx, context, table, node.clock(), node.gatewayUrl(), node.gatewaySigner(),
        () -> Set.copyOf(owned));
    sources = new StreamSources(vertx, context, table, () -> Set.copyOf(owned), deliveries::buffered);
    records = new Records(table, context, node.clock(), deliveries::buffered);
    NodeCalls calls = new NodeCalls(vertx, Contracts.FIREHOSE, Map.of(), lanes);
    laneCalls = new LaneCalls(vertx, Contracts.FIREHOSE, lanes);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "Firehose");
    return router.listen(Lanes.address(Contracts.FIREHOSE, lane), this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context, p -> Lanes.of(p, lanes) == lane));
  }

  @Override
  public Future<Void> listenShared() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> router.listenLocal(Contracts.FIREHOSE, this::onClientRequest).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    if (deliveries != null) deliveries.close();
    if (sources != null) sources.close();
    return router == null ? Future.succeededFuture() : router.close();
  }

  /** Loads the partition's streams and what they buffer; a delivery left pending is resumed by the next tick. */
  @Override
  public Future<Void> acquire(int partition) {
    return table.load(partition).onSuccess(v -> {
      owned.add(partition);
      deliveries.resume(partition);
      sources.tick();
    });
  }

  @Override
  public Future<Void> release(int partition) {
    owned.remove(partition);
    sources.unload(partition);
    table.unload(partition);
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
    return request.operation().startsWith("eventplane:Reset") ? PartitionRouter.ANY : FirehosePartitions.of(request);
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
          table.requireLoaded(FirehosePartitions.of(request));
          yield api(request);
        }
      };
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  /** A call of the API, about a partition whose streams are loaded here. */
  private Future<JsonObject> api(ApiRequest request) {
    return switch (request.operation()) {
      case "PutRecord" -> records.putRecord(request);
      case "PutRecordBatch" -> records.putRecordBatch(request);
      case "CreateDeliveryStream", "DeleteDeliveryStream", "DescribeDeliveryStream", "ListDeliveryStreams", "UpdateDestination",
          "StartDeliveryStreamEncryption", "StopDeliveryStreamEncryption", "TagDeliveryStream", "UntagDeliveryStream",
          "ListTagsForDeliveryStream" -> streams.handle(request);
      default -> Future.failedFuture(new ServiceException(ServiceError.sender("InvalidAction",
          "The action " + request.operation() + " is not valid for this endpoint.")));
    };
  }

  private Future<JsonObject> resetHere() {
    table.clear();
    deliveries.clear();
    sources.clear();
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
