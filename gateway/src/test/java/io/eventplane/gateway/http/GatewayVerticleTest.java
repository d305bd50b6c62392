package io.eventplane.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.binding.ProtocolBindings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway on a real port in front of a fake SQS consumer: routing, both protocols, limits and
 * the failure paths. The fake answers by operation: GetQueueUrl fails with QueueDoesNotExist,
 * PurgeQueue never answers (timeout), DeleteQueue fails the bus message, the rest succeed.
 */
class GatewayVerticleTest {
  private static final int MAX_BYTES = 4096;
  private static final String JSON = "application/x-amz-json-1.0";
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String SIGV4 = "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-central-1/%s/aws4_request, "
      + "SignedHeaders=host, Signature=0";

  private static Vertx vertx;
  private static int port;
  private static int prodPort;
  private static HttpClient http;
  private static final BlockingQueue<ApiRequest> seen = new LinkedBlockingQueue<>();
  private static final java.util.List<ApiRequest> snsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final java.util.List<ApiRequest> adminSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Contracts.register(vertx.eventBus());
    await(vertx.eventBus().<ApiRequest>consumer(Contracts.ADMIN, message -> {
      adminSeen.add(message.body());
      message.reply(ApiReply.ok("Reset".equals(message.body().operation())
          ? new JsonObject().put("reset", true) : new JsonObject().put("status", "ok").put("ready", true)));
    }).completion());
    await(vertx.eventBus().<ApiRequest>consumer(Contracts.SQS, message -> {
      ApiRequest request = message.body();
      seen.add(request);
      switch (request.operation()) {
        case "SendMessage" -> message.reply(ApiReply.ok(new JsonObject().put("MessageId", "m-1").put("MD5OfMessageBody", "md5")));
        case "ReceiveMessage" -> message.reply(ApiReply.ok(new JsonObject().put("Messages", new JsonArray().add(
            new JsonObject().put("MessageId", "m-1").put("ReceiptHandle", "rh").put("Body", "a\r\nb")))));
        case "GetQueueUrl" -> message.reply(ApiReply.failed(
            ServiceError.sender("QueueDoesNotExist", "The specified queue does not exist.")));
        case "PurgeQueue" -> { } // never answers
        case "DeleteQueue" -> message.fail(7, "consumer crashed");
        default -> message.reply(ApiReply.ok(new JsonObject()));
      }
    }).completion());
    // Every other service of the gateway's list answers every call with an empty success.
    for (String address : ProtocolBindings.addresses(ProtocolBindings.ALL)) {
      if (address.equals(Contracts.SQS)) continue;
      await(vertx.eventBus().<ApiRequest>consumer(address, message -> {
        if (address.equals(Contracts.SNS)) snsSeen.add(message.body());
        message.reply(ApiReply.ok(new JsonObject()));
      }).completion());
    }
    EventplaneConfig dev = EventplaneConfig.defaults().withPort(0).withMaxRequestBytes(MAX_BYTES);
    GatewayVerticle gateway = new GatewayVerticle(dev, Duration.ofMillis(500));
    await(vertx.deployVerticle(gateway));
    port = gateway.actualPort();
    GatewayVerticle prod = new GatewayVerticle(dev.withDevMode(false).withAccountId("123456789012"));
    await(vertx.deployVerticle(prod));
    prodPort = prod.actualPort();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void forget() {
    seen.clear();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, BodyHandlers.ofString());
  }

  private static HttpResponse<String> json(String operation, String body) throws Exception {
    return send(request(port, "/").header("Content-Type", JSON).header("X-Amz-Target", "AmazonSQS." + operation)
        .header("Authorization", SIGV4.formatted("sqs")).POST(BodyPublishers.ofString(body)).build());
  }

  private static HttpResponse<String> form(int port, String path, String body) throws Exception {
    return send(request(port, path).header("Content-Type", FORM).POST(BodyPublishers.ofString(body)).build());
  }

  private static ApiRequest lastCall() throws InterruptedException {
    ApiRequest call = seen.poll(5, TimeUnit.SECONDS);
    assertThat(call).as("a call reached the fake service").isNotNull();
    return call;
  }

  @Test
  void healthAnswersOk() throws Exception {
    HttpResponse<String> response = send(request(port, "/_eventplane/health").GET().build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("status")).isEqualTo("ok");
  }

  @Test
  void resetReachesTheNodeInDevMode() throws Exception {
    HttpResponse<String> response = send(request(port, "/_eventplane/reset").POST(BodyPublishers.noBody()).build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("reset", true));
    assertThat(adminSeen.get(adminSeen.size() - 1).operation()).isEqualTo("Reset");
  }

  @Test
  void resetIsForbiddenOutsideDevMode() throws Exception {
    HttpResponse<String> response = send(request(prodPort, "/_eventplane/reset").POST(BodyPublishers.noBody()).build());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(response.body()).getString("__type")).isEqualTo("AccessDenied");
    assertThat(seen.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void jsonCallsPassTheBodyAndContextThrough() throws Exception {
    String body = "{\"QueueUrl\":\"http://127.0.0.1/000000000000/q\",\"MessageBody\":\"hi\","
        + "\"MessageAttributes\":{\"a\":{\"DataType\":\"String\",\"StringValue\":\"x\"}}}";
    HttpResponse<String> response = json("SendMessage", body);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains(JSON);
    assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("MessageId", "m-1").put("MD5OfMessageBody", "md5"));
    ApiRequest call = lastCall();
    assertThat(call.operation()).isEqualTo("SendMessage");
    assertThat(call.input()).isEqualTo(new JsonObject(body));
    assertThat(call.context().accountId()).isEqualTo("000000000000");
    assertThat(call.context().region()).isEqualTo("eu-central-1");
    assertThat(call.context().baseUrl()).isEqualTo("http://127.0.0.1:" + port);
    assertThat(response.headers().firstValue("x-amzn-RequestId")).contains(call.context().requestId());
  }

  @Test
  void anEmptyJsonBodyIsAnEmptyInput() throws Exception {
    assertThat(json("ListQueues", "").statusCode()).isEqualTo(200);
    assertThat(lastCall().input()).isEqualTo(new JsonObject());
  }

  @Test
  void serviceErrorsRenderAsJsonWithTheQueryHeader() throws Exception {
    HttpResponse<String> response = json("GetQueueUrl", "{\"QueueName\":\"missing\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject()
        .put("__type", "com.amazonaws.sqs#QueueDoesNotExist").put("message", "The specified queue does not exist."));
    assertThat(response.headers().firstValue("x-amzn-query-error")).contains("AWS.SimpleQueueService.NonExistentQueue;Sender");
  }

  @Test
  void malformedJsonIsASerializationException() throws Exception {
    for (String body : new String[] {"{\"QueueName\":", "[1,2]", "\"text\""}) {
      HttpResponse<String> response = json("CreateQueue", body);
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(response.body()).getString("__type")).isEqualTo("com.amazon.coral.service#SerializationException");
      assertThat(response.headers().firstValue("x-amzn-query-error")).contains("MalformedInput;Sender");
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void unknownJsonOperationsAreRefused() throws Exception {
    HttpResponse<String> unknown = json("Frobnicate", "{}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(unknown.body()).getString("__type")).isEqualTo("com.amazon.coral.service#UnknownOperationException");
    assertThat(unknown.headers().firstValue("x-amzn-query-error")).contains("InvalidAction;Sender");
    HttpResponse<String> otherService = send(request(port, "/").header("Content-Type", JSON)
        .header("X-Amz-Target", "DynamoDB_20120810.GetItem").POST(BodyPublishers.ofString("{}")).build());
    assertThat(otherService.statusCode()).isEqualTo(400);
    HttpResponse<String> noTarget = send(request(port, "/").header("Content-Type", JSON).POST(BodyPublishers.ofString("{}")).build());
    assertThat(noTarget.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(noTarget.body()).getString("__type")).isEqualTo("com.amazon.coral.service#UnknownOperationException");
    assertThat(seen).isEmpty();
  }

  @Test
  void queryFormPostedToTheQueueUrl() throws Exception {
    HttpResponse<String> response = form(port, "/000000000000/orders",
        "Action=SendMessage&Version=2012-11-05&MessageBody=hi+there&MessageAttribute.1.Name=a"
            + "&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=x");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/xml");
    ApiRequest call = lastCall();
    assertThat(response.body()).isEqualTo("<?xml version=\"1.0\"?><SendMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
        + "<SendMessageResult><MD5OfMessageBody>md5</MD5OfMessageBody><MessageId>m-1</MessageId></SendMessageResult>"
        + "<ResponseMetadata><RequestId>" + call.context().requestId() + "</RequestId></ResponseMetadata></SendMessageResponse>");
    assertThat(call.input()).isEqualTo(new JsonObject()
        .put("QueueUrl", "http://127.0.0.1:" + port + "/000000000000/orders")
        .put("MessageBody", "hi there")
        .put("MessageAttributes", new JsonObject().put("a", new JsonObject().put("StringValue", "x").put("DataType", "String"))));
    assertThat(call.context().region()).isEqualTo("us-east-1");
  }

  @Test
  void queryGetWithAQueryString() throws Exception {
    HttpResponse<String> response = send(request(port, "/?Action=ReceiveMessage&QueueUrl=http%3A%2F%2Fh%2F0%2Fq&MaxNumberOfMessages=2")
        .GET().build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("<Message><MessageId>m-1</MessageId><ReceiptHandle>rh</ReceiptHandle><Body>a&#xD;\nb</Body></Message>");
    assertThat(lastCall().input()).isEqualTo(new JsonObject().put("QueueUrl", "http://h/0/q").put("MaxNumberOfMessages", 2));
  }

  @Test
  void queryErrorsAreXml() throws Exception {
    HttpResponse<String> missing = form(port, "/", "Action=GetQueueUrl&QueueName=missing");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"
        + "<Message>The specified queue does not exist for this wsdl version.</Message><Detail/>");
    HttpResponse<String> unknown = form(port, "/", "Action=Frobnicate&Version=2012-11-05");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("<Code>InvalidAction</Code>");
    HttpResponse<String> noAction = send(request(port, "/").GET().build());
    assertThat(noAction.statusCode()).isEqualTo(400);
    assertThat(noAction.body()).contains("<Code>InvalidAction</Code>");
    HttpResponse<String> malformed = form(port, "/", "Action=SendMessage&MessageBody=%E2%82");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("<Code>MalformedQueryString</Code>");
  }

  @Test
  void stsGetCallerIdentityByVersionOrScope() throws Exception {
    HttpResponse<String> byVersion = form(prodPort, "/", "Action=GetCallerIdentity&Version=2011-06-15");
    assertThat(byVersion.statusCode()).isEqualTo(200);
    assertThat(byVersion.body()).contains("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains("<Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><Account>123456789012</Account>");
    HttpResponse<String> byScope = send(request(port, "/").header("Content-Type", FORM)
        .header("Authorization", SIGV4.formatted("sts")).POST(BodyPublishers.ofString("Action=GetCallerIdentity")).build());
    assertThat(byScope.body()).contains("<Account>000000000000</Account>");
    HttpResponse<String> other = form(port, "/", "Action=GetFederationToken&Version=2011-06-15&Name=x");
    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(other.body()).contains("https://sts.amazonaws.com/doc/2011-06-15/").contains("<Code>InvalidAction</Code>");
    // AssumeRole is answered now, with STS's input rules (it used to be InvalidAction).
    HttpResponse<String> noRole = form(port, "/", "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1");
    assertThat(noRole.statusCode()).isEqualTo(400);
    assertThat(noRole.body()).contains("<Code>ValidationError</Code>")
        .contains("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    assertThat(seen).isEmpty();
  }

  @Test
  void bodiesOverTheCapAre413InTheCallersProtocol() throws Exception {
    String big = "x".repeat(MAX_BYTES + 1);
    HttpResponse<String> declared = json("SendMessage", "{\"MessageBody\":\"" + big + "\"}");
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(declared.body()).getString("__type")).isEqualTo("com.amazon.coral.service#RequestEntityTooLarge");
    assertThat(declared.headers().firstValue("x-amzn-query-error")).contains("RequestEntityTooLarge;Sender");

    InputStream chunked = new SequenceInputStream(Collections.enumeration(java.util.List.of(
        new java.io.ByteArrayInputStream(("Action=SendMessage&MessageBody=" + big).getBytes(StandardCharsets.UTF_8)))));
    HttpResponse<String> streamed = send(request(port, "/").header("Content-Type", FORM)
        .POST(BodyPublishers.ofInputStream(() -> chunked)).build());
    assertThat(streamed.statusCode()).isEqualTo(413);
    assertThat(streamed.body()).contains("<Code>RequestEntityTooLarge</Code>");
    assertThat(seen).isEmpty();
  }

  @Test
  void aConnectionStaysUsableAfterA413() throws Exception {
    try (RawHttp conn = new RawHttp(port)) {
      String body = "y".repeat(MAX_BYTES * 2);
      conn.write("POST / HTTP/1.1\r\nHost: example.test:1234\r\nContent-Type: " + FORM + "\r\nContent-Length: "
          + body.length() + "\r\n\r\n" + body);
      assertThat(conn.read().status()).isEqualTo(413);
      conn.write("POST /000000000000/q HTTP/1.1\r\nHost: example.test:1234\r\nContent-Type: " + FORM
          + "\r\nContent-Length: 25\r\n\r\nAction=PurgeQueue&x=12345");
      assertThat(conn.read().status()).isEqualTo(500); // the fake never answers PurgeQueue
    }
    assertThat(lastCall().input().getString("QueueUrl")).isEqualTo("http://example.test:1234/000000000000/q");
  }

  @Test
  void anOversizedExpectContinueIsRefusedBeforeTheBody() throws Exception {
    try (RawHttp conn = new RawHttp(port)) {
      conn.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: " + JSON + "\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n"
          + "Expect: 100-continue\r\nContent-Length: " + (MAX_BYTES + 1) + "\r\n\r\n");
      RawHttp.Response response = conn.read();
      assertThat(response.status()).isEqualTo(413);
      assertThat(new JsonObject(response.body()).getString("__type")).isEqualTo("com.amazon.coral.service#RequestEntityTooLarge");
      assertThat(conn.closedByServer()).isTrue();
    }
  }

  @Test
  void anAcceptableExpectContinueGetsItsContinue() throws Exception {
    try (RawHttp conn = new RawHttp(port)) {
      String body = "{\"QueueName\":\"q\"}";
      conn.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: " + JSON + "\r\nX-Amz-Target: AmazonSQS.CreateQueue\r\n"
          + "Expect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n");
      // The server must say 100 Continue before the body; RawHttp.read skips it, so read the raw line here.
      byte[] interim = new byte[25];
      int n = 0;
      while (n < interim.length) n += conn.readInto(interim, n);
      assertThat(new String(interim, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 100 Continue");
      conn.write(body);
      assertThat(conn.read().status()).isEqualTo(200);
    }
    assertThat(lastCall().input()).isEqualTo(new JsonObject().put("QueueName", "q"));
  }

  @Test
  void aServiceThatDoesNotAnswerIsAnInternalFailureNotAHang() throws Exception {
    HttpResponse<String> json = json("PurgeQueue", "{\"QueueUrl\":\"http://h/0/q\"}");
    assertThat(json.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(json.body()).getString("__type")).isEqualTo("com.amazon.coral.service#InternalFailure");
    assertThat(json.headers().firstValue("x-amzn-query-error")).contains("InternalError;Receiver");
    HttpResponse<String> query = form(port, "/", "Action=PurgeQueue&QueueUrl=http%3A%2F%2Fh%2F0%2Fq");
    assertThat(query.statusCode()).isEqualTo(500);
    assertThat(query.body()).contains("<Type>Receiver</Type><Code>InternalError</Code>");
  }

  @Test
  void aConsumerThatFailsTheMessageIsAnInternalFailure() throws Exception {
    HttpResponse<String> response = json("DeleteQueue", "{\"QueueUrl\":\"http://h/0/q\"}");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(response.body()).getString("message")).contains("consumer crashed");
  }
}
