package io.eventplane.common.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Things one service of a node provides to others of the same node in-process (the Logs service's
 * {@code LogStreams}, which function instances write to), typed by the contract in {@code common}
 * that they implement. Filled while the services are set up, before any is created; closed, in
 * reverse order, after all have stopped. One per node: no static state.
 */
public final class NodeResources implements AutoCloseable {
  private final Map<Class<?>, Object> resources = new HashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public synchronized <T> void provide(Class<T> contract, T resource) {
    if (resources.putIfAbsent(contract, resource) != null) {
      throw new IllegalStateException("two services provide " + contract.getName());
    }
  }

  /** Closed when the node closes, after every service stopped. */
  public synchronized void closeOnShutdown(AutoCloseable closeable) {
    closeables.add(closeable);
  }

  public synchronized <T> T get(Class<T> contract) {
    Object r = resources.get(contract);
    if (r == null) throw new IllegalStateException("no service of this node provides " + contract.getName());
    return contract.cast(r);
  }

  /** The resource, or null when no service of this node provides it. */
  public synchronized <T> T find(Class<T> contract) {
    Object r = resources.get(contract);
    return r == null ? null : contract.cast(r);
  }

  @Override
  public synchronized void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // closing the rest anyway
      }
    }
    closeables.clear();
  }
}
