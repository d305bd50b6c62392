package io.eventplane.common.service;

import io.vertx.core.Deployable;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.store.Store;
import java.util.function.Function;

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
 */
public record ServiceDescriptor(String name, String address, List<String> columnFamilies, boolean partitioned,
    boolean resettable, BiConsumer<Store, EventplaneConfig> migration, Consumer<ServiceEnvironment> setup,
    Function<ServiceEnvironment, Deployable> factory) {

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
    return new ServiceDescriptor(name, address, families, true, true, null, null, factory);
  }

  /** A service without partitioned state of its own (it may read node-local files), with a dev-mode reset. */
  public static ServiceDescriptor nodeLocal(String name, String address, Function<ServiceEnvironment, Deployable> factory) {
    return new ServiceDescriptor(name, address, List.of(), false, true, null, null, factory);
  }

  public ServiceDescriptor withSetup(Consumer<ServiceEnvironment> provide) {
    return new ServiceDescriptor(name, address, columnFamilies, partitioned, resettable, migration, provide, factory);
  }

  public ServiceDescriptor withMigration(BiConsumer<Store, EventplaneConfig> migrate) {
    return new ServiceDescriptor(name, address, columnFamilies, partitioned, resettable, migrate, setup, factory);
  }
}
