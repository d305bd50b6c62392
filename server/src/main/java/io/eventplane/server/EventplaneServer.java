package io.eventplane.server;

import io.eventplane.common.bus.Contracts;
import com.hazelcast.core.HazelcastInstance;
import io.eventplane.common.cluster.ClusterSettings;
import io.eventplane.common.cluster.HazelcastSetup;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.cluster.replication.ClusterPlacement;
import io.eventplane.common.cluster.replication.PartitionPositions;
import io.eventplane.common.cluster.replication.ReplicationLog;
import io.eventplane.common.partition.LocalPartitionWriter;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.partition.LocalPlacement;
import io.eventplane.common.service.NodeResources;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.common.service.ServiceEnvironment;
import io.eventplane.common.store.Store;
import io.eventplane.common.timer.DurableScheduler;
import io.eventplane.gateway.http.GatewayVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Clock;
import java.util.List;

/**
 * One Eventplane node, embeddable: opens the store, deploys the services and the gateway, and
 * closes them in reverse order. Tests start it in-process on port 0 with their own clock.
 */
public final class EventplaneServer implements AutoCloseable {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(EventplaneServer.class.getName());
  /** The column families whose keys start with a partition prefix: replicated and copied per partition. */
  static final List<String> PARTITIONED_FAMILIES = Services.partitionedFamilies(Services.ALL);

  private final EventplaneConfig config;
  private final Vertx vertx;
  private final Store store;
  private final DurableScheduler scheduler;
  private final NodeResources resources = new NodeResources();
  private int port;

  private EventplaneServer(EventplaneConfig config, Vertx vertx, Store store, DurableScheduler scheduler) {
    this.config = config;
    this.vertx = vertx;
    this.store = store;
    this.scheduler = scheduler;
  }

  /** Starts a standalone node and waits until it serves requests. */
  public static EventplaneServer start(EventplaneConfig config, Clock clock) {
    return start(config, clock, UnaryOperator.identity(), v -> {});
  }

  /**
   * As {@link #start(EventplaneConfig, Clock)}, with Vert.x options adjusted and the Vert.x instance
   * shown to {@code beforeDeploy} before anything is deployed on it (tests watch blocked event loops).
   */
  static EventplaneServer start(EventplaneConfig config, Clock clock, UnaryOperator<VertxOptions> tuneVertx,
                                Consumer<Vertx> beforeDeploy) {
    String refused = AuthStartup.refusal(config);
    if (refused != null) throw new IllegalArgumentException(refused);
    LOG.info(AuthStartup.modeLine(config));
    String exposed = AuthStartup.warning(config);
    if (exposed != null) LOG.warning(exposed);
    StartupPhases phases = new StartupPhases();
    Store store = Store.open(config.dataDir().resolve("store"), config.durability(), config.syncIntervalMillis(),
        java.util.stream.Stream.concat(Services.families(Services.ALL).stream(),
            java.util.stream.Stream.of(DurableScheduler.COLUMN_FAMILY, PartitionPositions.COLUMN_FAMILY,
                ReplicationLog.COLUMN_FAMILY)).toList());
    phases.done("store");
    try {
      for (ServiceDescriptor service : Services.ALL) service.migration().accept(store, config);
    } catch (RuntimeException e) {
      store.close();
      throw new IllegalStateException("Eventplane failed to migrate its store: " + e.getMessage(), e);
    }
    phases.done("migrations");
    // One registry per node, made before Vert.x so that Vert.x's own metrics land in it too.
    io.eventplane.common.metrics.NodeMetrics metrics = config.metrics().enabled()
        ? new io.eventplane.server.metrics.PrometheusNodeMetrics() : io.eventplane.common.metrics.NodeMetrics.NONE;
    if (metrics.enabled()) io.eventplane.server.metrics.StoreMetrics.bind(store, metrics.registry());
    Vertx vertx;
    HazelcastInstance hazelcast = null;
    try {
      if (config.cluster().enabled()) {
        ClusterSettings cluster = config.cluster();
        ClusterPortTaken.checkBusPortFree(cluster);
        HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSetup.config(cluster));
        VertxOptions options = tuneVertx.apply(vertxOptions(config, metrics)).setEventBusOptions(new EventBusOptions()
            .setHost(cluster.host()).setPort(cluster.busPort()).setClusterPublicHost(cluster.host()));
        try {
          vertx = io.eventplane.server.metrics.VertxMetrics.withRegistry(Vertx.builder().with(options), metrics)
              .withClusterManager(manager).buildClustered().await();
        } catch (Exception e) {
          // Vert.x may fail after Hazelcast joined (the event-bus port is taken): leave the cluster too,
          // or the others would keep a member that never serves.
          HazelcastInstance joined = manager.getHazelcastInstance();
          if (joined != null) joined.shutdown();
          throw ClusterPortTaken.explain(e, cluster, joined != null);
        }
        hazelcast = manager.getHazelcastInstance();
      } else {
        vertx = io.eventplane.server.metrics.VertxMetrics.withRegistry(
            Vertx.builder().with(tuneVertx.apply(vertxOptions(config, metrics))), metrics).build();
      }
    } catch (IllegalStateException e) {
      store.close();
      throw e;
    } catch (Exception e) {
      store.close();
      throw new IllegalStateException("Eventplane failed to start: " + e.getMessage(), e);
    }
    phases.done(hazelcast != null ? "vert.x and the cluster" : "vert.x");
    beforeDeploy.accept(vertx);
    Contracts.register(vertx.eventBus());
    DurableScheduler scheduler = new DurableScheduler(vertx, store, clock);
    EventplaneServer server = new EventplaneServer(config, vertx, store, scheduler);
    server.resources.provide(io.eventplane.common.metrics.NodeMetrics.class, metrics);
    if (metrics instanceof AutoCloseable closeable) server.resources.closeOnShutdown(closeable);
    try {
      ClusterPlacement placement = null;
      if (hazelcast != null) {
        ClusterSettings cluster = config.cluster();
        placement = new ClusterPlacement(cluster.nodeId(), hazelcast, store, PARTITIONED_FAMILIES,
            cluster.replicationFactor(), cluster.expectedMembers());
        vertx.deployVerticle(placement).await();
        io.eventplane.server.metrics.ReplicationMetrics.bind(placement, metrics, vertx);
      }
      vertx.deployVerticle(new AdminVerticle(config.cluster(), hazelcast, placement, Services.ALL)).await();
      phases.done("placement and admin");
      server.deploy(clock, placement, phases).await();
      if (placement != null) placement.startFollowing();
      LOG.info(phases.summary());
    } catch (Exception e) {
      server.close();
      throw new IllegalStateException("Eventplane failed to start: " + e.getMessage(), e);
    }
    return server;
  }

  private Future<Void> deploy(Clock clock, ClusterPlacement cluster, StartupPhases phases) {
    PartitionWriter writer = cluster != null ? cluster : new LocalPartitionWriter(store);
    Placement placement = cluster != null ? cluster : new LocalPlacement(nodeId());
    List<GatewayVerticle> gateways = new java.util.concurrent.CopyOnWriteArrayList<>();
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    // Instances share one listening socket only when they bind the same concrete port.
    EventplaneConfig bound = config.port() == 0 ? config.withPort(freePort(config.bind())) : config;
    ServiceEnvironment env = new ServiceEnvironment(vertx, bound, store, writer, placement, clock,
        "http://" + loopbackOf(config.bind()) + ":" + bound.port(), resources);
    resources.provide(io.eventplane.common.authz.DeliveryAuthorization.class, deliveryAuthorization(bound));
    for (ServiceDescriptor service : Services.ALL) service.setup().accept(env);
    // The gateway sends a request for a service with lanes straight to the lane that owns it (on
    // this node, or on the owning node where the service allows it).
    java.util.Map<String, io.eventplane.common.partition.LaneDispatch> lanes = new java.util.HashMap<>();
    for (ServiceDescriptor service : Services.ALL) {
      io.eventplane.common.partition.LaneDispatch d = service.dispatch(config.serviceThreads(), vertx, placement);
      if (d != null) lanes.put(service.address(), d);
    }
    Future<?> deployed = Future.succeededFuture();
    for (ServiceDescriptor service : Services.ALL) {
      deployed = deployed.compose(id -> vertx.deployVerticle(service.factory().apply(env)))
          .onSuccess(id -> phases.done(service.name()))
          .recover(e -> Future.failedFuture(new IllegalStateException(service.name() + " did not start: " + e.getMessage(), e)));
    }
    return deployed
        .compose(id -> vertx.deployVerticle(new SchedulerVerticle(scheduler)))
        .compose(id -> vertx.deployVerticle(() -> {
          GatewayVerticle g = new GatewayVerticle(bound, GatewayVerticle.DEFAULT_SERVICE_TIMEOUT,
              io.eventplane.gateway.binding.ProtocolBindings.ALL, () -> resources.find(io.eventplane.common.blob.BlobStore.class),
              lanes, clock, null, resources.get(io.eventplane.common.metrics.NodeMetrics.class)); // signed requests' keys: the admin key, STS's sealed credentials, IAM's stored keys
          gateways.add(g);
          return g;
        }, new DeploymentOptions().setInstances(instances)))
        .compose(id -> {
          phases.done("scheduler and gateway");
          port = gateways.get(0).actualPort();
          for (GatewayVerticle g : gateways) {
            if (g.actualPort() != port) return Future.failedFuture("gateway instances bound different ports");
          }
          return Future.succeededFuture();
        });
  }

  /**
   * How this node's services learn whether they may deliver to another service's resource: by its
   * resource policy in {@code --auth iam} (read through the node's resource-policy cache, which the
   * gateways keep current), else always.
   */
  private io.eventplane.common.authz.DeliveryAuthorization deliveryAuthorization(EventplaneConfig bound) {
    if (!bound.authMode().authorizes()) return io.eventplane.common.authz.DeliveryAuthorization.ALLOW_ALL;
    io.vertx.core.eventbus.DeliveryOptions options = new io.vertx.core.eventbus.DeliveryOptions()
        .setSendTimeout(io.eventplane.gateway.http.GatewayVerticle.DEFAULT_SERVICE_TIMEOUT.toMillis());
    return new io.eventplane.gateway.authz.ServiceDeliveryAuthorizer(io.eventplane.gateway.authz.NodeAuthorizer.resourcePolicies(vertx,
        (address, request) -> vertx.eventBus().<Object>request(address, request, options)
            .map(m -> (io.eventplane.common.bus.ApiReply) m.body())));
  }

  /**
   * Enough event loops that each lane of a service gets a thread of its own (lanes take the loops
   * round-robin as they deploy), and never fewer than Vert.x's default of two per core.
   */
  private static VertxOptions vertxOptions(EventplaneConfig config, io.eventplane.common.metrics.NodeMetrics metrics) {
    return io.eventplane.server.metrics.VertxMetrics.apply(
        new VertxOptions().setEventLoopPoolSize(Math.max(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, config.serviceThreads())), metrics,
        config.metrics());
  }

  /** The address function instances on this machine reach the gateway at. */
  private static String loopbackOf(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
  }

  private static int freePort(String bind) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(bind))) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("no free port on " + bind, e);
    }
  }

  /** Runs the durable scheduler's polling on a context of its own. */
  private static final class SchedulerVerticle extends VerticleBase {
    private final DurableScheduler scheduler;

    SchedulerVerticle(DurableScheduler scheduler) {
      this.scheduler = scheduler;
    }

    @Override
    public Future<?> start() {
      scheduler.start();
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      scheduler.stop();
      return Future.succeededFuture();
    }
  }

  private String nodeId() {
    return config.cluster().enabled() ? config.cluster().nodeId() : "local";
  }

  public int port() {
    return port;
  }

  /** The node's Vert.x (tests speak to its services over the event bus as the gateway does). */
  Vertx vertx() {
    return vertx;
  }

  public EventplaneConfig config() {
    return config;
  }

  public Store store() {
    return store;
  }

  @Override
  public void close() {
    try {
      vertx.close().await();
    } catch (Exception e) {
      // closing anyway
    }
    resources.close();
    store.close();
  }
}
