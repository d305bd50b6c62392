package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * The bus operation the gateways' invoke plane reads ({@code GetDeployedStage} at
 * {@code eventplane.apigateway}): what a stage serves, in the v2 Get* output shapes, asked of any
 * node by an API id alone; and the {@code eventplane.apigateway.changed} notice every change publishes.
 */
class DeployedStagesTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();
  static final String LAMBDA = "arn:aws:lambda:us-east-1:000000000000:function:orders";

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);

  @AfterEach
  void close() {
    v2.close();
  }

  private static ApiReply deployedStage(int node, String apiId, String stage) throws Exception {
    // The invoke plane knows no account: its context is any (the default one here).
    RequestContext anyone = new RequestContext("999999999999", "eu-west-1", "test", "http://localhost");
    return server.vertx(node).eventBus().<ApiReply>request(Contracts.APIGATEWAY,
        new ApiRequest("GetDeployedStage", new JsonObject().put("ApiId", apiId).put("StageName", stage), anyone))
        .map(m -> m.body()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void anAutoDeployStageServesTheApiAsItIs() throws Exception {
    String apiId = v2.createApi(b -> b.name("deployed").protocolType(ProtocolType.HTTP)).apiId();
    String integrationId = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(LAMBDA).payloadFormatVersion("2.0")).integrationId();
    String routeId = v2.createRoute(b -> b.apiId(apiId).routeKey("GET /orders/{id}").target("integrations/" + integrationId))
        .routeId();
    v2.createStage(b -> b.apiId(apiId).stageName("prod").autoDeploy(true).stageVariables(java.util.Map.of("color", "blue")));

    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      ApiReply reply = deployedStage(node, apiId, "prod");
      assertThat(reply.succeeded()).as("%s", reply.error()).isTrue();
      JsonObject out = reply.output();
      assertThat(out.getString("Kind")).isEqualTo("HTTP");
      assertThat(out.getString("Account")).isEqualTo("000000000000");
      assertThat(out.getString("Region")).isEqualTo("us-east-1");
      assertThat(out.getJsonObject("Api").getString("ApiId")).isEqualTo(apiId);
      assertThat(out.getJsonObject("Api").getString("ProtocolType")).isEqualTo("HTTP");
      assertThat(out.getJsonObject("Stage").getString("StageName")).isEqualTo("prod");
      assertThat(out.getJsonObject("Stage").getBoolean("AutoDeploy")).isTrue();
      assertThat(out.getJsonObject("Stage").getJsonObject("StageVariables").getString("color")).isEqualTo("blue");
      JsonArray routes = out.getJsonArray("Routes");
      assertThat(routes).hasSize(1);
      assertThat(routes.getJsonObject(0).getString("RouteId")).isEqualTo(routeId);
      assertThat(routes.getJsonObject(0).getString("RouteKey")).isEqualTo("GET /orders/{id}");
      assertThat(routes.getJsonObject(0).getString("Target")).isEqualTo("integrations/" + integrationId);
      assertThat(routes.getJsonObject(0).getString("AuthorizationType")).isEqualTo("NONE");
      JsonObject integration = out.getJsonArray("Integrations").getJsonObject(0);
      assertThat(integration.getString("IntegrationId")).isEqualTo(integrationId);
      assertThat(integration.getString("IntegrationType")).isEqualTo("AWS_PROXY");
      assertThat(integration.getString("IntegrationUri")).isEqualTo(LAMBDA);
      assertThat(integration.getString("PayloadFormatVersion")).isEqualTo("2.0");
      assertThat(integration.getInteger("TimeoutInMillis")).isEqualTo(30000);
      assertThat(out.getJsonArray("Authorizers")).isEmpty();
    }

    // A change shows at once in an AutoDeploy stage.
    v2.createRoute(b -> b.apiId(apiId).routeKey("POST /orders").target("integrations/" + integrationId));
    assertThat(deployedStage(0, apiId, "prod").output().getJsonArray("Routes")).hasSize(2);
  }

  @Test
  void unknownApisAndStagesAreNotFound() throws Exception {
    String apiId = v2.createApi(b -> b.name("staged").protocolType(ProtocolType.HTTP)).apiId();
    assertThat(deployedStage(0, apiId, "nope").error().code()).isEqualTo("NotFoundException");
    assertThat(deployedStage(0, "0000000000", "prod").error().code()).isEqualTo("NotFoundException");
    assertThat(deployedStage(0, "bad", "prod").error().code()).isEqualTo("NotFoundException");
  }

  @Test
  void quickCreateMakesTheDefaultStageRouteAndIntegration() throws Exception {
    String apiId = v2.createApi(b -> b.name("quick").protocolType(ProtocolType.HTTP).target(LAMBDA)).apiId();
    JsonObject out = deployedStage(0, apiId, "$default").output();
    assertThat(out.getJsonObject("Stage").getBoolean("AutoDeploy")).isTrue();
    assertThat(out.getJsonObject("Stage").getString("DeploymentId")).isNotNull();
    JsonObject route = out.getJsonArray("Routes").getJsonObject(0);
    assertThat(route.getString("RouteKey")).isEqualTo("$default");
    JsonObject integration = out.getJsonArray("Integrations").getJsonObject(0);
    assertThat(route.getString("Target")).isEqualTo("integrations/" + integration.getString("IntegrationId"));
    assertThat(integration.getString("PayloadFormatVersion")).isEqualTo("2.0");
    assertThat(integration.getBoolean("ApiGatewayManaged")).isTrue();
  }

  @Test
  void everyChangeIsPublishedToEveryNode() {
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    List<MessageConsumer<JsonObject>> consumers = new java.util.ArrayList<>();
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      consumers.add(server.vertx(node).eventBus().<JsonObject>consumer(Contracts.APIGATEWAY_CHANGED, m -> seen.add(m.body())));
    }
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> consumers.stream().allMatch(MessageConsumer::isRegistered));
      String apiId = v2.createApi(b -> b.name("noticed").protocolType(ProtocolType.HTTP)).apiId();
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().filter(j -> apiId.equals(j.getString("ApiId"))).count()
          == EmbeddedServer.nodes());
      seen.clear();
      v2.createStage(b -> b.apiId(apiId).stageName("dev"));
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().filter(j -> apiId.equals(j.getString("ApiId"))).count()
          == EmbeddedServer.nodes());
    } finally {
      consumers.forEach(MessageConsumer::unregister);
    }
  }

  @Test
  void aStageWithoutAutoDeployServesItsDeploymentUntilTheNextOne() throws Exception {
    String apiId = v2.createApi(b -> b.name("deploy-by-hand").protocolType(ProtocolType.HTTP)).apiId();
    String integrationId = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(LAMBDA).payloadFormatVersion("1.0")).integrationId();
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /a").target("integrations/" + integrationId));
    v2.createStage(b -> b.apiId(apiId).stageName("prod"));
    assertThat(deployedStage(0, apiId, "prod").error().code()).as("no deployment yet").isEqualTo("NotFoundException");
    v2.createDeployment(b -> b.apiId(apiId).stageName("prod"));
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /b").target("integrations/" + integrationId));
    assertThat(deployedStage(0, apiId, "prod").output().getJsonArray("Routes")).as("as deployed").hasSize(1);
    v2.createDeployment(b -> b.apiId(apiId).stageName("prod"));
    assertThat(deployedStage(0, apiId, "prod").output().getJsonArray("Routes")).hasSize(2);
  }
}
