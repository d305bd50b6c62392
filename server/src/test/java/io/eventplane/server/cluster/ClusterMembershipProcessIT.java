package io.eventplane.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.durability.ServerProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three server JVMs on 127.0.0.1 join one cluster over TCP with an explicit member list; a node
 * killed with SIGKILL drops out of the others' view within the failure-detection bound, and
 * rejoins when it comes back. (Placement and replication: ClusterFailoverProcessIT.)
 */
class ClusterMembershipProcessIT {
  private static final Duration START = Duration.ofSeconds(60);
  private final List<ServerProcess> nodes = new ArrayList<>(List.of());
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Path dir;

  @AfterEach
  void stopAll() throws Exception {
    for (ServerProcess n : nodes) {
      if (n != null) n.close();
    }
    if (dir != null) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Set<String> members(ServerProcess node) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.endpoint().resolve("/_eventplane/cluster"))
        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("mode")).isEqualTo("cluster");
    return body.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("nodeId")).collect(Collectors.toSet());
  }

  @Test
  void nodesJoinNoticeADeadMemberAndTakeItBack() throws Exception {
    try (ClusterNodes cluster = new ClusterNodes(3, List.of())) {
      for (int i = 0; i < 3; i++) {
        ServerProcess n = cluster.node(i);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(members(n)).containsExactlyInAnyOrder("n0", "n1", "n2"));
      }
      long killedAt = System.nanoTime();
      cluster.node(2).kill();
      for (int i = 0; i < 2; i++) {
        ServerProcess n = cluster.node(i);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(members(n)).containsExactlyInAnyOrder("n0", "n1"));
      }
      long noticedMillis = (System.nanoTime() - killedAt) / 1_000_000;
      System.out.println("cluster noticed the SIGKILLed member after " + noticedMillis + " ms");
      assertThat(noticedMillis).isLessThan(10_000);

      cluster.restart(2);
      for (int i = 0; i < 3; i++) {
        ServerProcess n = cluster.node(i);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(members(n)).containsExactlyInAnyOrder("n0", "n1", "n2"));
      }
    }
  }

  @Test
  void standaloneNodeDescribesItself() throws Exception {
    Path jar = Path.of(System.getProperty("eventplane.jar"));
    dir = Files.createTempDirectory("eventplane-standalone");
    ServerProcess node = ServerProcess.start(jar, dir.resolve("n"), dir.resolve("n.log"), START);
    nodes.add(node);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.endpoint() + "/_eventplane/cluster")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonObject(r.body()).getString("mode")).isEqualTo("standalone");
  }

  @Test
  void aNodeWhoseBusPortIsTakenExitsAndSaysWhichSetting() throws Exception {
    Path jar = Path.of(System.getProperty("eventplane.jar"));
    dir = Files.createTempDirectory("eventplane-bus-port");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int busPort = taken.getLocalPort();
      ServerProcess node = ServerProcess.launch(jar, dir.resolve("n"), dir.resolve("n.log"), List.of("--auth", "off", "--cluster",
          "--node-id", "n0", "--cluster-port", Integer.toString(ServerProcess.freePort()),
          "--cluster-bus-port", Integer.toString(busPort), "--replication-factor", "1"));
      nodes.add(node);
      // Exits by itself (nothing left running), with the port and the setting in its error.
      assertThat(node.awaitExit(START)).as(node.logTail()).hasValue(1);
      assertThat(node.ownLog()).contains("eventplane: cluster event-bus port 127.0.0.1:" + busPort
          + " is already in use (set --cluster-bus-port / EVENTPLANE_CLUSTER_BUS_PORT to a free port, or 0 for any)");
    }
  }

  @Test
  void aClusteredNodeWithoutTheAdminKeyExitsAndSaysHowToStartIt() throws Exception {
    Path jar = Path.of(System.getProperty("eventplane.jar"));
    dir = Files.createTempDirectory("eventplane-auth");
    ServerProcess node = ServerProcess.launch(jar, dir.resolve("n"), dir.resolve("n.log"), List.of("--cluster",
        "--node-id", "n0", "--cluster-port", Integer.toString(ServerProcess.freePort()), "--replication-factor", "1"));
    nodes.add(node);
    // A cluster verifies signatures by default: without the admin key it does not start at all.
    assertThat(node.awaitExit(START)).as(node.logTail()).hasValue(2);
    assertThat(node.ownLog()).contains("eventplane: auth defaults to sigv4 when bound to 127.0.0.1 in a cluster needs an "
        + "admin key: give --admin-access-key-id/--admin-secret-access-key (env EVENTPLANE_ADMIN_ACCESS_KEY_ID/"
        + "EVENTPLANE_ADMIN_SECRET_ACCESS_KEY), or start with --auth off");
    assertThat(dir.resolve("n").resolve("store")).doesNotExist();
  }
}
