package io.eventplane.server;

import io.eventplane.common.cluster.ClusterSettings;
import java.net.BindException;

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

  static boolean isBindFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException) return true;
      String m = t.getMessage();
      if (m != null && (m.contains("Address already in use") || m.contains("is already in use"))) return true;
    }
    return false;
  }
}
