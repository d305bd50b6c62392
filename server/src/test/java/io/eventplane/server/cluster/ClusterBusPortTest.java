package io.eventplane.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.eventplane.common.cluster.ClusterSettings;
import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.partition.Partitions;
import io.eventplane.server.EventplaneServer;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastNodeInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The event bus's port: chosen by the system by default and advertised through Hazelcast (so a
 * request crosses from one node to the other without anyone configuring it), and a clean start-up
 * error that names the setting when an explicit one is taken.
 */
class ClusterBusPortTest {
  /** Clustered nodes default to sigv4: these start without an admin key. */
  private static final AuthSettings OFF = AuthSettings.defaults().withMode(AuthMode.OFF);

  private static final String ACCOUNT = "000000000000";
  private final List<EventplaneServer> servers = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void stop() throws IOException {
    for (EventplaneServer s : servers) s.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void nodesWithSystemChosenBusPortsAdvertiseThemAndForwardRequests() throws Exception {
    int[] ports = {freePort(), freePort()};
    while (ports[1] == ports[0]) ports[1] = freePort();
    List<String> members = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
    ExecutorService starter = Executors.newFixedThreadPool(2);
    try {
      List<Future<EventplaneServer>> started = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        EventplaneConfig c = EventplaneConfig.defaults().withAuth(OFF).withPort(0).withDataDir(dir.resolve("n" + i))
            .withCluster(new ClusterSettings(true, "n" + i, "127.0.0.1", ports[i], members, 2, ClusterSettings.ANY_PORT));
        started.add(starter.submit(() -> EventplaneServer.start(c, Clock.systemUTC())));
      }
      for (Future<EventplaneServer> f : started) servers.add(f.get(120, TimeUnit.SECONDS));
    } finally {
      starter.shutdown();
    }
    HttpClient http = HttpClient.newHttpClient();
    for (EventplaneServer s : servers) {
      HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/_eventplane/health")).build();
      Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    // What each node told the cluster: a real, listening port that nobody configured.
    HazelcastInstance hz = Hazelcast.getHazelcastInstanceByName("eventplane-n0");
    List<Integer> advertised = hz.<String, HazelcastNodeInfo>getMap("__vertx.nodeInfo").values().stream()
        .map(info -> info.unwrap().port()).toList();
    assertThat(advertised).hasSize(2).doesNotContain(0, ports[0], ports[1]);
    for (int port : advertised) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      }
    }

    // A queue owned by n1, used through n0: every call crosses the bus between them.
    int k = 0;
    while (!ownerOf(http, servers.get(0), Partitions.of("sqs", ACCOUNT, "bus-" + k)).equals("n1")) k++;
    String queue = "bus-" + k;
    try (SqsClient sqs = SqsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + servers.get(0).port()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build()) {
      String url = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("across the bus"));
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages();
      assertThat(got).extracting(Message::body).containsExactly("across the bus");
    }
  }

  @Test
  void aTakenBusPortFailsTheStartNamingPortAndSettingAndLeavesNothingBehind() throws Exception {
    int clusterPort = freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int busPort = taken.getLocalPort();
      EventplaneConfig c = EventplaneConfig.defaults().withAuth(OFF).withPort(0).withDataDir(dir.resolve("solo"))
          .withCluster(new ClusterSettings(true, "solo", "127.0.0.1", clusterPort, List.of(), 1, busPort));
      assertThatThrownBy(() -> servers.add(EventplaneServer.start(c, Clock.systemUTC())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("cluster event-bus port 127.0.0.1:" + busPort + " is already in use"
              + " (set --cluster-bus-port / EVENTPLANE_CLUSTER_BUS_PORT to a free port, or 0 for any)");
    }
    // Left the cluster: no Hazelcast member of that name, its membership port free again.
    assertThat(Hazelcast.getHazelcastInstanceByName("eventplane-solo")).isNull();
    try (ServerSocket again = new ServerSocket(clusterPort, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(clusterPort);
    }
    // And the store was closed: the same data directory opens again.
    EventplaneConfig retry = EventplaneConfig.defaults().withAuth(OFF).withPort(0).withDataDir(dir.resolve("solo"))
        .withCluster(new ClusterSettings(true, "solo", "127.0.0.1", clusterPort, List.of(), 1, ClusterSettings.ANY_PORT));
    servers.add(EventplaneServer.start(retry, Clock.systemUTC()));
  }

  private static String ownerOf(HttpClient http, EventplaneServer via, int partition) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + via.port() + "/_eventplane/cluster")).build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).getJsonObject("placement").getJsonArray("partitions").stream()
        .map(o -> (JsonObject) o).filter(o -> o.getInteger("partition") == partition).findFirst().orElseThrow()
        .getString("owner");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
