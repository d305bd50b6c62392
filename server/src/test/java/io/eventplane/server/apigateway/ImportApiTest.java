package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType;
import software.amazon.awssdk.services.apigatewayv2.model.BadRequestException;
import software.amazon.awssdk.services.apigatewayv2.model.Integration;
import software.amazon.awssdk.services.apigatewayv2.model.Route;

/** ImportApi and ReimportApi with OpenAPI 3.0 definitions in YAML and JSON, as Terraform's {@code body} and the CLI send them. */
class ImportApiTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  static final String YAML = """
      openapi: "3.0.1"
      info:
        title: orders-api
        description: Orders
        version: "2024-01-01"
      x-amazon-apigateway-cors:
        allowOrigins: ["https://shop.example.com"]
        allowMethods: ["GET", "POST"]
        maxAge: 600
      paths:
        /orders:
          get:
            operationId: listOrders
            security:
              - orders-jwt: ["orders/read"]
            x-amazon-apigateway-integration:
              type: aws_proxy
              uri: arn:aws:lambda:us-east-1:000000000000:function:orders
              payloadFormatVersion: "2.0"
              timeoutInMillis: 5000
          post:
            security:
              - sigv4: []
            x-amazon-apigateway-integration:
              type: aws_proxy
              integrationSubtype: SQS-SendMessage
              credentials: arn:aws:iam::000000000000:role/apigw
              requestParameters:
                QueueUrl: $request.header.queue
                MessageBody: $request.body
              payloadFormatVersion: "1.0"
        /orders/{id}:
          x-amazon-apigateway-any-method:
            x-amazon-apigateway-integration:
              type: http_proxy
              httpMethod: ANY
              uri: https://backend.example.com/orders/{id}
              payloadFormatVersion: "1.0"
        /health:
          get:
            responses: {}
      components:
        securitySchemes:
          sigv4:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: awsSigv4
          orders-jwt:
            type: oauth2
            x-amazon-apigateway-authorizer:
              type: jwt
              identitySource: $request.header.Authorization
              jwtConfiguration:
                issuer: https://issuer.example.com
                audience: [orders]
      """;

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);

  @AfterEach
  void close() {
    v2.close();
  }

  @Test
  void aYamlDefinitionBecomesRoutesIntegrationsAndAnAuthorizer() {
    var imported = v2.importApi(b -> b.body(YAML));
    assertThat(imported.name()).isEqualTo("orders-api");
    assertThat(imported.description()).isEqualTo("Orders");
    assertThat(imported.version()).isEqualTo("2024-01-01");
    assertThat(imported.corsConfiguration().allowOrigins()).containsExactly("https://shop.example.com");
    assertThat(imported.corsConfiguration().maxAge()).isEqualTo(600);
    assertThat(imported.warnings()).containsExactly("No integration defined for method GET /health");
    String id = imported.apiId();
    Map<String, Route> routes = v2.getRoutes(b -> b.apiId(id)).items().stream()
        .collect(Collectors.toMap(Route::routeKey, r -> r));
    assertThat(routes).containsOnlyKeys("GET /orders", "POST /orders", "ANY /orders/{id}", "GET /health");
    Map<String, Integration> integrations = v2.getIntegrations(b -> b.apiId(id)).items().stream()
        .collect(Collectors.toMap(Integration::integrationId, i -> i));
    Route list = routes.get("GET /orders");
    assertThat(list.authorizationType()).isEqualTo(AuthorizationType.JWT);
    assertThat(list.authorizationScopes()).containsExactly("orders/read");
    assertThat(list.operationName()).isEqualTo("listOrders");
    Integration lambda = integrations.get(list.target().substring("integrations/".length()));
    assertThat(lambda.integrationUri()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:orders");
    assertThat(lambda.payloadFormatVersion()).isEqualTo("2.0");
    assertThat(lambda.timeoutInMillis()).isEqualTo(5000);
    var jwt = v2.getAuthorizer(b -> b.apiId(id).authorizerId(list.authorizerId()));
    assertThat(jwt.name()).isEqualTo("orders-jwt");
    assertThat(jwt.jwtConfiguration().issuer()).isEqualTo("https://issuer.example.com");
    assertThat(jwt.identitySource()).containsExactly("$request.header.Authorization");
    Route post = routes.get("POST /orders");
    assertThat(post.authorizationType()).isEqualTo(AuthorizationType.AWS_IAM);
    Integration sqs = integrations.get(post.target().substring("integrations/".length()));
    assertThat(sqs.integrationSubtype()).isEqualTo("SQS-SendMessage");
    assertThat(sqs.requestParameters()).containsEntry("QueueUrl", "$request.header.queue");
    Integration http = integrations.get(routes.get("ANY /orders/{id}").target().substring("integrations/".length()));
    assertThat(http.integrationTypeAsString()).isEqualTo("HTTP_PROXY");
    assertThat(http.integrationMethod()).isEqualTo("ANY");
    assertThat(routes.get("GET /health").target()).isNull();
  }

  @Test
  void reimportReplacesTheDefinition() {
    String id = v2.importApi(b -> b.body(YAML)).apiId();
    String json = """
        {"openapi": "3.0.1", "info": {"title": "orders-v2", "version": "2"},
         "paths": {"/$default": {"x-amazon-apigateway-any-method": {"x-amazon-apigateway-integration":
           {"type": "aws_proxy", "uri": "arn:aws:lambda:us-east-1:000000000000:function:all", "payloadFormatVersion": "2.0"}}}}}
        """;
    var reimported = v2.reimportApi(b -> b.apiId(id).body(json));
    assertThat(reimported.name()).isEqualTo("orders-v2");
    assertThat(reimported.corsConfiguration()).isNull();
    assertThat(v2.getRoutes(b -> b.apiId(id)).items()).extracting(Route::routeKey).containsExactly("$default");
    assertThat(v2.getIntegrations(b -> b.apiId(id)).items()).hasSize(1);
    assertThat(v2.getAuthorizers(b -> b.apiId(id)).items()).isEmpty();
  }

  @Test
  void badDefinitionsAreRefused() {
    assertThatThrownBy(() -> v2.importApi(b -> b.body("not: [valid"))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.importApi(b -> b.body("{\"info\": {\"title\": \"x\"}, \"paths\": {}}")))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.importApi(b -> b.body(YAML).failOnWarnings(true)))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .contains("No integration defined for method GET /health"));
    assertThatThrownBy(() -> v2.importApi(b -> b.body(YAML.replace("timeoutInMillis: 5000", "timeoutInMillis: 40000"))))
        .isInstanceOf(BadRequestException.class);
    assertThat(v2.getApis(b -> {}).items()).isEmpty();
  }
}
