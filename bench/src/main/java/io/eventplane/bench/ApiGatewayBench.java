package io.eventplane.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * API Gateway's invoke plane on one node ({@code --durability fsync}), against a bare Vert.x
 * endpoint and against the services called directly, all in the same run:
 *
 * <ul>
 *   <li><b>mock</b>: a REST API method {@code POST /mock} with a MOCK integration (request template
 *       {@code {"statusCode": 200}}, a response template of a small JSON object): the gateway's own
 *       cost of an invoke (stage snapshot from the node's cache, resource match, two Velocity
 *       templates). Side by side with the SQS bench's {@link BareEndpoint} (a stateless Vert.x server
 *       answering a canned SQS answer) in its own JVM: the ceiling of the HTTP path here.</li>
 *   <li><b>kinesis</b>: an HTTP API route {@code POST /put} with a {@code Kinesis-PutRecord} service
 *       integration ({@code Data} from {@code $request.body.data}, {@code PartitionKey} the request
 *       id) against PutRecord posted straight to the server's Kinesis JSON API with the same data
 *       and a fresh partition key per call; a 4-shard stream.</li>
 *   <li><b>lambda</b>: an HTTP API route {@code POST /echo} with a Lambda proxy integration
 *       (payload 2.0) to the examples jar's {@code HttpEcho} (answers the event it gets), against
 *       Lambda's Invoke of the same function with a small event.</li>
 *   <li><b>ingest</b> (once, after the rounds): end to end, POST to an HTTP API route with a
 *       Kinesis-PutRecord integration, the stream read by a Firehose delivery stream
 *       (KinesisStreamAsSource) into a bucket: ms from the POST to its record in an object of the
 *       bucket, with the buffer interval 0 (disabled) and 60 s.</li>
 * </ul>
 *
 * <p>Eventplane runs with {@code --apigateway-throttle off}: AWS's default account-level quota
 * (10,000 requests/s, burst 5,000) would otherwise cap the HTTP API routes.
 *
 * <p>Every load is {@link HttpLoad}: closed loop, the same Vert.x client for every endpoint, unsigned
 * requests (Eventplane does not check signatures yet; the invoke plane never does); invoke requests
 * use the path form {@code /_eventplane/execute-api/<apiId>/<stage>/...} of the invoke URL.
 *
 * <pre>bench/run-apigateway-bench.sh [--rounds 3] [--callers 1,16] [--lambda-callers 1,8] [--warmup 3]
 *     [--measure 8] [--jit-warmup 10] [--body 256] [--ingest-samples 10] [--buffered-samples 2]
 *     [--buffer-interval 60] [--cases mock,kinesis,lambda,ingest] [--jfr true] [--root .]</pre>
 *
 * <p>{@code --jfr true} records the server with JFR's profile settings into the results directory.
 */
public final class ApiGatewayBench {
  static final String ROLE = "arn:aws:iam::000000000000:role/bench-apigateway";
  /** Eventplane's flags: no account-level throttle of HTTP APIs, as an account whose quota was raised. */
  static final List<String> SERVER_ARGS = List.of("--apigateway-throttle", "off");

  record Options(Path root, int rounds, List<Integer> callers, List<Integer> lambdaCallers, int warmup,
                 int measure, int jitWarmup, int body, int ingestSamples, int bufferedSamples, int bufferInterval,
                 List<String> cases, boolean jfr) {
    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
      return new Options(Path.of(m.getOrDefault("root", ".")).toAbsolutePath().normalize(),
          Integer.parseInt(m.getOrDefault("rounds", "3")), ints(m.getOrDefault("callers", "1,16")),
          ints(m.getOrDefault("lambda-callers", "1,8")), Integer.parseInt(m.getOrDefault("warmup", "3")),
          Integer.parseInt(m.getOrDefault("measure", "8")), Integer.parseInt(m.getOrDefault("jit-warmup", "10")),
          Integer.parseInt(m.getOrDefault("body", "256")), Integer.parseInt(m.getOrDefault("ingest-samples", "10")),
          Integer.parseInt(m.getOrDefault("buffered-samples", "2")),
          Integer.parseInt(m.getOrDefault("buffer-interval", "60")),
          List.of(m.getOrDefault("cases", "mock,kinesis,lambda,ingest").split(",")),
          Boolean.parseBoolean(m.getOrDefault("jfr", "false")));
    }

    private static List<Integer> ints(String s) {
      return java.util.Arrays.stream(s.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    boolean runs(String c) {
      return cases.contains(c);
    }
  }

  /** One measured load: which endpoint, the round, the result. */
  record Measured(String endpoint, int round, HttpLoad.Result result) {}

  private final Options options;
  private final HttpLoad load;
  private final List<Measured> measured = new ArrayList<>();
  private ServerProcess eventplane;
  private ServerProcess bare;
  private String restApiId;
  private String httpApiId;

  private ApiGatewayBench(Options options, HttpLoad load) {
    this.options = options;
    this.load = load;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = Files.createDirectories(options.root().resolve("bench/target/bench-results/apigateway-" + stamp));
    String machine = ClusterBench.machine(options.root());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    int maxCallers = java.util.stream.Stream.concat(options.callers().stream(), options.lambdaCallers().stream())
        .mapToInt(Integer::intValue).max().orElse(16);
    Target.Layout layout = Target.Layout.of(options.root());
    ApiGatewayBench bench = new ApiGatewayBench(options, new HttpLoad(vertx, 2, maxCallers));
    Thread hook = new Thread(bench::stopServers);
    java.lang.Runtime.getRuntime().addShutdownHook(hook);
    try {
      List<String> jvm = options.jfr()
          ? List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + out.resolve("eventplane.jfr"))
          : List.of();
      // The HTTP APIs' account-level throttle (AWS's 10,000 requests/s quota) would cap the routes measured here.
      bench.eventplane = ServerProcess.start(Target.EVENTPLANE_FSYNC, layout, jvm, SERVER_ARGS, out);
      bench.bare = ServerProcess.start(Target.BARE, layout, List.of(), List.of(), out);
      awaitHealthy(bench.eventplane.port, "/_eventplane/health");
      awaitHealthy(bench.bare.port, "/");
      List<IngestLatency.Sample> ingest = List.of();
      try (Setup setup = new Setup(bench.eventplane.port, options.root())) {
        bench.restApiId = setup.mockApi();
        bench.httpApiId = setup.httpApi(options.runs("lambda"));
        bench.jitWarmUp();
        for (int round = 1; round <= options.rounds(); round++) bench.round(round);
        if (options.runs("ingest")) {
          ingest = new IngestLatency(setup, bench.eventplane.port).measure(options.ingestSamples(),
              options.bufferedSamples(), options.bufferInterval());
        }
      }
      String report = ApiGatewayReport.render(machine, options, bench.measured, ingest, String.join(" ", args));
      Files.writeString(out.resolve("report.md"), report);
      System.out.println(report);
      System.err.println("report and server logs: " + out);
    } finally {
      bench.stopServers();
      bench.load.close();
      vertx.close().await();
    }
  }

  private void stopServers() {
    if (eventplane != null) eventplane.close();
    if (bare != null) bare.close();
  }

  /** Unreported load on every endpoint, so the server's JIT has compiled the paths measured. */
  private void jitWarmUp() throws InterruptedException {
    if (options.jitWarmup() <= 0) return;
    SnsBench.log("JIT warm-up, %d s per endpoint", options.jitWarmup());
    int callers = options.callers().get(options.callers().size() - 1);
    for (String endpoint : endpoints()) {
      HttpLoad.Result r = load.run(port(endpoint), callers, 0, options.jitWarmup(), 200, pid(endpoint), call(endpoint));
      if (r.errors() > 0) {
        throw new IllegalStateException(endpoint + ": " + r.errors() + " errors in the warm-up, first: " + r.firstError());
      }
    }
  }

  private List<String> endpoints() {
    List<String> all = new ArrayList<>();
    if (options.runs("mock")) all.addAll(List.of("bare-http", "mock-route"));
    if (options.runs("kinesis")) all.addAll(List.of("kinesis-direct", "kinesis-route"));
    if (options.runs("lambda")) all.addAll(List.of("lambda-invoke", "lambda-proxy-route"));
    return all;
  }

  private void round(int round) throws InterruptedException {
    for (String endpoint : endpoints()) {
      List<Integer> callerCounts = endpoint.startsWith("lambda") ? options.lambdaCallers() : options.callers();
      for (int callers : callerCounts) {
        HttpLoad.Result r = load.run(port(endpoint), callers, options.warmup(), options.measure(), 200, pid(endpoint),
            call(endpoint));
        measured.add(new Measured(endpoint, round, r));
        SnsBench.log("round %d %-18s %2d callers: %8.0f req/s p50 %6.2f ms p99 %6.2f ms | server cores %.2f%s", round,
            endpoint, callers, r.perSecond(), r.p50Ms(), r.p99Ms(), r.cpu().serverCores(),
            r.errors() > 0 ? " | errors " + r.errors() + ": " + r.firstError() : "");
      }
    }
  }

  private int port(String endpoint) {
    return endpoint.equals("bare-http") ? bare.port : eventplane.port;
  }

  private long pid(String endpoint) {
    return endpoint.equals("bare-http") ? bare.pid() : eventplane.pid();
  }

  /** The request of an endpoint, made per call (a fresh partition key per Kinesis record). */
  private java.util.function.IntFunction<HttpLoad.Call> call(String endpoint) {
    String payload = "x".repeat(options.body());
    String data = Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    Buffer sqsSend = Buffer.buffer("{\"QueueUrl\":\"http://127.0.0.1/000000000000/bench\",\"MessageBody\":\""
        + payload + "\"}");
    Buffer mockBody = Buffer.buffer("{\"payload\":\"" + payload + "\"}");
    Buffer routeBody = Buffer.buffer("{\"data\":\"" + data + "\"}");
    Buffer echoBody = Buffer.buffer("{\"payload\":\"" + payload + "\"}");
    Buffer invokeBody = Buffer.buffer("{\"version\":\"2.0\",\"headers\":{},\"body\":\"" + payload + "\"}");
    return switch (endpoint) {
      case "bare-http" -> i -> new HttpLoad.Call(HttpMethod.POST, "/",
          headers("Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", "AmazonSQS.SendMessage"), sqsSend);
      case "mock-route" -> i -> new HttpLoad.Call(HttpMethod.POST, invokePath(restApiId, "bench", "/mock"),
          headers("Content-Type", "application/json"), mockBody);
      case "kinesis-direct" -> i -> new HttpLoad.Call(HttpMethod.POST, "/",
          headers("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "Kinesis_20131202.PutRecord"),
          Buffer.buffer("{\"StreamName\":\"" + Setup.STREAM + "\",\"Data\":\"" + data + "\",\"PartitionKey\":\""
              + UUID.randomUUID() + "\"}"));
      case "kinesis-route" -> i -> new HttpLoad.Call(HttpMethod.POST, invokePath(httpApiId, "$default", "/put"),
          headers("Content-Type", "application/json"), routeBody);
      case "lambda-invoke" -> i -> new HttpLoad.Call(HttpMethod.POST,
          "/2015-03-31/functions/" + Setup.FUNCTION + "/invocations", headers("Content-Type", "application/json"),
          invokeBody);
      case "lambda-proxy-route" -> i -> new HttpLoad.Call(HttpMethod.POST, invokePath(httpApiId, "$default", "/echo"),
          headers("Content-Type", "application/json"), echoBody);
      default -> throw new IllegalArgumentException(endpoint);
    };
  }

  /** The path form of an invoke URL; the {@code $default} stage's URLs name no stage, as on AWS. */
  static String invokePath(String apiId, String stage, String path) {
    return "/_eventplane/execute-api/" + apiId + (stage.equals("$default") ? "" : "/" + stage) + path;
  }

  private static MultiMap headers(String... pairs) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) h.add(pairs[i], pairs[i + 1]);
    return h;
  }

  static void awaitHealthy(int port, String path) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status < 500) return;
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("127.0.0.1:" + port + " did not answer within 60 s");
  }

  /** The SDK clients of the bench's set-up calls, and what they made. */
  static final class Setup implements AutoCloseable {
    static final String STREAM = "bench-ingest";
    static final String FUNCTION = "bench-echo";

    final URI endpoint;
    final ApiGatewayClient v1;
    final ApiGatewayV2Client v2;
    final KinesisClient kinesis;
    final LambdaClient lambda;
    final software.amazon.awssdk.services.firehose.FirehoseClient firehose;
    final software.amazon.awssdk.services.s3.S3Client s3;
    private final Path root;

    Setup(int port, Path root) {
      this.root = root;
      endpoint = URI.create("http://127.0.0.1:" + port);
      var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));
      v1 = ApiGatewayClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
          .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
      v2 = ApiGatewayV2Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
          .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
      kinesis = KinesisClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
          .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
      lambda = LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
          .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
      firehose = software.amazon.awssdk.services.firehose.FirehoseClient.builder().endpointOverride(endpoint)
          .region(Region.US_EAST_1).credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder())
          .build();
      s3 = software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
          .forcePathStyle(true).credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    /** A REST API with {@code POST /mock} (MOCK), deployed to stage {@code bench}; its id. */
    String mockApi() {
      String apiId = v1.createRestApi(b -> b.name("bench-mock")).id();
      String root = v1.getResources(b -> b.restApiId(apiId)).items().get(0).id();
      String mock = v1.createResource(b -> b.restApiId(apiId).parentId(root).pathPart("mock")).id();
      v1.putMethod(b -> b.restApiId(apiId).resourceId(mock).httpMethod("POST").authorizationType("NONE"));
      v1.putIntegration(b -> b.restApiId(apiId).resourceId(mock).httpMethod("POST").type(IntegrationType.MOCK)
          .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
      v1.putMethodResponse(b -> b.restApiId(apiId).resourceId(mock).httpMethod("POST").statusCode("200"));
      v1.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(mock).httpMethod("POST").statusCode("200")
          .responseTemplates(Map.of("application/json", "{\"ok\": true, \"requestId\": \"$context.requestId\"}")));
      v1.createDeployment(b -> b.restApiId(apiId).stageName("bench"));
      return apiId;
    }

    /**
     * The 4-shard stream, an HTTP API with {@code POST /put} (Kinesis-PutRecord into it) and, when
     * asked, the function and {@code POST /echo} (Lambda proxy, payload 2.0); stage {@code $default}
     * with auto-deploy; the API's id.
     */
    String httpApi(boolean withFunction) throws Exception {
      stream(STREAM, 4);
      String apiId = v2.createApi(b -> b.name("bench-http").protocolType(ProtocolType.HTTP)).apiId();
      putRoute(apiId, "POST /put", STREAM);
      if (withFunction) {
        byte[] jar = examplesJar();
        String arn = lambda.createFunction(b -> b.functionName(FUNCTION).runtime(Runtime.JAVA17).role(ROLE)
            .handler("io.eventplane.examples.HttpEcho::handleRequest").memorySize(256).timeout(30)
            .code(c -> c.zipFile(SdkBytes.fromByteArray(jar)))).functionArn();
        String echo = v2.createIntegration(b -> b.apiId(apiId)
            .integrationType(software.amazon.awssdk.services.apigatewayv2.model.IntegrationType.AWS_PROXY)
            .integrationUri(arn).payloadFormatVersion("2.0")).integrationId();
        v2.createRoute(b -> b.apiId(apiId).routeKey("POST /echo").target("integrations/" + echo));
      }
      v2.createStage(b -> b.apiId(apiId).stageName("$default").autoDeploy(true));
      return apiId;
    }

    /** A route with a Kinesis-PutRecord integration into {@code stream}. */
    void putRoute(String apiId, String routeKey, String stream) {
      String integration = v2.createIntegration(b -> b.apiId(apiId)
          .integrationType(software.amazon.awssdk.services.apigatewayv2.model.IntegrationType.AWS_PROXY)
          .integrationSubtype("Kinesis-PutRecord").credentialsArn(ROLE).payloadFormatVersion("1.0")
          .requestParameters(Map.of("StreamName", stream, "Data", "$request.body.data",
              "PartitionKey", "$context.requestId"))).integrationId();
      v2.createRoute(b -> b.apiId(apiId).routeKey(routeKey).target("integrations/" + integration));
    }

    /** A stream of {@code shards} shards, once it is ACTIVE. */
    void stream(String name, int shards) throws InterruptedException {
      kinesis.createStream(b -> b.streamName(name).shardCount(shards));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatusAsString()
          .equals("ACTIVE")) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("stream " + name + " not ACTIVE in 30 s");
        Thread.sleep(50);
      }
    }

    private byte[] examplesJar() throws java.io.IOException {
      return Files.readAllBytes(root.resolve("examples/target/eventplane-examples.jar"));
    }

    @Override
    public void close() {
      v1.close();
      v2.close();
      kinesis.close();
      lambda.close();
      firehose.close();
      s3.close();
    }
  }
}
