package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * HTTP APIs' AWS service integrations (AWS_PROXY with an integration subtype) at their invoke URLs:
 * request parameters mapped from the body, headers, query string, path, context and stage
 * variables into SQS, EventBridge and Kinesis calls; the service's JSON output as a 200 answer and
 * its errors with their status; Step Functions, which this server lacks, a 500.
 */
class InvokeServiceIntegrationsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String ROLE = "arn:aws:iam::000000000000:role/apigw";
  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String apiId;

  @BeforeEach
  void api() {
    apiId = v2.createApi(b -> b.name("services").protocolType(ProtocolType.HTTP)).apiId();
    v2.createStage(b -> b.apiId(apiId).stageName("live").autoDeploy(true).stageVariables(Map.of("source", "app.orders")));
  }

  @AfterEach
  void close() {
    v2.close();
  }

  private void route(String key, String subtype, Map<String, String> parameters) {
    String id = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationSubtype(subtype)
        .credentialsArn(ROLE).payloadFormatVersion("1.0").requestParameters(parameters)).integrationId();
    v2.createRoute(b -> b.apiId(apiId).routeKey(key).target("integrations/" + id));
  }

  @Test
  void sqsSendReceiveDeleteAndPurge() throws Exception {
    String queueUrl = server.sqs().createQueue(b -> b.queueName("orders")).queueUrl();
    route("POST /orders/{id}", "SQS-SendMessage", Map.of("QueueUrl", queueUrl,
        "MessageBody", "order $request.path.id for ${request.header.x-tenant}: $request.body.item",
        "DelaySeconds", "$request.querystring.delay"));
    route("GET /orders", "SQS-ReceiveMessage", Map.of("QueueUrl", queueUrl, "MaxNumberOfMessages", "$request.querystring.max",
        "AttributeNames", "All"));
    route("DELETE /orders", "SQS-DeleteMessage", Map.of("QueueUrl", queueUrl, "ReceiptHandle", "$request.header.x-receipt"));
    route("POST /purge", "SQS-PurgeQueue", Map.of("QueueUrl", queueUrl));

    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      HttpResponse<byte[]> sent = send(server.endpoint(node), apiId, "POST", "/live/orders/7?delay=0", "{\"item\":\"book\"}",
          "Content-Type", "application/json", "X-Tenant", "acme");
      assertThat(sent.statusCode()).as(text(sent)).isEqualTo(200);
      assertThat(sent.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(new JsonObject(text(sent)).getString("MessageId")).isNotEmpty();
    }

    HttpResponse<byte[]> received = send(server.endpoint(), apiId, "GET", "/live/orders?max=10", null);
    assertThat(received.statusCode()).as(text(received)).isEqualTo(200);
    JsonArray messages = new JsonObject(text(received)).getJsonArray("Messages");
    assertThat(messages).isNotEmpty();
    JsonObject message = messages.getJsonObject(0);
    assertThat(message.getString("Body")).isEqualTo("order 7 for acme: book");
    assertThat(message.getJsonObject("Attributes").getString("SentTimestamp")).isNotEmpty();

    HttpResponse<byte[]> deleted = send(server.endpoint(), apiId, "DELETE", "/live/orders", null,
        "X-Receipt", message.getString("ReceiptHandle"));
    assertThat(deleted.statusCode()).as(text(deleted)).isEqualTo(200);

    HttpResponse<byte[]> badReceipt = send(server.endpoint(), apiId, "DELETE", "/live/orders", null, "X-Receipt", "nonsense");
    assertThat(badReceipt.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(text(badReceipt)).getString("__type")).isEqualTo("ReceiptHandleIsInvalid");

    assertThat(send(server.endpoint(), apiId, "POST", "/live/purge", null).statusCode()).isEqualTo(200);
    assertThat(server.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(0)).messages()).isEmpty();
  }

  @Test
  void eventBridgePutEvents() throws Exception {
    route("POST /events", "EventBridge-PutEvents", Map.of("Source", "$stageVariables.source", "DetailType", "$request.header.x-type",
        "Detail", "$request.body"));
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "POST", "/live/events", "{\"id\":1}", "Content-Type", "application/json",
        "X-Type", "OrderPlaced");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    JsonObject out = new JsonObject(text(r));
    assertThat(out.getInteger("FailedEntryCount")).isZero();
    assertThat(out.getJsonArray("Entries").getJsonObject(0).getString("EventId")).isNotEmpty();

    // A Detail that is not a JSON object is the entry's failure, as PutEvents reports it.
    HttpResponse<byte[]> bad = send(server.endpoint(), apiId, "POST", "/live/events", "not json", "X-Type", "OrderPlaced");
    assertThat(bad.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(text(bad)).getInteger("FailedEntryCount")).isEqualTo(1);
  }

  @Test
  void serviceErrorsKeepTheirStatusAndCode() throws Exception {
    route("POST /records", "Kinesis-PutRecord", Map.of("StreamName", "missing", "Data", "$request.body.data",
        "PartitionKey", "$context.requestId"));
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "POST", "/live/records", "{\"data\":\"aGk=\"}",
        "Content-Type", "application/json");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonObject error = new JsonObject(text(r));
    assertThat(error.getString("__type")).isEqualTo("ResourceNotFoundException");
    assertThat(error.getString("message")).contains("missing");
  }

  @Test
  void stepFunctionsIsNotAvailable() throws Exception {
    route("POST /start", "StepFunctions-StartExecution",
        Map.of("StateMachineArn", "arn:aws:states:us-east-1:000000000000:stateMachine:m", "Input", "$request.body"));
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "POST", "/live/start", "{}");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(text(r)).isEqualTo("{\"message\":\"Internal Server Error\"}");
  }
}
