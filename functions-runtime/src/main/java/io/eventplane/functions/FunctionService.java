package io.eventplane.functions;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.common.store.Store;
import io.eventplane.functions.api.FunctionApi;
import io.eventplane.functions.async.AsyncInvocations;
import io.eventplane.functions.code.CodeCache;
import io.eventplane.functions.code.CodePackage;
import io.eventplane.functions.code.S3CodeSource;
import io.eventplane.functions.domain.Function;
import io.eventplane.functions.domain.FunctionErrors;
import io.eventplane.functions.domain.FunctionName;
import io.eventplane.functions.domain.Functions;
import io.eventplane.functions.mapping.EventSourceMappings;
import io.eventplane.functions.runtime.Instances;
import io.eventplane.functions.runtime.JavaHomes;
import io.eventplane.functions.runtime.JavaRuntimeFiles;
import io.eventplane.functions.runtime.Launcher;
import io.eventplane.functions.runtime.LauncherOnFirstUse;
import io.eventplane.functions.store.FunctionStore;
import io.eventplane.common.logs.LogStreams;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The Lambda service of a node: takes requests at {@link Contracts#LAMBDA}, runs each at the owner
 * of its function's partition (here or forwarded), and runs the functions it owns on instances
 * of this node. When it takes a partition it loads its functions and resumes their asynchronous
 * invocations; when it loses one it ends their instances.
 */
public final class FunctionService extends VerticleBase implements PartitionListener {
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String LIST = "eventplane:ListFunctions";
  private static final String LIST_MAPPINGS = "eventplane:ListEventSourceMappings";
  /** The package of a function ({@code Account}, {@code FunctionName}, {@code Sha}): {@code ZipFile} out. */
  public static final String GET_CODE = "eventplane:GetCode";
  private static final int MAX_LIST = 10_000;
  /**
   * A synchronous Invoke forwarded to the function's node waits as long as the longest function may
   * run; a deployment from S3 as long as a large package takes to fetch and store.
   */
  private static final java.util.Map<String, java.time.Duration> SLOW_OPERATIONS = java.util.Map.of(
      "Invoke", java.time.Duration.ofMillis(NodeCalls.INVOKE_TIMEOUT_MILLIS),
      "CreateFunction", java.time.Duration.ofMillis(NodeCalls.DEPLOY_TIMEOUT_MILLIS),
      "UpdateFunctionCode", java.time.Duration.ofMillis(NodeCalls.DEPLOY_TIMEOUT_MILLIS));
  /**
   * Lambda on a node: functions and their packages live in partitions of the {@code lambda} column
   * family; instances run on the owner and write their logs to the node's {@link LogStreams}.
   */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("Lambda", Contracts.LAMBDA,
      List.of(FunctionStore.COLUMN_FAMILY), env -> {
        io.eventplane.common.config.FunctionLimits limits = env.config().functions();
        return new FunctionService(env.store(), env.writer(), env.placement(), env.clock(), new FunctionSettings(
            env.config().dataDir(), env.gatewayUrl(), limits.maxInstances(), limits.idleSeconds() * 1000L,
            limits.asyncFirstRetryMillis()), env.resources().get(LogStreams.class));
      }).withMigration((store, config) -> FunctionStore.migrate(store, config.region()));
  private static final int DEFAULT_LIST = 50;

  private final Store store;
  private final PartitionWriter writer;
  private final Placement placement;
  private final Clock clock;
  private final FunctionSettings settings;
  private final LogStreams logs;
  private Functions functions;
  private Instances instances;
  private AsyncInvocations async;
  private FunctionApi api;
  private EventSourceMappings mappings;
  private NodeCalls calls;
  private PartitionRouter router;

  /** @param logs where instances write their log streams (read back by the Logs service) */
  public FunctionService(Store store, PartitionWriter writer, Placement placement, Clock clock, FunctionSettings settings,
      LogStreams logs) {
    this.logs = logs;
    this.store = store;
    this.writer = writer;
    this.placement = placement;
    this.clock = clock;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    Path root = settings.dataDir().resolve("functions");
    Path pipes = root.resolve("pipes");
    LauncherOnFirstUse launcher = new LauncherOnFirstUse(() -> new Launcher(new CodeCache(root.resolve("code")),
        JavaRuntimeFiles.unpack(root.resolve("runtime").resolve("java")), new JavaHomes(List.of(Path.of("/usr/lib/jvm"))),
        settings.endpointUrl(), pipes));
    // What an earlier run left is cleared before anything can launch or download (both listed
    // directories are usually empty); the runtime's files are unpacked in the background after.
    return vertx.executeBlocking(() -> {
      Launcher.clearPipes(pipes);
      S3CodeSource.clear(root.resolve("downloads"));
      return null;
    }).compose(cleared -> {
      FunctionStore functionStore = new FunctionStore(store, writer);
      functions = new Functions(vertx, context, functionStore);
      instances = new Instances(vertx, context, launcher, this::readCode, logs,
          settings.maxInstances(), settings.idleMillis());
      instances.start();
      async = new AsyncInvocations(vertx, context, functions, instances, clock, settings.asyncFirstRetryMillis());
      api = new FunctionApi(functions, instances, async::enqueue, clock,
          new S3CodeSource(vertx, settings.endpointUrl(), root.resolve("downloads")));
      mappings = new EventSourceMappings(vertx, context, functions, clock);
      calls = new NodeCalls(vertx, Contracts.LAMBDA, SLOW_OPERATIONS);
      placement.onMemberLeft(calls::nodeLeft);
      router = new PartitionRouter(vertx, placement, calls, "Lambda");
      launcher.prepareInBackground(vertx);
      return router.listen(Contracts.LAMBDA, this::onClientRequest, this::onNodeRequest)
          .compose(v -> placement.register(this, context));
    });
  }

  @Override
  public Future<?> stop() {
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

  private byte[] readCode(Function f) {
    return functions.store().readCode(Functions.partitionOf(f.accountId(), f.name()), f.accountId(), f.region(), f.name(),
        f.codeSha256());
  }

  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result;
    try {
      result = switch (request.operation()) {
        case RESET -> everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context()))
            .map(all -> new JsonObject().put("reset", true));
        case "ListFunctions" -> listFunctions(request);
        case "ListEventSourceMappings" -> listMappings(request);
        default -> router.route(request, partitionOf(request), this::handle);
      };
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    router.reply(message, request, result);
  }

  private void onNodeRequest(Message<ApiRequest> message) {
    router.reply(message, message.body(), PartitionRouter.safely(this::handle, message.body()));
  }

  private Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    switch (request.operation()) {
      case RESET_NODE:
        mappings.clear();
        async.clear();
        return functions.clear(f -> instances.retire(f.arn())).map(v -> new JsonObject());
      case LIST: {
        JsonArray out = new JsonArray();
        for (Function f : functions.list(in.getString("account"), in.getString("region"), in.getString("after"),
            in.getInteger("limit"))) {
          out.add(f.configuration());
        }
        return Future.succeededFuture(new JsonObject().put("functions", out));
      }
      case LIST_MAPPINGS:
        return Future.succeededFuture(new JsonObject().put("mappings",
            mappings.list(in.getString("account"), in.getString("region"), in.getString("function"), in.getString("source"))));
      case "CreateEventSourceMapping", "GetEventSourceMapping", "UpdateEventSourceMapping", "DeleteEventSourceMapping":
        return mappings.handle(request);
      case GET_CODE: {
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
        return vertx.executeBlocking(() -> readCode(f)).map(zip -> new JsonObject().put("ZipFile", zip));
      }
      default:
        return api.handle(request);
    }
  }

  /** The partition a request's function lives in; validation errors of its name answer here. */
  private static int partitionOf(ApiRequest request) {
    JsonObject in = request.input();
    String account = request.context().accountId();
    if (GET_CODE.equals(request.operation())) return Functions.partitionOf(in.getString("Account"), in.getString("FunctionName"));
    if (in.containsKey("UUID") && !"CreateEventSourceMapping".equals(request.operation())) {
      String uuid = in.getString("UUID");
      if (!EventSourceMappings.isUuid(uuid)) {
        throw new ServiceException("ResourceNotFoundException", "The resource you requested does not exist.");
      }
      return EventSourceMappings.partitionOfUuid(uuid);
    }
    String reference = in.getString("FunctionName");
    String member = "functionName";
    if (reference == null && in.getString("Resource") != null) {
      reference = in.getString("Resource");
      member = "resource";
    }
    return Functions.partitionOf(FunctionName.parse(reference, member, account, request.context().region()));
  }

  /** ListFunctions: every node's functions of the account, in name order, MaxItems a page. */
  private Future<JsonObject> listFunctions(ApiRequest request) {
    JsonObject in = request.input();
    int max = DEFAULT_LIST;
    if (in.getValue("MaxItems") != null) {
      try {
        max = Integer.parseInt(String.valueOf(in.getValue("MaxItems")));
      } catch (NumberFormatException e) {
        throw FunctionErrors.validation(String.valueOf(in.getValue("MaxItems")), "maxItems", "Member must be a number");
      }
      if (max < 1) throw FunctionErrors.validation(Integer.toString(max), "maxItems", "Member must have value greater than or equal to 1");
      if (max > MAX_LIST) throw FunctionErrors.validation(Integer.toString(max), "maxItems", "Member must have value less than or equal to " + MAX_LIST);
    }
    String after = null;
    String marker = in.getString("Marker");
    if (marker != null && !marker.isEmpty()) {
      try {
        after = new String(java.util.Base64.getUrlDecoder().decode(marker), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw FunctionErrors.invalid("Invalid Marker: " + marker);
      }
    }
    int page = max;
    JsonObject question = new JsonObject().put("account", request.context().accountId())
        .put("region", request.context().region()).put("after", after)
        .put("limit", page + 1);
    return everyNode(new ApiRequest(LIST, question, request.context())).map(answers -> {
      List<JsonObject> all = new ArrayList<>();
      for (JsonObject a : answers) a.getJsonArray("functions").forEach(o -> all.add((JsonObject) o));
      all.sort(java.util.Comparator.comparing(o -> o.getString("FunctionName")));
      JsonArray items = new JsonArray();
      for (int i = 0; i < Math.min(page, all.size()); i++) items.add(all.get(i));
      JsonObject out = new JsonObject().put("Functions", items);
      if (all.size() > page) {
        String last = all.get(page - 1).getString("FunctionName");
        out.put("NextMarker", java.util.Base64.getUrlEncoder().withoutPadding()
            .encodeToString(last.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      return out;
    });
  }

  /** ListEventSourceMappings: every node's mappings of the account, filtered, in UUID order, MaxItems a page. */
  private Future<JsonObject> listMappings(ApiRequest request) {
    JsonObject in = request.input();
    String account = request.context().accountId();
    String function = null;
    if (in.getString("FunctionName") != null) {
      function = FunctionName.parse(in.getString("FunctionName"), "functionName", account, request.context().region()).arn();
    }
    int max = 100;
    if (in.getValue("MaxItems") != null) {
      try {
        max = Integer.parseInt(String.valueOf(in.getValue("MaxItems")).trim());
      } catch (NumberFormatException e) {
        throw FunctionErrors.validation(String.valueOf(in.getValue("MaxItems")), "maxItems", "Member must be a number");
      }
    }
    if (max < 1 || max > 10_000) {
      throw FunctionErrors.validation(Integer.toString(max), "maxItems", "Member must have value between 1 and 10000");
    }
    String after = in.getString("Marker");
    JsonObject question = new JsonObject().put("account", account).put("region", request.context().region())
        .put("function", function)
        .put("source", in.getString("EventSourceArn"));
    int page = max;
    return everyNode(new ApiRequest(LIST_MAPPINGS, question, request.context())).map(answers -> {
      List<JsonObject> all = new ArrayList<>();
      for (JsonObject a : answers) a.getJsonArray("mappings").forEach(o -> all.add((JsonObject) o));
      all.sort(java.util.Comparator.comparing(o -> o.getString("UUID")));
      if (after != null) all.removeIf(o -> o.getString("UUID").compareTo(after) <= 0);
      JsonArray items = new JsonArray();
      for (int i = 0; i < Math.min(page, all.size()); i++) items.add(all.get(i));
      JsonObject out = new JsonObject().put("EventSourceMappings", items);
      if (all.size() > page) out.put("NextMarker", all.get(page - 1).getString("UUID"));
      return out;
    });
  }

  private Future<List<JsonObject>> everyNode(ApiRequest question) {
    return router.everyNode(question, this::handle);
  }

}
