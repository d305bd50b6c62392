package io.eventplane.server.cluster;

import io.eventplane.common.partition.Partitions;
import io.eventplane.server.durability.ServerProcess;
import io.vertx.core.json.JsonObject;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A cluster of server JVMs on 127.0.0.1 for tests: ephemeral ports, a temp data dir per node,
 * every process stopped and every file removed on close.
 */
final class ClusterNodes implements AutoCloseable {
  static final Duration START = Duration.ofSeconds(90);
  private final Path jar = Path.of(System.getProperty("eventplane.jar"));
  private final Path dir;
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<ServerProcess> nodes = new ArrayList<>();
  private final List<String> extraOptions;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  ClusterNodes(int size, List<String> extraOptions) throws Exception {
    this.extraOptions = extraOptions;
    dir = Files.createTempDirectory("eventplane-cluster");
    for (int i = 0; i < size; i++) {
      int p;
      do {
        p = ServerProcess.freePort();
      } while (p >= 65534 || clusterPorts.contains(p) || clusterPorts.contains(p + 1) || clusterPorts.contains(p - 1));
      clusterPorts.add(p);
    }
    for (int i = 0; i < size; i++) nodes.add(launch(i));
    for (ServerProcess n : nodes) n.awaitHealthy(START);
  }

  private ServerProcess launch(int index) throws Exception {
    String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    List<String> options = new ArrayList<>(List.of("--cluster", "--node-id", "n" + index, "--cluster-host", "127.0.0.1",
        "--cluster-port", Integer.toString(clusterPorts.get(index)), "--cluster-members", members));
    options.addAll(extraOptions);
    return ServerProcess.launch(jar, dir.resolve("n" + index), dir.resolve("n" + index + ".log"), options);
  }

  int size() {
    return nodes.size();
  }

  ServerProcess node(int i) {
    return nodes.get(i);
  }

  /** Starts node i again on its old data directory and waits until it reports healthy. */
  void restart(int i) throws Exception {
    nodes.set(i, launch(i));
    nodes.get(i).awaitHealthy(START);
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

  @Override
  public void close() throws Exception {
    for (ServerProcess n : nodes) n.close();
    // Keep the nodes' logs (small) under target/ for a look after a failure.
    Path keep = Path.of("target", "cluster-logs", dir.getFileName().toString());
    Files.createDirectories(keep);
    for (int i = 0; i < nodes.size(); i++) {
      Path log = dir.resolve("n" + i + ".log");
      if (Files.exists(log)) Files.copy(log, keep.resolve("n" + i + ".log"));
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
