package io.eventplane.common.cluster;

import java.util.List;
import java.util.Objects;

/**
 * How a node joins a cluster: explicitly listed members over TCP (no multicast, no discovery
 * services), on an interface and port of its own.
 *
 * @param host the address this node binds and advertises for cluster traffic (membership and the
 *     event bus)
 * @param port the membership (Hazelcast) port; fixed, because it is in every member's list
 * @param members other nodes' membership addresses, {@code host:port}
 * @param replicationFactor copies of each partition, the owner's included (1-3)
 * @param busPort the event bus's port; 0 (the default) lets the system choose a free one, which
 *     Vert.x then advertises to the other nodes through the cluster manager, so nobody has to
 *     know it in advance. Set it only where a firewall or a container needs a known port.
 */
public record ClusterSettings(boolean enabled, String nodeId, String host, int port, List<String> members,
    int replicationFactor, int busPort) {
  public static final int DEFAULT_PORT = 5701;
  public static final int DEFAULT_REPLICATION_FACTOR = 2;
  /** Any free port, chosen when the event bus binds. */
  public static final int ANY_PORT = 0;

  public ClusterSettings(boolean enabled, String nodeId, String host, int port, List<String> members) {
    this(enabled, nodeId, host, port, members, DEFAULT_REPLICATION_FACTOR);
  }

  public ClusterSettings(boolean enabled, String nodeId, String host, int port, List<String> members,
      int replicationFactor) {
    this(enabled, nodeId, host, port, members, replicationFactor, ANY_PORT);
  }

  public ClusterSettings {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) throw new IllegalArgumentException("cluster port must be 1-65535: " + port);
    if (busPort < 0 || busPort > 65535) {
      throw new IllegalArgumentException("cluster bus port must be 0-65535 (0 = any free port): " + busPort);
    }
    if (busPort == port) throw new IllegalArgumentException("cluster bus port must differ from the cluster port: " + busPort);
    members = List.copyOf(members);
    for (String m : members) {
      int colon = m.lastIndexOf(':');
      if (colon <= 0 || !m.substring(colon + 1).matches("\\d{1,5}")) {
        throw new IllegalArgumentException("cluster member must be host:port: " + m);
      }
    }
    if (nodeId == null || nodeId.isBlank()) nodeId = host + ":" + port;
    if (replicationFactor < 1 || replicationFactor > 3) {
      throw new IllegalArgumentException("replication factor must be 1-3: " + replicationFactor);
    }
  }

  /** How many nodes the configuration names: this one and the listed members. */
  public int expectedMembers() {
    java.util.Set<String> all = new java.util.HashSet<>(members);
    all.add(host + ":" + port);
    return all.size();
  }

  public static ClusterSettings standalone() {
    return new ClusterSettings(false, null, "127.0.0.1", DEFAULT_PORT, List.of());
  }
}
