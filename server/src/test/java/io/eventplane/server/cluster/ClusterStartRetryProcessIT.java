package io.eventplane.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.durability.ServerProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The harness itself on a busy machine: a membership port taken before the node binds it fails
 * that start, which is retried on a fresh port; a start that keeps failing throws, with nothing
 * it launched left running. (One-member clusters: the quickest start that binds a membership port.)
 */
class ClusterStartRetryProcessIT {
  @Test
  void aTakenMembershipPortIsRetriedOnAFreshOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AtomicInteger asked = new AtomicInteger();
      List<Integer> handedOut = new ArrayList<>();
      ClusterNodes.PortSource firstTaken = () -> {
        int p = asked.getAndIncrement() == 0 ? taken.getLocalPort() : ServerProcess.freePort();
        handedOut.add(p);
        return p;
      };
      try (ClusterNodes nodes = new ClusterNodes(1, List.of("--replication-factor", "1"), firstTaken)) {
        assertThat(nodes.cluster(0).getString("mode")).isEqualTo("cluster");
        assertThat(handedOut).hasSize(2).startsWith(taken.getLocalPort());
        // The first attempt's process said why it failed, and exited.
        String log = Files.readString(nodes.logFile(0));
        assertThat(log).contains("eventplane: cluster port 127.0.0.1:" + taken.getLocalPort() + " is already in use");
      }
    }
    assertThat(ServerProcess.livePids()).isEmpty();
  }

  @Test
  void aStartThatKeepsFailingThrowsAndLeavesNoProcess() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AtomicInteger asked = new AtomicInteger();
      assertThatThrownBy(() -> new ClusterNodes(1, List.of("--replication-factor", "1"), () -> {
        asked.incrementAndGet();
        return taken.getLocalPort();
      })).isInstanceOf(AssertionError.class).hasMessageContaining("a node exited during start-up");
      assertThat(asked).hasValue(ClusterNodes.START_ATTEMPTS);
    }
    assertThat(ServerProcess.livePids()).isEmpty();
  }
}
