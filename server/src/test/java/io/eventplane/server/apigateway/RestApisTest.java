package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiGatewayException;
import software.amazon.awssdk.services.apigateway.model.ApiKeySourceType;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.CreateRestApiResponse;
import software.amazon.awssdk.services.apigateway.model.EndpointType;
import software.amazon.awssdk.services.apigateway.model.GetRestApisResponse;
import software.amazon.awssdk.services.apigateway.model.Model;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.Resource;
import software.amazon.awssdk.services.apigateway.model.RestApi;
import software.amazon.awssdk.services.apigateway.model.UpdateRestApiResponse;

/** REST APIs (API Gateway v1) through the SDK: create with the root resource and default models, get, list in pages, patch, delete. */
class RestApisTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayClient apigw = RestApiClients.v1(server);

  @AfterEach
  void close() {
    apigw.close();
  }

  private static PatchOperation patch(Op op, String path, String value) {
    return PatchOperation.builder().op(op).path(path).value(value).build();
  }

  @Test
  void createMakesTheApiWithItsRootResource() {
    long before = server.clock().millis() / 1000;
    CreateRestApiResponse created = apigw.createRestApi(b -> b.name("orders").description("Orders API").version("1")
        .binaryMediaTypes("image/png").tags(Map.of("team", "core")));
    assertThat(created.id()).matches("[a-z0-9]{10}");
    assertThat(created.name()).isEqualTo("orders");
    assertThat(created.description()).isEqualTo("Orders API");
    assertThat(created.version()).isEqualTo("1");
    assertThat(created.apiKeySource()).isEqualTo(ApiKeySourceType.HEADER);
    assertThat(created.endpointConfiguration().types()).containsExactly(EndpointType.EDGE);
    assertThat(created.binaryMediaTypes()).containsExactly("image/png");
    assertThat(created.disableExecuteApiEndpoint()).isFalse();
    assertThat(created.tags()).containsEntry("team", "core");
    assertThat(created.createdDate().getEpochSecond()).isBetween(before, server.clock().millis() / 1000);
    assertThat(created.rootResourceId()).matches("[a-z0-9]{10}");

    var got = apigw.getRestApi(b -> b.restApiId(created.id()));
    assertThat(got.id()).isEqualTo(created.id());
    assertThat(got.rootResourceId()).isEqualTo(created.rootResourceId());

    List<Resource> resources = apigw.getResources(b -> b.restApiId(created.id())).items();
    assertThat(resources).hasSize(1);
    assertThat(resources.get(0).id()).isEqualTo(created.rootResourceId());
    assertThat(resources.get(0).path()).isEqualTo("/");
    assertThat(resources.get(0).parentId()).isNull();
    assertThat(resources.get(0).pathPart()).isNull();

    List<Model> models = apigw.getModels(b -> b.restApiId(created.id())).items();
    assertThat(models).extracting(Model::name).containsExactly("Empty", "Error");
    assertThat(models).allSatisfy(m -> assertThat(m.contentType()).isEqualTo("application/json"));
  }

  @Test
  void aRegionalEndpointAndApiKeysFromAnAuthorizer() {
    CreateRestApiResponse created = apigw.createRestApi(b -> b.name("regional").apiKeySource(ApiKeySourceType.AUTHORIZER)
        .endpointConfiguration(e -> e.types(EndpointType.REGIONAL)));
    assertThat(created.endpointConfiguration().types()).containsExactly(EndpointType.REGIONAL);
    assertThat(created.apiKeySource()).isEqualTo(ApiKeySourceType.AUTHORIZER);
    assertThatThrownBy(() -> apigw.createRestApi(b -> b.name("two").endpointConfiguration(e -> e.types(EndpointType.EDGE,
        EndpointType.REGIONAL)))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.createRestApi(b -> b.name("bad").apiKeySource("NOWHERE")))
        .isInstanceOfSatisfying(ApiGatewayException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value 'NOWHERE' at "
              + "'createRestApiInput.apiKeySource' failed to satisfy constraint: Member must satisfy enum value set: [HEADER, AUTHORIZER]");
        });
    assertThatThrownBy(() -> apigw.createRestApi(b -> b.name("empty").description(""))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Description cannot be an empty string");
    var privateApi = apigw.createRestApi(b -> b.name("private").endpointConfiguration(e -> e.types(EndpointType.PRIVATE)));
    assertThat(privateApi.endpointConfiguration().ipAddressTypeAsString()).isEqualTo("dualstack");
    assertThatThrownBy(() -> apigw.createRestApi(b -> b.name("p4").endpointConfiguration(e -> e.types(EndpointType.PRIVATE)
        .ipAddressType("ipv4")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Only dualstack ipAddressType is supported for Private APIs.");
    assertThatThrownBy(() -> apigw.createRestApi(b -> b.name("none").endpointConfiguration(e -> e.typesWithStrings(List.of()))))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.");
    assertThatThrownBy(() -> apigw.createRestApi(b -> b.name("wrong").endpointConfiguration(e -> e.typesWithStrings("wrong")
        .ipAddressType("wrong")))).isInstanceOfSatisfying(ApiGatewayException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
        .isEqualTo("2 validation errors detected: Value '[wrong]' at 'createRestApiInput.endpointConfiguration.types' failed to "
            + "satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]; "
            + "Value 'wrong' at 'createRestApiInput.endpointConfiguration.ipAddressType' failed to satisfy constraint: Member must "
            + "satisfy enum value set: [ipv4, dualstack]"));
  }

  @Test
  void listsArePagedByPositionAndLimit() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      ids.add(apigw.createRestApi(b -> b.name("api-" + n)).id());
    }
    List<String> seen = new ArrayList<>();
    String position = null;
    int pages = 0;
    do {
      String from = position;
      GetRestApisResponse page = apigw.getRestApis(b -> b.limit(2).position(from));
      assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
      page.items().forEach(a -> seen.add(a.id()));
      position = page.position();
      pages++;
    } while (position != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(apigw.getRestApis(b -> b.build()).items()).hasSize(5);
    assertThatThrownBy(() -> apigw.getRestApis(b -> b.limit(501))).isInstanceOf(BadRequestException.class);
  }

  @Test
  void updateAppliesPatchOperations() {
    String id = apigw.createRestApi(b -> b.name("before")).id();
    UpdateRestApiResponse updated = apigw.updateRestApi(b -> b.restApiId(id).patchOperations(
        patch(Op.REPLACE, "/name", "after"),
        patch(Op.REPLACE, "/description", "described"),
        patch(Op.ADD, "/binaryMediaTypes/image~1png", null),
        patch(Op.ADD, "/binaryMediaTypes/application~1octet-stream", null),
        patch(Op.REPLACE, "/minimumCompressionSize", "1024"),
        patch(Op.REPLACE, "/endpointConfiguration/types/EDGE", "REGIONAL"),
        patch(Op.REPLACE, "/disableExecuteApiEndpoint", "true")));
    assertThat(updated.name()).isEqualTo("after");
    assertThat(updated.description()).isEqualTo("described");
    assertThat(updated.binaryMediaTypes()).containsExactly("image/png", "application/octet-stream");
    assertThat(updated.minimumCompressionSize()).isEqualTo(1024);
    assertThat(updated.endpointConfiguration().types()).containsExactly(EndpointType.REGIONAL);
    assertThat(updated.disableExecuteApiEndpoint()).isTrue();

    UpdateRestApiResponse removed = apigw.updateRestApi(b -> b.restApiId(id).patchOperations(
        patch(Op.REMOVE, "/binaryMediaTypes/image~1png", null), patch(Op.REMOVE, "/description", null)));
    assertThat(removed.binaryMediaTypes()).containsExactly("application/octet-stream");
    assertThat(removed.description()).isNull();
    assertThat(apigw.getRestApi(b -> b.restApiId(id)).name()).isEqualTo("after");

    assertThatThrownBy(() -> apigw.updateRestApi(b -> b.restApiId(id).patchOperations(patch(Op.REPLACE, "/nothing", "x"))))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("Invalid patch path /nothing");
    assertThatThrownBy(() -> apigw.updateRestApi(b -> b.restApiId(id).patchOperations(
        patch(Op.REPLACE, "/minimumCompressionSize", "lots")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Invalid minimum compression size, must be between 0 and 10485760");
    assertThatThrownBy(() -> apigw.updateRestApi(b -> b.restApiId(id).patchOperations(
        patch(Op.REPLACE, "/minimumCompressionSize", "-1")))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.updateRestApi(b -> b.restApiId(id).patchOperations(
        patch(Op.ADD, "/minimumCompressionSize", "10")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Invalid patch operation specified. Must be one of: [replace]");
    assertThatThrownBy(() -> apigw.updateRestApi(b -> b.restApiId(id).patchOperations(
        patch(Op.REPLACE, "/endpointConfiguration/types/REGIONAL", "NOWHERE")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE");
    assertThatThrownBy(() -> apigw.updateRestApi(b -> b.restApiId(id).patchOperations(
        patch(Op.REPLACE, "/endpointConfiguration/ipAddressType", "ipv5")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("ipAddressType must be either ipv4 or dualstack.");
    assertThatThrownBy(() -> apigw.updateRestApi(b -> b.restApiId(id).patchOperations(
        PatchOperation.builder().op("wrong").path("/name").value("x").build(),
        PatchOperation.builder().op("wrong").path("/name").value("y").build())))
        .isInstanceOfSatisfying(ApiGatewayException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("2 validation errors detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' failed to "
                + "satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'wrong' at "
                + "'updateRestApiInput.patchOperations.2.member.op' failed to satisfy constraint: Member must satisfy enum value set: "
                + "[add, remove, move, test, replace, copy]"));
    assertThat(apigw.updateRestApi(b -> b.restApiId(id).patchOperations(patch(Op.REPLACE, "/minimumCompressionSize", "")))
        .minimumCompressionSize()).isNull();
  }

  @Test
  void deleteRemovesTheApiAndEverythingUnderIt() {
    String id = apigw.createRestApi(b -> b.name("doomed")).id();
    apigw.deleteRestApi(b -> b.restApiId(id));
    assertThatThrownBy(() -> apigw.getRestApi(b -> b.restApiId(id))).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Invalid API identifier specified 000000000000:" + id);
    assertThatThrownBy(() -> apigw.getResources(b -> b.restApiId(id))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> apigw.deleteRestApi(b -> b.restApiId(id))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anotherAccountAndAnHttpApiAreNotFound() {
    String id = apigw.createRestApi(b -> b.name("mine")).id();
    try (ApiGatewayClient other = RestApiClients.v1(server.endpoint(), "111111111111", Region.US_EAST_1)) {
      assertThatThrownBy(() -> other.getRestApi(b -> b.restApiId(id))).isInstanceOf(NotFoundException.class)
          .hasMessageContaining("Invalid API identifier specified 111111111111:" + id);
      assertThat(other.getRestApis(b -> b.build()).items()).isEmpty();
    }
    try (var v2 = ApiGatewayClients.v2(server)) {
      String httpApi = v2.createApi(b -> b.name("http").protocolType("HTTP")).apiId();
      assertThatThrownBy(() -> apigw.getRestApi(b -> b.restApiId(httpApi))).isInstanceOf(NotFoundException.class);
      assertThat(apigw.getRestApis(b -> b.build()).items()).extracting(RestApi::id).containsExactly(id);
      assertThatThrownBy(() -> v2.getApi(b -> b.apiId(id)))
          .isInstanceOf(software.amazon.awssdk.services.apigatewayv2.model.NotFoundException.class);
    }
  }

  @Test
  void theAccountsSettingsAndItsCloudWatchRole() {
    var account = apigw.getAccount(b -> b.build());
    assertThat(account.cloudwatchRoleArn()).isNull();
    assertThat(account.throttleSettings().rateLimit()).isEqualTo(10000.0);
    assertThat(account.throttleSettings().burstLimit()).isEqualTo(5000);
    assertThat(account.features()).containsExactly("UsagePlans");
    String role = "arn:aws:iam::000000000000:role/apigw-logs";
    assertThat(apigw.updateAccount(b -> b.patchOperations(patch(Op.REPLACE, "/cloudwatchRoleArn", role))).cloudwatchRoleArn())
        .isEqualTo(role);
    assertThat(apigw.getAccount(b -> b.build()).cloudwatchRoleArn()).isEqualTo(role);
    try (ApiGatewayClient other = RestApiClients.v1(server.endpoint(), "111111111111", Region.US_EAST_1)) {
      assertThat(other.getAccount(b -> b.build()).cloudwatchRoleArn()).isNull();
    }
  }

  @Test
  void everyNodeAnswers() {
    String id = apigw.createRestApi(b -> b.name("everywhere")).id();
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      try (ApiGatewayClient c = RestApiClients.v1(server.endpoint(node), "test", Region.US_EAST_1)) {
        assertThat(c.getRestApi(b -> b.restApiId(id)).name()).isEqualTo("everywhere");
      }
    }
  }
}
