package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * REST APIs' AWS integrations to the Query services and EventBridge: SQS SendMessage by a path-style URI
 * and a form-encoded template as AWS's SQS proxy tutorial has it, SNS Publish by an action-style URI,
 * EventBridge PutEvents with a JSON template; the services' JSON answers, and their errors chosen by an
 * integration response's selection pattern and mapped by its template and response parameters.
 */
class RestInvokeSqsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String ROLE = "arn:aws:iam::000000000000:role/apigw-sqs";
  private final ApiGatewayClient apigw = RestApiClients.v1(server);
  private String apiId;
  private String root;

  @BeforeEach
  void api() {
    var api = apigw.createRestApi(b -> b.name("queues"));
    apiId = api.id();
    root = api.rootResourceId();
  }

  @AfterEach
  void close() {
    apigw.close();
  }

  private void aws(String pathPart, String uri, String template) {
    String resource = apigw.createResource(b -> b.restApiId(apiId).parentId(root).pathPart(pathPart)).id();
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(resource).httpMethod("POST").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(resource).httpMethod("POST").type(IntegrationType.AWS)
        .integrationHttpMethod("POST").uri(uri).credentials(ROLE)
        .requestParameters(Map.of("integration.request.header.Content-Type", "'application/x-www-form-urlencoded'"))
        .requestTemplates(Map.of("application/json", template)).passthroughBehavior("NEVER"));
    for (String status : List.of("200", "400")) {
      apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(resource).httpMethod("POST").statusCode(status)
          .responseParameters(Map.of("method.response.header.X-Request-Id", false)));
    }
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(resource).httpMethod("POST").statusCode("200")
        .selectionPattern(""));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(resource).httpMethod("POST").statusCode("400")
        .selectionPattern("4\\d{2}")
        .responseParameters(Map.of("method.response.header.X-Request-Id", "'mapped'"))
        .responseTemplates(Map.of("application/json", "{\"problem\": \"$input.path('$.Error.Code')\"}")));
  }

  private static List<Message> receive(String queueUrl, int count) {
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      got.addAll(server.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages());
      return got.size() >= count;
    });
    return got;
  }

  @Test
  void sqsSendMessageByTheTutorialsPathStyleUri() throws Exception {
    String queueUrl = server.sqs().createQueue(b -> b.queueName("orders")).queueUrl();
    aws("orders", "arn:aws:apigateway:us-east-1:sqs:path/000000000000/orders",
        "Action=SendMessage&MessageBody=$util.urlEncode($input.body)");
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));

    List<String> bodies = new ArrayList<>();
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      String body = "{\"order\": " + node + ", \"note\": \"a&b=c\"}";
      HttpResponse<byte[]> sent = send(server.endpoint(node), apiId, "POST", "/prod/orders", body, "Content-Type", "application/json");
      assertThat(sent.statusCode()).as(text(sent)).isEqualTo(200);
      JsonObject result = new JsonObject(text(sent)).getJsonObject("SendMessageResponse").getJsonObject("SendMessageResult");
      assertThat(result.getString("MessageId")).isNotEmpty();
      assertThat(result.getString("MD5OfMessageBody")).hasSize(32);
      bodies.add(body);
    }
    assertThat(receive(queueUrl, bodies.size())).extracting(Message::body).containsExactlyInAnyOrderElementsOf(bodies);
  }

  @Test
  void aServiceErrorSelectsTheIntegrationResponseItsStatusMatches() throws Exception {
    aws("missing", "arn:aws:apigateway:us-east-1:sqs:path/000000000000/no-such-queue",
        "Action=SendMessage&MessageBody=$util.urlEncode($input.body)");
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));
    HttpResponse<byte[]> failed = send(server.endpoint(), apiId, "POST", "/prod/missing", "{}", "Content-Type", "application/json");
    assertThat(failed.statusCode()).as(text(failed)).isEqualTo(400);
    assertThat(new JsonObject(text(failed)).getString("problem")).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
    assertThat(failed.headers().firstValue("X-Request-Id")).hasValue("mapped");
    // NEVER passes nothing through: a body without a template for its type is refused.
    HttpResponse<byte[]> text = send(server.endpoint(), apiId, "POST", "/prod/missing", "hi", "Content-Type", "text/plain");
    assertThat(text.statusCode()).isEqualTo(415);
  }

  @Test
  void snsPublishAndEventBridgePutEvents() throws Exception {
    String queueUrl = server.sqs().createQueue(b -> b.queueName("fanout")).queueUrl();
    String queueArn = server.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
        .attributesAsStrings().get("QueueArn");
    String topicArn = server.sns().createTopic(b -> b.name("alerts")).topicArn();
    server.sns().subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
        .attributes(Map.of("RawMessageDelivery", "true")));
    aws("alerts", "arn:aws:apigateway:us-east-1:sns:action/Publish",
        "Action=Publish&TopicArn=$util.urlEncode('" + topicArn + "')&Message=$util.urlEncode($input.path('$.text'))");
    String events = apigw.createResource(b -> b.restApiId(apiId).parentId(root).pathPart("events")).id();
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(events).httpMethod("POST").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(events).httpMethod("POST").type(IntegrationType.AWS)
        .integrationHttpMethod("POST").uri("arn:aws:apigateway:us-east-1:events:action/PutEvents").credentials(ROLE)
        .requestTemplates(Map.of("application/json", """
            {"Entries": [{"Source": "app.orders", "DetailType": "OrderPlaced", "Detail": "$util.escapeJavaScript($input.json('$'))",
              "EventBusName": "default"}]}""")));
    apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(events).httpMethod("POST").statusCode("200"));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(events).httpMethod("POST").statusCode("200").selectionPattern(""));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));

    HttpResponse<byte[]> published = send(server.endpoint(), apiId, "POST", "/prod/alerts", "{\"text\": \"disk full\"}",
        "Content-Type", "application/json");
    assertThat(published.statusCode()).as(text(published)).isEqualTo(200);
    assertThat(new JsonObject(text(published)).getJsonObject("PublishResponse").getJsonObject("PublishResult").getString("MessageId"))
        .isNotEmpty();
    assertThat(receive(queueUrl, 1)).extracting(Message::body).containsExactly("disk full");

    HttpResponse<byte[]> put = send(server.endpoint(), apiId, "POST", "/prod/events", "{\"id\": 7}", "Content-Type", "application/json");
    assertThat(put.statusCode()).as(text(put)).isEqualTo(200);
    JsonObject answer = new JsonObject(text(put));
    assertThat(answer.getInteger("FailedEntryCount")).isZero();
    assertThat(answer.getJsonArray("Entries").getJsonObject(0).getString("EventId")).isNotEmpty();
  }
}
