package io.eventplane.functions;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneCalls;
import io.eventplane.common.partition.Lanes;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.partition.ServiceLane;
import io.eventplane.functions.api.FunctionApi;
import io.eventplane.functions.async.AsyncInvocations;
import io.eventplane.functions.code.CodePackage;
import io.eventplane.functions.code.S3CodeSource;
import io.eventplane.functions.domain.Function;
import io.eventplane.functions.domain.FunctionErrors;
import io.eventplane.functions.domain.FunctionName;
import io.eventplane.functions.domain.Functions;
import io.eventplane.functions.mapping.EventSourceMappings;
import io.eventplane.functions.runtime.Instances;
import io.eventplane.functions.store.FunctionStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One lane of a node's Lambda service: the functions of the partitions {@code p % lanes == lane},
 * with their versions, aliases, policies, event source mappings and pollers, queued Event
 * invocations with their retry timers, and instances, on a context of their own. Requests arrive
 * at the lane's local address straight from the gateway's event loop, at its node address from
 * other nodes, and at {@link Contracts#LAMBDA} from other services of this node (Vert.x spreads
 * those over the lanes; a lane passes one that is not its own to the owning lane). Everything a
 * function's work reads is in the function's partition, so in this lane; lists and resets ask
 * every lane over the local event bus.
 */
final class FunctionLane extends VerticleBase implements PartitionListener, ServiceLane {
  /** At FINEST, one record per operation run here: which lane (and thread) served which partition. */
  private static final Logger LOG = Logger.getLogger(FunctionLane.class.getName());
  /** Resets every lane of the node that receives it. */
  static final String RESET_NODE = "eventplane:ResetNode";
  /** Resets the lane that receives it. */
  static final String RESET_LANE = "eventplane:ResetLane";
  /**
   * A synchronous Invoke forwarded to the function's node waits as long as the longest function may
   * run; a deployment from S3 as long as a large package takes to fetch and store.
   */
  private static final Map<String, Duration> SLOW_OPERATIONS = Map.of(
      "Invoke", Duration.ofMillis(NodeCalls.INVOKE_TIMEOUT_MILLIS),
      "CreateFunction", Duration.ofMillis(NodeCalls.DEPLOY_TIMEOUT_MILLIS),
      "UpdateFunctionCode", Duration.ofMillis(NodeCalls.DEPLOY_TIMEOUT_MILLIS));

  private final int lane;
  private final int lanes;
  private final FunctionNode node;
  private final Placement placement;
  private Functions functions;
  private Instances instances;
  private Runnable stopRefreshing = () -> {};
  private Runnable stopSampling = () -> {};
  private AsyncInvocations async;
  private FunctionApi api;
  private EventSourceMappings mappings;
  private FunctionListings listings;
  private NodeCalls calls;
  private LaneCalls laneCalls;
  private PartitionRouter router;

  FunctionLane(int lane, int lanes, FunctionNode node) {
    this.lane = lane;
    this.lanes = lanes;
    this.node = node;
    this.placement = node.placement();
  }

  @Override
  public Future<?> start() {
    FunctionSettings settings = node.settings();
    Functions owned = new Functions(vertx, context, new FunctionStore(node.store(), node.writer()));
    functions = owned;
    instances = new Instances(vertx, context, node.launcher(), f -> readCode(owned, f), node.logs(), node.slots(),
        settings.idleMillis());
    instances.start();
    async = new AsyncInvocations(vertx, context, functions, instances, node.clock(), settings.asyncFirstRetryMillis());
    api = new FunctionApi(functions, instances, async::enqueue, node.clock(),
        new S3CodeSource(vertx, settings.endpointUrl(), settings.dataDir().resolve("functions").resolve("downloads"),
            settings.gatewaySigner()),
        new ExecutionRoles(vertx));
    mappings = new EventSourceMappings(vertx, context, functions, node.clock(), Lanes.address(Contracts.LAMBDA, lane));
    if (node.metrics().enabled()) {
      FunctionMeters meters = new FunctionMeters(node.metrics().registry(), owned, async, mappings, node.clock());
      instances.setMetrics(meters);
      stopRefreshing = node.metrics().beforeScrape(io.eventplane.common.metrics.OnContext.refresh(context, meters::refresh));
    }
    if (node.awsMetrics() != io.eventplane.common.cloudwatch.AwsMetrics.NONE) {
      FunctionCloudWatch cloudWatch = new FunctionCloudWatch();
      instances.setMetrics(io.eventplane.functions.runtime.InvocationMetrics.both(instances.metrics(), cloudWatch));
      stopSampling = node.awsMetrics().register(context, cloudWatch);
    }
    calls = new NodeCalls(vertx, Contracts.LAMBDA, SLOW_OPERATIONS, lanes);
    laneCalls = new LaneCalls(vertx, Contracts.LAMBDA, lanes);
    router = new PartitionRouter(vertx, placement, calls, "Lambda");
    listings = new FunctionListings(question -> router.everyNode(question, this::handle));
    placement.onMemberLeft(calls::nodeLeft);
    return router.listen(Lanes.address(Contracts.LAMBDA, lane), this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context, p -> Lanes.of(p, lanes) == lane));
  }

  @Override
  public Future<Void> listenShared() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> router.listenLocal(Contracts.LAMBDA, this::onClientRequest).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    stopRefreshing.run();
    stopSampling.run();
    if (async != null) async.stop();
    if (mappings != null) mappings.stop();
    if (instances != null) instances.stop();
    return router == null ? Future.succeededFuture() : router.close();
  }

  @Override
  public Future<Void> acquire(int partition) {
    return functions.load(partition).compose(loaded -> async.load(partition)).compose(v -> mappings.load(partition));
  }

  @Override
  public Future<Void> release(int partition) {
    async.unload(partition);
    mappings.unload(partition);
    for (Function f : functions.unload(partition)) instances.retire(f.arn());
    return Future.succeededFuture();
  }

  /** Read on a worker thread when an instance needs a package this node has not unpacked yet. */
  private static byte[] readCode(Functions functions, Function f) {
    return functions.store().readCode(Functions.partitionOf(f.accountId(), f.name()), f.accountId(), f.region(), f.name(),
        f.codeSha256());
  }

  /** A request from this node (its gateway, another service, another lane): run here, on its lane, or at its owner. */
  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result;
    try {
      result = switch (request.operation()) {
        case FunctionService.RESET -> router.everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context()), this::handle)
            .map(all -> new JsonObject().put("reset", true));
        case "ListFunctions" -> listings.listFunctions(request);
        case "ListEventSourceMappings" -> listings.listMappings(request);
        default -> {
          // A node-wide question from another lane (a list, a reset) is this lane's to answer.
          int partition = FunctionService.isNodeWide(request.operation()) ? PartitionRouter.ANY
              : FunctionService.partitionOrFail(request);
          yield partition == PartitionRouter.ANY || laneCalls.laneOf(partition) == lane
              ? router.route(request, partition, this::handle)
              : laneCalls.call(laneCalls.laneOf(partition), request);
        }
      };
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    router.reply(message, request, result);
  }

  /** A request another node forwarded, or a question of another node or lane: answered on this node. */
  private void onNodeRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result;
    try {
      int partition = FunctionService.partitionOf(request);
      // Another lane's only when the sender runs a different number of lanes: passed on rather than refused.
      result = partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane
          ? laneCalls.call(laneCalls.laneOf(partition), request) : PartitionRouter.safely(this::handle, request);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    router.reply(message, request, result);
  }

  private Future<JsonObject> handle(ApiRequest request) {
    String op = request.operation();
    if (LOG.isLoggable(Level.FINEST)) {
      LOG.log(Level.FINEST, "Lambda lane {0} runs {1} of partition {2}",
          new Object[] {lane, op, FunctionService.partitionOf(request)});
    }
    JsonObject in = request.input();
    switch (op) {
      case RESET_NODE:
        return laneCalls.everyLane(lane, new ApiRequest(RESET_LANE, new JsonObject(), request.context()), this::resetHere)
            .map(v -> new JsonObject());
      case RESET_LANE:
        return resetHere();
      case FunctionListings.LIST, FunctionListings.LIST_MAPPINGS:
        // A node's answer is all its lanes' answers; a lane asked by another lane answers for itself.
        return request.input().getBoolean("lane", false) ? Future.succeededFuture(listHere(request))
            : laneCalls.everyLane(lane, new ApiRequest(op, in.copy().put("lane", true), request.context()),
                () -> Future.succeededFuture(listHere(request))).map(all -> FunctionListings.merge(op, all));
      case "CreateEventSourceMapping", "GetEventSourceMapping", "UpdateEventSourceMapping", "DeleteEventSourceMapping":
        return mappings.handle(request);
      case FunctionService.GET_CODE:
        return code(in);
      case FunctionService.GET_ASYNC_QUEUE:
        return Future.succeededFuture(asyncQueue(request));
      default:
        return api.handle(request);
    }
  }

  /** The function's asynchronous queue as this lane (its partition's owner) holds it; ResourceNotFoundException for no function. */
  private JsonObject asyncQueue(ApiRequest request) {
    var ctx = request.context();
    Function f = functions.require(FunctionName.parse(request.input().getString("FunctionName"), "functionName", ctx.accountId(),
        ctx.region()), ctx.region());
    AsyncInvocations.QueueState queue = async.queues().get(new FunctionName(f.accountId(), f.region(), f.name(), null));
    JsonObject out = new JsonObject().put("Counted", async.tracksQueues()).put("Events", queue == null ? 0 : queue.events());
    if (queue != null) out.put("OldestEventAgeSeconds", Math.max(0, (node.clock().millis() - queue.oldestEnqueuedAt()) / 1000));
    return out;
  }

  /** This lane's answer to a list question. */
  private JsonObject listHere(ApiRequest request) {
    JsonObject in = request.input();
    if (FunctionListings.LIST.equals(request.operation())) {
      JsonArray out = new JsonArray();
      for (Function f : functions.list(in.getString("account"), in.getString("region"), in.getString("after"),
          in.getInteger("limit"))) {
        out.add(f.configuration(Function.View.LISTED));
      }
      return new JsonObject().put("functions", out);
    }
    return new JsonObject().put("mappings",
        mappings.list(in.getString("account"), in.getString("region"), in.getString("function"), in.getString("source")));
  }

  private Future<JsonObject> resetHere() {
    mappings.clear();
    async.clear();
    return functions.clear(f -> instances.retire(f.arn())).map(v -> new JsonObject());
  }

  /** The package of $LATEST or a published version, by its digest. */
  private Future<JsonObject> code(JsonObject in) {
    Function latest = functions.get(new FunctionName(in.getString("Account"), in.getString("Region"),
        in.getString("FunctionName"), null));
    List<Function> candidates = new ArrayList<>();
    if (latest != null) {
      candidates.add(latest);
      candidates.addAll(functions.versions(latest));
    }
    Function f = candidates.stream().filter(c -> CodePackage.directoryName(c.codeSha256()).equals(in.getString("Sha")))
        .findFirst().orElse(null);
    if (f == null) return Future.failedFuture(FunctionErrors.notFound(in.getString("FunctionName")));
    Functions owned = functions;
    return vertx.executeBlocking(() -> readCode(owned, f)).map(zip -> new JsonObject().put("ZipFile", zip));
  }
}
