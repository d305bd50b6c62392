package io.eventplane.functions.mapping;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Lambda's poller of one Kinesis stream mapping, on the lane's context: it lists the stream's
 * shards (through the Kinesis service on the bus, as any client), runs a {@link ShardReader} per
 * shard whose parents are read to their end (so a closed shard is finished before its children
 * start), looks for new shards every second and at once when a shard ends, and owns the calls a
 * reader makes: GetShardIterator/GetRecords, the synchronous Invoke, the on-failure destination.
 *
 * <p>Where a shard starts: its checkpoint ({@link Checkpoints}); without one, on the mapping's first
 * start, StartingPosition (LATEST is read from a LATEST iterator and pinned as its time, a closed
 * shard is skipped); afterwards (a shard that appeared later, a child) TRIM_HORIZON.
 */
final class KinesisPoller implements SourcePoller {
  private static final System.Logger LOG = System.getLogger(KinesisPoller.class.getName());
  private static final String INTERNAL = "http://eventplane.internal";
  static final long DISCOVERY_MILLIS = 1000;

  final Vertx vertx;
  final EventSourceMapping mapping;
  final Clock clock;
  final Checkpoints checkpoints;
  private final String lambdaAddress;
  private final Supplier<String> role;
  private final DeadLetterSender destinations;
  /** Shard id to its parents (null where it has none), as the last ListShards gave them. */
  private final Map<String, List<String>> shards = new LinkedHashMap<>();
  private final Map<String, ShardReader> readers = new HashMap<>();
  private boolean stopped;
  private boolean ready;
  private boolean discovering;
  private long timer = -1;
  private String lastResult = "No records processed";

  /** Sends a discarded batch's invocation record to the OnFailure destination. */
  interface DeadLetterSender {
    Future<Void> send(String destinationArn, JsonObject record);
  }

  KinesisPoller(Vertx vertx, EventSourceMapping mapping, String lambdaAddress, Clock clock, Checkpoints checkpoints,
      Supplier<String> role, DeadLetterSender destinations) {
    this.vertx = vertx;
    this.mapping = mapping;
    this.lambdaAddress = lambdaAddress;
    this.clock = clock;
    this.checkpoints = checkpoints;
    this.role = role;
    this.destinations = destinations;
  }

  StreamSettings settings() {
    return mapping.stream();
  }

  @Override
  public void start() {
    checkpoints.load().onComplete(ar -> {
      if (ar.failed()) LOG.log(System.Logger.Level.WARNING, "{0}: checkpoints not loaded: {1}", mapping.uuid(), ar.cause());
      if (stopped || ar.failed()) return;
      discover();
      timer = vertx.setPeriodic(DISCOVERY_MILLIS, t -> discover());
    });
  }

  @Override
  public void stop() {
    stopped = true;
    if (timer >= 0) vertx.cancelTimer(timer);
    readers.values().forEach(ShardReader::stop);
  }

  boolean stopped() {
    return stopped;
  }

  @Override
  public String enabledState() {
    return ready ? "Enabled" : "Creating";
  }

  @Override
  public String lastProcessingResult() {
    return lastResult;
  }

  void result(boolean ok) {
    lastResult = ok ? "OK" : "PROBLEM: Function call failed";
  }

  /** Lists the shards and starts the readers that may start. */
  void discover() {
    if (stopped || discovering) return;
    discovering = true;
    listShards(null, new LinkedHashMap<>()).compose(listed -> {
      shards.clear();
      shards.putAll(listed);
      return checkpoints.initialized() ? Future.succeededFuture() : initialize(listed);
    }).onComplete(ar -> {
      discovering = false;
      if (ar.failed()) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: ListShards failed: {1}", mapping.uuid(), ar.cause().getMessage());
        return;
      }
      schedule();
    });
  }

  /**
   * The mapping's first start: pins where each listed shard begins (LATEST at this moment, or
   * AT_TIMESTAMP's time; with LATEST a closed shard has nothing to read) and marks the mapping
   * initialized, in one batch. TRIM_HORIZON needs no pin: a shard without a checkpoint starts there.
   */
  private Future<Void> initialize(Map<String, List<String>> listed) {
    StreamSettings s = settings();
    Map<String, String> pins = new HashMap<>();
    for (String shard : listed.keySet()) {
      switch (s.startingPosition()) {
        case "LATEST" -> pins.put(shard, closed.contains(shard) ? Checkpoints.ENDED : "T" + clock.millis());
        case "AT_TIMESTAMP" -> pins.put(shard, "T" + s.startingPositionTimestamp());
        default -> { }
      }
    }
    pins.put(Checkpoints.INITIALIZED_KEY, "I");
    latestThisRun = "LATEST".equals(s.startingPosition());
    return checkpoints.save(pins);
  }

  /** Shards that ListShards showed with an ending sequence number. */
  private final Set<String> closed = new java.util.HashSet<>();
  /** Whether this run pinned LATEST: its shards are then read from a LATEST iterator, exactly, rather than by time. */
  private boolean latestThisRun;

  private void schedule() {
    if (stopped) return;
    for (Map.Entry<String, List<String>> e : shards.entrySet()) {
      String shard = e.getKey();
      if (readers.containsKey(shard) || checkpoints.ended(shard)) continue;
      boolean parentsDone = true;
      for (String parent : e.getValue()) {
        if (shards.containsKey(parent) && !checkpoints.ended(parent)) parentsDone = false;
      }
      if (!parentsDone) continue;
      ShardReader reader = new ShardReader(this, shard);
      readers.put(shard, reader);
      reader.start();
    }
    updateReady();
  }

  @Override
  public long iteratorAgeMillis() {
    long oldest = 0;
    for (ShardReader r : readers.values()) oldest = Math.max(oldest, r.iteratorAgeMillis());
    return oldest;
  }

  private void updateReady() {
    if (ready) return;
    for (ShardReader r : readers.values()) if (!r.positioned()) return;
    ready = true;
  }

  void positioned() {
    updateReady();
  }

  /**
   * GetShardIterator's input members (type and its argument) for where a shard's reading starts:
   * after its checkpoint, at its pinned time (exactly LATEST for the reader's first iterator of the
   * run that pinned it), else TRIM_HORIZON.
   */
  JsonObject startOf(String shard, boolean firstIterator) {
    String checkpoint = checkpoints.get(shard);
    if (checkpoint != null && checkpoint.startsWith("S")) {
      return new JsonObject().put("ShardIteratorType", "AFTER_SEQUENCE_NUMBER").put("StartingSequenceNumber", checkpoint.substring(1));
    }
    if (checkpoint != null && checkpoint.startsWith("T")) {
      if (latestThisRun && firstIterator) return new JsonObject().put("ShardIteratorType", "LATEST");
      return new JsonObject().put("ShardIteratorType", "AT_TIMESTAMP").put("Timestamp", Long.parseLong(checkpoint.substring(1)) / 1000.0);
    }
    return new JsonObject().put("ShardIteratorType", "TRIM_HORIZON");
  }

  /** A reader read its closed shard to the end: the shard is done and its children may start. */
  void ended(String shard) {
    readers.remove(shard);
    if (!stopped) discover();
  }

  private Future<Map<String, List<String>>> listShards(String token, Map<String, List<String>> into) {
    JsonObject input = token == null ? new JsonObject().put("StreamARN", mapping.eventSourceArn())
        : new JsonObject().put("NextToken", token);
    return kinesis("ListShards", input).compose(out -> {
      for (Object o : out.getJsonArray("Shards", new JsonArray())) {
        JsonObject shard = (JsonObject) o;
        List<String> parents = new ArrayList<>();
        if (shard.getString("ParentShardId") != null) parents.add(shard.getString("ParentShardId"));
        if (shard.getString("AdjacentParentShardId") != null) parents.add(shard.getString("AdjacentParentShardId"));
        into.put(shard.getString("ShardId"), parents);
        JsonObject range = shard.getJsonObject("SequenceNumberRange", new JsonObject());
        if (range.getString("EndingSequenceNumber") != null) closed.add(shard.getString("ShardId"));
      }
      String next = out.getString("NextToken");
      return next == null ? Future.succeededFuture(into) : listShards(next, into);
    });
  }

  Future<JsonObject> kinesis(String operation, JsonObject input) {
    String[] arn = mapping.eventSourceArn().split(":");
    RequestContext context = new RequestContext(arn[4], arn[3], Ids.uuid(), INTERNAL);
    return vertx.eventBus().<ApiReply>request(Contracts.KINESIS, new ApiRequest(operation, input, context),
            new DeliveryOptions().setSendTimeout(15_000))
        .compose(m -> m.body().succeeded() ? Future.succeededFuture(m.body().output())
            : Future.failedFuture(new KinesisFailure(m.body().error().code(), m.body().error().message())));
  }

  /** A Kinesis error answer. */
  static final class KinesisFailure extends RuntimeException {
    final String code;

    KinesisFailure(String code, String message) {
      super(code + ": " + message, null, false, false);
      this.code = code;
    }
  }

  /**
   * One invocation's outcome.
   *
   * @param invoked whether the function ran (a throttle or an unknown function did not)
   * @param functionError FunctionError of the answer, or null
   * @param executedVersion the version that ran, or null
   * @param payload the function's answer
   */
  record Invocation(boolean invoked, String functionError, String executedVersion, byte[] payload) {}

  Future<Invocation> invoke(List<JsonObject> records, String shardId) {
    return invoke(records, shardId, null, false, false);
  }

  /**
   * Invokes the function with a batch of a shard's records (none for a window's final invocation),
   * with the members of the shard's tumbling window when there is one.
   */
  Future<Invocation> invoke(List<JsonObject> records, String shardId, TumblingWindow window, boolean finalInvoke,
      boolean terminatedEarly) {
    String[] arn = mapping.eventSourceArn().split(":");
    JsonObject event = KinesisEvents.event(records, shardId, mapping.eventSourceArn(), arn[3], role.get());
    if (window != null) window.addTo(event, shardId, mapping.eventSourceArn(), finalInvoke, terminatedEarly);
    return MappedInvoke.invoke(vertx, lambdaAddress, mapping, event)
        .map(reply -> {
          if (!reply.succeeded()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: invoke failed: {1}", mapping.uuid(), reply.error().message());
            return new Invocation(false, null, null, new byte[0]);
          }
          JsonObject out = reply.output();
          return new Invocation(true, out.getString("FunctionError"), out.getString("ExecutedVersion"),
              out.getBinary("Payload", new byte[0]));
        })
        .otherwise(e -> new Invocation(false, null, null, new byte[0]));
  }

  /** Sends a discarded batch's record to the OnFailure destination, if there is one. */
  Future<Void> discard(List<JsonObject> batch, String shardId, String condition, int invokeCount, Invocation last) {
    String destination = settings().onFailure();
    if (destination == null) return Future.succeededFuture();
    JsonObject record = KinesisEvents.failureRecord(batch, shardId, mapping.eventSourceArn(), mapping.functionArn(),
        Ids.uuid(), condition, invokeCount, last == null ? null : last.functionError(),
        last == null || !last.invoked() ? null : last.executedVersion(), clock.millis());
    return destinations.send(destination, record);
  }
}
