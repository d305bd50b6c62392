package io.eventplane.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Free loopback ports for the servers a benchmark starts. */
final class LocalPorts {
  private LocalPorts() {}

  /**
   * A free loopback port not in {@code taken}, added to it; for a cluster port also a free neighbour,
   * since builds before the bus port setting listen with the event bus on cluster port + 1 (the
   * benchmarks also measure those jars) and no two cluster ports may be adjacent.
   */
  static int free(Set<Integer> taken, boolean cluster) throws IOException {
    while (true) {
      int p;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        p = socket.getLocalPort();
      }
      boolean clash = taken.contains(p) || cluster && (p >= 65534 || taken.contains(p + 1)
          || taken.contains(p - 1) || !bindable(p + 1));
      if (!clash) {
        taken.add(p);
        if (cluster) taken.add(p + 1);
        return p;
      }
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
