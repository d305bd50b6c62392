package io.eventplane.functions.mapping;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.functions.domain.Function;
import io.eventplane.functions.domain.FunctionErrors;
import io.eventplane.functions.domain.FunctionName;
import io.eventplane.functions.domain.Functions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The event source mappings of the functions one Lambda lane owns, and their pollers, on the lane's
 * context. A mapping lives in its function's partition, and its UUID is drawn so that it hashes to
 * that partition too: a request that names only the UUID finds the mapping's owner (node and
 * lane) without asking every node, and the mapping's function is always in its own lane.
 */
public final class EventSourceMappings {
  private static final Pattern SQS_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:sqs:[a-z0-9-]+:\\d{12}:[a-zA-Z0-9_-]{1,80}(\\.fifo)?");
  private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final Vertx vertx;
  private final Context context;
  private final Functions functions;
  private final Clock clock;
  private final String lambdaAddress;
  private final io.eventplane.common.partition.OwningThread owner;
  private final TreeMap<String, EventSourceMapping> mappings = new TreeMap<>();
  private final Map<String, Integer> partitionOf = new HashMap<>();
  private final Map<String, SourcePoller> pollers = new HashMap<>();
  private final io.eventplane.functions.async.DeadLetters destinations;

  /**
   * @param lambdaAddress where the pollers invoke the mapped functions: the lane's own address, as
   *     the functions of its mappings are the lane's
   */
  public EventSourceMappings(Vertx vertx, Context context, Functions functions, Clock clock, String lambdaAddress) {
    this.lambdaAddress = lambdaAddress;
    this.vertx = vertx;
    this.context = context;
    this.functions = functions;
    this.clock = clock;
    this.owner = new io.eventplane.common.partition.OwningThread("event source mappings");
    this.destinations = new io.eventplane.functions.async.DeadLetters(vertx);
  }

  /** The partition of a mapping's UUID (the same as its function's). */
  public static int partitionOfUuid(String uuid) {
    return Partitions.of(Functions.SERVICE, "event-source-mapping", uuid);
  }

  /** Whether a string is a mapping UUID at all (anything else is not found). */
  public static boolean isUuid(String uuid) {
    return uuid != null && UUID_TEXT.matcher(uuid).matches();
  }

  public Future<Void> load(int partition) {
    assert owner.check();
    return vertx.executeBlocking(() -> functions.store().loadMappings(partition)).map(all -> {
      for (JsonObject j : all) {
        EventSourceMapping m = EventSourceMapping.fromJson(j);
        mappings.put(m.uuid(), m);
        partitionOf.put(m.uuid(), partition);
        restart(m);
      }
      return null;
    });
  }

  public void unload(int partition) {
    assert owner.check();
    for (String uuid : new ArrayList<>(mappings.keySet())) {
      if (partitionOf.get(uuid) == partition) {
        mappings.remove(uuid);
        partitionOf.remove(uuid);
        SourcePoller p = pollers.remove(uuid);
        if (p != null) p.stop();
      }
    }
  }

  public void stop() {
    assert owner.check();
    pollers.values().forEach(SourcePoller::stop);
    pollers.clear();
  }

  /** Forgets every mapping held here (a reset; the store is cleared by the caller). */
  public void clear() {
    assert owner.check();
    stop();
    mappings.clear();
    partitionOf.clear();
  }

  public Future<JsonObject> handle(ApiRequest request) {
    assert owner.check();
    try {
      JsonObject in = request.input();
      return switch (request.operation()) {
        case "CreateEventSourceMapping" -> create(in, request.context());
        case "GetEventSourceMapping" -> Future.succeededFuture(view(require(in.getString("UUID"))));
        case "UpdateEventSourceMapping" -> update(in, request.context());
        case "DeleteEventSourceMapping" -> delete(in);
        default -> Future.failedFuture(new ServiceException("UnknownOperationException", request.operation()));
      };
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  /** This node's mappings that match ListEventSourceMappings' filters. */
  /** The iterator age of each enabled stream mapping this lane polls (Lambda's IteratorAge, in millis). */
  public Map<EventSourceMapping, Long> iteratorAges() {
    assert owner.check();
    Map<EventSourceMapping, Long> out = new HashMap<>();
    for (Map.Entry<String, SourcePoller> e : pollers.entrySet()) {
      long age = e.getValue().iteratorAgeMillis();
      EventSourceMapping m = mappings.get(e.getKey());
      if (age >= 0 && m != null) out.put(m, age);
    }
    return out;
  }

  public JsonArray list(String account, String region, String functionArn, String sourceArn) {
    assert owner.check();
    JsonArray out = new JsonArray();
    for (EventSourceMapping m : mappings.values()) {
      if (!m.accountId().equals(account) || !m.region().equals(region)) continue;
      if (functionArn != null && !m.functionArn().equals(functionArn)) continue;
      if (sourceArn != null && !m.eventSourceArn().equals(sourceArn)) continue;
      out.add(view(m));
    }
    return out;
  }

  /** A mapping as Get and List show it: its State and LastProcessingResult as its poller sees them. */
  private JsonObject view(EventSourceMapping m) {
    SourcePoller p = pollers.get(m.uuid());
    JsonObject out = m.configuration(!m.enabled() ? "Disabled" : p == null ? "Enabled" : p.enabledState());
    if (m.stream() != null) out.put("LastProcessingResult", p == null ? "No records processed" : p.lastProcessingResult());
    return out;
  }

  private Future<JsonObject> create(JsonObject in, RequestContext ctx) {
    FunctionName name = FunctionName.parse(in.getString("FunctionName"), "functionName", ctx.accountId(), ctx.region());
    // A version or alias ARN is a valid target: the poller invokes through it.
    Function f = functions.resolve(name, ctx.region(), false);
    String target = name.qualifier() == null || Function.LATEST.equals(name.qualifier()) ? f.arn()
        : f.arn() + ":" + name.qualifier();
    String source = in.getString("EventSourceArn");
    if (source == null) {
      throw FunctionErrors.invalid("Unsupported event source: EventSourceArn is required for SQS event source mappings.");
    }
    if (StreamSettings.isKinesis(source)) return createFromStream(in, f, target, source);
    if (in.getValue("StartingPosition") != null || in.getValue("StartingPositionTimestamp") != null) {
      throw FunctionErrors.invalid("StartingPosition is not valid for SQS event sources.");
    }
    refuseStreamOnly(in);
    if (!SQS_ARN.matcher(source).matches()) {
      throw FunctionErrors.invalid("Unsupported event source type: " + source + " (Eventplane maps SQS queues and Kinesis streams).");
    }
    boolean fifo = source.endsWith(".fifo");
    int batch = in.getValue("BatchSize") == null ? 10 : intIn(in, "BatchSize", 1, fifo ? 10 : 10_000);
    int window = in.getValue("MaximumBatchingWindowInSeconds") == null ? 0 : intIn(in, "MaximumBatchingWindowInSeconds", 0, 300);
    checkBatching(batch, window, fifo);
    Integer concurrency = concurrency(in);
    boolean report = responseTypes(in);
    boolean enabled = !Boolean.FALSE.equals(in.getValue("Enabled"));
    for (EventSourceMapping m : mappings.values()) {
      if (m.functionArn().equals(target) && m.eventSourceArn().equals(source)) {
        throw new ServiceException("ResourceConflictException", "An event source mapping with SQS arn (\" " + source
            + " \") and function (\" " + f.name() + " \") already exists. Please update or delete the existing mapping with UUID "
            + m.uuid());
      }
    }
    int partition = Functions.partitionOf(f.accountId(), f.name());
    String uuid = uuidIn(partition);
    EventSourceMapping m = new EventSourceMapping(uuid, f.accountId(), f.region(), target, source, batch, window,
        concurrency, report, enabled, clock.millis(), null);
    return queueVisibilityTimeout(source).compose(visibility -> {
      if (visibility < f.timeoutSeconds()) {
        return Future.failedFuture(FunctionErrors.invalid("Queue visibility timeout: " + visibility
            + " seconds is less than Function timeout: " + f.timeoutSeconds() + " seconds"));
      }
      return save(partition, m).map(v -> m.configuration(enabled ? "Creating" : "Disabled"));
    });
  }

  /**
   * CreateEventSourceMapping from a Kinesis stream: the stream must exist (asked of Kinesis, as
   * Lambda does with the function's role), StartingPosition is required, BatchSize defaults to 100.
   */
  private Future<JsonObject> createFromStream(JsonObject in, Function f, String target, String source) {
    if (!StreamSettings.KINESIS_ARN.matcher(source).matches()) {
      throw FunctionErrors.invalid("Unsupported event source type: " + source);
    }
    int batch = in.getValue("BatchSize") == null ? StreamSettings.DEFAULT_BATCH : intIn(in, "BatchSize", 1, 10_000);
    int window = in.getValue("MaximumBatchingWindowInSeconds") == null ? 0 : intIn(in, "MaximumBatchingWindowInSeconds", 0, 300);
    StreamSettings stream = StreamSettings.create(in);
    if (in.getValue("ScalingConfig") != null) throw scalingUnsupported();
    boolean report = responseTypes(in);
    boolean enabled = !Boolean.FALSE.equals(in.getValue("Enabled"));
    for (EventSourceMapping m : mappings.values()) {
      if (m.functionArn().equals(target) && m.eventSourceArn().equals(source)) {
        throw new ServiceException("ResourceConflictException", "The event source arn (\" " + source + " \") and function "
            + "(\" " + f.name() + " \") provided mapping already exists. Please update or delete the existing mapping with UUID "
            + m.uuid());
      }
    }
    int partition = Functions.partitionOf(f.accountId(), f.name());
    String uuid = uuidIn(partition);
    EventSourceMapping m = new EventSourceMapping(uuid, f.accountId(), f.region(), target, source, batch, window, null,
        report, enabled, clock.millis(), stream);
    return streamExists(source).compose(v -> save(partition, m)).map(v -> {
      JsonObject out = m.configuration(enabled ? "Creating" : "Disabled");
      return out.put("LastProcessingResult", "No records processed");
    });
  }

  /** Refuses the members only a stream mapping has on an SQS mapping, as Lambda words it. */
  private static void refuseStreamOnly(JsonObject in) {
    if (in.getValue("TumblingWindowInSeconds") != null) {
      throw FunctionErrors.invalid("Unsupported 'tumblingWindowInSeconds' parameter for given event source mapping type.");
    }
  }

  private static ServiceException scalingUnsupported() {
    return FunctionErrors.invalid("ScalingConfig is only supported for Amazon SQS event sources.");
  }

  /** Fails with InvalidParameterValueException unless Kinesis knows the stream. */
  private Future<Void> streamExists(String streamArn) {
    String[] arn = streamArn.split(":");
    RequestContext context = new RequestContext(arn[4], arn[3], Ids.uuid(), "http://eventplane.internal");
    return vertx.eventBus().<ApiReply>request(Contracts.KINESIS,
            new ApiRequest("DescribeStreamSummary", new JsonObject().put("StreamARN", streamArn), context),
            new DeliveryOptions().setSendTimeout(15_000))
        .compose(m -> {
          ApiReply reply = m.body();
          if (reply.succeeded()) return Future.succeededFuture();
          if ("ResourceNotFoundException".equals(reply.error().code())) {
            return Future.failedFuture(FunctionErrors.invalid("Stream not found: " + streamArn));
          }
          return Future.failedFuture(FunctionErrors.invalid("Cannot access stream " + streamArn + ": " + reply.error().message()));
        });
  }

  /** The role of a mapping's function, which Lambda names as invokeIdentityArn in each record. */
  private String roleOf(EventSourceMapping m) {
    try {
      return functions.resolve(FunctionName.parse(m.functionArn(), "functionName", m.accountId(), m.region()), m.region(), false)
          .role();
    } catch (ServiceException gone) {
      return null;
    }
  }

  private Future<JsonObject> update(JsonObject in, RequestContext ctx) {
    EventSourceMapping m = require(in.getString("UUID"));
    if (in.getString("FunctionName") != null) {
      FunctionName name = FunctionName.parse(in.getString("FunctionName"), "functionName", ctx.accountId(), ctx.region());
      if (!name.arn().equals(m.functionArn()) && !name.name().equals(m.functionArn().substring(m.functionArn().lastIndexOf(':') + 1))) {
        throw FunctionErrors.invalid("Moving an event source mapping to another function is not supported by Eventplane: "
            + "delete it and create one for the other function.");
      }
    }
    int batch = in.getValue("BatchSize") == null ? m.batchSize() : intIn(in, "BatchSize", 1, m.fifo() ? 10 : 10_000);
    int window = in.getValue("MaximumBatchingWindowInSeconds") == null ? m.maximumBatchingWindowSeconds()
        : intIn(in, "MaximumBatchingWindowInSeconds", 0, 300);
    if (m.stream() == null) refuseStreamOnly(in);
    if (m.stream() == null) checkBatching(batch, window, m.fifo());
    Integer concurrency = in.getValue("ScalingConfig") == null ? m.maximumConcurrency() : concurrency(in);
    boolean report = in.getValue("FunctionResponseTypes") == null ? m.reportBatchItemFailures() : responseTypes(in);
    boolean enabled = in.getValue("Enabled") == null ? m.enabled() : !Boolean.FALSE.equals(in.getValue("Enabled"));
    StreamSettings stream = m.stream() == null ? null : m.stream().updated(in);
    if (stream != null && in.getValue("ScalingConfig") != null) throw scalingUnsupported();
    EventSourceMapping next = m.with(batch, window, concurrency, report, enabled, clock.millis(), stream);
    String result = view(m).getString("LastProcessingResult");
    return save(partitionOf.get(m.uuid()), next).map(v -> {
      JsonObject out = next.configuration(enabled ? "Updating" : "Disabling");
      return result == null ? out : out.put("LastProcessingResult", result);
    });
  }

  private Future<JsonObject> delete(JsonObject in) {
    EventSourceMapping m = require(in.getString("UUID"));
    int partition = partitionOf.get(m.uuid());
    Batch b = functions.store().batch();
    functions.store().deleteMapping(b, partition, m.uuid());
    Checkpoints.delete(functions.store(), b, partition, m.uuid());
    // Stopped before the batch is written, so that no checkpoint of the poller outlives the mapping.
    SourcePoller p = pollers.remove(m.uuid());
    if (p != null) p.stop();
    return functions.store().commit(partition, b, context).map(v -> {
      mappings.remove(m.uuid());
      partitionOf.remove(m.uuid());
      JsonObject out = m.configuration("Deleting");
      if (m.stream() != null) out.put("LastProcessingResult", p == null ? "No records processed" : p.lastProcessingResult());
      return out;
    });
  }

  private Future<Void> save(int partition, EventSourceMapping m) {
    Batch b = functions.store().batch();
    functions.store().putMapping(b, partition, m.uuid(), m.toJson());
    return functions.store().commit(partition, b, context).map(v -> {
      mappings.put(m.uuid(), m);
      partitionOf.put(m.uuid(), partition);
      restart(m);
      return null;
    });
  }

  private void restart(EventSourceMapping m) {
    SourcePoller old = pollers.remove(m.uuid());
    if (old != null) old.stop();
    if (!m.enabled()) return;
    SourcePoller p = m.stream() == null ? new SqsPoller(vertx, m, lambdaAddress)
        : new KinesisPoller(vertx, m, lambdaAddress, clock,
            new Checkpoints(vertx, context, functions.store(), partitionOf.get(m.uuid()), m.uuid()),
            () -> roleOf(m), destinations::record);
    pollers.put(m.uuid(), p);
    p.start();
  }

  private EventSourceMapping require(String uuid) {
    EventSourceMapping m = uuid == null ? null : mappings.get(uuid);
    if (m == null) {
      throw new ServiceException("ResourceNotFoundException", "The resource you requested does not exist. (Service: Lambda, "
          + "Status Code: 404, Request ID: " + Ids.uuid() + ")");
    }
    return m;
  }

  /** A random UUID whose own partition is the function's. */
  private static String uuidIn(int partition) {
    while (true) {
      String uuid = UUID.randomUUID().toString();
      if (partitionOfUuid(uuid) == partition) return uuid;
    }
  }

  private Future<Integer> queueVisibilityTimeout(String queueArn) {
    String[] arn = queueArn.split(":");
    RequestContext context = new RequestContext(arn[4], arn[3], Ids.uuid(), "http://eventplane.internal");
    JsonObject input = new JsonObject().put("QueueUrl", "http://eventplane.internal/" + arn[4] + "/" + arn[5])
        .put("AttributeNames", new JsonArray().add("VisibilityTimeout"));
    return vertx.eventBus().<ApiReply>request(Contracts.SQS, new ApiRequest("GetQueueAttributes", input, context),
            new DeliveryOptions().setSendTimeout(15_000))
        .compose(m -> {
          ApiReply reply = m.body();
          if (!reply.succeeded()) {
            return Future.failedFuture(FunctionErrors.invalid("Error occurred while ReceiveMessage. SQS Error Code: "
                + reply.error().code() + ". SQS Error Message: " + reply.error().message()));
          }
          return Future.succeededFuture(Integer.parseInt(
              reply.output().getJsonObject("Attributes", new JsonObject()).getString("VisibilityTimeout", "30")));
        });
  }

  private static void checkBatching(int batch, int window, boolean fifo) {
    if (fifo && window > 0) throw FunctionErrors.invalid("Batching window is not supported for FIFO queues");
    if (!fifo && batch > 10 && window == 0) {
      throw FunctionErrors.invalid("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
    }
  }

  private static Integer concurrency(JsonObject in) {
    Object scaling = in.getValue("ScalingConfig");
    if (scaling == null) return null;
    if (!(scaling instanceof JsonObject s)) throw FunctionErrors.invalid("ScalingConfig must be an object");
    if (s.getValue("MaximumConcurrency") == null) return null;
    return intIn(s, "MaximumConcurrency", 2, 1000);
  }

  private static boolean responseTypes(JsonObject in) {
    Object types = in.getValue("FunctionResponseTypes");
    if (types == null) return false;
    if (!(types instanceof JsonArray list)) throw FunctionErrors.invalid("FunctionResponseTypes must be a list");
    boolean report = false;
    for (Object t : list) {
      if (!"ReportBatchItemFailures".equals(t)) {
        throw FunctionErrors.validation(list.encode(), "functionResponseTypes",
            "Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]");
      }
      report = true;
    }
    return report;
  }

  static int intIn(JsonObject in, String member, int min, int max) {
    Object v = in.getValue(member);
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      // A member of the wrong JSON type: what Lambda's REST-JSON deserializer answers (as FunctionInputs does).
      throw FunctionErrors.badPayload("Could not parse payload into json: unexpected type for " + member);
    }
    long value = n.longValue();
    String field = Character.toLowerCase(member.charAt(0)) + member.substring(1);
    if (value < min) throw FunctionErrors.validation(Long.toString(value), field, "Member must have value greater than or equal to " + min);
    if (value > max) throw FunctionErrors.validation(Long.toString(value), field, "Member must have value less than or equal to " + max);
    return (int) value;
  }
}
