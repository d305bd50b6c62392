package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.ContentHandlingStrategy;
import software.amazon.awssdk.services.apigateway.model.GetMethodResponse;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.PutIntegrationResponse;
import software.amazon.awssdk.services.apigateway.model.Resource;

/**
 * A REST API's resources (path parts, siblings, greedy variables, moves, subtree deletes), methods,
 * method responses, integrations of every type with their URIs and limits, and integration responses.
 */
class ResourcesAndMethodsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();
  static final String LAMBDA_URI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
      + "arn:aws:lambda:us-east-1:000000000000:function:orders/invocations";

  private final ApiGatewayClient apigw = RestApiClients.v1(server);
  private String apiId;
  private String rootId;

  @BeforeEach
  void api() {
    var api = apigw.createRestApi(b -> b.name("shop"));
    apiId = api.id();
    rootId = api.rootResourceId();
  }

  @AfterEach
  void close() {
    apigw.close();
  }

  private String resource(String parentId, String pathPart) {
    return apigw.createResource(b -> b.restApiId(apiId).parentId(parentId).pathPart(pathPart)).id();
  }

  private static PatchOperation patch(Op op, String path, String value) {
    return PatchOperation.builder().op(op).path(path).value(value).build();
  }

  @Test
  void resourcesFormATreeOfPaths() {
    String orders = resource(rootId, "orders");
    String order = resource(orders, "{orderId}");
    String items = resource(order, "items");
    String proxy = resource(rootId, "{proxy+}");
    var got = apigw.getResource(b -> b.restApiId(apiId).resourceId(items));
    assertThat(got.id()).matches("[a-z0-9]{6}");
    assertThat(got.path()).isEqualTo("/orders/{orderId}/items");
    assertThat(got.parentId()).isEqualTo(order);
    assertThat(got.pathPart()).isEqualTo("items");
    assertThat(apigw.getResources(b -> b.restApiId(apiId)).items()).extracting(Resource::path)
        .containsExactly("/", "/orders", "/orders/{orderId}", "/orders/{orderId}/items", "/{proxy+}");
    assertThat(apigw.getResource(b -> b.restApiId(apiId).resourceId(proxy)).path()).isEqualTo("/{proxy+}");
  }

  @Test
  void pathPartsAreChecked() {
    String orders = resource(rootId, "orders");
    assertThatThrownBy(() -> resource(rootId, "orders")).isInstanceOf(ConflictException.class)
        .hasMessageContaining("Another resource with the same parent already has this name: orders");
    assertThatThrownBy(() -> resource(rootId, "bad part")).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> resource(rootId, "{unclosed")).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> resource(rootId, "a/b")).isInstanceOf(BadRequestException.class);
    resource(orders, "{id}");
    assertThatThrownBy(() -> resource(orders, "{other}")).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("only one is allowed");
    String greedy = resource(rootId, "{proxy+}");
    assertThatThrownBy(() -> resource(greedy, "child")).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("greedy path variable");
    assertThatThrownBy(() -> resource("nosuchparent", "x")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Invalid Resource identifier specified");
  }

  @Test
  void updateMovesAResourceWithItsSubtreeAndDeleteTakesTheSubtree() {
    String a = resource(rootId, "a");
    String b = resource(rootId, "b");
    String child = resource(a, "child");
    var moved = apigw.updateResource(r -> r.restApiId(apiId).resourceId(a).patchOperations(
        patch(Op.REPLACE, "/parentId", b), patch(Op.REPLACE, "/pathPart", "moved")));
    assertThat(moved.path()).isEqualTo("/b/moved");
    assertThat(apigw.getResource(r -> r.restApiId(apiId).resourceId(child)).path()).isEqualTo("/b/moved/child");
    assertThatThrownBy(() -> apigw.updateResource(r -> r.restApiId(apiId).resourceId(b).patchOperations(
        patch(Op.REPLACE, "/parentId", child)))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Resources cannot be cyclical.");
    assertThatThrownBy(() -> apigw.updateResource(r -> r.restApiId(apiId).resourceId(b).patchOperations(
        patch(Op.REPLACE, "/invalid", "x")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]");
    assertThatThrownBy(() -> apigw.updateResource(r -> r.restApiId(apiId).resourceId(b).patchOperations(
        patch(Op.REMOVE, "/pathPart", null)))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Invalid patch path  '/pathPart' specified for op 'remove'. Please choose supported operations");

    apigw.deleteResource(r -> r.restApiId(apiId).resourceId(b));
    assertThat(apigw.getResources(r -> r.restApiId(apiId)).items()).extracting(Resource::path).containsExactly("/");
    assertThatThrownBy(() -> apigw.getResource(r -> r.restApiId(apiId).resourceId(child))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> apigw.deleteResource(r -> r.restApiId(apiId).resourceId(rootId))).isInstanceOf(BadRequestException.class);
  }

  @Test
  void methodsWithTheirResponsesAndIntegrations() {
    String orders = resource(rootId, "orders");
    var put = apigw.putMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("POST").authorizationType("NONE")
        .apiKeyRequired(true).requestParameters(Map.of("method.request.header.X-Trace", false,
            "method.request.querystring.dryRun", true)).requestModels(Map.of("application/json", "Empty")));
    assertThat(put.httpMethod()).isEqualTo("POST");
    assertThat(put.apiKeyRequired()).isTrue();
    assertThat(put.requestParameters()).containsEntry("method.request.querystring.dryRun", true);
    assertThatThrownBy(() -> apigw.putMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("POST").authorizationType("NONE")))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> apigw.putMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("FETCH").authorizationType("NONE")))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.putMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").authorizationType("CUSTOM")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("requires a valid authorizer");
    assertThatThrownBy(() -> apigw.putMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").authorizationType("NONE")
        .requestModels(Map.of("application/json", "NoSuchModel")))).isInstanceOf(BadRequestException.class);
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("ANY").authorizationType("AWS_IAM"));

    apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("POST").statusCode("200")
        .responseParameters(Map.of("method.response.header.Access-Control-Allow-Origin", true))
        .responseModels(Map.of("application/json", "Empty")));
    assertThatThrownBy(() -> apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("POST").statusCode("99")))
        .isInstanceOfSatisfying(software.amazon.awssdk.services.apigateway.model.ApiGatewayException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));

    PutIntegrationResponse integration = apigw.putIntegration(b -> b.restApiId(apiId).resourceId(orders).httpMethod("POST")
        .type(IntegrationType.AWS).integrationHttpMethod("POST")
        .uri("arn:aws:apigateway:us-east-1:sqs:path/000000000000/orders")
        .credentials("arn:aws:iam::000000000000:role/apigw")
        .requestParameters(Map.of("integration.request.header.Content-Type", "'application/x-www-form-urlencoded'"))
        .requestTemplates(Map.of("application/json", "Action=SendMessage&MessageBody=$input.body")));
    assertThat(integration.type()).isEqualTo(IntegrationType.AWS);
    assertThat(integration.httpMethod()).isEqualTo("POST");
    assertThat(integration.passthroughBehavior()).isEqualTo("WHEN_NO_MATCH");
    assertThat(integration.timeoutInMillis()).isEqualTo(29000);
    assertThat(integration.cacheNamespace()).isEqualTo(orders);
    assertThat(integration.credentials()).isEqualTo("arn:aws:iam::000000000000:role/apigw");

    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("POST").statusCode("200")
        .selectionPattern("").responseTemplates(Map.of("application/json", "{\"ok\": true}"))
        .responseParameters(Map.of("method.response.header.Access-Control-Allow-Origin", "'*'")));
    assertThatThrownBy(() -> apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("POST")
        .statusCode("500"))).isInstanceOf(NotFoundException.class);

    GetMethodResponse method = apigw.getMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("POST"));
    assertThat(method.methodResponses()).containsKey("200");
    assertThat(method.methodIntegration().uri()).isEqualTo("arn:aws:apigateway:us-east-1:sqs:path/000000000000/orders");
    assertThat(method.methodIntegration().integrationResponses().get("200").responseTemplates())
        .containsEntry("application/json", "{\"ok\": true}");
    assertThat(method.methodIntegration().integrationResponses().get("200").selectionPattern()).isEmpty();

    // GetResources without embed names the methods; with embed=methods it gives them whole.
    Resource plain = apigw.getResources(b -> b.restApiId(apiId)).items().stream().filter(r -> r.id().equals(orders)).findFirst().orElseThrow();
    assertThat(plain.resourceMethods()).containsOnlyKeys("POST", "ANY");
    assertThat(plain.resourceMethods().get("POST").methodIntegration()).isNull();
    Resource embedded = apigw.getResources(b -> b.restApiId(apiId).embed("methods")).items().stream()
        .filter(r -> r.id().equals(orders)).findFirst().orElseThrow();
    assertThat(embedded.resourceMethods().get("POST").methodIntegration().integrationResponses()).containsKey("200");
    assertThat(embedded.resourceMethods().get("POST").apiKeyRequired()).isTrue();
  }

  @Test
  void updatesAndDeletesOfMethodsAndIntegrations() {
    String orders = resource(rootId, "orders");
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").authorizationType("NONE"));
    var updated = apigw.updateMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").patchOperations(
        patch(Op.REPLACE, "/apiKeyRequired", "true"), patch(Op.ADD, "/requestParameters/method.request.path.id", "true")));
    assertThat(updated.apiKeyRequired()).isTrue();
    assertThat(updated.requestParameters()).containsEntry("method.request.path.id", true);
    assertThatThrownBy(() -> apigw.updateMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").patchOperations(
        patch(Op.ADD, "/requestModels/application/json", "Empty")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Invalid patch path /requestModels/application/json");
    assertThatThrownBy(() -> apigw.updateMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").patchOperations(
        patch(Op.REPLACE, "/httpMethod", "POST")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Invalid patch path /httpMethod");

    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").type(IntegrationType.MOCK)
        .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
    var integration = apigw.updateIntegration(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").patchOperations(
        patch(Op.REPLACE, "/timeoutInMillis", "5000"), patch(Op.REPLACE, "/passthroughBehavior", "NEVER"),
        patch(Op.REPLACE, "/contentHandling", "CONVERT_TO_TEXT")));
    assertThat(integration.timeoutInMillis()).isEqualTo(5000);
    assertThat(integration.passthroughBehavior()).isEqualTo("NEVER");
    assertThat(integration.contentHandling()).isEqualTo(ContentHandlingStrategy.CONVERT_TO_TEXT);
    assertThatThrownBy(() -> apigw.updateIntegration(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").patchOperations(
        patch(Op.REPLACE, "/timeoutInMillis", "30000")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Timeout should be between 50 ms and 29000 ms");

    apigw.deleteIntegration(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET"));
    assertThatThrownBy(() -> apigw.getIntegration(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET")))
        .isInstanceOf(NotFoundException.class);
    apigw.deleteMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET"));
    assertThatThrownBy(() -> apigw.getMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid Method identifier specified");
  }

  @Test
  void callsAboutAResourceOfAnUnknownApiFindNoResource() {
    String orders = resource(rootId, "orders");
    assertThatThrownBy(() -> apigw.getMethod(b -> b.restApiId("0000000000").resourceId(orders).httpMethod("GET")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid Resource identifier specified");
    assertThatThrownBy(() -> apigw.putIntegration(b -> b.restApiId("0000000000").resourceId(orders).httpMethod("GET")
        .type(IntegrationType.MOCK))).isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid Resource identifier specified");
    assertThatThrownBy(() -> apigw.getResources(b -> b.restApiId("0000000000"))).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Invalid API identifier specified 000000000000:0000000000");
    assertThatThrownBy(() -> apigw.deleteIntegrationResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET")
        .statusCode("200"))).isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid Integration identifier specified");
    assertThatThrownBy(() -> apigw.getIntegrationResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET")
        .statusCode("200"))).isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid Method identifier specified");
    assertThatThrownBy(() -> apigw.getMethodResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET")
        .statusCode("wrong"))).isInstanceOfSatisfying(software.amazon.awssdk.services.apigateway.model.ApiGatewayException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value 'wrong' at 'statusCode' "
                + "failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d"));
    assertThatThrownBy(() -> apigw.updateResource(r -> r.restApiId(apiId).resourceId(rootId).patchOperations(
        patch(Op.REPLACE, "/pathPart", "x")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Root resource cannot update its pathPart.");
  }

  @Test
  void methodResponsesAnswerTheirMapsAndRemoveOnlyWhatIsThere() {
    String orders = resource(rootId, "orders");
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").authorizationType("NONE"));
    var put = apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").statusCode("200"));
    assertThat(put.responseModels()).isEmpty();
    assertThat(put.responseParameters()).isEmpty();
    assertThat(put.hasResponseModels()).isTrue();
    assertThatThrownBy(() -> apigw.updateMethodResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").statusCode("200")
        .patchOperations(patch(Op.REMOVE, "/responseParameters/method.response.header.my-header", null))))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid parameter name specified");
    assertThatThrownBy(() -> apigw.updateMethodResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").statusCode("200")
        .patchOperations(patch(Op.REMOVE, "/responseModels/application~1json", null))))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("Content-Type specified was not found");
    var added = apigw.updateMethodResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").statusCode("200")
        .patchOperations(patch(Op.ADD, "/responseParameters/method.response.header.my-header", "true"),
            patch(Op.ADD, "/responseModels/application~1json", "Empty")));
    assertThat(added.responseParameters()).containsEntry("method.response.header.my-header", true);
    assertThat(added.responseModels()).containsEntry("application/json", "Empty");
    var removed = apigw.updateMethodResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").statusCode("200")
        .patchOperations(patch(Op.REMOVE, "/responseParameters/method.response.header.my-header", null),
            patch(Op.REMOVE, "/responseModels/application~1json", null)));
    assertThat(removed.hasResponseParameters()).isFalse();
    assertThat(removed.hasResponseModels()).isFalse();
    assertThatThrownBy(() -> apigw.updateMethodResponse(b -> b.restApiId(apiId).resourceId(orders).httpMethod("GET").statusCode("200")
        .patchOperations(patch(Op.ADD, "/wrong/method.response.header.my-header", "true")))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Invalid patch path /wrong/method.response.header.my-header");
  }

  @Test
  void integrationUrisAndLimitsAreChecked() {
    String r = resource(rootId, "x");
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").authorizationType("NONE"));
    List<Runnable> bad = List.of(
        () -> apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type(IntegrationType.AWS)
            .integrationHttpMethod("POST").uri("arn:aws:kinesis:us-east-1:000000000000:stream/s")),
        () -> apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type(IntegrationType.AWS)
            .uri("arn:aws:apigateway:us-east-1:kinesis:action/PutRecord")),
        () -> apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type(IntegrationType.AWS_PROXY)
            .integrationHttpMethod("POST").uri("arn:aws:apigateway:us-east-1:sqs:path/000000000000/q")),
        () -> apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type(IntegrationType.HTTP_PROXY)
            .integrationHttpMethod("ANY").uri("ftp://example.com/")),
        () -> apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type(IntegrationType.MOCK).timeoutInMillis(49)),
        () -> apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type(IntegrationType.MOCK)
            .passthroughBehavior("SOMETIMES")));
    assertThatThrownBy(() -> apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type("HTTPS_PROXY")))
        .isInstanceOfSatisfying(software.amazon.awssdk.services.apigateway.model.ApiGatewayException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value 'HTTPS_PROXY' at "
                + "'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: "
                + "[HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]"));
    for (Runnable call : bad) assertThatThrownBy(call::run).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("GET").type(IntegrationType.MOCK)))
        .isInstanceOf(NotFoundException.class);

    var proxy = apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type(IntegrationType.AWS_PROXY)
        .integrationHttpMethod("POST").uri(LAMBDA_URI).timeoutInMillis(50));
    assertThat(proxy.uri()).isEqualTo(LAMBDA_URI);
    assertThat(proxy.timeoutInMillis()).isEqualTo(50);
    var http = apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type(IntegrationType.HTTP_PROXY)
        .integrationHttpMethod("ANY").uri("https://example.com/{proxy}"));
    assertThat(http.type()).isEqualTo(IntegrationType.HTTP_PROXY);
    assertThat(http.connectionTypeAsString()).isEqualTo("INTERNET");
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type(IntegrationType.AWS)
        .integrationHttpMethod("POST").uri("arn:aws:apigateway:us-east-1:events:action/PutEvents"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST").type(IntegrationType.AWS)
        .integrationHttpMethod("POST").uri("arn:aws:apigateway:us-east-1:sns:action/Publish"));
    assertThat(apigw.getIntegration(b -> b.restApiId(apiId).resourceId(r).httpMethod("POST")).uri())
        .isEqualTo("arn:aws:apigateway:us-east-1:sns:action/Publish");
  }
}
