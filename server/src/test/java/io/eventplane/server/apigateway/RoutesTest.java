package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType;
import software.amazon.awssdk.services.apigatewayv2.model.BadRequestException;
import software.amazon.awssdk.services.apigatewayv2.model.ConflictException;
import software.amazon.awssdk.services.apigatewayv2.model.CreateRouteResponse;
import software.amazon.awssdk.services.apigatewayv2.model.GetRoutesResponse;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.NotFoundException;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.apigatewayv2.model.Route;

/** An HTTP API's routes with the SDK v2 client: keys, targets, updates, paging and AWS's errors. */
class RoutesTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String apiId;
  private String integrationId;

  @BeforeEach
  void api() {
    apiId = v2.createApi(b -> b.name("routes").protocolType(ProtocolType.HTTP)).apiId();
    integrationId = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY)
        .integrationUri("https://example.com/{proxy}").integrationMethod("ANY")).integrationId();
  }

  @AfterEach
  void close() {
    v2.close();
  }

  @Test
  void aRouteIsCreatedWithAwsDefaultsAndReadBack() {
    CreateRouteResponse created = v2.createRoute(b -> b.apiId(apiId).routeKey("ANY /{proxy+}").target("integrations/" + integrationId));
    assertThat(created.routeId()).matches("[a-z0-9]{7}");
    assertThat(created.routeKey()).isEqualTo("ANY /{proxy+}");
    assertThat(created.apiKeyRequired()).isFalse();
    assertThat(created.authorizationType()).isEqualTo(AuthorizationType.NONE);
    assertThat(created.target()).isEqualTo("integrations/" + integrationId);
    assertThat(created.authorizerId()).isNull();
    var got = v2.getRoute(b -> b.apiId(apiId).routeId(created.routeId()));
    assertThat(got.routeKey()).isEqualTo("ANY /{proxy+}");
    assertThat(got.target()).isEqualTo(created.target());
  }

  @Test
  void aDuplicateKeyIsAConflict() {
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /pets"));
    assertThatThrownBy(() -> v2.createRoute(b -> b.apiId(apiId).routeKey("GET /pets")))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.statusCode()).isEqualTo(409));
    String other = v2.createRoute(b -> b.apiId(apiId).routeKey("POST /pets")).routeId();
    assertThatThrownBy(() -> v2.updateRoute(b -> b.apiId(apiId).routeId(other).routeKey("GET /pets")))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void invalidKeysAndTargetsAreBadRequests() {
    for (String key : List.of("GET /{proxy+}/x", "get /pets", "GET pets", "FETCH /x")) {
      assertThatThrownBy(() -> v2.createRoute(b -> b.apiId(apiId).routeKey(key)))
          .as(key).isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }
    assertThatThrownBy(() -> v2.createRoute(b -> b.apiId(apiId).routeKey("GET /x").target("integrations/nope123")))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createRoute(b -> b.apiId(apiId).routeKey("GET /x").authorizationType(AuthorizationType.JWT)))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void routesAreUpdatedListedInPagesAndDeleted() {
    String id = v2.createRoute(b -> b.apiId(apiId).routeKey("GET /a")).routeId();
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /b"));
    v2.createRoute(b -> b.apiId(apiId).routeKey("$default"));
    var updated = v2.updateRoute(b -> b.apiId(apiId).routeId(id).target("integrations/" + integrationId));
    assertThat(updated.routeKey()).isEqualTo("GET /a");
    assertThat(updated.target()).isEqualTo("integrations/" + integrationId);
    GetRoutesResponse first = v2.getRoutes(b -> b.apiId(apiId).maxResults("2"));
    assertThat(first.items()).hasSize(2);
    assertThat(first.nextToken()).isNotNull();
    GetRoutesResponse rest = v2.getRoutes(b -> b.apiId(apiId).nextToken(first.nextToken()));
    assertThat(rest.items()).hasSize(1);
    assertThat(rest.nextToken()).isNull();
    assertThat(v2.getRoutes(b -> b.apiId(apiId)).items().stream().map(Route::routeKey))
        .containsExactlyInAnyOrder("GET /a", "GET /b", "$default");
    v2.deleteRoute(b -> b.apiId(apiId).routeId(id));
    assertThatThrownBy(() -> v2.getRoute(b -> b.apiId(apiId).routeId(id)))
        .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Invalid Route identifier specified 000000000000:" + id));
  }

  @Test
  void anIntegrationARouteUsesCannotBeDeleted() {
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /a").target("integrations/" + integrationId));
    assertThatThrownBy(() -> v2.deleteIntegration(b -> b.apiId(apiId).integrationId(integrationId)))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void routeAndIntegrationResponsesAndModelsAreForWebSocketApisOnly() {
    String routeId = v2.createRoute(b -> b.apiId(apiId).routeKey("GET /a")).routeId();
    assertThatThrownBy(() -> v2.createRouteResponse(b -> b.apiId(apiId).routeId(routeId).routeResponseKey("$default")))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.getIntegrationResponses(b -> b.apiId(apiId).integrationId(integrationId)))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createModel(b -> b.apiId(apiId).name("m").schema("{}")))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.getModels(b -> b.apiId("0000000000"))).isInstanceOf(NotFoundException.class);
  }
}
