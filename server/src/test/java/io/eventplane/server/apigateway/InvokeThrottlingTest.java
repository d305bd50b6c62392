package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.GetStageResponse;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.apigatewayv2.model.RouteSettings;

/**
 * Stage throttling on HTTP APIs' invoke URLs: a route's RouteSettings limits over the stage's
 * DefaultRouteSettings, a bucket per route, 429 {@code {"message":"Too Many Requests"}} when one is
 * empty, refilled at the rate as the server's clock moves (the clock is the test's: it stands still
 * until advanced). Buckets are per gateway node, so each test speaks to one node.
 */
class InvokeThrottlingTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String apiId;
  private String integrationId;

  @BeforeEach
  void api() {
    String functionArn = Functions.create(server.lambda(), "echo", "io.eventplane.examples.HttpEcho::handleRequest").functionArn();
    apiId = v2.createApi(b -> b.name("throttled").protocolType(ProtocolType.HTTP)).apiId();
    integrationId = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(functionArn).payloadFormatVersion("2.0")).integrationId();
    for (String key : new String[] {"GET /limited", "GET /roomy", "GET /closed", "GET /free"}) {
      v2.createRoute(b -> b.apiId(apiId).routeKey(key).target("integrations/" + integrationId));
    }
  }

  @AfterEach
  void close() {
    v2.close();
  }

  private HttpResponse<byte[]> get(URI node, String path) throws Exception {
    return send(node, apiId, "GET", path, null);
  }

  @Test
  void routeSettingsOverTheStageDefaultsEachRouteItsOwnBucket() throws Exception {
    v2.createStage(b -> b.apiId(apiId).stageName("prod").autoDeploy(true)
        .defaultRouteSettings(RouteSettings.builder().throttlingBurstLimit(2).throttlingRateLimit(1.0).build())
        .routeSettings(Map.of(
            "GET /roomy", RouteSettings.builder().throttlingBurstLimit(4).build(),
            "GET /closed", RouteSettings.builder().throttlingBurstLimit(0).throttlingRateLimit(0.0).build())));
    URI node = server.endpoint(EmbeddedServer.nodes() - 1);
    for (int i = 0; i < 2; i++) assertThat(get(node, "/prod/limited").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> refused = get(node, "/prod/limited");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(new JsonObject(text(refused))).isEqualTo(new JsonObject().put("message", "Too Many Requests"));
    assertThat(refused.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(refused.headers().firstValue("apigw-requestid")).isPresent();

    // RouteSettings' burst over the default; its rate from the default (1/s).
    for (int i = 0; i < 4; i++) assertThat(get(node, "/prod/roomy").statusCode()).as("roomy " + i).isEqualTo(200);
    assertThat(get(node, "/prod/roomy").statusCode()).isEqualTo(429);
    // A limit of 0 blocks the route.
    assertThat(get(node, "/prod/closed").statusCode()).isEqualTo(429);

    // The buckets refill at the rate, by the server's clock.
    server.advance(Duration.ofSeconds(1));
    assertThat(get(node, "/prod/limited").statusCode()).isEqualTo(200);
    assertThat(get(node, "/prod/limited").statusCode()).isEqualTo(429);
    assertThat(get(node, "/prod/roomy").statusCode()).isEqualTo(200);
    assertThat(get(node, "/prod/roomy").statusCode()).isEqualTo(429);
    server.advance(Duration.ofSeconds(10));
    assertThat(get(node, "/prod/closed").statusCode()).isEqualTo(429);
    for (int i = 0; i < 2; i++) assertThat(get(node, "/prod/limited").statusCode()).isEqualTo(200);
    assertThat(get(node, "/prod/limited").statusCode()).isEqualTo(429);
  }

  @Test
  void unsetLimitsAreAbsentAndDoNotThrottle() throws Exception {
    v2.createStage(b -> b.apiId(apiId).stageName("open").autoDeploy(true)
        .routeSettings(Map.of("GET /limited", RouteSettings.builder().detailedMetricsEnabled(true).build())));
    GetStageResponse stage = v2.getStage(b -> b.apiId(apiId).stageName("open"));
    assertThat(stage.defaultRouteSettings().throttlingBurstLimit()).isNull();
    assertThat(stage.defaultRouteSettings().throttlingRateLimit()).isNull();
    assertThat(stage.routeSettings().get("GET /limited").throttlingBurstLimit()).isNull();
    URI node = server.endpoint();
    for (int i = 0; i < 30; i++) {
      assertThat(get(node, "/open/limited").statusCode()).isEqualTo(200);
      assertThat(get(node, "/open/free").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aNewDeploymentTakesNewLimits() throws Exception {
    v2.createStage(b -> b.apiId(apiId).stageName("prod").autoDeploy(true)
        .defaultRouteSettings(RouteSettings.builder().throttlingBurstLimit(1).throttlingRateLimit(1.0).build()));
    URI node = server.endpoint();
    assertThat(get(node, "/prod/free").statusCode()).isEqualTo(200);
    assertThat(get(node, "/prod/free").statusCode()).isEqualTo(429);
    v2.updateStage(b -> b.apiId(apiId).stageName("prod")
        .routeSettings(Map.of("GET /free", RouteSettings.builder().throttlingBurstLimit(50).throttlingRateLimit(50.0).build())));
    // The change reaches every node's cache by a notice: until then the old limits hold.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      server.advance(Duration.ofSeconds(1));
      assertThat(get(node, "/prod/free").statusCode()).isEqualTo(200);
      assertThat(get(node, "/prod/free").statusCode()).isEqualTo(200);
    });
  }
}
