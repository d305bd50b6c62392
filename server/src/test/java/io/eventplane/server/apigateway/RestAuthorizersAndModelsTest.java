package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.bus.Contracts;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.AuthorizerType;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;

/**
 * A REST API's Lambda and Cognito authorizers, request validators and models as methods use them,
 * what a deployment carries of them, and the change notices every gateway gets.
 */
class RestAuthorizersAndModelsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();
  static final String AUTHORIZER_URI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
      + "arn:aws:lambda:us-east-1:000000000000:function:auth/invocations";
  static final String ORDER_SCHEMA = "{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"type\": \"object\","
      + " \"required\": [\"id\"], \"properties\": {\"id\": {\"type\": \"string\"}}}";

  private final ApiGatewayClient apigw = RestApiClients.v1(server);
  private String apiId;
  private String rootId;

  @BeforeEach
  void api() {
    var api = apigw.createRestApi(b -> b.name("guarded"));
    apiId = api.id();
    rootId = api.rootResourceId();
  }

  @AfterEach
  void close() {
    apigw.close();
  }

  private static PatchOperation patch(Op op, String path, String value) {
    return PatchOperation.builder().op(op).path(path).value(value).build();
  }

  @Test
  void authorizersAreStoredAndUsedByMethods() throws Exception {
    var token = apigw.createAuthorizer(b -> b.restApiId(apiId).name("token").type(AuthorizerType.TOKEN)
        .authorizerUri(AUTHORIZER_URI).identitySource("method.request.header.Authorization")
        .identityValidationExpression("^Bearer .+$"));
    assertThat(token.id()).matches("[a-z0-9]{6}");
    assertThat(token.authorizerResultTtlInSeconds()).isEqualTo(300);
    var request = apigw.createAuthorizer(b -> b.restApiId(apiId).name("request").type(AuthorizerType.REQUEST)
        .authorizerUri(AUTHORIZER_URI).identitySource("method.request.header.X-User, method.request.querystring.tenant")
        .authorizerResultTtlInSeconds(0));
    assertThat(request.authorizerResultTtlInSeconds()).isZero();
    var cognito = apigw.createAuthorizer(b -> b.restApiId(apiId).name("pool").type(AuthorizerType.COGNITO_USER_POOLS)
        .providerARNs("arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc").identitySource("method.request.header.Authorization"));
    assertThat(cognito.providerARNs()).hasSize(1);
    assertThatThrownBy(() -> apigw.createAuthorizer(b -> b.restApiId(apiId).name("nouri").type(AuthorizerType.TOKEN)
        .identitySource("method.request.header.Authorization"))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.createAuthorizer(b -> b.restApiId(apiId).name("ttl").type(AuthorizerType.TOKEN)
        .authorizerUri(AUTHORIZER_URI).identitySource("method.request.header.Authorization").authorizerResultTtlInSeconds(3601)))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.createAuthorizer(b -> b.restApiId(apiId).name("pool2").type(AuthorizerType.COGNITO_USER_POOLS)))
        .isInstanceOf(BadRequestException.class);

    var updated = apigw.updateAuthorizer(b -> b.restApiId(apiId).authorizerId(token.id()).patchOperations(
        patch(Op.REPLACE, "/authorizerResultTtlInSeconds", "60"), patch(Op.REPLACE, "/name", "token2")));
    assertThat(updated.authorizerResultTtlInSeconds()).isEqualTo(60);
    assertThat(updated.name()).isEqualTo("token2");
    assertThat(apigw.getAuthorizers(b -> b.restApiId(apiId)).items()).hasSize(3);

    apigw.putMethod(b -> b.restApiId(apiId).resourceId(rootId).httpMethod("GET").authorizationType("CUSTOM").authorizerId(token.id()));
    assertThatThrownBy(() -> apigw.putMethod(b -> b.restApiId(apiId).resourceId(rootId).httpMethod("POST")
        .authorizationType("COGNITO_USER_POOLS").authorizerId(token.id()))).isInstanceOf(BadRequestException.class);
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(rootId).httpMethod("POST").authorizationType("COGNITO_USER_POOLS")
        .authorizerId(cognito.id()).authorizationScopes("orders/write"));
    assertThatThrownBy(() -> apigw.deleteAuthorizer(b -> b.restApiId(apiId).authorizerId(token.id())))
        .isInstanceOf(ConflictException.class);
    apigw.deleteAuthorizer(b -> b.restApiId(apiId).authorizerId(request.id()));
    assertThatThrownBy(() -> apigw.getAuthorizer(b -> b.restApiId(apiId).authorizerId(request.id()))).isInstanceOf(NotFoundException.class);

    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(rootId).httpMethod("GET").type(IntegrationType.MOCK));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(rootId).httpMethod("POST").type(IntegrationType.MOCK));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));
    JsonObject out = RestApiClients.deployedStage(server, 0, apiId, "prod").output();
    assertThat(out.getJsonArray("Authorizers")).hasSize(2);
    JsonObject root = out.getJsonArray("Resources").getJsonObject(0);
    assertThat(root.getJsonObject("resourceMethods").getJsonObject("GET").getString("authorizerId")).isEqualTo(token.id());
    assertThat(root.getJsonObject("resourceMethods").getJsonObject("POST").getJsonArray("authorizationScopes")).containsExactly("orders/write");
  }

  @Test
  void validatorsAndModelsCheckRequestsOfMethods() throws Exception {
    var validator = apigw.createRequestValidator(b -> b.restApiId(apiId).name("body-only").validateRequestBody(true));
    assertThat(validator.validateRequestBody()).isTrue();
    assertThat(validator.validateRequestParameters()).isFalse();
    var model = apigw.createModel(b -> b.restApiId(apiId).name("Order").contentType("application/json").schema(ORDER_SCHEMA)
        .description("An order"));
    assertThat(model.id()).matches("[a-z0-9]{6}");
    assertThatThrownBy(() -> apigw.createModel(b -> b.restApiId(apiId).name("Order").contentType("application/json")))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> apigw.createModel(b -> b.restApiId(apiId).name("Bad-Name").contentType("application/json")))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.createModel(b -> b.restApiId(apiId).name("Broken").contentType("application/json").schema("{not json")))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.createModel(b -> b.restApiId(apiId).name("Schemaless").contentType("application/json")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("Model schema must have at least 1 property or array items defined");
    assertThatThrownBy(() -> apigw.updateModel(b -> b.restApiId(apiId).modelName("Order").patchOperations(
        patch(Op.REPLACE, "/name", "Other")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]");
    assertThat(apigw.getModel(b -> b.restApiId(apiId).modelName("Order")).schema()).isEqualTo(ORDER_SCHEMA);
    assertThat(apigw.getModels(b -> b.restApiId(apiId)).items()).extracting(m -> m.name()).containsExactly("Empty", "Error", "Order");

    assertThatThrownBy(() -> apigw.putMethod(b -> b.restApiId(apiId).resourceId(rootId).httpMethod("POST").authorizationType("NONE")
        .requestValidatorId("nosuch"))).isInstanceOf(BadRequestException.class);
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(rootId).httpMethod("POST").authorizationType("NONE")
        .requestValidatorId(validator.id()).requestModels(Map.of("application/json", "Order")));
    assertThatThrownBy(() -> apigw.deleteModel(b -> b.restApiId(apiId).modelName("Order"))).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> apigw.deleteRequestValidator(b -> b.restApiId(apiId).requestValidatorId(validator.id())))
        .isInstanceOf(BadRequestException.class);

    var renamed = apigw.updateRequestValidator(b -> b.restApiId(apiId).requestValidatorId(validator.id()).patchOperations(
        patch(Op.REPLACE, "/validateRequestParameters", "true")));
    assertThat(renamed.validateRequestParameters()).isTrue();
    var described = apigw.updateModel(b -> b.restApiId(apiId).modelName("Order").patchOperations(
        patch(Op.REPLACE, "/description", "Orders, checked")));
    assertThat(described.description()).isEqualTo("Orders, checked");

    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(rootId).httpMethod("POST").type(IntegrationType.MOCK));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));
    JsonObject out = RestApiClients.deployedStage(server, 0, apiId, "prod").output();
    assertThat(out.getJsonArray("RequestValidators")).hasSize(1);
    assertThat(out.getJsonArray("RequestValidators").getJsonObject(0).getBoolean("validateRequestParameters")).isTrue();
    assertThat(out.getJsonArray("Models")).hasSize(3);

    apigw.deleteMethod(b -> b.restApiId(apiId).resourceId(rootId).httpMethod("POST"));
    apigw.deleteModel(b -> b.restApiId(apiId).modelName("Order"));
    apigw.deleteRequestValidator(b -> b.restApiId(apiId).requestValidatorId(validator.id()));
    assertThatThrownBy(() -> apigw.getModel(b -> b.restApiId(apiId).modelName("Order"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void everyChangeIsPublishedToEveryNode() {
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      consumers.add(server.vertx(node).eventBus().<JsonObject>consumer(Contracts.APIGATEWAY_CHANGED, m -> seen.add(m.body())));
    }
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> consumers.stream().allMatch(MessageConsumer::isRegistered));
      apigw.createResource(b -> b.restApiId(apiId).parentId(rootId).pathPart("changed"));
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().filter(j -> apiId.equals(j.getString("ApiId"))).count()
          >= EmbeddedServer.nodes());
    } finally {
      consumers.forEach(MessageConsumer::unregister);
    }
  }
}
