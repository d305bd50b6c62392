package io.eventplane.cloudwatch;

import io.eventplane.cloudwatch.api.AlarmActions;
import io.eventplane.cloudwatch.api.AlarmEvaluations;
import io.eventplane.cloudwatch.api.AlarmOperations;
import io.eventplane.cloudwatch.api.Alarms;
import io.eventplane.cloudwatch.api.CloudWatchPartitions;
import io.eventplane.cloudwatch.api.MetricListing;
import io.eventplane.cloudwatch.api.MetricPuts;
import io.eventplane.cloudwatch.api.MetricQueries;
import io.eventplane.cloudwatch.api.MetricStatistics;
import io.eventplane.cloudwatch.domain.MetricTable;
import io.eventplane.cloudwatch.domain.Retention;
import io.eventplane.cloudwatch.store.AlarmStore;
import io.eventplane.cloudwatch.store.CloudWatchStore;
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
import io.eventplane.common.time.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One lane of a node's CloudWatch service: the metrics of the partitions {@code p % lanes == lane}
 * this node owns. GetMetricStatistics and the internal calls name their partition and run at its
 * owning lane; PutMetricData, GetMetricData and ListMetrics are taken by any lane, which asks the
 * owners of the metrics they name (ListMetrics: every lane of every node) and puts the answer together.
 */
final class CloudWatchLane extends VerticleBase implements PartitionListener, ServiceLane {
  private static final Logger LOG = Logger.getLogger(CloudWatchLane.class.getName());
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String RESET_LANE = "eventplane:ResetLane";
  static final String PUT_AWS = "eventplane:PutAwsMetricData";
  private static final String PUT_POINTS = "eventplane:PutPoints";
  private static final String SERIES = "eventplane:Series";
  private static final String LIST_NODE = "eventplane:ListNode";
  private static final String LIST_LANE = "eventplane:ListLane";
  private static final String ALARMS_NODE = "eventplane:AlarmsNode";
  private static final String ALARMS_LANE = "eventplane:AlarmsLane";
  private static final long RETENTION_CHECK_MILLIS = 60_000;
  /** How often, in real time, alarms are looked at (a test's MutableClock also triggers a look when moved). */
  private static final long ALARM_CHECK_MILLIS = 5_000;

  private final int lane;
  private final int lanes;
  private final CloudWatchNode node;
  private final Placement placement;
  private final Set<Integer> owned = new HashSet<>();
  private CloudWatchStore store;
  private MetricTable table;
  private MetricPuts puts;
  private MetricStatistics statistics;
  private MetricQueries queries;
  private MetricListing listing;
  private Retention retention;
  private LaneCalls laneCalls;
  private PartitionRouter router;
  private Alarms alarms;
  private AlarmActions alarmActions;
  private AlarmEvaluations evaluations;
  private AlarmOperations alarmOperations;
  private long retentionTimer = -1;
  private long alarmTimer = -1;
  private Runnable stopListening = () -> { };

  CloudWatchLane(int lane, int lanes, CloudWatchNode node) {
    this.lane = lane;
    this.lanes = lanes;
    this.node = node;
    this.placement = node.placement();
  }

  @Override
  public Future<?> start() {
    store = new CloudWatchStore(node.store(), node.writer());
    table = new MetricTable(vertx, store);
    puts = new MetricPuts(table, store, context, node.clock());
    statistics = new MetricStatistics(vertx, table, store);
    queries = new MetricQueries(this::route);
    listing = new MetricListing(table, node.clock());
    retention = new Retention(table, store, context);
    AlarmStore alarmStore = new AlarmStore(node.store());
    alarmActions = new AlarmActions(vertx, context, store, alarmStore, node.clock(), node.deliveryAuthorization());
    alarms = new Alarms(vertx, context, store, alarmStore, node.clock(), alarmActions);
    evaluations = new AlarmEvaluations(alarms, node.clock(), this::route);
    alarmOperations = new AlarmOperations(alarms, this::route, this::everyLaneOfEveryNode);
    NodeCalls calls = new NodeCalls(vertx, Contracts.CLOUDWATCH, Map.of(), lanes);
    laneCalls = new LaneCalls(vertx, Contracts.CLOUDWATCH, lanes);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "CloudWatch");
    retentionTimer = vertx.setPeriodic(RETENTION_CHECK_MILLIS, t -> sweep());
    alarmTimer = vertx.setPeriodic(ALARM_CHECK_MILLIS, t -> evaluations.tick());
    if (node.clock() instanceof MutableClock moved) {
      stopListening = moved.onAdvance(() -> context.runOnContext(v -> {
        sweep();
        evaluations.tick();
      }));
    }
    return router.listen(Lanes.address(Contracts.CLOUDWATCH, lane), this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context, p -> Lanes.of(p, lanes) == lane));
  }

  private void sweep() {
    retention.maybeSweep(node.clock().millis()).onFailure(e -> LOG.log(Level.WARNING, "CloudWatch retention sweep failed", e));
    alarms.maybeSweepHistory(node.clock().millis()).onFailure(e -> LOG.log(Level.WARNING, "CloudWatch alarm history sweep failed", e));
  }

  @Override
  public Future<Void> listenShared() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> router.listenLocal(Contracts.CLOUDWATCH, this::onClientRequest).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    if (retentionTimer >= 0) vertx.cancelTimer(retentionTimer);
    if (alarmTimer >= 0) vertx.cancelTimer(alarmTimer);
    if (alarmActions != null) alarmActions.stop();
    stopListening.run();
    return router == null ? Future.succeededFuture() : router.close();
  }

  @Override
  public Future<Void> acquire(int partition) {
    return table.load(partition).compose(v -> alarms.load(partition)).onSuccess(v -> owned.add(partition));
  }

  @Override
  public Future<Void> release(int partition) {
    owned.remove(partition);
    table.unload(partition);
    alarms.unload(partition);
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
    int partition = CloudWatchPartitions.of(request);
    if (partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane) {
      router.reply(message, request, laneCalls.call(laneCalls.laneOf(partition), request));
      return;
    }
    router.reply(message, request, PartitionRouter.safely(this::handle, request));
  }

  /** Runs a call (a client's or an internal one) at the owner of the partition it names, or here when it names none. */
  private Future<JsonObject> route(ApiRequest request) {
    int partition = CloudWatchPartitions.of(request);
    return partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane
        ? laneCalls.call(laneCalls.laneOf(partition), request)
        : router.route(request, partition, this::handle);
  }

  private Future<JsonObject> handle(ApiRequest request) {
    try {
      JsonObject in = request.input();
      return switch (request.operation()) {
        case RESET_NODE -> laneCalls.everyLane(lane, new ApiRequest(RESET_LANE, new JsonObject(), request.context()),
            this::resetHere).map(v -> new JsonObject());
        case RESET_LANE -> resetHere();
        case "PutMetricData" -> putAll(puts.split(in, request.context()), request);
        case PUT_AWS -> putAll(MetricPuts.byPartition(in.getJsonArray("Data").getList()), request);
        case PUT_POINTS -> puts.write(in.getInteger(CloudWatchPartitions.PARTITION), in.getJsonArray("Data"));
        case "GetMetricStatistics" -> statistics.getMetricStatistics(in, request.context());
        case SERIES -> statistics.series(in, request.context());
        case "GetMetricData" -> queries.getMetricData(in, request.context());
        case "ListMetrics" -> {
          JsonObject question = listing.question(in);
          yield router.everyNode(new ApiRequest(LIST_NODE, question, request.context()), this::handle)
              .map(answers -> listing.page(answers, in));
        }
        case LIST_NODE -> laneCalls.everyLane(lane, new ApiRequest(LIST_LANE, in, request.context()),
                () -> Future.succeededFuture(listing.local(in, request.context())))
            .map(answers -> {
              JsonArray all = new JsonArray();
              for (JsonObject a : answers) all.addAll(a.getJsonArray("Metrics"));
              return new JsonObject().put("Metrics", all);
            });
        case LIST_LANE -> Future.succeededFuture(listing.local(in, request.context()));
        case ALARMS_NODE -> laneCalls.everyLane(lane, new ApiRequest(ALARMS_LANE, in, request.context()),
                () -> alarmOperations.local(in, request.context()))
            .map(answers -> {
              JsonArray all = new JsonArray();
              for (JsonObject a : answers) all.addAll(a.getJsonArray("Items"));
              return new JsonObject().put("Items", all);
            });
        case ALARMS_LANE -> alarmOperations.local(in, request.context());
        case "PutMetricAlarm", "SetAlarmState", "DescribeAlarms", "DescribeAlarmsForMetric", "DeleteAlarms",
            "EnableAlarmActions", "DisableAlarmActions", "DescribeAlarmHistory", AlarmOperations.CHANGE ->
            alarmOperations.handle(request.operation(), in, request.context());
        default -> Future.failedFuture(new ServiceException(ServiceError.sender("InvalidAction",
            "The action " + request.operation() + " is not valid for this endpoint.")));
      };
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  /** Asks every lane of every node (internal {@value #ALARMS_NODE}): their answers, each {@code {Items: [...]}}. */
  private Future<java.util.List<JsonObject>> everyLaneOfEveryNode(JsonObject question, io.eventplane.common.bus.RequestContext ctx) {
    return router.everyNode(new ApiRequest(ALARMS_NODE, question, ctx), this::handle);
  }

  /** Each partition's part of a put at its owner; done when every part is durable. */
  private Future<JsonObject> putAll(Map<Integer, JsonObject> parts, ApiRequest request) {
    List<Future<JsonObject>> all = new ArrayList<>(parts.size());
    for (JsonObject part : parts.values()) all.add(route(new ApiRequest(PUT_POINTS, part, request.context())));
    return Future.all(all).map(v -> new JsonObject());
  }

  private Future<JsonObject> resetHere() {
    table.clear();
    alarms.clear();
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
