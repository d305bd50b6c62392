package io.eventplane.server.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.firehose.TestHttpEndpoint.Answer;
import io.eventplane.server.firehose.TestHttpEndpoint.Received;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.ContentEncoding;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.HttpEndpointDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.HttpEndpointDestinationDescription;
import software.amazon.awssdk.services.firehose.model.HttpEndpointS3BackupMode;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.ProcessingConfiguration;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.firehose.model.ProcessorParameterName;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * HTTP endpoint destinations: the configuration as DescribeDeliveryStream shows it (AWS's
 * defaults, no AccessKey), delivery requests as the developer guide specifies them (headers, body,
 * gzip, common attributes, access key), the answer checked (200 with the same requestId), retries on
 * the injected clock until RetryOptions.DurationInSeconds is used up, then the batch backed up under
 * {@code http-endpoint-failed/}; AllData backs up every batch. The endpoint is a {@link TestHttpEndpoint}.
 */
class FirehoseHttpEndpointTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String ROLE = DeliveryStreamsTest.ROLE;
  private static TestHttpEndpoint endpoint;
  private static List<Received> received;

  @BeforeAll
  static void startEndpoint() throws IOException {
    endpoint = new TestHttpEndpoint();
    received = endpoint.received;
  }

  @AfterAll
  static void stopEndpoint() {
    endpoint.close();
  }

  @BeforeEach
  void resetEndpoint() {
    endpoint.reset();
  }

  private static String url() {
    return endpoint.url();
  }

  private static Answer ok(Received r) {
    return TestHttpEndpoint.ok(r);
  }

  private void stream(String name, String bucket, Consumer<HttpEndpointDestinationConfiguration.Builder> destination) {
    server.s3().createBucket(b -> b.bucket(bucket));
    server.firehose().createDeliveryStream(b -> b.deliveryStreamName(name).httpEndpointDestinationConfiguration(d -> {
      d.endpointConfiguration(e -> e.url(url()).name("test endpoint"))
          .s3Configuration(s -> s.roleARN(ROLE).bucketARN("arn:aws:s3:::" + bucket))
          .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0));
      destination.accept(d);
    }));
  }

  private void put(String name, String... records) {
    FirehoseCalls.put(server, name, records);
  }

  private List<S3Object> objects(String bucket) {
    return FirehoseCalls.objects(server, bucket);
  }

  private String read(String bucket, String key) {
    return server.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  private static void awaitRequests(int n) {
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= n);
  }

  /**
   * Moves the clock on a second at a time until the endpoint got {@code n} requests: the server
   * schedules the retry when the failed answer reaches it, which may be after a single advance.
   */
  private static void retryUntilRequests(int n) {
    await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(20)).until(() -> {
      if (received.size() >= n) return true;
      server.advance(Duration.ofSeconds(1));
      return false;
    });
  }

  private HttpEndpointDestinationDescription describe(String name) {
    DeliveryStreamDescription d = server.firehose().describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription();
    assertThat(d.destinations()).hasSize(1);
    assertThat(d.destinations().get(0).extendedS3DestinationDescription()).isNull();
    return d.destinations().get(0).httpEndpointDestinationDescription();
  }

  /** DescribeDeliveryStream's response body as it came over the wire (the SDK drops members its model has not). */
  private String rawDescribe(String name) {
    StringBuilder body = new StringBuilder();
    ExecutionInterceptor capture = new ExecutionInterceptor() {
      @Override
      public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        try {
          byte[] bytes = context.responseBody().orElseThrow().readAllBytes();
          body.append(new String(bytes, StandardCharsets.UTF_8));
          return Optional.of(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    try (FirehoseClient client = FirehoseClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(c -> c.addExecutionInterceptor(capture)).build()) {
      client.describeDeliveryStream(b -> b.deliveryStreamName(name));
    }
    return body.toString();
  }

  @Test
  void describeShowsTheDefaultsAndNeverTheAccessKey() {
    server.s3().createBucket(b -> b.bucket("fh-http-describe"));
    server.firehose().createDeliveryStream(b -> b.deliveryStreamName("http-describe").httpEndpointDestinationConfiguration(d -> d
        .endpointConfiguration(e -> e.url(url()).name("mine").accessKey("secret-key"))
        .s3Configuration(s -> s.roleARN(ROLE).bucketARN("arn:aws:s3:::fh-http-describe"))));
    HttpEndpointDestinationDescription d = describe("http-describe");
    assertThat(d.endpointConfiguration().url()).isEqualTo(url());
    assertThat(d.endpointConfiguration().name()).isEqualTo("mine");
    assertThat(rawDescribe("http-describe")).contains("\"Url\":\"" + url() + "\"").doesNotContain("secret-key")
        .doesNotContain("AccessKey");
    assertThat(d.bufferingHints().sizeInMBs()).isEqualTo(5);
    assertThat(d.bufferingHints().intervalInSeconds()).isEqualTo(300);
    assertThat(d.retryOptions().durationInSeconds()).isEqualTo(300);
    assertThat(d.s3BackupMode()).isEqualTo(HttpEndpointS3BackupMode.FAILED_DATA_ONLY);
    assertThat(d.requestConfiguration().contentEncoding()).isEqualTo(ContentEncoding.NONE);
    assertThat(d.s3DestinationDescription().bucketARN()).isEqualTo("arn:aws:s3:::fh-http-describe");
    assertThat(d.s3DestinationDescription().compressionFormatAsString()).isEqualTo("UNCOMPRESSED");

    String version = server.firehose().describeDeliveryStream(b -> b.deliveryStreamName("http-describe"))
        .deliveryStreamDescription().versionId();
    server.firehose().updateDestination(b -> b.deliveryStreamName("http-describe").currentDeliveryStreamVersionId(version)
        .destinationId("destinationId-000000000001").httpEndpointDestinationUpdate(u -> u
            .retryOptions(r -> r.durationInSeconds(60)).s3BackupMode(HttpEndpointS3BackupMode.ALL_DATA)
            .bufferingHints(h -> h.sizeInMBs(2).intervalInSeconds(10))));
    HttpEndpointDestinationDescription updated = describe("http-describe");
    assertThat(updated.retryOptions().durationInSeconds()).isEqualTo(60);
    assertThat(updated.s3BackupMode()).isEqualTo(HttpEndpointS3BackupMode.ALL_DATA);
    assertThat(updated.bufferingHints().sizeInMBs()).isEqualTo(2);
    assertThat(updated.endpointConfiguration().name()).isEqualTo("mine");
  }

  @Test
  void aBatchIsPostedAsTheGuideSpecifies() {
    stream("http-ok", "fh-http-ok", d -> d.endpointConfiguration(e -> e.url(url()).name("ep").accessKey("k-123"))
        .requestConfiguration(r -> r.commonAttributes(a -> a.attributeName("env").attributeValue("test"),
            a -> a.attributeName("team").attributeValue("data"))));
    long before = server.clock().millis();
    put("http-ok", "one,", "two", "{\"three\":3}");
    awaitRequests(1);
    Received r = received.get(0);
    String arn = server.firehose().describeDeliveryStream(b -> b.deliveryStreamName("http-ok")).deliveryStreamDescription()
        .deliveryStreamARN();
    assertThat(r.header("X-amz-firehose-protocol-version")).isEqualTo("1.0");
    assertThat(r.header("X-amz-firehose-request-id")).isEqualTo(r.body().getString("requestId")).isNotBlank();
    assertThat(r.header("X-amz-firehose-source-arn")).isEqualTo(arn);
    assertThat(r.header("X-amz-firehose-access-key")).isEqualTo("k-123");
    assertThat(r.header("Content-type")).isEqualTo("application/json");
    assertThat(r.header("Content-encoding")).isNull();
    assertThat(new JsonObject(r.header("X-amz-firehose-common-attributes")))
        .isEqualTo(new JsonObject().put("commonAttributes", new JsonObject().put("env", "test").put("team", "data")));
    assertThat(r.body().getLong("timestamp")).isGreaterThanOrEqualTo(before);
    assertThat(r.records()).containsExactly("one,", "two", "{\"three\":3}");
    // Delivered: nothing is sent again, nothing is backed up (FailedDataOnly).
    server.advance(Duration.ofSeconds(600));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(7)).until(() -> received.size() == 1);
    assertThat(objects("fh-http-ok")).isEmpty();
  }

  @Test
  void gzipEncodingCompressesTheBody() throws IOException {
    stream("http-gzip", "fh-http-gzip", d -> d.requestConfiguration(r -> r.contentEncoding(ContentEncoding.GZIP)));
    put("http-gzip", "zipped ", "records");
    awaitRequests(1);
    Received r = received.get(0);
    assertThat(r.header("Content-encoding")).isEqualTo("gzip");
    assertThat(r.header("X-amz-firehose-access-key")).isNull();
    assertThat(r.header("X-amz-firehose-common-attributes")).isNull();
    assertThat(new GZIPInputStream(new ByteArrayInputStream(r.raw())).readAllBytes()).isNotEmpty();
    assertThat(r.records()).containsExactly("zipped ", "records");
  }

  @Test
  void aFailingEndpointIsRetriedOnTheServiceClockThenTheBatchIsBackedUp() {
    endpoint.answer = r -> new Answer(503, "{\"errorMessage\":\"down\"}");
    stream("http-503", "fh-http-503", d -> d.retryOptions(o -> o.durationInSeconds(30))
        .s3Configuration(s -> s.roleARN(ROLE).bucketARN("arn:aws:s3:::fh-http-503").prefix("out/")));
    long arrival = server.clock().millis();
    put("http-503", "lost?");
    awaitRequests(1);
    // The clock stands still: no retry before the back-off has passed on it.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(7)).until(() -> received.size() == 1);
    retryUntilRequests(2);
    assertThat(objects("fh-http-503")).isEmpty();
    // Past the 30 s retry window (counted from the first failure), the batch goes to the backup bucket.
    await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(20)).until(() -> {
      if (!objects("fh-http-503").isEmpty()) return true;
      server.advance(Duration.ofSeconds(10));
      return false;
    });
    List<String> ids = received.stream().map(r -> r.header("X-amz-firehose-request-id")).distinct().toList();
    assertThat(ids).hasSize(1);
    List<S3Object> backed = objects("fh-http-503");
    assertThat(backed).hasSize(1);
    assertThat(backed.get(0).key()).matches("out/http-endpoint-failed/\\d{4}/\\d{2}/\\d{2}/\\d{2}/http-503-1-.*");
    JsonObject line = new JsonObject(read("fh-http-503", backed.get(0).key()).trim());
    assertThat(line.getString("errorCode")).isEqualTo("HttpEndpoint.DestinationException");
    assertThat(line.getString("errorMessage"))
        .isEqualTo("The following response was received from the endpoint destination. 503: {\"errorMessage\":\"down\"}");
    assertThat(line.getInteger("attemptsMade")).isEqualTo(received.size());
    assertThat(line.getLong("arrivalTimestamp")).isEqualTo(arrival);
    assertThat(new String(Base64.getDecoder().decode(line.getString("rawData")), StandardCharsets.UTF_8)).isEqualTo("lost?");
    // Backed up: the batch is done, nothing more is sent.
    int sent = received.size();
    server.advance(Duration.ofSeconds(600));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(7)).until(() -> received.size() == sent);
  }

  @Test
  void anAnswerWithAnotherRequestIdIsAFailure() {
    endpoint.answer = r -> new Answer(200, new JsonObject().put("requestId", "not-" + r.body().getString("requestId"))
        .put("timestamp", 1).encode());
    stream("http-wrong-id", "fh-http-wrong-id", d -> d.retryOptions(o -> o.durationInSeconds(0)));
    put("http-wrong-id", "x");
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects("fh-http-wrong-id").isEmpty());
    assertThat(received).hasSize(1);
    S3Object backed = objects("fh-http-wrong-id").get(0);
    assertThat(backed.key()).startsWith("http-endpoint-failed/");
    JsonObject line = new JsonObject(read("fh-http-wrong-id", backed.key()).trim());
    assertThat(line.getString("errorCode")).isEqualTo("HttpEndpoint.InvalidResponseFromDestination");
    assertThat(line.getString("errorMessage")).startsWith("The response received from the specified endpoint is invalid.")
        .contains("Response for request " + received.get(0).body().getString("requestId"));
  }

  @Test
  void aTooLargeAnswerAndAnEndpointNotListeningAreFailuresWithTheirCodes() throws IOException {
    endpoint.answer = r -> new Answer(200, "x".repeat(1024 * 1024 + 1));
    stream("http-large", "fh-http-large", d -> d.retryOptions(o -> o.durationInSeconds(0)));
    put("http-large", "big answer");
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects("fh-http-large").isEmpty());
    assertThat(new JsonObject(read("fh-http-large", objects("fh-http-large").get(0).key()).trim()).getString("errorCode"))
        .isEqualTo("HttpEndpoint.ResponseTooLarge");

    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    stream("http-nobody", "fh-http-nobody", d -> d.retryOptions(o -> o.durationInSeconds(0))
        .endpointConfiguration(e -> e.url("http://127.0.0.1:" + closed + "/")));
    put("http-nobody", "nobody home");
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects("fh-http-nobody").isEmpty());
    JsonObject line = new JsonObject(read("fh-http-nobody", objects("fh-http-nobody").get(0).key()).trim());
    assertThat(line.getString("errorCode")).isEqualTo("HttpEndpoint.ConnectionFailed");
    assertThat(new String(Base64.getDecoder().decode(line.getString("rawData")), StandardCharsets.UTF_8)).isEqualTo("nobody home");
  }

  @Test
  void aRetryThatSucceedsDeliversOnce() {
    endpoint.answer = r -> received.size() < 2 ? new Answer(500, "{}") : ok(r);
    stream("http-flaky", "fh-http-flaky", d -> d.retryOptions(o -> o.durationInSeconds(60)));
    put("http-flaky", "eventually");
    awaitRequests(1);
    retryUntilRequests(2);
    assertThat(received.get(1).records()).containsExactly("eventually");
    assertThat(received.get(1).header("X-amz-firehose-request-id")).isEqualTo(received.get(0).header("X-amz-firehose-request-id"));
    server.advance(Duration.ofSeconds(120));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(7)).until(() -> received.size() == 2);
    assertThat(objects("fh-http-flaky")).isEmpty();
  }

  @Test
  void allDataBacksUpEveryBatch() {
    stream("http-all", "fh-http-all", d -> d.s3BackupMode(HttpEndpointS3BackupMode.ALL_DATA));
    put("http-all", "a", "b");
    awaitRequests(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects("fh-http-all").isEmpty());
    List<S3Object> all = objects("fh-http-all");
    assertThat(all).hasSize(1);
    assertThat(all.get(0).key()).matches("\\d{4}/\\d{2}/\\d{2}/\\d{2}/http-all-1-.*");
    assertThat(read("fh-http-all", all.get(0).key())).isEqualTo("ab");
  }

  @Test
  void aLambdaProcessorTransformsWhatIsPostedAndItsFailuresGoToTheBucket() {
    String arn = Functions.create(server.lambda(), "fh-http-transform", "io.eventplane.examples.FirehoseTransformer::handleRequest")
        .functionArn();
    stream("http-transformed", "fh-http-transformed", d -> d.processingConfiguration(ProcessingConfiguration.builder().enabled(true)
        .processors(Processor.builder().type(ProcessorType.LAMBDA).parameters(ProcessorParameter.builder()
            .parameterName(ProcessorParameterName.LAMBDA_ARN).parameterValue(arn).build()).build()).build()));
    put("http-transformed", "hello", "drop me", "fail me", "world");
    await().atMost(Duration.ofSeconds(90)).until(() -> !received.isEmpty() && !objects("fh-http-transformed").isEmpty());
    assertThat(received).hasSize(1);
    assertThat(received.get(0).records()).containsExactly("HELLO\n", "WORLD\n");
    List<S3Object> errors = objects("fh-http-transformed");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).key()).startsWith("processing-failed/");
    JsonObject failed = new JsonObject(read("fh-http-transformed", errors.get(0).key()).trim());
    assertThat(failed.getString("errorCode")).isEqualTo("Lambda.ProcessingFailed");
    assertThat(new String(Base64.getDecoder().decode(failed.getString("rawData")), StandardCharsets.UTF_8)).isEqualTo("fail me");
  }

  @Test
  void badConfigurationsAreRefused() {
    server.s3().createBucket(b -> b.bucket("fh-http-bad"));
    assertThatThrownBy(() -> server.firehose().createDeliveryStream(b -> b.deliveryStreamName("bad")
        .httpEndpointDestinationConfiguration(d -> d.endpointConfiguration(e -> e.url("ftp://x"))
            .s3Configuration(s -> s.roleARN(ROLE).bucketARN("arn:aws:s3:::fh-http-bad"))
            .bufferingHints(h -> h.sizeInMBs(65).intervalInSeconds(901)).retryOptions(r -> r.durationInSeconds(7201)))))
        .isInstanceOfSatisfying(FirehoseException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("4 validation errors detected: "
              + "Value at 'httpEndpointDestinationConfiguration.endpointConfiguration.url' failed to satisfy constraint:"
              + " Member must satisfy regular expression pattern: https://.*; "
              + "Value '65' at 'httpEndpointDestinationConfiguration.bufferingHints.sizeInMBs' failed to satisfy constraint:"
              + " Member must have value less than or equal to 64; "
              + "Value '901' at 'httpEndpointDestinationConfiguration.bufferingHints.intervalInSeconds' failed to satisfy"
              + " constraint: Member must have value less than or equal to 900; "
              + "Value '7201' at 'httpEndpointDestinationConfiguration.retryOptions.durationInSeconds' failed to satisfy"
              + " constraint: Member must have value less than or equal to 7200");
        });
    assertThatThrownBy(() -> server.firehose().createDeliveryStream(b -> b.deliveryStreamName("bad")
        .httpEndpointDestinationConfiguration(d -> d.endpointConfiguration(e -> e.url(url())))))
        .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("1 validation error detected: Value null at 'httpEndpointDestinationConfiguration.s3Configuration'"
                + " failed to satisfy constraint: Member must not be null"));
    assertThatThrownBy(() -> server.firehose().createDeliveryStream(b -> b.deliveryStreamName("bad")
        .httpEndpointDestinationConfiguration(d -> d.endpointConfiguration(e -> e.url(url()))
            .s3Configuration(s -> s.roleARN(ROLE).bucketARN("arn:aws:s3:::fh-http-bad")))
        .extendedS3DestinationConfiguration(d -> d.roleARN(ROLE).bucketARN("arn:aws:s3:::fh-http-bad"))))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Exactly one destination configuration must be provided."));
    assertThat(new JsonArray(server.firehose().listDeliveryStreams(b -> { }).deliveryStreamNames())).isEmpty();

    // An S3 stream is not turned into an HTTP endpoint one by UpdateDestination on this server.
    server.firehose().createDeliveryStream(b -> b.deliveryStreamName("s3-only").extendedS3DestinationConfiguration(d -> d
        .roleARN(ROLE).bucketARN("arn:aws:s3:::fh-http-bad")));
    assertThatThrownBy(() -> server.firehose().updateDestination(b -> b.deliveryStreamName("s3-only")
        .currentDeliveryStreamVersionId("1").destinationId("destinationId-000000000001")
        .httpEndpointDestinationUpdate(u -> u.endpointConfiguration(e -> e.url(url())))))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> server.firehose().updateDestination(b -> b.deliveryStreamName("s3-only")
        .currentDeliveryStreamVersionId("1").destinationId("destinationId-000000000001")
        .httpEndpointDestinationUpdate(u -> u.endpointConfiguration(e -> e.name("no url")))))
        .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("1 validation error detected: Value null at 'httpEndpointDestinationUpdate.endpointConfiguration.url'"
                + " failed to satisfy constraint: Member must not be null"));
  }
}
