package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SIGKILL while publishing to a topic with three queue subscriptions, {@code --durability fsync}:
 * the outbox must deliver every acknowledged publish to every queue after the restart, whether
 * the kill came before, during or after its deliveries. Unacknowledged publishes may go either
 * way; nothing that was never published may appear. What the mobile push and SMS calls
 * acknowledged before the kill (a platform application, its endpoint, an SMS attribute, a push
 * recorded for the endpoint) is there after it too. (EventBridge's PutEvents across a kill -9:
 * {@link EventBridgeKillNineProcessIT}.)
 *
 * <p>The same run (one JVM start-up for both) holds API Gateway to its promise that an acknowledged
 * definition survives: two more threads define HTTP APIs (CreateApi, CreateIntegration,
 * CreateRoute, CreateStage with AutoDeploy; SDK retries off) until the kill; after the restart every
 * acknowledged API, integration, route and stage is there as answered, the stage deployed. A third
 * defines REST APIs (CreateRestApi, CreateResource, PutMethod, PutIntegration with a Kinesis action and
 * its request template, PutMethodResponse, CreateDeployment with a stage): every acknowledged one is
 * there after the restart, the stage serving the deployment that was answered.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SnsKillNineProcessIT {
  private static final int PUBLISHERS = 4;
  private static final List<String> QUEUES = List.of("fan-a", "fan-b", "fan-c");

  private KillNineHarness harness;
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();
  private static final int API_DEFINERS = 2;
  private static final String LAMBDA = "arn:aws:lambda:us-east-1:000000000000:function:durable";
  /** Acknowledged API Gateway definitions: {@code apiId}, {@code apiId/integrations/id}, {@code apiId/routes/id}, {@code apiId/stages/name}. */
  private final Set<String> defined = ConcurrentHashMap.newKeySet();
  private static final int REST_DEFINERS = 1;
  private static final String PUT_RECORD = "{\"StreamName\": \"$input.params('stream')\", \"Data\": \"$util.base64Encode($input.body)\","
      + " \"PartitionKey\": \"$context.requestId\"}";
  /** Acknowledged REST API definitions: {@code apiId}, {@code apiId/resources/id}, {@code apiId/methods/id},
   * {@code apiId/integrations/id}, {@code apiId/responses/id}, {@code apiId/deployments/id}. */
  private final Set<String> restDefined = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void harness() throws Exception {
    harness = new KillNineHarness("eventplane-sns-kill9");
  }

  @AfterEach
  void stopEverything() throws Exception {
    harness.close();
  }

  @Test
  void everyAcknowledgedPublishReachesEveryQueueAfterKillNine() throws Exception {
    ServerProcess first = harness.start("first.log");
    SnsClient setup = harness.sns(first, true);
    SqsClient sqs = harness.sqs(first);
    String topic = setup.createTopic(b -> b.name("durable-fan-out")).topicArn();
    for (String name : QUEUES) {
      String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
      String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributesAsStrings().get("QueueArn");
      setup.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn).attributes(Map.of("RawMessageDelivery", "true")));
    }
    String app = setup.createPlatformApplication(b -> b.name("durable-app").platform("GCM")
        .attributes(Map.of("PlatformCredential", "server-key"))).platformApplicationArn();
    String endpoint = setup.createPlatformEndpoint(b -> b.platformApplicationArn(app).token("durable-token")
        .customUserData("user-1")).endpointArn();
    setup.setSMSAttributes(b -> b.attributes(Map.of("DefaultSMSType", "Transactional")));
    String pushed = setup.publish(b -> b.targetArn(endpoint).message("durable push")).messageId();
    SnsClient load = harness.sns(first, false);
    ApiGatewayV2Client apis = harness.apiGatewayV2(first, false);
    ApiGatewayClient restApis = harness.apiGateway(first, false);
    harness.load(PUBLISHERS + API_DEFINERS + REST_DEFINERS, (thread, n) -> {
      if (thread < PUBLISHERS) publish(load, topic, thread, n);
      else if (thread < PUBLISHERS + API_DEFINERS) define(apis, thread, n);
      else defineRest(restApis, thread, n);
    });
    // Kill mid-load: once a few hundred publishes are acknowledged (their deliveries still running).
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> harness.failure() != null || acknowledged.size() >= 300 && defined.size() >= 40
            && restDefined.size() >= 24);
    harness.killDuringLoad(first);

    ServerProcess second = harness.start("second.log");
    SnsClient snsAfter = harness.sns(second, true);
    assertThat(snsAfter.getPlatformApplicationAttributes(b -> b.platformApplicationArn(app)).attributes())
        .isEqualTo(Map.of("AuthenticationMethod", "Key", "Enabled", "true"));
    assertThat(snsAfter.getEndpointAttributes(b -> b.endpointArn(endpoint)).attributes())
        .isEqualTo(Map.of("CustomUserData", "user-1", "Enabled", "true", "Token", "durable-token"));
    assertThat(snsAfter.getSMSAttributes(b -> { }).attributes()).isEqualTo(Map.of("DefaultSMSType", "Transactional"));
    HttpResponse<String> pushes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(second.endpoint()
            .resolve("/_eventplane/sns/platform-endpoint-messages?region=us-east-1")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(pushes.body()).contains(pushed).contains("durable push");
    SqsClient after = harness.sqs(second);
    for (String name : QUEUES) {
      String url = after.getQueueUrl(b -> b.queueName(name)).queueUrl();
      Set<String> got = KillNineHarness.awaitArrivals(after, url, acknowledged, m -> m.body(), Duration.ofSeconds(30), false,
          "publishes in " + name);
      KillNineHarness.assertNothingUnknown(got, attempted, "messages in " + name);
    }
    assertDefined(harness.apiGatewayV2(second, true));
    assertRestDefined(harness.apiGateway(second, true));
    System.out.printf("SNS kill -9 after %d acknowledged publishes (%d attempted): all in all %d queues%n",
        acknowledged.size(), attempted.size(), QUEUES.size());
  }

  /** One API per step: the API, a Lambda integration, a route to it and an AutoDeploy stage, each noted once answered. */
  private void define(ApiGatewayV2Client apis, int thread, int n) {
    String apiId = apis.createApi(b -> b.name("durable-" + thread + "-" + n).protocolType(ProtocolType.HTTP)).apiId();
    defined.add(apiId);
    String integrationId = apis.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(LAMBDA).payloadFormatVersion("2.0")).integrationId();
    defined.add(apiId + "/integrations/" + integrationId);
    String routeId = apis.createRoute(b -> b.apiId(apiId).routeKey("POST /orders/{id}").target("integrations/" + integrationId))
        .routeId();
    defined.add(apiId + "/routes/" + routeId);
    apis.createStage(b -> b.apiId(apiId).stageName("prod").autoDeploy(true));
    defined.add(apiId + "/stages/prod");
  }

  /** One REST API per step: a resource with a PUT method integrated with Kinesis PutRecord, deployed to a stage. */
  private void defineRest(ApiGatewayClient apis, int thread, int n) {
    var api = apis.createRestApi(b -> b.name("durable-rest-" + thread + "-" + n));
    String apiId = api.id();
    restDefined.add(apiId);
    String resourceId = apis.createResource(b -> b.restApiId(apiId).parentId(api.rootResourceId()).pathPart("{stream}")).id();
    restDefined.add(apiId + "/resources/" + resourceId);
    apis.putMethod(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod("PUT").authorizationType("NONE"));
    restDefined.add(apiId + "/methods/" + resourceId);
    apis.putIntegration(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod("PUT")
        .type(software.amazon.awssdk.services.apigateway.model.IntegrationType.AWS).integrationHttpMethod("POST")
        .uri("arn:aws:apigateway:us-east-1:kinesis:action/PutRecord").requestTemplates(Map.of("application/json", PUT_RECORD)));
    restDefined.add(apiId + "/integrations/" + resourceId);
    apis.putMethodResponse(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod("PUT").statusCode("200"));
    restDefined.add(apiId + "/responses/" + resourceId);
    String deploymentId = apis.createDeployment(b -> b.restApiId(apiId).stageName("prod")).id();
    restDefined.add(apiId + "/deployments/" + deploymentId);
  }

  private void assertRestDefined(ApiGatewayClient apis) {
    for (String d : restDefined) {
      String[] parts = d.split("/");
      String apiId = parts[0];
      if (parts.length == 1) {
        assertThat(apis.getRestApi(b -> b.restApiId(apiId)).name()).as(d).startsWith("durable-rest-");
        continue;
      }
      String id = parts[2];
      switch (parts[1]) {
        case "resources" -> assertThat(apis.getResource(b -> b.restApiId(apiId).resourceId(id)).path()).as(d).isEqualTo("/{stream}");
        case "methods" -> assertThat(apis.getMethod(b -> b.restApiId(apiId).resourceId(id).httpMethod("PUT")).authorizationType())
            .as(d).isEqualTo("NONE");
        case "integrations" -> assertThat(apis.getIntegration(b -> b.restApiId(apiId).resourceId(id).httpMethod("PUT"))
            .requestTemplates()).as(d).containsEntry("application/json", PUT_RECORD);
        case "responses" -> assertThat(apis.getMethodResponse(b -> b.restApiId(apiId).resourceId(id).httpMethod("PUT")
            .statusCode("200")).statusCode()).as(d).isEqualTo("200");
        default -> {
          assertThat(apis.getDeployment(b -> b.restApiId(apiId).deploymentId(id)).id()).as(d).isEqualTo(id);
          assertThat(apis.getStage(b -> b.restApiId(apiId).stageName("prod")).deploymentId()).as(d).isEqualTo(id);
        }
      }
    }
    System.out.printf("API Gateway kill -9: all %d acknowledged REST API definitions there after the restart%n", restDefined.size());
  }

  private void assertDefined(ApiGatewayV2Client apis) {
    int checked = 0;
    for (String d : defined) {
      String[] parts = d.split("/");
      String apiId = parts[0];
      if (parts.length == 1) {
        assertThat(apis.getApi(b -> b.apiId(apiId)).name()).as(d).startsWith("durable-");
      } else if (parts[1].equals("integrations")) {
        assertThat(apis.getIntegration(b -> b.apiId(apiId).integrationId(parts[2])).integrationUri()).as(d).isEqualTo(LAMBDA);
      } else if (parts[1].equals("routes")) {
        assertThat(apis.getRoute(b -> b.apiId(apiId).routeId(parts[2])).routeKey()).as(d).isEqualTo("POST /orders/{id}");
      } else {
        var stage = apis.getStage(b -> b.apiId(apiId).stageName(parts[2]));
        assertThat(stage.autoDeploy()).as(d).isTrue();
        assertThat(stage.deploymentId()).as("%s: deployed (it had a route)", d).isNotNull();
      }
      checked++;
    }
    System.out.printf("API Gateway kill -9: all %d acknowledged APIs, integrations, routes and stages there after the restart%n",
        checked);
  }

  private void publish(SnsClient sns, String topic, int thread, int n) {
    if (n % 3 == 0) {
      List<PublishBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String body = "p" + thread + "-" + n + "-" + i;
        attempted.add(body);
        entries.add(PublishBatchRequestEntry.builder().id("e" + i).message(body).build());
      }
      PublishBatchResponse r = sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries));
      r.successful().forEach(s -> acknowledged.add(entries.get(Integer.parseInt(s.id().substring(1))).message()));
    } else {
      String body = "p" + thread + "-" + n;
      attempted.add(body);
      sns.publish(b -> b.topicArn(topic).message(body));
      acknowledged.add(body);
    }
  }
}
