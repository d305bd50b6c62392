package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.Api;
import software.amazon.awssdk.services.apigatewayv2.model.BadRequestException;
import software.amazon.awssdk.services.apigatewayv2.model.CreateApiResponse;
import software.amazon.awssdk.services.apigatewayv2.model.GetApiResponse;
import software.amazon.awssdk.services.apigatewayv2.model.GetApisResponse;
import software.amazon.awssdk.services.apigatewayv2.model.NotFoundException;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * HTTP APIs with the SDK v2 ApiGatewayV2Client: CreateApi's answer (AWS's defaults, an id whose
 * first two characters name its partition, an endpoint on this server), GetApi, GetApis with
 * paging, UpdateApi, DeleteApi, quick create, and the errors of bad input and unknown ids. In the
 * three-node run every node answers for every API.
 */
class HttpApisTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final List<ApiGatewayV2Client> clients = new ArrayList<>();

  private ApiGatewayV2Client v2() {
    return v2(0);
  }

  private ApiGatewayV2Client v2(int node) {
    ApiGatewayV2Client c = ApiGatewayClients.v2(server.endpoint(node), "test", software.amazon.awssdk.regions.Region.US_EAST_1);
    clients.add(c);
    return c;
  }

  @AfterEach
  void close() {
    clients.forEach(ApiGatewayV2Client::close);
  }

  @Test
  void aCreatedApiHasAwsDefaults() {
    Instant before = Instant.ofEpochSecond(server.clock().instant().getEpochSecond());
    CreateApiResponse created = v2().createApi(b -> b.name("orders").protocolType(ProtocolType.HTTP));
    assertThat(created.apiId()).matches("[a-z0-9]{10}");
    assertThat(created.name()).isEqualTo("orders");
    assertThat(created.protocolType()).isEqualTo(ProtocolType.HTTP);
    assertThat(created.routeSelectionExpression()).isEqualTo("$request.method $request.path");
    assertThat(created.apiKeySelectionExpression()).isEqualTo("$request.header.x-api-key");
    assertThat(created.disableExecuteApiEndpoint()).isFalse();
    assertThat(created.createdDate()).isEqualTo(before);
    assertThat(created.tags()).isEmpty();
    assertThat(created.apiEndpoint())
        .isEqualTo("http://" + created.apiId() + ".execute-api.localhost:" + server.endpoint().getPort());
    GetApiResponse got = v2().getApi(b -> b.apiId(created.apiId()));
    assertThat(got.apiId()).isEqualTo(created.apiId());
    assertThat(got.name()).isEqualTo("orders");
    assertThat(got.corsConfiguration()).isNull();
    assertThat(got.description()).isNull();
  }

  @Test
  void everyNodeAnswersForEveryApi() {
    String id = v2(0).createApi(b -> b.name("anywhere").protocolType(ProtocolType.HTTP)).apiId();
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      assertThat(v2(node).getApi(b -> b.apiId(id)).name()).isEqualTo("anywhere");
    }
    String other = v2(EmbeddedServer.nodes() - 1).createApi(b -> b.name("elsewhere").protocolType(ProtocolType.HTTP)).apiId();
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      assertThat(v2(node).getApis(b -> {}).items()).extracting(Api::apiId).containsExactlyInAnyOrder(id, other);
    }
    v2(EmbeddedServer.nodes() - 1).deleteApi(b -> b.apiId(id));
    assertThatThrownBy(() -> v2(0).getApi(b -> b.apiId(id))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void getApisPagesInIdOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      ids.add(v2().createApi(b -> b.name("api-" + n).protocolType(ProtocolType.HTTP)).apiId());
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      GetApisResponse page = v2().getApis(b -> b.maxResults("2").nextToken(t));
      page.items().stream().map(Api::apiId).forEach(seen::add);
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
    assertThat(v2().getApis(b -> {}).items()).hasSize(5);
  }

  @Test
  void unknownApisAreNotFoundWithAwsMessage() {
    assertThatThrownBy(() -> v2().getApi(b -> b.apiId("0000000000")))
        .isInstanceOfSatisfying(NotFoundException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotFoundException");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid API identifier specified 000000000000:0000000000");
        });
    assertThatThrownBy(() -> v2().deleteApi(b -> b.apiId("nope"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anotherAccountDoesNotSeeTheApi() {
    String id = v2().createApi(b -> b.name("mine").protocolType(ProtocolType.HTTP)).apiId();
    try (ApiGatewayV2Client other = ApiGatewayClients.v2(server.endpoint(), "111111111111",
        software.amazon.awssdk.regions.Region.US_EAST_1)) {
      assertThatThrownBy(() -> other.getApi(b -> b.apiId(id)))
          .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo("Invalid API identifier specified 111111111111:" + id));
      assertThat(other.getApis(b -> {}).items()).isEmpty();
    }
  }

  @Test
  void anotherRegionDoesNotSeeTheApi() {
    String id = v2().createApi(b -> b.name("here").protocolType(ProtocolType.HTTP)).apiId();
    try (ApiGatewayV2Client elsewhere = ApiGatewayClients.v2(server.endpoint(), "test",
        software.amazon.awssdk.regions.Region.EU_WEST_1)) {
      assertThatThrownBy(() -> elsewhere.getApi(b -> b.apiId(id))).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> elsewhere.deleteApi(b -> b.apiId(id))).isInstanceOf(NotFoundException.class);
      assertThat(elsewhere.getApis(b -> {}).items()).isEmpty();
      String theirs = elsewhere.createApi(b -> b.name("there").protocolType(ProtocolType.HTTP)).apiId();
      assertThat(elsewhere.getApis(b -> {}).items()).extracting(Api::apiId).containsExactly(theirs);
    }
    assertThat(v2().getApi(b -> b.apiId(id)).name()).isEqualTo("here");
  }

  @Test
  void webSocketApisAndBadInputAreRefused() {
    assertThatThrownBy(() -> v2().createApi(b -> b.name("ws").protocolType(ProtocolType.WEBSOCKET)
        .routeSelectionExpression("$request.body.action"))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2().createApi(b -> b.name("x".repeat(129)).protocolType(ProtocolType.HTTP)))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2().createApi(b -> b.protocolType(ProtocolType.HTTP))).isInstanceOf(BadRequestException.class);
  }

  @Test
  void updateApiChangesWhatItNamesAndKeepsTheRest() {
    String id = v2().createApi(b -> b.name("before").protocolType(ProtocolType.HTTP).description("d").version("1")).apiId();
    var updated = v2().updateApi(b -> b.apiId(id).name("after").disableExecuteApiEndpoint(true));
    assertThat(updated.name()).isEqualTo("after");
    assertThat(updated.description()).isEqualTo("d");
    assertThat(updated.version()).isEqualTo("1");
    assertThat(updated.disableExecuteApiEndpoint()).isTrue();
    assertThat(v2().getApi(b -> b.apiId(id)).name()).isEqualTo("after");
    assertThatThrownBy(() -> v2().updateApi(b -> b.apiId(id).routeSelectionExpression("$request.body.action")))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void quickCreateToAUrlMakesAnHttpProxyOnTheRouteKey() {
    String id = v2().createApi(b -> b.name("quick-http").protocolType(ProtocolType.HTTP).target("https://example.com/backend")
        .routeKey("GET /items")).apiId();
    var routes = v2().getRoutes(b -> b.apiId(id)).items();
    assertThat(routes).hasSize(1);
    assertThat(routes.get(0).routeKey()).isEqualTo("GET /items");
    assertThat(routes.get(0).apiGatewayManaged()).isTrue();
    var integration = v2().getIntegration(b -> b.apiId(id).integrationId(routes.get(0).target().substring("integrations/".length())));
    assertThat(integration.integrationTypeAsString()).isEqualTo("HTTP_PROXY");
    assertThat(integration.integrationUri()).isEqualTo("https://example.com/backend");
    assertThat(integration.integrationMethod()).isEqualTo("ANY");
    assertThat(integration.payloadFormatVersion()).isEqualTo("1.0");
    var stage = v2().getStage(b -> b.apiId(id).stageName("$default"));
    assertThat(stage.autoDeploy()).isTrue();
    assertThat(stage.apiGatewayManaged()).isTrue();
    assertThat(stage.deploymentId()).isNotNull();
    assertThatThrownBy(() -> v2().createApi(b -> b.name("no-target").protocolType(ProtocolType.HTTP).routeKey("GET /x")))
        .isInstanceOf(BadRequestException.class);
  }
}
