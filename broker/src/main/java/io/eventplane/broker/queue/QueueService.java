package io.eventplane.broker.queue;

import io.eventplane.broker.queue.api.QueueApi;
import io.eventplane.broker.queue.domain.MoveTasks;
import io.eventplane.broker.queue.domain.Queues;
import io.eventplane.broker.queue.domain.Receiving;
import io.eventplane.broker.queue.domain.Sending;
import io.eventplane.broker.queue.store.QueueStore;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Store;
import io.eventplane.common.timer.DurableScheduler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SQS service of a node: consumes {@link ApiRequest}s at {@link Contracts#SQS}, runs them on its
 * own context (one thread owns every queue's in-memory state), and replies with {@link ApiReply}.
 * A dev-mode {@code Reset} operation clears every queue.
 */
public final class QueueService extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(QueueService.class.getName());
  private static final long SWEEP_MILLIS = 5_000;

  private final Store store;
  private final DurableScheduler scheduler;
  private final Clock clock;
  private final String region;
  private final String senderId;
  private Queues queues;
  private MoveTasks moveTasks;
  private QueueApi api;
  private MessageConsumer<ApiRequest> consumer;
  private long sweepTimer = -1;

  public QueueService(Store store, DurableScheduler scheduler, Clock clock, String region, String senderId) {
    this.store = store;
    this.scheduler = scheduler;
    this.clock = clock;
    this.region = region;
    this.senderId = senderId;
  }

  @Override
  public Future<?> start() {
    QueueStore queueStore = new QueueStore(store);
    queues = new Queues(vertx, context, clock, queueStore, region);
    Receiving receiving = new Receiving(queues);
    Sending sending = new Sending(queues, receiving, senderId);
    moveTasks = new MoveTasks(queues, receiving, scheduler);
    api = new QueueApi(queues, sending, receiving, moveTasks);
    return queues.load().map(snapshot -> {
      moveTasks.restore(snapshot.moveTasks());
      // Local: until placement exists (issue 3), every node serves the queues in its own store.
      consumer = vertx.eventBus().localConsumer(Contracts.SQS, this::onRequest);
      sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, t -> queues.sweep()
          .onFailure(e -> LOG.log(Level.WARNING, "queue sweep failed", e)));
      return consumer.completion();
    });
  }

  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void onRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result = "Reset".equals(request.operation()) ? reset() : api.handle(request);
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ApiReply.ok(ar.result()));
      } else if (ar.cause() instanceof ServiceException e) {
        message.reply(ApiReply.failed(e.error()));
      } else {
        LOG.log(Level.SEVERE, "SQS " + request.operation() + " failed", ar.cause());
        message.reply(ApiReply.failed(ServiceError.internal("We encountered an internal error. Please try again.")));
      }
    });
  }

  private Future<JsonObject> reset() {
    queues.clear();
    moveTasks.clear();
    return vertx.executeBlocking(() -> store.clear(store.columnFamily(QueueStore.COLUMN_FAMILY)), false)
        .compose(cf -> Future.fromCompletionStage(cf, context))
        .map(v -> new JsonObject().put("reset", true));
  }
}
