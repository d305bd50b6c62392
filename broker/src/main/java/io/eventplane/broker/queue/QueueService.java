package io.eventplane.broker.queue;

import io.eventplane.broker.queue.api.QueueApi;
import io.eventplane.broker.queue.api.RequestPartitions;
import io.eventplane.broker.queue.domain.MoveTasks;
import io.eventplane.broker.queue.domain.Queues;
import io.eventplane.broker.queue.domain.Receiving;
import io.eventplane.broker.queue.domain.Sending;
import io.eventplane.broker.queue.store.QueueStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.common.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SQS service of a node. Takes {@link ApiRequest}s from this node's gateway at
 * {@link Contracts#SQS}, finds the partition of the queue a request is about and either runs it
 * here (this node owns the partition) or forwards it to the owner's service at its node address;
 * forwarded requests and internal questions from other nodes arrive at that node address. One
 * context owns every queue's in-memory state. A dev-mode {@code Reset} clears every queue.
 */
public final class QueueService extends VerticleBase implements PartitionListener {
  private static final Logger LOG = Logger.getLogger(QueueService.class.getName());
  private static final long SWEEP_MILLIS = 5_000;
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  /** SQS on a node: queues live in partitions of the {@code sqs} column family. */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("SQS", Contracts.SQS,
      List.of(QueueStore.COLUMN_FAMILY), env -> new QueueService(env.store(), env.writer(), env.placement(), env.clock(),
          env.config().region(), env.config().accountId()))
      .withMigration((store, config) -> QueueStore.migrate(store, config.region()));

  private final Store store;
  private final PartitionWriter writer;
  private final Placement placement;
  private final Clock clock;
  private final String region;
  private final String senderId;
  private Queues queues;
  private MoveTasks moveTasks;
  private QueueApi api;
  private RoutedQueueDirectory directory;
  private NodeCalls calls;
  private PartitionRouter router;
  private long sweepTimer = -1;

  public QueueService(Store store, PartitionWriter writer, Placement placement, Clock clock, String region, String senderId) {
    this.store = store;
    this.writer = writer;
    this.placement = placement;
    this.clock = clock;
    this.region = region;
    this.senderId = senderId;
  }

  @Override
  public Future<?> start() {
    QueueStore queueStore = new QueueStore(store, writer);
    queues = new Queues(vertx, context, clock, queueStore);
    Receiving receiving = new Receiving(queues);
    Sending sending = new Sending(queues, receiving, senderId);
    calls = new NodeCalls(vertx, Contracts.SQS);
    router = new PartitionRouter(vertx, placement, calls, "SQS");
    placement.onMemberLeft(calls::nodeLeft);
    directory = new RoutedQueueDirectory(queues, receiving, placement, calls, region);
    queues.setDirectory(directory);
    moveTasks = new MoveTasks(queues, receiving);
    api = new QueueApi(queues, directory, sending, receiving, moveTasks);
    sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, t -> queues.sweep()
        .onFailure(e -> LOG.log(Level.FINE, "queue sweep failed", e)));
    return router.listen(Contracts.SQS, this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context));
  }

  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
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

  /** A request from this node's gateway: run here or forward to the partition's owner. */
  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    if (RESET.equals(request.operation())) {
      router.reply(message, request, resetEverywhere(request));
      return;
    }
    router.reply(message, request, router.route(request, RequestPartitions.of(request), this::handle));
  }

  /** A request another node forwarded, or an internal question: always answered here. */
  private void onNodeRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    router.reply(message, request, handle(request));
  }

  private Future<JsonObject> handle(ApiRequest request) {
    String op = request.operation();
    if (RESET_NODE.equals(op)) return resetHere();
    if (RoutedQueueDirectory.isInternal(op)) return directory.handleInternal(op, request.input());
    return api.handle(request);
  }

  private Future<JsonObject> resetEverywhere(ApiRequest request) {
    List<Future<JsonObject>> all = new ArrayList<>();
    for (String node : placement.members()) {
      ApiRequest reset = new ApiRequest(RESET_NODE, new JsonObject(), request.context());
      all.add(node.equals(placement.self()) ? resetHere() : calls.call(node, reset));
    }
    return Future.all(all).map(v -> new JsonObject().put("reset", true));
  }

  private Future<JsonObject> resetHere() {
    moveTasks.clear();
    return queues.clear().map(v -> new JsonObject().put("reset", true));
  }
}
