package io.eventplane.functions;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.config.FunctionLimits;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.logs.LogStreams;
import io.eventplane.common.partition.LaneDeployment;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.common.store.Store;
import io.eventplane.functions.code.CodeCache;
import io.eventplane.functions.code.S3CodeSource;
import io.eventplane.functions.domain.FunctionName;
import io.eventplane.functions.domain.Functions;
import io.eventplane.functions.mapping.EventSourceMappings;
import io.eventplane.functions.runtime.InstanceSlots;
import io.eventplane.functions.runtime.JavaHomes;
import io.eventplane.functions.runtime.JavaRuntimeFiles;
import io.eventplane.functions.runtime.FunctionCredentials;
import io.eventplane.functions.runtime.Launcher;
import io.eventplane.functions.runtime.LauncherOnFirstUse;
import io.eventplane.functions.store.FunctionStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The Lambda service of a node: {@code lanes} {@link FunctionLane}s, each a verticle on its own
 * context owning the functions (with their versions, aliases, event source mappings, queued Event
 * invocations and instances) of its share of the partitions. This verticle clears what an earlier
 * run left, makes what the lanes share ({@link FunctionNode}) and deploys them; requests never
 * pass through its context. The gateway finds a request's lane with {@link #partitionOf}, given to
 * it through the descriptor.
 */
public final class FunctionService extends VerticleBase {
  /** The package of a function ({@code Account}, {@code FunctionName}, {@code Sha}): {@code ZipFile} out. */
  public static final String GET_CODE = "eventplane:GetCode";
  /**
   * The console's read of a function's asynchronous queue ({@code FunctionName} in; {@code Events},
   * waiting or running, {@code OldestEventAgeSeconds}, and {@code Counted}: false when the node keeps
   * no count, metrics being off). No Lambda API reads it; it has no REST route, so no client reaches it.
   */
  public static final String GET_ASYNC_QUEUE = "eventplane:GetAsyncQueue";
  static final String RESET = "Reset";
  /** Operations about no one function: answered by the lane that gets them, which asks the others. */
  private static final Set<String> NODE_WIDE = Set.of(RESET, "ListFunctions", "ListEventSourceMappings",
      FunctionListings.LIST, FunctionListings.LIST_MAPPINGS, FunctionLane.RESET_NODE, FunctionLane.RESET_LANE);

  /**
   * Lambda on a node: functions and their packages live in partitions of the {@code lambda} column
   * family, served by lanes; instances run on the owner and write their logs to the node's {@link LogStreams}.
   */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("Lambda", Contracts.LAMBDA,
      List.of(FunctionStore.COLUMN_FAMILY), env -> {
        FunctionLimits limits = env.config().functions();
        return new FunctionService(env.store(), env.writer(), env.placement(), env.clock(), new FunctionSettings(
            env.config().dataDir(), env.gatewayUrl(), limits.maxInstances(), limits.idleSeconds() * 1000L,
            limits.asyncFirstRetryMillis(), env.config().auth().credentialsKey(), env.gatewaySigner()), env.resources().get(LogStreams.class), env.config().serviceThreads(),
            env.metrics(), io.eventplane.common.cloudwatch.AwsMetrics.of(env));
      }).withMigration((store, config) -> FunctionStore.migrate(store, config.region()))
      .withLanes(FunctionService::partitionOf);

  private final Store store;
  private final PartitionWriter writer;
  private final Placement placement;
  private final Clock clock;
  private final FunctionSettings settings;
  private final LogStreams logs;
  private final int lanes;
  private final io.eventplane.common.metrics.NodeMetrics metrics;
  private final io.eventplane.common.cloudwatch.AwsMetrics awsMetrics;

  /**
   * @param logs where instances write their log streams (read back by the Logs service)
   * @param lanes the contexts the node's functions are spread over ({@code serviceThreads})
   */
  public FunctionService(Store store, PartitionWriter writer, Placement placement, Clock clock, FunctionSettings settings,
      LogStreams logs, int lanes) {
    this(store, writer, placement, clock, settings, logs, lanes, io.eventplane.common.metrics.NodeMetrics.NONE);
  }

  /** As above, recording the functions' invocations in {@code metrics}. */
  public FunctionService(Store store, PartitionWriter writer, Placement placement, Clock clock, FunctionSettings settings,
      LogStreams logs, int lanes, io.eventplane.common.metrics.NodeMetrics metrics) {
    this(store, writer, placement, clock, settings, logs, lanes, metrics, io.eventplane.common.cloudwatch.AwsMetrics.NONE);
  }

  /** As above, publishing the AWS/Lambda metrics to CloudWatch through {@code awsMetrics}. */
  public FunctionService(Store store, PartitionWriter writer, Placement placement, Clock clock, FunctionSettings settings,
      LogStreams logs, int lanes, io.eventplane.common.metrics.NodeMetrics metrics,
      io.eventplane.common.cloudwatch.AwsMetrics awsMetrics) {
    this.metrics = metrics;
    this.awsMetrics = awsMetrics;
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.logs = logs;
    this.store = store;
    this.writer = writer;
    this.placement = placement;
    this.clock = clock;
    this.settings = settings;
    this.lanes = lanes;
  }

  @Override
  public Future<?> start() {
    Path root = settings.dataDir().resolve("functions");
    Path pipes = root.resolve("pipes");
    LauncherOnFirstUse launcher = new LauncherOnFirstUse(() -> new Launcher(new CodeCache(root.resolve("code")),
        JavaRuntimeFiles.unpack(root.resolve("runtime").resolve("java")), new JavaHomes(List.of(Path.of("/usr/lib/jvm"))),
        settings.endpointUrl(), pipes, new FunctionCredentials(
            new io.eventplane.common.secret.TemporaryCredentials(settings.credentialsKey()), clock)));
    // What an earlier run left is cleared before anything can launch or download (both listed
    // directories are usually empty); the runtime's files are unpacked in the background after.
    return vertx.executeBlocking(() -> {
      Launcher.clearPipes(pipes);
      S3CodeSource.clear(root.resolve("downloads"));
      return null;
    }).compose(cleared -> {
      FunctionNode node = new FunctionNode(store, writer, placement, clock, settings, logs, launcher,
          new InstanceSlots(settings.maxInstances()), metrics, awsMetrics);
      launcher.prepareInBackground(vertx);
      return LaneDeployment.deploy(vertx, lanes, i -> new FunctionLane(i, lanes, node));
    });
  }

  /**
   * The partition a request's function (or event source mapping) lives in, for the gateway to pick
   * the owning lane on its event loop: cheap, thread-safe and total. {@link PartitionRouter#ANY}
   * for a request about no one function and for one that names it so badly that any lane answers
   * it with the validation error.
   */
  public static int partitionOf(ApiRequest request) {
    if (isNodeWide(request.operation())) return PartitionRouter.ANY;
    try {
      return partitionOrFail(request);
    } catch (RuntimeException unreadable) {
      // The lane it reaches fails it the same way, with the AWS error (never the event loop here).
      return PartitionRouter.ANY;
    }
  }

  /** Whether the operation is about no one function (a list, a reset, their questions to nodes and lanes). */
  static boolean isNodeWide(String operation) {
    return NODE_WIDE.contains(operation);
  }

  /** The partition a request's function lives in; validation errors of its name fail here (on the lane). */
  static int partitionOrFail(ApiRequest request) {
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
}
