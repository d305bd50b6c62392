package io.eventplane.gateway.http;

import io.eventplane.common.config.EventplaneConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.eventplane.gateway.binding.ProtocolBinding;
import io.eventplane.gateway.binding.ProtocolBindings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.eventplane.common.partition.LaneDispatch;
import java.util.Objects;

/**
 * The HTTP edge: one port for every AWS wire protocol Eventplane speaks, plus its own
 * {@code /_eventplane/} endpoints. Stateless; deploy one instance per event loop and Vert.x
 * spreads connections across them (instances bound to the same host and port share one listener).
 * Calls reach services over the event bus, so the codecs of {@code Contracts} must be registered
 * on this Vert.x before requests arrive.
 */
public final class GatewayVerticle extends VerticleBase {
  /** How long a service may take to answer, before an operation's own allowance (long polls, Invoke). */
  public static final Duration DEFAULT_SERVICE_TIMEOUT = Duration.ofSeconds(30);

  private final EventplaneConfig config;
  private final Duration serviceTimeout;
  private final List<ProtocolBinding> bindings;
  private final java.util.function.Supplier<io.eventplane.common.blob.BlobStore> blobs;
  private final Map<String, LaneDispatch> lanes;
  private final java.time.Clock clock;
  private final io.eventplane.gateway.auth.CredentialSource credentials;
  private final io.eventplane.common.metrics.NodeMetrics metrics;
  private HttpServer server;
  /** The CloudTrail lanes' announcements of changed data-event selections, when this gateway records calls. */
  private io.vertx.core.eventbus.MessageConsumer<io.vertx.core.json.JsonObject> selectionNotices;
  private volatile int actualPort = -1;

  public GatewayVerticle(EventplaneConfig config) {
    this(config, DEFAULT_SERVICE_TIMEOUT);
  }

  /** @param serviceTimeout how long to wait for a service; slow operations get their binding's allowance more */
  public GatewayVerticle(EventplaneConfig config, Duration serviceTimeout) {
    this(config, serviceTimeout, ProtocolBindings.ALL);
  }

  /** @param bindings the services this gateway speaks for */
  public GatewayVerticle(EventplaneConfig config, Duration serviceTimeout, List<ProtocolBinding> bindings) {
    this(config, serviceTimeout, bindings, () -> null);
  }

  /**
   * @param blobs the node's object bodies (provided by the storage service), or null when the node
   *     keeps none; looked up per request
   */
  public GatewayVerticle(EventplaneConfig config, Duration serviceTimeout, List<ProtocolBinding> bindings,
      java.util.function.Supplier<io.eventplane.common.blob.BlobStore> blobs) {
    this(config, serviceTimeout, bindings, blobs, Map.of());
  }

  /**
   * @param lanes by service address, how to reach the lane of a service with lanes that owns a
   *     request's partition: the gateway sends there directly, without a hop through another context
   */
  public GatewayVerticle(EventplaneConfig config, Duration serviceTimeout, List<ProtocolBinding> bindings,
      java.util.function.Supplier<io.eventplane.common.blob.BlobStore> blobs, Map<String, LaneDispatch> lanes) {
    this(config, serviceTimeout, bindings, blobs, lanes, java.time.Clock.systemUTC());
  }

  /**
   * @param clock the time of the audit trail's records (CloudTrail's eventTime) and of invoke
   *     requests (their events' requestContext time); the trail records
   *     calls only when the bindings include CloudTrail's and the configuration's audit trail is on
   */
  public GatewayVerticle(EventplaneConfig config, Duration serviceTimeout, List<ProtocolBinding> bindings,
      java.util.function.Supplier<io.eventplane.common.blob.BlobStore> blobs, Map<String, LaneDispatch> lanes,
      java.time.Clock clock) {
    this(config, serviceTimeout, bindings, blobs, lanes, clock, null);
  }

  /**
   * @param credentials where the secret of a request's access key is found, when the auth mode
   *     verifies signatures; null for the node's own ({@link io.eventplane.gateway.auth.Credentials#ofNode}:
   *     the admin key, STS's temporary credentials, IAM's stored keys)
   */
  public GatewayVerticle(EventplaneConfig config, Duration serviceTimeout, List<ProtocolBinding> bindings,
      java.util.function.Supplier<io.eventplane.common.blob.BlobStore> blobs, Map<String, LaneDispatch> lanes,
      java.time.Clock clock, io.eventplane.gateway.auth.CredentialSource credentials) {
    this(config, serviceTimeout, bindings, blobs, lanes, clock, credentials, io.eventplane.common.metrics.NodeMetrics.NONE);
  }

  /**
   * @param metrics the node's metrics: the gateway counts and times client calls in them and serves
   *     them at {@code GET /metrics} ({@link io.eventplane.common.metrics.NodeMetrics#NONE}: neither, 404)
   */
  public GatewayVerticle(EventplaneConfig config, Duration serviceTimeout, List<ProtocolBinding> bindings,
      java.util.function.Supplier<io.eventplane.common.blob.BlobStore> blobs, Map<String, LaneDispatch> lanes,
      java.time.Clock clock, io.eventplane.gateway.auth.CredentialSource credentials,
      io.eventplane.common.metrics.NodeMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.credentials = credentials;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lanes = Map.copyOf(lanes);
    this.config = Objects.requireNonNull(config, "config");
    this.serviceTimeout = Objects.requireNonNull(serviceTimeout, "serviceTimeout");
    this.bindings = List.copyOf(bindings);
    this.blobs = Objects.requireNonNull(blobs, "blobs");
  }

  @Override
  public Future<?> start() {
    ServiceBus bus = new ServiceBus(vertx.eventBus(), serviceTimeout, lanes);
    if (metrics.enabled()) bus.metrics(new ApiMetrics(metrics.registry()));
    Future<Void> listening = Future.succeededFuture();
    if (config.auditTrail() && ProtocolBindings.addresses(bindings).contains(AuditTap.address())) {
      AuditTap tap = new AuditTap(context, clock, request -> bus.callService(AuditTap.address(), request));
      bus.audit(tap);
      selectionNotices = vertx.eventBus().<io.vertx.core.json.JsonObject>consumer(io.eventplane.common.bus.Contracts.CLOUDTRAIL_SELECTION,
          m -> tap.selectionChanged(m.body()));
      listening = selectionNotices.completion();
    }
    io.eventplane.gateway.auth.CredentialSource keys = credentials != null ? credentials
        : io.eventplane.gateway.auth.Credentials.ofNode(vertx, config, bus::callService);
    RequestRouter router = new RequestRouter(config, bus, new RequestContexts(config, this::actualPort), bindings, blobs, vertx, clock,
        keys);
    router.metrics(new MetricsRoute(metrics, vertx));
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.bind())
        .setPort(config.port())
        // Query calls may come as GET with every parameter in the URL; Netty's 4 KiB default for
        // the request line would refuse ordinary SendMessage calls.
        .setMaxInitialLineLength(Math.max(HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH,
            Math.min(config.maxRequestBytes(), 64 * 1024)))
        // S3 browser uploads: a form's fields before the file may take up to 20 KB (a policy, tags).
        .setMaxFormAttributeSize(20 * 1024);
    server = vertx.createHttpServer(options);
    return listening.compose(v -> server.requestHandler(router).listen()).onSuccess(bound -> actualPort = bound.actualPort());
  }

  @Override
  public Future<?> stop() {
    Future<Void> unlistened = selectionNotices == null ? Future.succeededFuture() : selectionNotices.unregister();
    return unlistened.compose(v -> server == null ? Future.succeededFuture() : server.close());
  }

  /** The port this instance listens on (the real one when configured with 0); -1 before start. */
  public int actualPort() {
    return actualPort;
  }
}
