package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.BadRequestException;
import software.amazon.awssdk.services.apigatewayv2.model.ConflictException;
import software.amazon.awssdk.services.apigatewayv2.model.CreateStageResponse;
import software.amazon.awssdk.services.apigatewayv2.model.DeploymentStatus;
import software.amazon.awssdk.services.apigatewayv2.model.GetStageResponse;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.NotFoundException;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.apigatewayv2.model.RouteSettings;

/** Stages and deployments with the SDK v2 client: AutoDeploy, explicit deployments, variables, throttling settings. */
class StagesTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String apiId;

  @BeforeEach
  void api() {
    apiId = v2.createApi(b -> b.name("stages").protocolType(ProtocolType.HTTP)).apiId();
  }

  @AfterEach
  void close() {
    v2.close();
  }

  private String route(String key) {
    String integration = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY)
        .integrationUri("https://example.com").integrationMethod("ANY")).integrationId();
    return v2.createRoute(b -> b.apiId(apiId).routeKey(key).target("integrations/" + integration)).routeId();
  }

  @Test
  void aStageIsCreatedWithAwsDefaults() {
    Instant now = Instant.ofEpochSecond(server.clock().instant().getEpochSecond());
    CreateStageResponse s = v2.createStage(b -> b.apiId(apiId).stageName("dev"));
    assertThat(s.stageName()).isEqualTo("dev");
    assertThat(s.createdDate()).isEqualTo(now);
    assertThat(s.lastUpdatedDate()).isEqualTo(now);
    assertThat(s.defaultRouteSettings().detailedMetricsEnabled()).isFalse();
    assertThat(s.routeSettings()).isEmpty();
    assertThat(s.stageVariables()).isEmpty();
    assertThat(s.tags()).isEmpty();
    assertThat(s.deploymentId()).isNull();
    assertThat(s.autoDeploy()).isNull();
    assertThatThrownBy(() -> v2.createStage(b -> b.apiId(apiId).stageName("dev"))).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> v2.createStage(b -> b.apiId(apiId).stageName("bad name"))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.getStage(b -> b.apiId(apiId).stageName("nope"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anAutoDeployStageIsDeployedOnEveryChange() {
    route("GET /a");
    v2.createStage(b -> b.apiId(apiId).stageName("$default").autoDeploy(true));
    GetStageResponse first = v2.getStage(b -> b.apiId(apiId).stageName("$default"));
    assertThat(first.deploymentId()).isNotNull();
    assertThat(first.lastDeploymentStatusMessage())
        .isEqualTo("Successfully deployed stage with deployment ID '" + first.deploymentId() + "'");
    route("GET /b");
    GetStageResponse second = v2.getStage(b -> b.apiId(apiId).stageName("$default"));
    assertThat(second.deploymentId()).isNotEqualTo(first.deploymentId());
    var deployment = v2.getDeployment(b -> b.apiId(apiId).deploymentId(second.deploymentId()));
    assertThat(deployment.autoDeployed()).isTrue();
    assertThat(deployment.deploymentStatus()).isEqualTo(DeploymentStatus.DEPLOYED);
  }

  @Test
  void explicitDeploymentsNeedRoutesAndServeAStage() {
    v2.createStage(b -> b.apiId(apiId).stageName("prod"));
    assertThatThrownBy(() -> v2.createDeployment(b -> b.apiId(apiId).stageName("prod")))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Unable to deploy API because no routes exist in this API"));
    route("GET /a");
    var d = v2.createDeployment(b -> b.apiId(apiId).stageName("prod").description("first"));
    assertThat(d.deploymentStatus()).isEqualTo(DeploymentStatus.DEPLOYED);
    assertThat(d.autoDeployed()).isFalse();
    assertThat(d.description()).isEqualTo("first");
    assertThat(v2.getStage(b -> b.apiId(apiId).stageName("prod")).deploymentId()).isEqualTo(d.deploymentId());
    assertThat(v2.getDeployments(b -> b.apiId(apiId)).items()).hasSize(1);
    assertThatThrownBy(() -> v2.deleteDeployment(b -> b.apiId(apiId).deploymentId(d.deploymentId())))
        .isInstanceOf(BadRequestException.class);
    String other = v2.createDeployment(b -> b.apiId(apiId)).deploymentId();
    v2.updateStage(b -> b.apiId(apiId).stageName("prod").deploymentId(other));
    v2.deleteDeployment(b -> b.apiId(apiId).deploymentId(d.deploymentId()));
    assertThatThrownBy(() -> v2.getDeployment(b -> b.apiId(apiId).deploymentId(d.deploymentId())))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> v2.updateStage(b -> b.apiId(apiId).stageName("prod").deploymentId("missing")))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void variablesAndThrottlingSettingsAreKept() {
    route("GET /a");
    v2.createStage(b -> b.apiId(apiId).stageName("dev").stageVariables(Map.of("backend", "blue"))
        .defaultRouteSettings(r -> r.throttlingBurstLimit(10).throttlingRateLimit(5.0))
        .routeSettings(Map.of("GET /a", RouteSettings.builder().throttlingBurstLimit(1).throttlingRateLimit(0.5).build())));
    GetStageResponse s = v2.getStage(b -> b.apiId(apiId).stageName("dev"));
    assertThat(s.stageVariables()).isEqualTo(Map.of("backend", "blue"));
    assertThat(s.defaultRouteSettings().throttlingBurstLimit()).isEqualTo(10);
    assertThat(s.defaultRouteSettings().throttlingRateLimit()).isEqualTo(5.0);
    assertThat(s.routeSettings().get("GET /a").throttlingBurstLimit()).isEqualTo(1);
    assertThat(s.routeSettings().get("GET /a").throttlingRateLimit()).isEqualTo(0.5);
    v2.deleteRouteSettings(b -> b.apiId(apiId).stageName("dev").routeKey("GET /a"));
    assertThat(v2.getStage(b -> b.apiId(apiId).stageName("dev")).routeSettings()).isEmpty();
    assertThatThrownBy(() -> v2.updateStage(b -> b.apiId(apiId).stageName("dev")
        .routeSettings(Map.of("GET /missing", RouteSettings.builder().throttlingBurstLimit(1).build()))))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> v2.updateStage(b -> b.apiId(apiId).stageName("dev").stageVariables(Map.of("bad-name", "x"))))
        .isInstanceOf(BadRequestException.class);
    assertThat(v2.getStages(b -> b.apiId(apiId)).items()).hasSize(1);
    v2.deleteStage(b -> b.apiId(apiId).stageName("dev"));
    assertThat(v2.getStages(b -> b.apiId(apiId)).items()).isEmpty();
  }

  @Test
  void anApiHasAtMostTenStages() {
    for (int i = 0; i < 10; i++) {
      int n = i;
      v2.createStage(b -> b.apiId(apiId).stageName("s" + n));
    }
    assertThatThrownBy(() -> v2.createStage(b -> b.apiId(apiId).stageName("s10")))
        .isInstanceOfSatisfying(software.amazon.awssdk.services.apigatewayv2.model.ApiGatewayV2Exception.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceededException");
        });
  }
}
