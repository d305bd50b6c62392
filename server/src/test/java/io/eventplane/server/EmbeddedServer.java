package io.eventplane.server;

import io.eventplane.common.cluster.ClusterSettings;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.config.FunctionLimits;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import io.eventplane.common.time.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A real Eventplane server in this JVM on an ephemeral port with a temp data dir and a clock the
 * test moves; state is reset before each test. Use with {@code @RegisterExtension static}.
 *
 * <p>With {@code -Deventplane.test.nodes=3} it starts a three-node cluster in this JVM instead
 * (replication factor 2, Hazelcast on loopback, one shared clock) and the client talks to the
 * first node: queues land in partitions owned by all three, so every contract test also runs
 * through forwarding, replication and the cross-node queue directory. The build runs the contract
 * tests both ways.
 */
public final class EmbeddedServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private static final int NODES = Integer.getInteger("eventplane.test.nodes", 1);
  private static final ExtensionContext.Namespace SHARED = ExtensionContext.Namespace.create(EmbeddedServer.class);
  private software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge;
  /** Failed Event invocations are retried after 300 ms and 600 ms instead of AWS's minutes. */
  private static final FunctionLimits DEFAULT_LIMITS = new FunctionLimits(16, 600, 300);
  private final FunctionLimits functionLimits;
  /** Whether this class uses the test run's one shared server (the default settings) or starts its own. */
  private final boolean shared;

  /**
   * The test run's shared server (or three-node cluster) with the default settings: started by the
   * first class that uses it, reset before each test like any other, stopped when the run ends. A
   * server start costs 0.5 s on one node and 6-8 s for three; most classes need nothing else.
   */
  public EmbeddedServer() {
    this(DEFAULT_LIMITS, c -> c, true);
  }

  /**
   * A server of this class's own with the default settings: for a class that sets a system property
   * the server reads when it starts (a short sweep period, say).
   */
  public static EmbeddedServer ofItsOwn() {
    return new EmbeddedServer(DEFAULT_LIMITS, c -> c, false);
  }

  /** A server of this class's own whose function instances follow these limits (a short idle time, say). */
  public EmbeddedServer(FunctionLimits functionLimits) {
    this(functionLimits, c -> c, false);
  }

  /** A server of this class's own whose settings the test adjusts (short S3 restore delays and days, say). */
  public EmbeddedServer(java.util.function.UnaryOperator<EventplaneConfig> configure) {
    this(DEFAULT_LIMITS, configure, false);
  }

  private EmbeddedServer(FunctionLimits functionLimits, java.util.function.UnaryOperator<EventplaneConfig> configure,
                         boolean shared) {
    this.functionLimits = functionLimits;
    this.configure = configure;
    this.shared = shared;
  }

  private final java.util.function.UnaryOperator<EventplaneConfig> configure;
  private Nodes nodes;
  /** How many event-loop reports the nodes had when this class started (earlier classes answer for theirs). */
  private int reportsBefore;
  private EventplaneServer server;
  private SqsClient sqs;
  private SnsClient sns;
  private LambdaClient lambda;
  private software.amazon.awssdk.services.iam.IamClient iam;
  private CloudWatchLogsClient logs;
  private software.amazon.awssdk.services.s3.S3Client s3;
  private software.amazon.awssdk.services.kinesis.KinesisClient kinesis;
  private software.amazon.awssdk.services.kinesis.KinesisAsyncClient kinesisAsync;
  private software.amazon.awssdk.services.kinesis.KinesisClient kinesisJson;
  private software.amazon.awssdk.services.cloudwatch.CloudWatchClient cloudWatch;
  /** Guards the JVM-wide {@code aws.cborEnabled} property while a Kinesis client is built. */
  private static final Object CBOR_PROPERTY = new Object();
  private software.amazon.awssdk.services.firehose.FirehoseClient firehose;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (shared) {
      nodes = context.getRoot().getStore(SHARED).getOrComputeIfAbsent(Nodes.class, k -> startNodes(), Nodes.class);
    } else {
      nodes = startNodes();
    }
    reportsBefore = nodes.blockedLoops.reports().size();
    server = nodes.servers.get(0);
    sqs = SqsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .build();
    sns = SnsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .build();
  }

  private Nodes startNodes() {
    // Auth off unless a class asks otherwise: a cluster's default would be sigv4.
    EventplaneConfig defaults = EventplaneConfig.defaults().withPort(0).withFunctions(functionLimits)
        .withAuth(io.eventplane.common.config.AuthSettings.defaults().withMode(io.eventplane.common.config.AuthMode.OFF));
    // -Deventplane.test.serviceThreads=1 runs the suite with one lane per service (a test's own setting wins).
    Integer lanes = Integer.getInteger("eventplane.test.serviceThreads");
    if (lanes != null) defaults = defaults.withServiceThreads(lanes);
    try {
      return Nodes.startAll(configure.apply(defaults));
    } catch (Exception e) {
      throw new IllegalStateException("the test server did not start", e);
    }
  }

  /** The examples module's handler jar, as a deployment package. */
  public static byte[] examplesJar() {
    try {
      return Files.readAllBytes(Path.of(System.getProperty("eventplane.examples.jar", "../examples/target/eventplane-examples.jar")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    HttpRequest.Builder reset = HttpRequest.newBuilder(endpoint().resolve("/_eventplane/reset"))
        .POST(HttpRequest.BodyPublishers.noBody());
    signAsAdmin(reset, "POST", endpoint().resolve("/_eventplane/reset"));
    HttpResponse<String> r = HttpClient.newHttpClient().send(reset.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("reset failed: " + r.statusCode() + " " + r.body());
  }

  /**
   * Signs an Eventplane endpoint's request with the admin key when the server verifies signatures
   * (those endpoints then take any known key's signature); leaves it alone otherwise.
   */
  public void signAsAdmin(HttpRequest.Builder request, String method, URI uri) {
    io.eventplane.common.config.EventplaneConfig config = server.config();
    if (!config.authMode().verifiesSignatures()) return;
    software.amazon.awssdk.http.SdkHttpFullRequest unsigned = software.amazon.awssdk.http.SdkHttpFullRequest.builder()
        .method(software.amazon.awssdk.http.SdkHttpMethod.fromValue(method)).uri(uri).build();
    software.amazon.awssdk.http.auth.spi.signer.SignedRequest signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner
        .create().sign(r -> r.identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(
            config.auth().adminAccessKeyId(), config.auth().adminSecretAccessKey()))
            .request(unsigned)
            .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "eventplane")
            .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, config.region()));
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("Host")) values.forEach(v -> request.header(name, v));
    });
  }

  /**
   * The running nodes (one, or {@link #NODES} clustered), their temp data dir, their clock and the
   * watch on their event loops. Closing stops them and deletes the data.
   */
  private static final class Nodes implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicInteger CLUSTERS = new java.util.concurrent.atomic.AtomicInteger();
    final MutableClock clock = new MutableClock();
    final BlockedEventLoops blockedLoops = new BlockedEventLoops();
    final List<EventplaneServer> servers = new ArrayList<>();
    final Path dataDir;

    private Nodes(Path dataDir) {
      this.dataDir = dataDir;
    }

    static Nodes startAll(EventplaneConfig base) throws Exception {
      Nodes nodes = new Nodes(Files.createTempDirectory("eventplane-test"));
      try {
        if (NODES == 1) nodes.servers.add(nodes.start(base.withDataDir(nodes.dataDir)));
        else nodes.startCluster(base);
      } catch (Exception e) {
        deleteRecursively(nodes.dataDir);
        throw e;
      }
      nodes.blockedLoops.started();
      return nodes;
    }

    /** Starts the nodes; a port taken between choosing and binding it (by a function instance, say) means new ports. */
    private void startCluster(EventplaneConfig base) throws Exception {
      for (int attempt = 1; ; attempt++) {
        try {
          startClusterOnce(base);
          return;
        } catch (Exception e) {
          if (attempt == 3) throw e;
        }
      }
    }

    private void startClusterOnce(EventplaneConfig base) throws Exception {
      List<Integer> ports = new ArrayList<>();
      while (ports.size() < NODES) {
        int p = freePort();
        // Only the membership port is chosen here: each node's event bus binds a port the system picks.
        if (!ports.contains(p)) ports.add(p);
      }
      List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
      // Node names name Hazelcast instances, which must be unique in the JVM: a class's own cluster runs beside the shared one.
      String names = "c" + CLUSTERS.incrementAndGet() + "n";
      ExecutorService starter = Executors.newFixedThreadPool(NODES);
      List<Future<EventplaneServer>> started = new ArrayList<>();
      try {
        for (int i = 0; i < NODES; i++) {
          EventplaneConfig c = base.withDataDir(dataDir.resolve("n" + i))
              .withCluster(new ClusterSettings(true, names + i, "127.0.0.1", ports.get(i), members, 2));
          started.add(starter.submit(() -> start(c)));
        }
        for (Future<EventplaneServer> f : started) servers.add(f.get(120, TimeUnit.SECONDS));
      } catch (Exception e) {
        // Stop the nodes that did start, so that a retry (or the next test class) starts clean.
        for (Future<EventplaneServer> f : started) {
          try {
            EventplaneServer s = f.get(120, TimeUnit.SECONDS);
            if (!servers.contains(s)) s.close();
          } catch (Exception ignored) {
            // this node did not start
          }
        }
        for (EventplaneServer s : servers) s.close();
        servers.clear();
        for (int i = 0; i < NODES; i++) deleteRecursively(dataDir.resolve("n" + i));
        throw e;
      } finally {
        starter.shutdown();
      }
      HttpClient http = HttpClient.newHttpClient();
      for (EventplaneServer s : servers) {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/_eventplane/health")).GET().build();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
            .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
      }
    }

    private EventplaneServer start(EventplaneConfig config) {
      return EventplaneServer.start(config, clock, BlockedEventLoops::tune, blockedLoops::watch);
    }

    @Override
    public void close() {
      for (EventplaneServer s : servers) s.close();
      deleteRecursively(dataDir);
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** How many nodes serve this test class (1 unless run with -Deventplane.test.nodes). */
  public static int nodes() {
    return NODES;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (sqs != null) sqs.close();
    if (sns != null) sns.close();
    if (lambda != null) lambda.close();
    if (iam != null) iam.close();
    if (logs != null) logs.close();
    if (eventBridge != null) eventBridge.close();
    if (s3 != null) s3.close();
    if (kinesis != null) kinesis.close();
    if (firehose != null) firehose.close();
    if (kinesisAsync != null) kinesisAsync.close();
    if (kinesisJson != null) kinesisJson.close();
    if (cloudWatch != null) cloudWatch.close();
    if (nodes == null) return;  // it did not start
    if (!shared) nodes.close();
    nodes.blockedLoops.assertNoBlocking(context.getDisplayName(), reportsBefore);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** The Vert.x of one node (0 to {@link #nodes()} - 1), to call its services over the event bus. */
  public io.vertx.core.Vertx vertx(int node) {
    return nodes.servers.get(node).vertx();
  }

  /** The endpoint of one node (0 to {@link #nodes()} - 1; {@link #endpoint()} is node 0's). */
  public URI endpoint(int node) {
    return URI.create("http://127.0.0.1:" + nodes.servers.get(node).port());
  }

  public SqsClient sqs() {
    return sqs;
  }

  public SnsClient sns() {
    return sns;
  }

  public synchronized LambdaClient lambda() {
    if (lambda == null) {
      lambda = LambdaClient.builder()
          .endpointOverride(endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(120)))
          // No retries: a throttle or a function error must reach the test as it happened.
          .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())
              .apiCallTimeout(Duration.ofSeconds(180)))
          .build();
    }
    return lambda;
  }

  /** An IAM client (IAM is global: region aws-global), no retries. */
  public synchronized software.amazon.awssdk.services.iam.IamClient iam() {
    if (iam == null) {
      iam = software.amazon.awssdk.services.iam.IamClient.builder()
          .endpointOverride(endpoint())
          .region(Region.AWS_GLOBAL)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
          .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
          .build();
    }
    return iam;
  }

  /** An S3 client as SDK v2 is configured by default (checksums, aws-chunked bodies), path-style. */
  public synchronized software.amazon.awssdk.services.s3.S3Client s3() {
    if (s3 == null) {
      s3 = software.amazon.awssdk.services.s3.S3Client.builder()
          .endpointOverride(endpoint())
          .region(Region.US_EAST_1)
          .forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(120)))
          .build();
    }
    return s3;
  }

  public synchronized software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge() {
    if (eventBridge == null) {
      eventBridge = software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder()
          .endpointOverride(endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(ApacheHttpClient.builder())
          .build();
    }
    return eventBridge;
  }

  /**
   * The Kinesis client of the tests: CBOR, the SDK's default, unless {@code -Deventplane.test.kinesis.protocol=json}
   * (the three-node run sets it, so every Kinesis test runs over both protocols).
   */
  public synchronized software.amazon.awssdk.services.kinesis.KinesisClient kinesis() {
    if (kinesis == null) kinesis = kinesisClient(endpoint(), !"json".equals(System.getProperty("eventplane.test.kinesis.protocol")));
    return kinesis;
  }

  /** A CloudWatch client (the SDK's own protocol, RPC v2 CBOR; no retries: an error reaches the test as answered). */
  public synchronized software.amazon.awssdk.services.cloudwatch.CloudWatchClient cloudWatch() {
    if (cloudWatch == null) cloudWatch = io.eventplane.server.cloudwatch.CloudWatchClients.of(endpoint());
    return cloudWatch;
  }

  /** A Kinesis client speaking AWS JSON 1.1 (built with {@code aws.cborEnabled=false}). */
  public synchronized software.amazon.awssdk.services.kinesis.KinesisClient kinesisJson() {
    if (kinesisJson == null) kinesisJson = kinesisClient(endpoint(), false);
    return kinesisJson;
  }

  /** A Kinesis client of one endpoint, over CBOR (the SDK's default) or JSON. */
  public static software.amazon.awssdk.services.kinesis.KinesisClient kinesisClient(URI endpoint, boolean cbor) {
    return kinesisClient(endpoint, cbor, true);
  }

  /**
   * A Kinesis client of one endpoint; without retries a throttle (ProvisionedThroughputExceededException)
   * reaches the test as the server answered it instead of being retried by the SDK.
   */
  public static software.amazon.awssdk.services.kinesis.KinesisClient kinesisClient(URI endpoint, boolean cbor, boolean retries) {
    return withCbor(cbor, () -> software.amazon.awssdk.services.kinesis.KinesisClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .overrideConfiguration(o -> {
          if (!retries) o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry());
        })
        .build());
  }

  /** The SDK's async Kinesis client (Netty, HTTP/2 as the SDK sets it for Kinesis; CBOR): SubscribeToShard's. */
  public synchronized software.amazon.awssdk.services.kinesis.KinesisAsyncClient kinesisAsync() {
    if (kinesisAsync == null) kinesisAsync = kinesisAsyncClient(endpoint(), true);
    return kinesisAsync;
  }

  /** An async Kinesis client of one endpoint, over CBOR (the SDK's default) or JSON; the caller closes it. */
  public static software.amazon.awssdk.services.kinesis.KinesisAsyncClient kinesisAsyncClient(URI endpoint, boolean cbor) {
    return withCbor(cbor, () -> software.amazon.awssdk.services.kinesis.KinesisAsyncClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder())
        .build());
  }

  /**
   * Builds a client with {@code aws.cborEnabled} set to {@code cbor} (the SDK's Kinesis clients read
   * it when built), restoring it after, under the one lock that guards the JVM-wide property.
   */
  public static <T> T withCbor(boolean cbor, java.util.function.Supplier<T> build) {
    synchronized (CBOR_PROPERTY) {
      String before = System.getProperty("aws.cborEnabled");
      System.setProperty("aws.cborEnabled", Boolean.toString(cbor));
      try {
        return build.get();
      } finally {
        if (before == null) System.clearProperty("aws.cborEnabled");
        else System.setProperty("aws.cborEnabled", before);
      }
    }
  }

  public synchronized software.amazon.awssdk.services.firehose.FirehoseClient firehose() {
    if (firehose == null) {
      firehose = software.amazon.awssdk.services.firehose.FirehoseClient.builder()
          .endpointOverride(endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(ApacheHttpClient.builder())
          .build();
    }
    return firehose;
  }

  public synchronized CloudWatchLogsClient logs() {
    if (logs == null) {
      logs = CloudWatchLogsClient.builder()
          .endpointOverride(endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(ApacheHttpClient.builder())
          .build();
    }
    return logs;
  }

  /** The data directories of the nodes (function log streams live under functions/logs of the node that ran them). */
  public List<Path> dataDirs() {
    List<Path> out = new ArrayList<>();
    if (NODES == 1) out.add(nodes.dataDir);
    else for (int i = 0; i < NODES; i++) out.add(nodes.dataDir.resolve("n" + i));
    return out;
  }

  public MutableClock clock() {
    return nodes.clock;
  }

  public void advance(Duration d) {
    nodes.clock.advance(d);
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
