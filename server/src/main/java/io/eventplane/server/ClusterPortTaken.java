package io.eventplane.server;

import io.eventplane.common.cluster.ClusterSettings;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Turns a clustered start that failed to bind into an error an operator can act on: which port,
 * which setting. Hazelcast and Netty report a taken port in different words and wrap it at
 * different depths, so the cause chain is searched rather than one exception type caught.
 */
final class ClusterPortTaken {
  private ClusterPortTaken() {}

  /**
   * The error to report for a failed clustered start; {@code joined} says whether Hazelcast had
   * joined (its membership port was bound) before the failure, so that a bind failure after it
   * can only be the event bus's.
   */
  static IllegalStateException explain(Throwable failure, ClusterSettings cluster, boolean joined) {
    if (!isBindFailure(failure)) {
      return new IllegalStateException("Eventplane failed to join the cluster: " + failure.getMessage(), failure);
    }
    String message = joined
        ? "cluster event-bus port " + cluster.host() + ":" + cluster.busPort() + " is already in use"
            + " (set --cluster-bus-port / EVENTPLANE_CLUSTER_BUS_PORT to a free port, or 0 for any)"
        : "cluster port " + cluster.host() + ":" + cluster.port() + " is already in use"
            + " (set --cluster-port / EVENTPLANE_CLUSTER_PORT to a free port)";
    return new IllegalStateException(message, failure);
  }

  /**
   * Fails before the node joins when an explicitly set event-bus port is already taken. Vert.x
   * binds the bus only after Hazelcast has joined, and by then the coordinator may have given this
   * node partitions that nobody else can take over until it returns; a node that cannot serve
   * should never become a member. (A port taken between this probe and the bind still fails the
   * start, through {@link #explain}, just later.)
   */
  static void checkBusPortFree(ClusterSettings cluster) {
    if (cluster.busPort() == ClusterSettings.ANY_PORT) return;
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true); // as the bus's own listener does, so a TIME_WAIT leftover is no conflict
      probe.bind(new InetSocketAddress(InetAddress.getByName(cluster.host()), cluster.busPort()), 1);
    } catch (IOException e) {
      throw explain(e, cluster, true);
    }
  }

  static boolean isBindFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException) return true;
      String m = t.getMessage();
      if (m != null && (m.contains("Address already in use") || m.contains("is already in use"))) return true;
    }
    return false;
  }
}
