package io.eventplane.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.error.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Real AWS SDK clients against the gateway and a fake SQS: SDK v2 speaks AWS JSON to SQS and
 * Query to STS, SDK v1 speaks Query to SQS. They check the MD5s, parse the XML and map error
 * codes to exception classes, so this is where the wire forms are proven, not just asserted.
 */
class SdkClientsTest {
  /** CR, markup and a surrogate pair: what a Query XML body must carry unchanged. */
  private static final String BODY = "hello\r\nworld & <xml> \"q\" \uD83D\uDE00";

  private static Vertx vertx;
  private static String endpoint;
  private static SqsClient sqs2;
  private static StsClient sts2;
  private static AmazonSQS sqs1;
  private static final BlockingQueue<ApiRequest> seen = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Contracts.register(vertx.eventBus());
    await(vertx.eventBus().<ApiRequest>consumer(Contracts.SQS, message -> {
      seen.add(message.body());
      message.reply(fakeSqs(message.body()));
    }).completion());
    GatewayVerticle gateway = new GatewayVerticle(EventplaneConfig.defaults().withPort(0));
    await(vertx.deployVerticle(gateway));
    endpoint = "http://127.0.0.1:" + gateway.actualPort();
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"));
    sqs2 = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
    sts2 = StsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
    sqs1 = AmazonSQSClientBuilder.standard()
        .withEndpointConfiguration(new EndpointConfiguration(endpoint, "us-east-1"))
        .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("AKID", "secret")))
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    sqs2.close();
    sts2.close();
    sqs1.shutdown();
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String md5(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static ApiReply fakeSqs(ApiRequest request) {
    JsonObject in = request.input();
    String queueUrl = request.context().baseUrl() + "/" + request.context().accountId() + "/orders";
    return switch (request.operation()) {
      case "CreateQueue" -> ApiReply.ok(new JsonObject().put("QueueUrl", queueUrl));
      case "GetQueueUrl" -> ApiReply.failed(ServiceError.sender("QueueDoesNotExist", "The specified queue does not exist."));
      case "SendMessage" -> ApiReply.ok(new JsonObject().put("MessageId", "m-1").put("MD5OfMessageBody", md5(in.getString("MessageBody"))));
      case "SendMessageBatch" -> {
        JsonArray ok = new JsonArray();
        JsonArray failed = new JsonArray();
        for (Object e : in.getJsonArray("Entries")) {
          JsonObject entry = (JsonObject) e;
          if (entry.getString("Id").equals("bad")) {
            failed.add(new JsonObject().put("Id", "bad").put("SenderFault", true).put("Code", "InvalidParameterValue").put("Message", "no"));
          } else {
            ok.add(new JsonObject().put("Id", entry.getString("Id")).put("MessageId", "m-" + entry.getString("Id"))
                .put("MD5OfMessageBody", md5(entry.getString("MessageBody"))));
          }
        }
        yield ApiReply.ok(new JsonObject().put("Successful", ok).put("Failed", failed));
      }
      case "ReceiveMessage" -> ApiReply.ok(new JsonObject().put("Messages", new JsonArray().add(new JsonObject()
          .put("MessageId", "m-1").put("ReceiptHandle", "rh-1").put("MD5OfBody", md5(BODY)).put("Body", BODY)
          .put("Attributes", new JsonObject().put("SentTimestamp", "1700000000000")))));
      case "GetQueueAttributes" -> ApiReply.ok(new JsonObject().put("Attributes",
          new JsonObject().put("VisibilityTimeout", "30").put("QueueArn", "arn:aws:sqs:us-east-1:000000000000:orders")));
      case "ListQueues" -> ApiReply.ok(new JsonObject().put("QueueUrls", new JsonArray().add(queueUrl)));
      case "ListQueueTags" -> ApiReply.ok(new JsonObject().put("Tags", new JsonObject().put("team", "core")));
      case "ChangeMessageVisibility" -> ApiReply.failed(ServiceError.sender("InvalidParameterValue", "Value 99999 for parameter VisibilityTimeout is invalid."));
      case "DeleteMessage" -> ApiReply.failed(ServiceError.sender("ReceiptHandleIsInvalid", "The input receipt handle is invalid."));
      default -> ApiReply.ok(new JsonObject());
    };
  }

  @Test
  void sdkV2OverJson() {
    String url = sqs2.createQueue(b -> b.queueName("orders")).queueUrl();
    assertThat(url).isEqualTo(endpoint + "/000000000000/orders");
    assertThat(sqs2.sendMessage(b -> b.queueUrl(url).messageBody(BODY)).messageId()).isEqualTo("m-1");
    var messages = sqs2.receiveMessage(b -> b.queueUrl(url).messageSystemAttributeNamesWithStrings("All")).messages();
    assertThat(messages).singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo(BODY);
      assertThat(m.attributesAsStrings()).containsEntry("SentTimestamp", "1700000000000");
    });
  }

  @Test
  void sdkV2MapsJsonErrors() {
    assertThatThrownBy(() -> sqs2.getQueueUrl(b -> b.queueName("missing")))
        .isInstanceOfSatisfying(QueueDoesNotExistException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThatThrownBy(() -> sqs2.deleteMessage(b -> b.queueUrl("http://h/0/q").receiptHandle("x")))
        .isInstanceOfSatisfying(ReceiptHandleIsInvalidException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> sqs2.changeMessageVisibility(b -> b.queueUrl("http://h/0/q").receiptHandle("x").visibilityTimeout(99999)))
        .isInstanceOfSatisfying(SqsException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Value 99999 for parameter VisibilityTimeout is invalid.");
        });
  }

  @Test
  void sdkV2StsOverQuery() {
    var identity = sts2.getCallerIdentity();
    assertThat(identity.account()).isEqualTo("000000000000");
    assertThat(identity.arn()).isEqualTo("arn:aws:iam::000000000000:root");
    assertThat(identity.userId()).isEqualTo("000000000000");
  }

  @Test
  void sdkV1OverQuery() throws InterruptedException {
    String url = sqs1.createQueue("orders").getQueueUrl();
    assertThat(url).isEqualTo(endpoint + "/000000000000/orders");
    seen.clear();
    assertThat(sqs1.sendMessage(url, BODY).getMessageId()).isEqualTo("m-1");
    assertThat(seen.poll(5, TimeUnit.SECONDS).input().getString("MessageBody")).isEqualTo(BODY);

    var received = sqs1.receiveMessage(new com.amazonaws.services.sqs.model.ReceiveMessageRequest(url)
        .withAttributeNames("All").withMaxNumberOfMessages(5)).getMessages();
    assertThat(received).singleElement().satisfies(m -> {
      assertThat(m.getBody()).isEqualTo(BODY);
      assertThat(m.getReceiptHandle()).isEqualTo("rh-1");
      assertThat(m.getAttributes()).containsEntry("SentTimestamp", "1700000000000");
    });

    var batch = sqs1.sendMessageBatch(url, List.of(new SendMessageBatchRequestEntry("a", "one"),
        new SendMessageBatchRequestEntry("bad", "two")));
    assertThat(batch.getSuccessful()).singleElement().satisfies(e -> assertThat(e.getMessageId()).isEqualTo("m-a"));
    assertThat(batch.getFailed()).singleElement().satisfies(e -> {
      assertThat(e.getCode()).isEqualTo("InvalidParameterValue");
      assertThat(e.getSenderFault()).isTrue();
    });

    assertThat(sqs1.getQueueAttributes(url, List.of("All")).getAttributes())
        .isEqualTo(Map.of("VisibilityTimeout", "30", "QueueArn", "arn:aws:sqs:us-east-1:000000000000:orders"));
    assertThat(sqs1.listQueues().getQueueUrls()).containsExactly(url);
    assertThat(sqs1.listQueueTags(url).getTags()).isEqualTo(Map.of("team", "core"));
  }

  @Test
  void sdkV1MapsQueryErrors() {
    assertThatThrownBy(() -> sqs1.getQueueUrl("missing"))
        .isInstanceOfSatisfying(com.amazonaws.services.sqs.model.QueueDoesNotExistException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(400);
          assertThat(e.getErrorCode()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
        });
    assertThatThrownBy(() -> sqs1.deleteMessage(endpoint + "/000000000000/orders", "x"))
        .isInstanceOfSatisfying(com.amazonaws.services.sqs.model.ReceiptHandleIsInvalidException.class,
            e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }
}
