package io.eventplane.logs;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.logs.LogStreams;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.logs.api.LogsApi;
import io.eventplane.logs.store.LogFiles;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The CloudWatch Logs service of a node: takes requests at {@link Contracts#LOGS}, asks every node
 * of the cluster about the log streams it keeps (function instances write theirs on the node they
 * run on) and merges the answers. Files are read on worker threads.
 */
public final class LogsService extends VerticleBase {
  /**
   * CloudWatch Logs on a node: no partitioned state; it owns the node's log files under
   * {@code <data>/logs} and provides them to the node's writers (function instances) as {@link LogStreams}.
   */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.nodeLocal("Logs", Contracts.LOGS,
      env -> new LogsService(env.placement(), env.resources().get(LogFiles.class)))
      .withSetup(env -> {
        LogFiles files = new LogFiles(env.config().dataDir().resolve("logs"));
        files.migrate(env.config().region());
        files.finishRewrites();
        env.resources().provide(LogFiles.class, files);
        env.resources().provide(LogStreams.class, files);
        env.resources().closeOnShutdown(files);
      });

  /** How often a node removes the events its groups keep past their retention. */
  private static final long SWEEP_MS = 10 * 60_000L;

  private final Placement placement;
  private final LogFiles files;
  private long sweep = -1;
  private NodeCalls calls;
  private PartitionRouter router;
  private LogsApi api;

  public LogsService(Placement placement, LogFiles files) {
    this.placement = placement;
    this.files = files;
  }

  @Override
  public Future<?> start() {
    calls = new NodeCalls(vertx, Contracts.LOGS);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "Logs");
    // Each question names the node that took the call ("asker"), so that a creation happens there only.
    api = new LogsApi((question, input, context) -> router.everyNode(
        new ApiRequest(question, input.copy().put("asker", placement.self()), context), this::answer), files);
    // Retention: reads skip expired events at once; the files shed them here, on a worker thread.
    sweep = vertx.setPeriodic(SWEEP_MS, id -> vertx.executeBlocking(
        () -> api.answer(LogsApi.NODE_EXPIRE, new JsonObject()), false));
    return router.listen(Contracts.LOGS, this::onClientRequest, this::onNodeRequest);
  }

  @Override
  public Future<?> stop() {
    if (sweep >= 0) vertx.cancelTimer(sweep);
    return router == null ? Future.succeededFuture() : router.close();
  }

  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    router.reply(message, request, PartitionRouter.safely(r -> api.handle(r.operation(), r.input(), r.context()), request));
  }

  private void onNodeRequest(Message<ApiRequest> message) {
    router.reply(message, message.body(), PartitionRouter.safely(this::answer, message.body()));
  }

  private Future<JsonObject> answer(ApiRequest question) {
    if (!LogsApi.isNodeQuestion(question.operation())) {
      return Future.failedFuture(new IllegalArgumentException("not a node question: " + question.operation()));
    }
    JsonObject input = question.input().copy().put("here", placement.self());
    return vertx.executeBlocking(() -> api.answer(question.operation(), input), false);
  }
}
