package io.eventplane.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.Cbor;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.kinesis.KinesisCbor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The real SDK v2 Kinesis client, CBOR by default and JSON with {@code aws.cborEnabled=false},
 * against the gateway and a fake service behind a test binding with Kinesis's target prefix: the
 * service must see the same JSON input from both, and both must parse its JSON answer to the same
 * bytes and instants.
 */
class KinesisCborSdkTest {
  private static final String ADDRESS = "test.kinesis";
  private static final JsonBinding BINDING = new JsonBinding("kinesis", "Kinesis_20131202.", ADDRESS,
      Set.of("PutRecord", "PutRecords", "GetShardIterator", "GetRecords", "DescribeStreamSummary", "DescribeStream",
          "ListShards"),
      WireResponse.JSON_1_1, ErrorTable.builder("").build(), false, Map.of()).withCbor(KinesisCbor.MEMBERS);
  /** Bytes that are no UTF-8, as a producer of binary records sends them. */
  private static final byte[] BINARY = {0, (byte) 0xff, (byte) 0xfe, (byte) 0x80, (byte) 0xc3, 0x28, 10};
  private static final Instant WITH_MILLIS = Instant.parse("2023-11-14T22:13:20.123Z");
  private static final Instant CREATED = Instant.parse("2023-11-14T22:13:20.456Z");
  private static final String SIGV4 = "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, "
      + "SignedHeaders=host, Signature=0";

  private static Vertx vertx;
  private static String endpoint;
  private static KinesisClient cbor;
  private static KinesisClient json;
  private static final BlockingQueue<ApiRequest> seen = new LinkedBlockingQueue<>();
  /** The Content-Types of the last exchange: request, response. */
  private static final List<String> wire = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Contracts.register(vertx.eventBus());
    await(vertx.eventBus().<ApiRequest>consumer(ADDRESS, message -> {
      seen.add(message.body());
      message.reply(fakeKinesis(message.body()));
    }).completion());
    GatewayVerticle gateway = new GatewayVerticle(EventplaneConfig.defaults().withPort(0), Duration.ofSeconds(10),
        List.of(BINDING));
    await(vertx.deployVerticle(gateway));
    endpoint = "http://127.0.0.1:" + gateway.actualPort();
    cbor = client();
    json = jsonClient();
  }

  @AfterAll
  static void stop() throws Exception {
    cbor.close();
    json.close();
    await(vertx.close());
  }

  @BeforeEach
  void forget() {
    seen.clear();
    wire.clear();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static KinesisClient client() {
    ExecutionInterceptor contentTypes = new ExecutionInterceptor() {
      @Override
      public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        wire.clear();
        wire.add(context.httpRequest().firstMatchingHeader("Content-Type").orElse(""));
        wire.add(context.httpResponse().firstMatchingHeader("Content-Type").orElse(""));
      }
    };
    return KinesisClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(c -> c.addExecutionInterceptor(contentTypes).retryStrategy(r -> r.maxAttempts(1)))
        .build();
  }

  /** The SDK reads {@code aws.cborEnabled} when a client is built: set, build, restore. */
  private static synchronized KinesisClient jsonClient() {
    String before = System.getProperty("aws.cborEnabled");
    System.setProperty("aws.cborEnabled", "false");
    try {
      return client();
    } finally {
      if (before == null) System.clearProperty("aws.cborEnabled");
      else System.setProperty("aws.cborEnabled", before);
    }
  }

  private static ApiReply fakeKinesis(ApiRequest request) {
    return switch (request.operation()) {
      case "PutRecord" -> ApiReply.ok(new JsonObject().put("ShardId", "shardId-000000000000")
          .put("SequenceNumber", "49590338271490256608559692538361571095921575989136588898"));
      case "PutRecords" -> {
        JsonArray results = new JsonArray();
        for (int i = 0; i < request.input().getJsonArray("Records").size(); i++) {
          results.add(new JsonObject().put("ShardId", "shardId-000000000000").put("SequenceNumber", "4959" + i));
        }
        yield ApiReply.ok(new JsonObject().put("FailedRecordCount", 0).put("Records", results));
      }
      case "GetShardIterator" -> ApiReply.ok(new JsonObject().put("ShardIterator", "AAAA-iterator"));
      case "GetRecords" -> ApiReply.ok(new JsonObject()
          .put("Records", new JsonArray()
              .add(record("1", Base64.getEncoder().encodeToString(BINARY), 1_700_000_000.123))
              .add(record("2", "", 1_700_000_001))
              .add(record("3", Base64.getEncoder().encodeToString("text \u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                  1_700_000_002.5)))
          .put("NextShardIterator", "AAAA-next").put("MillisBehindLatest", 0));
      case "DescribeStreamSummary" -> ApiReply.ok(new JsonObject().put("StreamDescriptionSummary", new JsonObject()
          .put("StreamName", "orders").put("StreamARN", "arn:aws:kinesis:us-east-1:000000000000:stream/orders")
          .put("StreamStatus", "ACTIVE").put("StreamModeDetails", new JsonObject().put("StreamMode", "PROVISIONED"))
          .put("RetentionPeriodHours", 24).put("StreamCreationTimestamp", 1_700_000_000.456)
          .put("EnhancedMonitoring", new JsonArray().add(new JsonObject().put("ShardLevelMetrics", new JsonArray())))
          .put("EncryptionType", "NONE").put("OpenShardCount", 1).put("ConsumerCount", 0)));
      case "DescribeStream" -> ApiReply.failed(ServiceError.sender("ResourceNotFoundException",
          "Stream missing under account 000000000000 not found."));
      case "ListShards" -> ApiReply.ok(new JsonObject().put("Shards", new JsonArray()));
      default -> ApiReply.ok(new JsonObject());
    };
  }

  private static JsonObject record(String sequenceNumber, String data, Number arrival) {
    return new JsonObject().put("SequenceNumber", sequenceNumber).put("ApproximateArrivalTimestamp", arrival)
        .put("Data", data).put("PartitionKey", "k");
  }

  private static ApiRequest lastCall() throws InterruptedException {
    ApiRequest call = seen.poll(5, TimeUnit.SECONDS);
    assertThat(call).as("a call reached the fake service").isNotNull();
    return call;
  }

  /** The input the service saw of the same call from the CBOR client and the JSON client (equal), after checking the wire. */
  private static JsonObject sameInputFromBoth(Function<KinesisClient, ?> call) throws InterruptedException {
    call.apply(cbor);
    assertThat(wire).containsExactly(Cbor.CONTENT_TYPE, Cbor.CONTENT_TYPE);
    JsonObject fromCbor = lastCall().input();
    call.apply(json);
    assertThat(wire).containsExactly(WireResponse.JSON_1_1, WireResponse.JSON_1_1);
    JsonObject fromJson = lastCall().input();
    assertThat(fromCbor.encode()).isEqualTo(fromJson.encode());
    return fromCbor;
  }

  @Test
  void putRecordDataArrivesAsItsBase64() throws Exception {
    JsonObject input = sameInputFromBoth(k -> k.putRecord(b -> b.streamName("orders").partitionKey("k")
        .data(SdkBytes.fromByteArray(BINARY))));
    assertThat(input.getString("Data")).isEqualTo(Base64.getEncoder().encodeToString(BINARY));
    assertThat(input.getString("PartitionKey")).isEqualTo("k");
    assertThat(cbor.putRecord(b -> b.streamName("orders").partitionKey("k").data(SdkBytes.fromByteArray(BINARY)))
        .sequenceNumber()).isEqualTo("49590338271490256608559692538361571095921575989136588898");
  }

  @Test
  void putRecordsKeepsEachRecordsBytesIncludingAnEmptyOne() throws Exception {
    List<PutRecordsRequestEntry> entries = List.of(
        PutRecordsRequestEntry.builder().partitionKey("a").data(SdkBytes.fromByteArray(BINARY)).build(),
        PutRecordsRequestEntry.builder().partitionKey("b").data(SdkBytes.fromByteArray(new byte[0]))
            .explicitHashKey("340282366920938463463374607431768211455").build());
    JsonObject input = sameInputFromBoth(k -> k.putRecords(b -> b.streamName("orders").records(entries)));
    JsonArray records = input.getJsonArray("Records");
    assertThat(records.getJsonObject(0).getString("Data")).isEqualTo(Base64.getEncoder().encodeToString(BINARY));
    assertThat(records.getJsonObject(1).getString("Data")).isEmpty();
    assertThat(records.getJsonObject(1).getString("ExplicitHashKey")).isEqualTo("340282366920938463463374607431768211455");
  }

  @Test
  void getShardIteratorAtATimestampWithMillisArrivesAsEpochSeconds() throws Exception {
    JsonObject input = sameInputFromBoth(k -> k.getShardIterator(b -> b.streamName("orders")
        .shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(WITH_MILLIS)));
    assertThat(new BigDecimal(input.getValue("Timestamp").toString())).isEqualByComparingTo("1700000000.123");
    assertThat(cbor.getShardIterator(b -> b.streamName("orders").shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(WITH_MILLIS)).shardIterator()).isEqualTo("AAAA-iterator");
  }

  @Test
  void listShardsFilterTimestampArrivesAsEpochSeconds() throws Exception {
    JsonObject input = sameInputFromBoth(k -> k.listShards(b -> b.streamName("orders")
        .shardFilter(f -> f.type(ShardFilterType.AT_TIMESTAMP).timestamp(WITH_MILLIS))));
    assertThat(new BigDecimal(input.getJsonObject("ShardFilter").getValue("Timestamp").toString()))
        .isEqualByComparingTo("1700000000.123");
  }

  @Test
  void getRecordsParsesToTheExactBytesAndInstants() {
    for (KinesisClient client : List.of(cbor, json)) {
      GetRecordsResponse response = client.getRecords(b -> b.shardIterator("AAAA-iterator").limit(10));
      assertThat(response.records()).hasSize(3);
      assertThat(response.records().get(0).data().asByteArray()).isEqualTo(BINARY);
      assertThat(response.records().get(0).approximateArrivalTimestamp()).isEqualTo(WITH_MILLIS);
      assertThat(response.records().get(1).data().asByteArray()).isEmpty();
      assertThat(response.records().get(1).approximateArrivalTimestamp()).isEqualTo(Instant.ofEpochSecond(1_700_000_001));
      assertThat(response.records().get(2).data().asUtf8String()).isEqualTo("text \u00e9");
      assertThat(response.records().get(2).approximateArrivalTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_002_500L));
      assertThat(response.records().get(0).sequenceNumber()).isEqualTo("1");
      assertThat(response.records().get(0).partitionKey()).isEqualTo("k");
      assertThat(response.nextShardIterator()).isEqualTo("AAAA-next");
      assertThat(response.millisBehindLatest()).isZero();
    }
  }

  @Test
  void describeStreamSummaryParsesTheCreationInstant() {
    for (KinesisClient client : List.of(cbor, json)) {
      var summary = client.describeStreamSummary(b -> b.streamName("orders")).streamDescriptionSummary();
      assertThat(summary.streamCreationTimestamp()).isEqualTo(CREATED);
      assertThat(summary.streamName()).isEqualTo("orders");
      assertThat(summary.retentionPeriodHours()).isEqualTo(24);
      assertThat(summary.openShardCount()).isEqualTo(1);
      assertThat(summary.streamModeDetails().streamModeAsString()).isEqualTo("PROVISIONED");
      assertThat(summary.enhancedMonitoring()).hasSize(1);
    }
  }

  @Test
  void aServiceErrorIsItsExceptionWithItsMessageAnd400() {
    for (KinesisClient client : List.of(cbor, json)) {
      assertThatThrownBy(() -> client.describeStream(b -> b.streamName("missing")))
          .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Stream missing under account 000000000000 not found.");
          });
      String expected = client == cbor ? Cbor.CONTENT_TYPE : WireResponse.JSON_1_1;
      assertThat(wire).containsExactly(expected, expected);
    }
  }

  @Test
  void aCborErrorCarriesItsTypeInTheBodyAndTheHeader() throws Exception {
    HttpResponse<byte[]> response = post(Cbor.CONTENT_TYPE, "DescribeStream", cborBody(Map.of("StreamName", "missing")));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).contains(Cbor.CONTENT_TYPE);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("ResourceNotFoundException");
    assertThat(Cbor.input(Buffer.buffer(response.body()))).isEqualTo(new JsonObject()
        .put("__type", "ResourceNotFoundException").put("message", "Stream missing under account 000000000000 not found."));
  }

  @Test
  void aMalformedCborBodyIsTheSerializationExceptionOfTheJsonPath() throws Exception {
    // A map of two members that ends after the first.
    HttpResponse<byte[]> response = post(Cbor.CONTENT_TYPE, "PutRecord", HexFormat.of().parseHex("a26161016162"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).contains(Cbor.CONTENT_TYPE);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("SerializationException");
    JsonObject error = Cbor.input(Buffer.buffer(response.body()));

    HttpResponse<byte[]> overJson = post(WireResponse.JSON_1_1, "PutRecord", "{\"StreamName\":".getBytes());
    assertThat(overJson.statusCode()).isEqualTo(400);
    assertThat(overJson.headers().firstValue("Content-Type")).contains(WireResponse.JSON_1_1);
    JsonObject jsonError = new JsonObject(Buffer.buffer(overJson.body()));
    assertThat(error.getString("__type")).isEqualTo(jsonError.getString("__type")).isEqualTo("SerializationException");
    assertThat(error.getString("message")).startsWith("Could not parse the request body");
    // An array is no input either.
    assertThat(post(Cbor.CONTENT_TYPE, "PutRecord", HexFormat.of().parseHex("820102")).statusCode()).isEqualTo(400);
    assertThat(seen).isEmpty();
  }

  private static byte[] cborBody(Map<String, String> members) throws Exception {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var generator = new CBORFactory().createGenerator(bytes)) {
      generator.writeStartObject();
      for (var member : members.entrySet()) generator.writeStringField(member.getKey(), member.getValue());
      generator.writeEndObject();
    }
    return bytes.toByteArray();
  }

  private static HttpResponse<byte[]> post(String contentType, String operation, byte[] body) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return http.send(HttpRequest.newBuilder(URI.create(endpoint + "/")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", contentType).header("X-Amz-Target", "Kinesis_20131202." + operation)
        .header("Authorization", SIGV4).POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofByteArray());
  }
}
