package io.eventplane.kinesis;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneCalls;
import io.eventplane.common.partition.Lanes;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.partition.ServiceLane;
import io.eventplane.common.store.Batch;
import io.eventplane.kinesis.api.KinesisApi;
import io.eventplane.kinesis.api.KinesisRequestPartitions;
import io.eventplane.kinesis.domain.Consumers;
import io.eventplane.kinesis.domain.ShardThroughput;
import io.eventplane.kinesis.domain.Streams;
import io.eventplane.kinesis.store.ConsumerStore;
import io.eventplane.kinesis.store.StreamStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One lane of a node's Kinesis service: the streams of the partitions {@code p % lanes == lane}
 * this node owns, on a context of their own, with a periodic sweep of records past their stream's
 * retention (on the service clock). Every call about a stream runs at its partition's owning
 * lane; ListStreams and DescribeLimits ask every lane of every node, the reset goes everywhere.
 */
final class KinesisLane extends VerticleBase implements PartitionListener, ServiceLane {
  private static final Logger LOG = Logger.getLogger(KinesisLane.class.getName());
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String RESET_LANE = "eventplane:ResetLane";
  /** A node's share of ListStreams and DescribeLimits, gathered from all its lanes. */
  private static final String NODE_STREAMS = "eventplane:NodeStreams";
  /** System property: millis between retention sweeps (default a minute). */
  static final String SWEEP_MILLIS = "eventplane.kinesis.sweepMillis";

  private final int lane;
  private final int lanes;
  private final KinesisNode node;
  private final Placement placement;
  private Streams streams;
  private Consumers consumers;
  private KinesisApi api;
  private LaneCalls laneCalls;
  private PartitionRouter router;
  private PutRouting puts;
  private long sweepTimer = -1;
  private Runnable stopRefreshing = () -> {};
  private Runnable stopSampling = () -> {};

  KinesisLane(int lane, int lanes, KinesisNode node) {
    this.lane = lane;
    this.lanes = lanes;
    this.node = node;
    this.placement = node.placement();
  }

  @Override
  public Future<?> start() {
    streams = new Streams(vertx, context, new StreamStore(node.store(), node.writer()));
    consumers = new Consumers(new ConsumerStore(node.store()));
    if (node.metrics().enabled()) {
      KinesisMeters meters = new KinesisMeters(node.metrics().registry(), streams, consumers);
      streams.setMetrics(meters);
      stopRefreshing = node.metrics().beforeScrape(io.eventplane.common.metrics.OnContext.refresh(context, meters::refresh));
    }
    if (node.awsMetrics() != io.eventplane.common.cloudwatch.AwsMetrics.NONE) {
      StreamCloudWatch cloudWatch = new StreamCloudWatch();
      streams.setMetrics(io.eventplane.kinesis.domain.StreamMetrics.both(streams.metrics(), cloudWatch));
      stopSampling = node.awsMetrics().register(context, cloudWatch);
    }
    api = new KinesisApi(streams, consumers, node.clock(), new ShardThroughput(node.clock(), node.shardLimits()));
    NodeCalls calls = new NodeCalls(vertx, Contracts.KINESIS, Map.of(), lanes);
    laneCalls = new LaneCalls(vertx, Contracts.KINESIS, lanes);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "Kinesis");
    puts = new PutRouting(vertx, placement, calls);
    sweepTimer = vertx.setPeriodic(Long.getLong(SWEEP_MILLIS, 60_000), t -> sweep());
    return router.listen(Lanes.address(Contracts.KINESIS, lane), this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context, p -> Lanes.of(p, lanes) == lane));
  }

  private void sweep() {
    for (int p : streams.partitions()) {
      api.sweep(p).onFailure(e -> LOG.log(Level.FINE, "Kinesis retention sweep of partition " + p + " failed", e));
    }
  }

  @Override
  public Future<Void> listenShared() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> router.listenLocal(Contracts.KINESIS, this::onClientRequest).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    stopRefreshing.run();
    stopSampling.run();
    return router == null ? Future.succeededFuture() : router.close();
  }

  /** Loads the partition's streams and their shards' next positions, then their consumers. */
  @Override
  public Future<Void> acquire(int partition) {
    return streams.load(partition).compose(v -> streams.blocking(() -> consumers.store().load(partition)))
        .map(loaded -> {
          consumers.loaded(partition, loaded, streams);
          return null;
        });
  }

  @Override
  public Future<Void> release(int partition) {
    streams.unload(partition);
    consumers.unload(partition);
    return Future.succeededFuture();
  }

  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result = switch (request.operation()) {
      case RESET -> router.everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context()), this::handle)
          .map(all -> new JsonObject().put("reset", true));
      case "ListStreams" -> gather(request).map(shares -> KinesisApi.listStreams(request, shares));
      case "DescribeLimits" -> gather(request).map(KinesisApi::describeLimits);
      default -> route(request);
    };
    router.reply(message, request, result);
  }

  /** Every lane's share of the request's account's and region's streams, from every node. */
  private Future<List<JsonObject>> gather(ApiRequest request) {
    try {
      if (request.operation().equals("ListStreams")) KinesisApi.checkListStreams(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    JsonObject ask = new JsonObject().put("Account", request.context().accountId()).put("Region", request.context().region());
    return router.everyNode(new ApiRequest(NODE_STREAMS, ask, request.context()), this::handle);
  }

  private void onNodeRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    int partition = KinesisRequestPartitions.of(request);
    if (partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane) {
      router.reply(message, request, laneCalls.call(laneCalls.laneOf(partition), request));
      return;
    }
    router.reply(message, request, PartitionRouter.safely(this::handle, request));
  }

  private Future<JsonObject> route(ApiRequest request) {
    int partition = KinesisRequestPartitions.of(request);
    if (partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane) {
      return laneCalls.call(laneCalls.laneOf(partition), request);
    }
    return partition != PartitionRouter.ANY && PutRouting.PUTS.contains(request.operation())
        ? puts.route(request, partition, this::handle)
        : router.route(request, partition, this::handle);
  }

  private Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case RESET_NODE -> laneCalls.everyLane(lane, new ApiRequest(RESET_LANE, new JsonObject(), request.context()),
          this::resetHere).map(v -> new JsonObject());
      case RESET_LANE -> resetHere();
      case NODE_STREAMS -> {
        ApiRequest share = new ApiRequest(KinesisApi.LANE_STREAMS, request.input(), request.context());
        yield laneCalls.everyLane(lane, share, () -> api.handle(share)).map(shares -> {
          JsonArray all = new JsonArray();
          for (JsonObject s : shares) all.addAll(s.getJsonArray("Streams"));
          return new JsonObject().put("Streams", all);
        });
      }
      default -> api.handle(request);
    };
  }

  private Future<JsonObject> resetHere() {
    List<Integer> owned = streams.partitions();
    streams.clear();
    consumers.clear();
    Future<Void> all = Future.succeededFuture();
    for (int p : owned) {
      all = all.compose(v -> {
        Batch b = streams.store().batch();
        streams.store().clearPartition(b, p);
        return streams.commit(p, b);
      });
    }
    return all.map(v -> new JsonObject());
  }
}
