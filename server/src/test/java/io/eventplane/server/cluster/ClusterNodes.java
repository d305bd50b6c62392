package io.eventplane.server.cluster;

import io.eventplane.common.partition.Partitions;
import io.eventplane.server.durability.ServerProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A cluster of server JVMs on 127.0.0.1 for tests: ephemeral ports, a temp data dir per node,
 * every process stopped and every file removed on close.
 *
 * <p>Each node's HTTP and event-bus ports are chosen by the system when it binds them; only the
 * membership ports must be chosen here, because every member's list names them. One of those can
 * be taken between choosing and binding it (on a busy machine, by anyone's outgoing connection),
 * and a node that dies during start-up can leave the others waiting for partitions it was given;
 * so a start in which any node exits, or the set does not turn healthy in time, is retried with
 * fresh ports and fresh data, and whatever a failed start launched is killed first.
 */
final class ClusterNodes implements AutoCloseable {
  /** How long one attempt to start (or restart) nodes may take: a loaded CI machine took 12 s per node. */
  static final Duration START = Duration.ofSeconds(120);
  static final int START_ATTEMPTS = 3;
  private final Path jar = Path.of(System.getProperty("eventplane.jar"));
  private final Path dir;
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<ServerProcess> nodes = new ArrayList<>();
  private final List<String> extraOptions;
  private final PortSource membershipPorts;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Where membership ports come from: free ports of 127.0.0.1, or a test's own. */
  interface PortSource {
    int next() throws IOException;
  }

  ClusterNodes(int size, List<String> extraOptions) throws Exception {
    this(size, extraOptions, ServerProcess::freePort);
  }

  ClusterNodes(int size, List<String> extraOptions, PortSource membershipPorts) throws Exception {
    this.extraOptions = extraOptions;
    this.membershipPorts = membershipPorts;
    dir = Files.createTempDirectory("eventplane-cluster");
    try {
      startAll(size);
    } catch (Exception | AssertionError e) {
      // try-with-resources never sees an object whose constructor threw: stop what was started here.
      close();
      throw e;
    }
  }

  private void startAll(int size) throws Exception {
    for (int attempt = 1; ; attempt++) {
      clusterPorts.clear();
      while (clusterPorts.size() < size) {
        int p = membershipPorts.next();
        if (!clusterPorts.contains(p)) clusterPorts.add(p);
      }
      for (int i = 0; i < size; i++) nodes.add(launch(i));
      try {
        awaitHealthy(nodes);
        return;
      } catch (Exception | AssertionError e) {
        for (ServerProcess n : nodes) n.close();
        nodes.clear();
        for (int i = 0; i < size; i++) deleteRecursively(dir.resolve("n" + i));
        if (attempt == START_ATTEMPTS) throw e;
        System.err.println("cluster start " + attempt + " of " + START_ATTEMPTS + " failed, starting again on new ports: "
            + e.getMessage());
      }
    }
  }

  private ServerProcess launch(int index) throws Exception {
    String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    List<String> options = new ArrayList<>(List.of("--auth", "off", "--cluster", "--node-id", "n" + index, "--cluster-host", "127.0.0.1",
        "--cluster-port", Integer.toString(clusterPorts.get(index)), "--cluster-members", members));
    options.addAll(extraOptions);
    return ServerProcess.launch(jar, dir.resolve("n" + index), dir.resolve("n" + index + ".log"), options);
  }

  /**
   * Waits until every one of {@code starting} answers its health check; fails at once when any of
   * them exits, since the others may then never turn healthy.
   */
  private void awaitHealthy(List<ServerProcess> starting) {
    try {
      Awaitility.await().atMost(START).pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(IOException.class)
          .failFast("a node exited during start-up", () -> starting.stream().anyMatch(n -> !n.isAlive()))
          .until(() -> {
            for (ServerProcess n : starting) {
              if (!n.listening() || http.send(HttpRequest.newBuilder(n.endpoint().resolve("/_eventplane/health"))
                  .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                return false;
              }
            }
            return true;
          });
    } catch (TerminalFailureException e) {
      throw new AssertionError("a node exited during start-up:\n" + logs(), e);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("cluster not healthy within " + START + " (" + e.getMessage() + "):\n" + logs(), e);
    }
  }

  int size() {
    return nodes.size();
  }

  ServerProcess node(int i) {
    return nodes.get(i);
  }

  /**
   * Starts node i again on its old data directory and waits until it reports healthy. Its old
   * membership port may have been taken since it died: a failed attempt moves it to a fresh one
   * (it joins through the others' addresses, which it lists).
   */
  void restart(int i) throws Exception {
    for (int attempt = 1; ; attempt++) {
      nodes.set(i, launch(i));
      try {
        awaitHealthy(List.of(nodes.get(i)));
        return;
      } catch (Exception | AssertionError e) {
        nodes.get(i).close();
        if (attempt == START_ATTEMPTS) throw e;
        System.err.println("restart of n" + i + " " + attempt + " of " + START_ATTEMPTS + " failed, starting again on a new port: "
            + e.getMessage());
        int p;
        do {
          p = membershipPorts.next();
        } while (clusterPorts.contains(p));
        clusterPorts.set(i, p);
      }
    }
  }

  /** An SDK client on node i that retries like a patient production client (10 attempts). */
  SqsClient client(int i) {
    return SqsClient.builder()
        .endpointOverride(nodes.get(i).endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16).socketTimeout(Duration.ofSeconds(40))
            .connectionTimeout(Duration.ofSeconds(2)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(10).build()))
        .build();
  }

  /** An SNS client on node i, as patient as {@link #client}. */
  software.amazon.awssdk.services.sns.SnsClient snsClient(int i) {
    return software.amazon.awssdk.services.sns.SnsClient.builder()
        .endpointOverride(nodes.get(i).endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16).socketTimeout(Duration.ofSeconds(40))
            .connectionTimeout(Duration.ofSeconds(2)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(10).build()))
        .build();
  }

  /** Index of the node that owns the partition of a resource of a service ({@code sqs}, {@code sns}). */
  int ownerOf(String service, String name, int via) throws Exception {
    int partition = Partitions.of(service, "000000000000", name);
    JsonObject entry = cluster(via).getJsonObject("placement").getJsonArray("partitions").stream()
        .map(o -> (JsonObject) o).filter(o -> o.getInteger("partition") == partition).findFirst().orElseThrow();
    return Integer.parseInt(entry.getString("owner").substring(1));
  }

  /** Index of the node that owns a bucket's partition (buckets are placed by name alone). */
  int bucketOwner(String bucket, int via) throws Exception {
    int partition = Partitions.of("s3", "", bucket);
    JsonObject entry = cluster(via).getJsonObject("placement").getJsonArray("partitions").stream()
        .map(o -> (JsonObject) o).filter(o -> o.getInteger("partition") == partition).findFirst().orElseThrow();
    return Integer.parseInt(entry.getString("owner").substring(1));
  }

  /** An S3 client on node i, path-style, as patient as {@link #client}. */
  software.amazon.awssdk.services.s3.S3Client s3Client(int i) {
    return software.amazon.awssdk.services.s3.S3Client.builder()
        .endpointOverride(nodes.get(i).endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16).socketTimeout(Duration.ofSeconds(40))
            .connectionTimeout(Duration.ofSeconds(2)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(10).build()))
        .build();
  }

  /**
   * A Kinesis client on node i over CBOR (the SDK's default) or JSON; as patient as {@link #client}
   * with {@code retries}, else answering each call's first attempt (a retried put may write twice).
   */
  software.amazon.awssdk.services.kinesis.KinesisClient kinesisClient(int i, boolean retries, boolean cbor) {
    return io.eventplane.server.EmbeddedServer.withCbor(cbor,
        () -> build(software.amazon.awssdk.services.kinesis.KinesisClient.builder(), i, Region.US_EAST_1, retries));
  }

  /** A Firehose client on node i in {@code region}; as {@link #kinesisClient} in its retries. */
  software.amazon.awssdk.services.firehose.FirehoseClient firehoseClient(int i, Region region, boolean retries) {
    return build(software.amazon.awssdk.services.firehose.FirehoseClient.builder(), i, region, retries);
  }

  /** A client of node i: as patient as {@link #client} with {@code retries}, else one attempt a call. */
  private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
      & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C build(B builder, int i, Region region,
      boolean retries) {
    return builder
        .endpointOverride(nodes.get(i).endpoint())
        .region(region)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16).socketTimeout(Duration.ofSeconds(40))
            .connectionTimeout(Duration.ofSeconds(2)))
        .overrideConfiguration(o -> o.retryStrategy(retries
            ? AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(10).build()
            : AwsRetryStrategy.doNotRetry()))
        .build();
  }

  JsonObject cluster(int i) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(nodes.get(i).endpoint().resolve("/_eventplane/cluster"))
        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body());
  }

  /** The placement entry of a queue's partition as node i sees it. */
  JsonObject placementOf(String queueName, int via) throws Exception {
    int partition = Partitions.of("sqs", "000000000000", queueName);
    return cluster(via).getJsonObject("placement").getJsonArray("partitions").stream()
        .map(o -> (JsonObject) o).filter(o -> o.getInteger("partition") == partition).findFirst().orElseThrow();
  }

  /** Index of the node that owns a queue's partition. */
  int ownerOf(String queueName, int via) throws Exception {
    return Integer.parseInt(placementOf(queueName, via).getString("owner").substring(1));
  }

  /** Node i's log: every process that ran as node i, in order. */
  Path logFile(int i) {
    return dir.resolve("n" + i + ".log");
  }

  /** Index of the first of the given nodes that says it runs the placement coordinator; -1 if none does. */
  int coordinatorAmong(List<Integer> indexes) throws Exception {
    for (int i : indexes) {
      if (cluster(i).getJsonObject("placement").getBoolean("coordinator")) return i;
    }
    return -1;
  }

  String logs() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) out.append("---- n").append(i).append('\n').append(nodes.get(i).logTail());
    return out.toString();
  }

  /** Where {@link #close} keeps the nodes' logs (every process that ran as each node), for a look after a failure. */
  Path keptLogs() {
    return Path.of("target", "cluster-logs", dir.getFileName().toString()).toAbsolutePath();
  }

  @Override
  public void close() throws Exception {
    for (ServerProcess n : nodes) n.close();
    // Keep the nodes' logs (small; every attempt's) under target/ for a look after a failure.
    Path keep = keptLogs();
    Files.createDirectories(keep);
    try (Stream<Path> logs = Files.list(dir)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        Files.copy(log, keep.resolve(log.getFileName()));
      }
    }
    deleteRecursively(dir);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) return;
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
