package io.eventplane.common.service;

import io.vertx.core.Deployable;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.store.Store;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.partition.LaneDispatch;
import io.eventplane.common.partition.Placement;
import io.vertx.core.Vertx;

/**
 * Everything a node needs to know to run a service, in one value: the server lists descriptors once
 * and derives from them the column families it opens, which families replicate per partition,
 * the deployment and the dev-mode reset.
 *
 * @param name the service's name in logs and errors
 * @param address the event-bus address the gateway sends its calls to ({@code Contracts})
 * @param columnFamilies the RocksDB column families it keeps its state in
 * @param partitioned whether its families' keys start with a partition prefix, so they replicate and
 *     move with the partition (every family of a partitioned service must)
 * @param resettable whether it answers {@code Reset} at its address (dev mode: delete all state, cluster-wide)
 * @param migration brings the node's store up to the service's current layout when the node starts,
 *     before anything is deployed (blocking; idempotent); may be a no-op
 * @param setup provides node resources (into {@code env.resources()}) to other services before any service is created
 * @param factory creates the service's verticle
 * @param requestPartition for a service that runs in lanes (one context per partition group, see
 *     {@code Lanes}): the partition a request is about, so the gateway sends it to the owning lane
 *     directly; null for a service with one context at its address
 * @param directToOwner whether the gateway may send a request about a partition another node owns
 *     straight to the owning lane on that node (its lanes run a forwarded request exactly as one of
 *     their own node's once it reached the owner); otherwise it goes through this node's lane
 */
public record ServiceDescriptor(String name, String address, List<String> columnFamilies, boolean partitioned,
    boolean resettable, BiConsumer<Store, EventplaneConfig> migration, Consumer<ServiceEnvironment> setup,
    Function<ServiceEnvironment, Deployable> factory, ToIntFunction<ApiRequest> requestPartition,
    boolean directToOwner) {

  public ServiceDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    columnFamilies = List.copyOf(columnFamilies);
    migration = migration == null ? (store, config) -> { } : migration;
    setup = setup == null ? env -> { } : setup;
    Objects.requireNonNull(factory, "factory");
  }

  /** A service whose state lives in partitions of the given families, with a dev-mode reset. */
  public static ServiceDescriptor partitioned(String name, String address, List<String> families,
      Function<ServiceEnvironment, Deployable> factory) {
    return new ServiceDescriptor(name, address, families, true, true, null, null, factory, null, false);
  }

  /** A service without partitioned state of its own (it may read node-local files), with a dev-mode reset. */
  public static ServiceDescriptor nodeLocal(String name, String address, Function<ServiceEnvironment, Deployable> factory) {
    return new ServiceDescriptor(name, address, List.of(), false, true, null, null, factory, null, false);
  }

  public ServiceDescriptor withSetup(Consumer<ServiceEnvironment> provide) {
    return new ServiceDescriptor(name, address, columnFamilies, partitioned, resettable, migration, provide, factory, requestPartition, directToOwner);
  }

  /** Runs the service in lanes; {@code partitionOf} must be cheap and thread-safe (every event loop calls it). */
  public ServiceDescriptor withLanes(ToIntFunction<ApiRequest> partitionOf) {
    return new ServiceDescriptor(name, address, columnFamilies, partitioned, resettable, migration, setup, factory,
        Objects.requireNonNull(partitionOf, "partitionOf"), directToOwner);
  }

  /**
   * Lets the gateway send a request about a partition another node owns straight to the owning
   * lane there (see {@code LaneDispatch.toOwners}); only for a service with lanes whose lanes answer
   * their node address exactly as they answer a request of their own node at the owner.
   */
  public ServiceDescriptor withDirectToOwner() {
    if (requestPartition == null) throw new IllegalStateException(name + " has no lanes");
    return new ServiceDescriptor(name, address, columnFamilies, partitioned, resettable, migration, setup, factory,
        requestPartition, true);
  }

  /** How the gateway of a node with {@code lanes} lanes per service reaches this service's lanes; null without lanes. */
  public LaneDispatch dispatch(int lanes, Vertx vertx, Placement placement) {
    if (requestPartition == null) return null;
    return directToOwner ? LaneDispatch.toOwners(vertx, address, lanes, requestPartition, placement)
        : new LaneDispatch(address, lanes, requestPartition);
  }

  public ServiceDescriptor withMigration(BiConsumer<Store, EventplaneConfig> migrate) {
    return new ServiceDescriptor(name, address, columnFamilies, partitioned, resettable, migrate, setup, factory, requestPartition, directToOwner);
  }
}
