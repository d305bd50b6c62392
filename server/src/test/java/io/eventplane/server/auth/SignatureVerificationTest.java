package io.eventplane.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.AwsCli;
import io.eventplane.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Signature Version 4 verified on every request path ({@code --auth sigv4} with an admin key): real
 * SDK v2 clients of each protocol family signing with the admin key get through, a wrong secret,
 * an unknown key, a skewed clock or no signature get AWS's error in the family's words, S3's
 * chunk-signed uploads and presigned URLs are checked, and what AWS leaves unsigned stays open.
 */
class SignatureVerificationTest {
  static final String KEY_ID = "EPADMINKEY000000001";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String ACCOUNT = "000000000000";

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.SIGV4)
      .withAdminKey(KEY_ID, SECRET)));

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static AwsCredentialsProvider admin() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET));
  }

  static AwsCredentialsProvider wrongSecret() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, "not-the-secret-at-all-0000"));
  }

  static AwsCredentialsProvider unknownKey() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAUNKNOWNKEY000001", SECRET));
  }

  /** A client of the server: no retries (an error reaches the test as answered), a signing clock off by {@code skew}. */
  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, AwsCredentialsProvider keys,
      Duration skew) {
    builder.endpointOverride(server.endpoint()).region(Region.US_EAST_1).credentialsProvider(keys)
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (!skew.isZero()) builder.putAuthScheme(skewed(Clock.offset(Clock.systemUTC(), skew)));
    return builder.build();
  }

  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, AwsCredentialsProvider keys) {
    return client(builder, keys, Duration.ZERO);
  }

  static S3Client s3(AwsCredentialsProvider keys, Duration skew) {
    return client(S3Client.builder().forcePathStyle(true), keys, skew);
  }

  @Test
  void theAdminKeySignsForEveryProtocolFamily() throws Exception {
    SqsClient sqs = client(SqsClient.builder(), admin());
    String queue = sqs.createQueue(b -> b.queueName("signed")).queueUrl();
    sqs.sendMessage(b -> b.queueUrl(queue).messageBody("hello"));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).extracting(m -> m.body()).containsExactly("hello");
    assertThat(queue).contains("/" + ACCOUNT + "/");

    HttpResponse<String> query = HTTP.send(signed("POST", server.endpoint().resolve("/"), "sqs",
        "Action=ListQueues&Version=2012-11-05", SECRET), HttpResponse.BodyHandlers.ofString());
    assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
    assertThat(query.body()).contains("<QueueUrl>" + queue + "</QueueUrl>");

    // Another service's presigned URL (a Query GET signed in its query string).
    SdkHttpFullRequest listQueues = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
        .uri(server.endpoint().resolve("/?Action=ListQueues&Version=2012-11-05")).build();
    URI presigned = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(KEY_ID, SECRET))
        .request(listQueues).putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sqs")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5))).request().getUri();
    HttpResponse<String> byUrl = HTTP.send(HttpRequest.newBuilder(presigned).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(byUrl.statusCode()).as(byUrl.body()).isEqualTo(200);
    assertThat(byUrl.body()).contains("<QueueUrl>" + queue + "</QueueUrl>");

    SnsClient sns = client(SnsClient.builder(), admin());
    String topic = sns.createTopic(b -> b.name("signed")).topicArn();
    assertThat(sns.publish(b -> b.topicArn(topic).message("m")).messageId()).isNotBlank();

    assertThat(client(LambdaClient.builder(), admin()).listFunctions().functions()).isEmpty();
    KinesisClient kinesis = client(KinesisClient.builder(), admin());
    kinesis.createStream(b -> b.streamName("signed").shardCount(1));
    assertThat(kinesis.listStreams().streamNames()).contains("signed");
    assertThat(client(EventBridgeClient.builder(), admin()).listEventBuses(b -> {}).eventBuses())
        .extracting(bus -> bus.name()).contains("default");
    assertThat(client(IamClient.builder().region(Region.AWS_GLOBAL), admin()).listRoles().roles()).isEmpty();
    // Helper D gives GetCallerIdentity the verified caller; here it only has to get through.
    assertThat(client(StsClient.builder(), admin()).getCallerIdentity().account()).isEqualTo(ACCOUNT);
  }

  @Test
  void s3ChecksChunkSignaturesAndPresignedUrls() throws Exception {
    S3Client s3 = s3(admin(), Duration.ZERO);
    s3.createBucket(b -> b.bucket("signed"));
    // Over http the SDK signs each chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]).
    byte[] body = "x".repeat(200_000).getBytes(StandardCharsets.UTF_8);
    s3.putObject(b -> b.bucket("signed").key("big"), RequestBody.fromBytes(body));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("signed").key("big")).asByteArray()).isEqualTo(body);

    try (S3Presigner presigner = S3Presigner.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(admin()).serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build()) {
      URI put = presigner.presignPutObject(b -> b.signatureDuration(Duration.ofDays(7))
          .putObjectRequest(r -> r.bucket("signed").key("presigned"))).url().toURI();
      HttpResponse<String> uploaded = HTTP.send(HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.ofString("via url"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
      URI get = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(r -> r.bucket("signed").key("presigned"))).url().toURI();
      HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(get).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.body()).isEqualTo("via url");

      URI tampered = URI.create(get.toString().replace("/signed/presigned", "/signed/big"));
      HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(tampered).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("<Code>SignatureDoesNotMatch</Code>").contains("<StringToSign>");
    }
    // Signed two hours ago for one minute.
    URI expired = presign(server.endpoint().resolve("/signed/presigned"), Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)),
        Duration.ofMinutes(1));
    HttpResponse<String> late = HTTP.send(HttpRequest.newBuilder(expired).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(late.statusCode()).isEqualTo(403);
    assertThat(late.body()).contains("<Code>AccessDenied</Code>").contains("<Message>Request has expired</Message>");
  }

  @Test
  void aChunkWhoseDataDoesNotMatchItsSignatureFailsTheUploadAndStoresNothing() throws Exception {
    S3Client s3 = s3(admin(), Duration.ZERO);
    s3.createBucket(b -> b.bucket("chunks"));
    HttpResponse<String> good = HTTP.send(chunkSigned("/chunks/good", "hello chunks", false), HttpResponse.BodyHandlers.ofString());
    assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("chunks").key("good")).asUtf8String()).isEqualTo("hello chunks");

    HttpResponse<String> forged = HTTP.send(chunkSigned("/chunks/forged", "hello chunks", true), HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("<Code>SignatureDoesNotMatch</Code>");
    assertThat(s3.listObjectsV2(b -> b.bucket("chunks")).contents()).extracting(o -> o.key()).containsExactly("good");
  }

  /** A PUT whose body the SDK's signer chunk-signs (STREAMING-AWS4-HMAC-SHA256-PAYLOAD); {@code tamper} changes a byte of it after. */
  private static HttpRequest chunkSigned(String path, String data, boolean tamper) throws Exception {
    URI uri = server.endpoint().resolve(path);
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).uri(uri)
        .putHeader("Content-Length", Integer.toString(bytes.length)).build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(KEY_ID, SECRET))
        .request(unsigned).payload(() -> new java.io.ByteArrayInputStream(bytes))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3").putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false).putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true).putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true));
    byte[] body = signed.payload().orElseThrow().newStream().readAllBytes();
    String text = new String(body, StandardCharsets.ISO_8859_1);
    assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).hasValue("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    if (tamper) body = text.replace(data, "jello" + data.substring(5)).getBytes(StandardCharsets.ISO_8859_1);
    HttpRequest.Builder put = HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) values.forEach(v -> put.header(name, v));
    });
    return put.build();
  }

  @Test
  void aWrongSecretGetsEachFamilysSignatureError() {
    assertError(() -> client(SqsClient.builder(), wrongSecret()).listQueues(), 403, "SignatureDoesNotMatch");
    assertError(() -> client(SnsClient.builder(), wrongSecret()).listTopics(), 403, "SignatureDoesNotMatch");
    assertError(() -> s3(wrongSecret(), Duration.ZERO).listBuckets(), 403, "SignatureDoesNotMatch");
    assertError(() -> client(LambdaClient.builder(), wrongSecret()).listFunctions(), 403, "InvalidSignatureException");
    assertError(() -> client(KinesisClient.builder(), wrongSecret()).listStreams(), 400, "InvalidSignatureException");
    assertError(() -> client(EventBridgeClient.builder(), wrongSecret()).listEventBuses(b -> {}), 400,
        "InvalidSignatureException");
  }

  @Test
  void anUnknownKeyIsNotRecognized() {
    assertError(() -> client(SqsClient.builder(), unknownKey()).listQueues(), 403, "InvalidClientTokenId");
    assertError(() -> client(SnsClient.builder(), unknownKey()).listTopics(), 403, "InvalidClientTokenId");
    assertError(() -> client(StsClient.builder(), unknownKey()).getCallerIdentity(), 403, "InvalidClientTokenId");
    assertError(() -> client(KinesisClient.builder(), unknownKey()).listStreams(), 400, "UnrecognizedClientException");
    assertError(() -> client(LambdaClient.builder(), unknownKey()).listFunctions(), 403, "UnrecognizedClientException");
    assertError(() -> s3(unknownKey(), Duration.ZERO).listBuckets(), 403, "InvalidAccessKeyId");
  }

  @Test
  void aClockTwentyMinutesOffIsRefused() {
    Duration skew = Duration.ofMinutes(-20);
    assertError(() -> s3(admin(), skew).listBuckets(), 403, "RequestTimeTooSkewed");
    AwsServiceException sqs = assertError(() -> client(SqsClient.builder(), admin(), skew).listQueues(), 403,
        "SignatureDoesNotMatch");
    assertThat(sqs.awsErrorDetails().errorMessage()).startsWith("Signature expired: ");
    AwsServiceException kinesis = assertError(() -> client(KinesisClient.builder(), admin(), skew).listStreams(), 400,
        "InvalidSignatureException");
    assertThat(kinesis.awsErrorDetails().errorMessage()).startsWith("Signature expired: ");
  }

  @Test
  void anUnsignedCallIsMissingItsToken() throws Exception {
    assertError(() -> client(SqsClient.builder(), AnonymousCredentialsProvider.create()).listQueues(), 403,
        "MissingAuthenticationToken");
    assertError(() -> client(SnsClient.builder(), AnonymousCredentialsProvider.create()).listTopics(), 403,
        "MissingAuthenticationToken");
    assertError(() -> client(KinesisClient.builder(), AnonymousCredentialsProvider.create()).listStreams(), 400,
        "MissingAuthenticationTokenException");
    // S3's anonymous request: AccessDenied.
    HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/some-bucket/some-key")).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(403);
    assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");
    HttpResponse<String> reset = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/_eventplane/reset"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reset.statusCode()).isEqualTo(403);
    assertThat(reset.body()).contains("MissingAuthenticationTokenException");
  }

  @Test
  void whatAwsLeavesUnsignedStaysOpen() throws Exception {
    HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/_eventplane/health")).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);

    // SNS's UnsubscribeURL, as SNS hands it out: an unsigned GET.
    SnsClient sns = client(SnsClient.builder(), admin());
    String topic = sns.createTopic(b -> b.name("open")).topicArn();
    String sub = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:" + ACCOUNT + ":q"))
        .subscriptionArn();
    HttpResponse<String> unsubscribed = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve(
        "/?Action=Unsubscribe&SubscriptionArn=" + sub)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unsubscribed.statusCode()).as(unsubscribed.body()).isEqualTo(200);
    assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions()).isEmpty();
    // A SubscribeURL's ConfirmSubscription reaches SNS too (this token is not one of its own).
    HttpResponse<String> confirm = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve(
        "/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token=" + "ab".repeat(64))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(confirm.body()).doesNotContain("MissingAuthenticationToken").contains("<Code>InvalidParameter</Code>");

    // An HTTP API's invoke URL: data-plane traffic, not signed (this API has no route: API Gateway's 404).
    ApiGatewayV2Client v2 = client(ApiGatewayV2Client.builder(), admin());
    String api = v2.createApi(b -> b.name("open").protocolType(ProtocolType.HTTP)).apiId();
    v2.createStage(b -> b.apiId(api).stageName("$default").autoDeploy(true));
    HttpResponse<String> invoked = HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/_eventplane/execute-api/"
        + api + "/anything")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(invoked.statusCode()).isEqualTo(404);
    assertThat(invoked.body()).isEqualTo("{\"message\":\"Not Found\"}");
  }

  @Test
  void anAwsIamRouteVerifiesTheSignatureForExecuteApi() throws Exception {
    LambdaClient lambda = client(LambdaClient.builder(), admin());
    String echo = io.eventplane.server.lambda.Functions.create(lambda, "echo", "io.eventplane.examples.HttpEcho::handleRequest")
        .functionArn();
    ApiGatewayV2Client v2 = client(ApiGatewayV2Client.builder(), admin());
    String api = v2.createApi(b -> b.name("iam").protocolType(ProtocolType.HTTP)).apiId();
    String integration = v2.createIntegration(b -> b.apiId(api).integrationType(
        software.amazon.awssdk.services.apigatewayv2.model.IntegrationType.AWS_PROXY).integrationUri(echo)
        .payloadFormatVersion("2.0")).integrationId();
    v2.createRoute(b -> b.apiId(api).routeKey("GET /private").target("integrations/" + integration)
        .authorizationType(software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType.AWS_IAM));
    v2.createStage(b -> b.apiId(api).stageName("$default").autoDeploy(true));
    URI url = URI.create(server.endpoint() + "/_eventplane/execute-api/" + api + "/private");

    HttpResponse<String> signed = HTTP.send(signedFor("GET", url, "execute-api", SECRET), HttpResponse.BodyHandlers.ofString());
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
    assertThat(new io.vertx.core.json.JsonObject(signed.body()).getJsonObject("requestContext").getJsonObject("authorizer")
        .getJsonObject("iam").getString("accessKey")).isEqualTo(KEY_ID);
    HttpResponse<String> forged = HTTP.send(signedFor("GET", url, "execute-api", "not-the-secret-at-all-0000"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).startsWith("{\"message\":\"The request signature we calculated does not match");
    HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
  }

  /** A request without a body signed for {@code service}. */
  private static HttpRequest signedFor(String method, URI uri, String service, String secret) {
    SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri).build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(KEY_ID, secret))
        .request(unsigned).putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
    HttpRequest.Builder out = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("Host")) values.forEach(v -> out.header(name, v));
    });
    return out.build();
  }

  @Test
  void theAwsCliAndBoto3SignWithTheAdminKeyFromTheEnvironment() throws Exception {
    // A Python process per command proves the wire, not the cluster: once is enough.
    org.junit.jupiter.api.Assumptions.assumeTrue(EmbeddedServer.nodes() == 1);
    Map<String, String> good = Map.of("AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET);
    Map<String, String> bad = Map.of("AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", "not-the-secret-at-all-0000");
    List<String> listQueues = List.of("aws", "--endpoint-url", server.endpoint().toString(), "sqs", "list-queues");
    AwsCli.Result ok = AwsCli.run(listQueues, 120, good);
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    AwsCli.Result refused = AwsCli.run(listQueues, 120, bad);
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("An error occurred (SignatureDoesNotMatch) when calling the ListQueues operation");

    List<String> boto3 = List.of("python3", "-c", "import boto3\n"
        + "c = boto3.client('sns', endpoint_url='" + server.endpoint() + "', region_name='us-east-1')\n"
        + "print(c.create_topic(Name='boto')['TopicArn'])");
    AwsCli.Result python = AwsCli.run(boto3, 120, good);
    assertThat(python.exitCode()).as(python.err()).isZero();
    assertThat(python.out()).contains("arn:aws:sns:us-east-1:" + ACCOUNT + ":boto");
    AwsCli.Result pythonRefused = AwsCli.run(boto3, 120, bad);
    assertThat(pythonRefused.exitCode()).isNotZero();
    assertThat(pythonRefused.err()).contains("SignatureDoesNotMatch");
  }

  private static AwsServiceException assertError(Runnable call, int status, String code) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call::run);
    assertThat(thrown).isInstanceOf(AwsServiceException.class);
    AwsServiceException e = (AwsServiceException) thrown;
    assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
    assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
    return e;
  }

  /** A form POST signed by hand, as an old Query client sends it. */
  private static HttpRequest signed(String method, URI uri, String service, String form, String secret) {
    SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri)
        .putHeader("Content-Type", "application/x-www-form-urlencoded").build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(KEY_ID, secret))
        .request(unsigned).payload(() -> new java.io.ByteArrayInputStream(form.getBytes(StandardCharsets.UTF_8)))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service).putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
    HttpRequest.Builder out = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.ofString(form));
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("Host")) values.forEach(v -> out.header(name, v));
    });
    return out.build();
  }

  /** An S3 GET URL presigned with the admin key at {@code clock}'s time. */
  private static URI presign(URI uri, Clock clock, Duration expires) {
    SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET).uri(uri).build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(KEY_ID, SECRET))
        .request(unsigned).putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1").putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false).putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires).putProperty(HttpSigner.SIGNING_CLOCK, clock));
    return signed.request().getUri();
  }

  /** SigV4 as the SDK does it, with the signing clock given (a client whose clock is off). */
  static AwsV4AuthScheme skewed(Clock clock) {
    return signingWith(HttpSigner.SIGNING_CLOCK, clock);
  }

  /** SigV4 as the SDK does it, with one signer property set whatever the client (its clock, its service name). */
  static <T> AwsV4AuthScheme signingWith(software.amazon.awssdk.http.auth.spi.signer.SignerProperty<T> property, T value) {
    AwsV4AuthScheme standard = AwsV4AuthScheme.create();
    AwsV4HttpSigner inner = AwsV4HttpSigner.create();
    AwsV4HttpSigner signer = new AwsV4HttpSigner() {
      @Override
      public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        return inner.sign(request.copy(b -> b.putProperty(property, value)));
      }

      @Override
      public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        return inner.signAsync(request.copy(b -> b.putProperty(property, value)));
      }
    };
    return new AwsV4AuthScheme() {
      @Override
      public String schemeId() {
        return standard.schemeId();
      }

      @Override
      public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return standard.identityProvider(providers);
      }

      @Override
      public AwsV4HttpSigner signer() {
        return signer;
      }
    };
  }
}
