package io.eventplane.common.cluster;

import java.util.List;
import java.util.Objects;

/**
 * How a node joins a cluster: explicitly listed members over TCP (no multicast, no discovery
 * services), on an interface and port of its own.
 *
 * @param host the address this node binds and advertises for cluster traffic (membership and the
 *     event bus)
 * @param port the membership (Hazelcast) port; the event bus uses {@code port + 1}
 * @param members other nodes' membership addresses, {@code host:port}
 */
public record ClusterSettings(boolean enabled, String nodeId, String host, int port, List<String> members) {
  public static final int DEFAULT_PORT = 5701;

  public ClusterSettings {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65534) throw new IllegalArgumentException("cluster port must be 1-65534: " + port);
    members = List.copyOf(members);
    for (String m : members) {
      int colon = m.lastIndexOf(':');
      if (colon <= 0 || !m.substring(colon + 1).matches("\\d{1,5}")) {
        throw new IllegalArgumentException("cluster member must be host:port: " + m);
      }
    }
    if (nodeId == null || nodeId.isBlank()) nodeId = host + ":" + port;
  }

  public static ClusterSettings standalone() {
    return new ClusterSettings(false, null, "127.0.0.1", DEFAULT_PORT, List.of());
  }

  public int eventBusPort() {
    return port + 1;
  }
}
