package io.eventplane.broker.queue;

import io.eventplane.broker.queue.api.QueueApi;
import io.eventplane.broker.queue.api.RequestPartitions;
import io.eventplane.broker.queue.domain.MoveTasks;
import io.eventplane.broker.queue.domain.QueueArn;
import io.eventplane.broker.queue.domain.Queues;
import io.eventplane.broker.queue.domain.Receiving;
import io.eventplane.broker.queue.domain.Sending;
import io.eventplane.broker.queue.store.QueueStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One lane of a node's SQS service: the queues of the partitions {@code p % lanes == lane}, on a
 * context of their own, with their own message cache, long-poll waiters, move tasks and sweep.
 * Requests arrive at the lane's local address straight from the gateway's event loop, at its node
 * address from other nodes, and at {@link Contracts#SQS} from other services of this node (Vert.x
 * spreads those over the lanes; a lane passes one that is not its own to the owning lane). What
 * concerns a queue of another lane (a dead-letter queue, a list of every queue) goes to that lane
 * over the local event bus.
 */
final class QueueLane extends VerticleBase implements PartitionListener, ServiceLane {
  /** At FINEST, one record per operation run here: which lane (and thread) served which partition. */
  private static final Logger LOG = Logger.getLogger(QueueLane.class.getName());
  private static final long SWEEP_MILLIS = 5_000;
  static final String RESET = "Reset";
  /** Resets every lane of the node that receives it. */
  static final String RESET_NODE = "eventplane:ResetNode";
  /** Resets the lane that receives it. */
  static final String RESET_LANE = "eventplane:ResetLane";

  private final int lane;
  private final int lanes;
  private final Placement placement;
  private final QueueNode node;
  private Queues queues;
  private MoveTasks moveTasks;
  private QueueApi api;
  private RoutedQueueDirectory directory;
  private NodeCalls calls;
  private LaneCalls laneCalls;
  private PartitionRouter router;
  private long sweepTimer = -1;
  private Runnable stopRefreshing = () -> {};
  private Runnable stopSampling = () -> {};

  QueueLane(int lane, int lanes, QueueNode node) {
    this.lane = lane;
    this.lanes = lanes;
    this.node = node;
    this.placement = node.placement();
  }

  @Override
  public Future<?> start() {
    QueueStore queueStore = new QueueStore(node.store(), node.writer());
    queues = new Queues(vertx, context, node.clock(), queueStore);
    Receiving receiving = new Receiving(queues);
    Sending sending = new Sending(queues, receiving, node.senderId());
    calls = new NodeCalls(vertx, Contracts.SQS, Map.of(), lanes);
    laneCalls = new LaneCalls(vertx, Contracts.SQS, lanes);
    router = new PartitionRouter(vertx, placement, calls, "SQS");
    placement.onMemberLeft(calls::nodeLeft);
    directory = new RoutedQueueDirectory(queues, receiving, placement, calls, laneCalls, lane, node.region());
    queues.setDirectory(directory);
    if (node.awsMetrics() != io.eventplane.common.cloudwatch.AwsMetrics.NONE) {
      QueueCloudWatch cloudWatch = new QueueCloudWatch(queues);
      queues.setMetrics(cloudWatch);
      stopSampling = node.awsMetrics().register(context, cloudWatch);
    }
    if (node.metrics().enabled()) {
      QueueMeters meters = new QueueMeters(node.metrics().registry(), queues);
      queues.setMetrics(io.eventplane.broker.queue.domain.QueueMetrics.both(meters, queues.metrics()));
      io.vertx.core.Context lane = context;
      stopRefreshing = node.metrics().beforeScrape(() -> {
        Promise<Void> refreshed = Promise.promise();
        lane.runOnContext(v -> {
          try {
            meters.refresh();
            refreshed.complete();
          } catch (RuntimeException e) {
            refreshed.fail(e);
          }
        });
        return refreshed.future();
      });
    }
    moveTasks = new MoveTasks(queues, receiving);
    api = new QueueApi(queues, directory, sending, receiving, moveTasks, node.urlStyle());
    // Which event loop hosts which lane: the SQS bench reads this to name the threads it measures.
    LOG.info("SQS lane " + lane + " of " + lanes + " runs on " + Thread.currentThread().getName());
    sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, t -> queues.sweep()
        .onFailure(e -> LOG.log(Level.FINE, "queue sweep failed", e)));
    return router.listen(Lanes.address(Contracts.SQS, lane), this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context, p -> Lanes.of(p, lanes) == lane));
  }

  @Override
  public Future<Void> listenShared() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> router.listenLocal(Contracts.SQS, this::onClientRequest).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    stopRefreshing.run();
    stopSampling.run();
    return router.close();
  }

  @Override
  public Future<Void> acquire(int partition) {
    return queues.load(partition).map(snapshot -> {
      moveTasks.restore(snapshot.moveTasks());
      return null;
    });
  }

  @Override
  public Future<Void> release(int partition) {
    queues.unload(partition);
    moveTasks.unload(partition);
    return Future.succeededFuture();
  }

  /** A request from this node (its gateway, another service, another lane): run here or at the partition's owner. */
  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    if (RESET.equals(request.operation())) {
      router.reply(message, request, resetEverywhere(request));
      return;
    }
    int partition = partitionOf(request);
    if (partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane) {
      router.reply(message, request, laneCalls.call(laneCalls.laneOf(partition), request));
      return;
    }
    router.reply(message, request, router.route(request, partition, this::handle));
  }

  /** A request another node forwarded, or an internal question: answered on this node. */
  private void onNodeRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    int partition = partitionOf(request);
    if (partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane) {
      // Only when the sender runs a different number of lanes: pass it on rather than refuse it.
      router.reply(message, request, laneCalls.call(laneCalls.laneOf(partition), request));
      return;
    }
    router.reply(message, request, handle(request));
  }

  /** The request's partition: the queue a client request names, or the queue an internal question is about. */
  private static int partitionOf(ApiRequest request) {
    if (!RoutedQueueDirectory.isInternal(request.operation())) return RequestPartitions.of(request);
    QueueArn arn = request.input().getValue("arn") instanceof String s && RoutedQueueDirectory.isAboutOneQueue(request.operation())
        ? QueueArn.parse(s) : null;
    return arn == null ? PartitionRouter.ANY : Queues.partitionOf(arn.accountId(), arn.name());
  }

  private Future<JsonObject> handle(ApiRequest request) {
    String op = request.operation();
    if (LOG.isLoggable(Level.FINEST)) {
      LOG.log(Level.FINEST, "SQS lane {0} runs {1} of partition {2}", new Object[] {lane, op, partitionOf(request)});
    }
    if (RESET_NODE.equals(op)) return resetNode(request);
    if (RESET_LANE.equals(op)) return resetHere();
    if (RoutedQueueDirectory.isInternal(op)) return directory.handleInternal(op, request.input());
    return api.handle(request);
  }

  private Future<JsonObject> resetEverywhere(ApiRequest request) {
    List<Future<JsonObject>> all = new ArrayList<>();
    for (String node : placement.members()) {
      ApiRequest reset = new ApiRequest(RESET_NODE, new JsonObject(), request.context());
      all.add(node.equals(placement.self()) ? resetNode(request) : calls.call(node, reset));
    }
    return Future.all(all).map(v -> new JsonObject().put("reset", true));
  }

  private Future<JsonObject> resetNode(ApiRequest request) {
    ApiRequest reset = new ApiRequest(RESET_LANE, new JsonObject(), request.context());
    return laneCalls.everyLane(lane, reset, this::resetHere).map(v -> new JsonObject().put("reset", true));
  }

  private Future<JsonObject> resetHere() {
    moveTasks.clear();
    return queues.clear().map(v -> new JsonObject().put("reset", true));
  }
}
