package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.Stage;

/**
 * Deployments and stages of REST APIs, with the setup of AWS's "REST API as an Amazon Kinesis proxy"
 * tutorial made through the SDK, and what {@code GetDeployedStage} answers the invoke plane for it:
 * the API as of the stage's deployment.
 */
class RestDeploymentsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();
  static final String ROLE = "arn:aws:iam::000000000000:role/apigAwsProxyRole";
  static final String KINESIS = "arn:aws:apigateway:us-east-1:kinesis:action/";
  static final String PUT_RECORD = """
      {
          "StreamName": "$input.params('stream-name')",
          "Data": "$util.base64Encode($input.json('$.Data'))",
          "PartitionKey": "$input.path('$.PartitionKey')"
      }""";

  private final ApiGatewayClient apigw = RestApiClients.v1(server);

  @AfterEach
  void close() {
    apigw.close();
  }

  private static PatchOperation patch(Op op, String path, String value) {
    return PatchOperation.builder().op(op).path(path).value(value).build();
  }

  /** One method of the tutorial: an AWS integration calling a Kinesis action, its 200 response passed through. */
  private void kinesisMethod(String apiId, String resourceId, String httpMethod, String action, String template,
      Map<String, Boolean> parameters) {
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod).authorizationType("NONE")
        .requestParameters(parameters));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod).type(IntegrationType.AWS)
        .integrationHttpMethod("POST").uri(KINESIS + action).credentials(ROLE)
        .requestParameters(Map.of("integration.request.header.Content-Type", "'application/x-amz-json-1.1'"))
        .requestTemplates(Map.of("application/json", template)).passthroughBehavior("WHEN_NO_TEMPLATES"));
    apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod).statusCode("200")
        .responseModels(Map.of("application/json", "Empty")));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod).statusCode("200")
        .selectionPattern("").responseTemplates(Map.of("application/json", "")));
  }

  /** The tutorial's API: /streams, /streams/{stream-name}, its record, records and sharditerator. */
  private String kinesisProxy() {
    var api = apigw.createRestApi(b -> b.name("KinesisProxy").endpointConfiguration(e -> e.typesWithStrings("REGIONAL")));
    String apiId = api.id();
    String streams = apigw.createResource(b -> b.restApiId(apiId).parentId(api.rootResourceId()).pathPart("streams")).id();
    String stream = apigw.createResource(b -> b.restApiId(apiId).parentId(streams).pathPart("{stream-name}")).id();
    String record = apigw.createResource(b -> b.restApiId(apiId).parentId(stream).pathPart("record")).id();
    String records = apigw.createResource(b -> b.restApiId(apiId).parentId(stream).pathPart("records")).id();
    String iterator = apigw.createResource(b -> b.restApiId(apiId).parentId(stream).pathPart("sharditerator")).id();
    kinesisMethod(apiId, streams, "GET", "ListStreams", "{}", Map.of());
    kinesisMethod(apiId, stream, "GET", "DescribeStream", "{\n    \"StreamName\": \"$input.params('stream-name')\"\n}", Map.of());
    kinesisMethod(apiId, stream, "POST", "CreateStream",
        "{\n    \"ShardCount\": 5,\n    \"StreamName\": \"$input.params('stream-name')\"\n}", Map.of());
    kinesisMethod(apiId, stream, "DELETE", "DeleteStream", "{\n    \"StreamName\": \"$input.params('stream-name')\"\n}", Map.of());
    kinesisMethod(apiId, record, "PUT", "PutRecord", PUT_RECORD, Map.of());
    kinesisMethod(apiId, records, "GET", "GetRecords", "{\n    \"ShardIterator\": \"$input.params('Shard-Iterator')\"\n}",
        Map.of("method.request.header.Shard-Iterator", false));
    kinesisMethod(apiId, iterator, "GET", "GetShardIterator", "{\n    \"ShardId\": \"$input.params('shard-id')\",\n"
        + "    \"ShardIteratorType\": \"TRIM_HORIZON\",\n    \"StreamName\": \"$input.params('stream-name')\"\n}",
        Map.of("method.request.querystring.shard-id", false));
    return apiId;
  }

  @Test
  void theKinesisProxyTutorialDeploysAndItsStageServesIt() throws Exception {
    String apiId = kinesisProxy();
    var deployment = apigw.createDeployment(b -> b.restApiId(apiId).stageName("test").description("first"));
    assertThat(deployment.id()).matches("[a-z0-9]{6}");
    assertThat(deployment.description()).isEqualTo("first");
    var stage = apigw.getStage(b -> b.restApiId(apiId).stageName("test"));
    assertThat(stage.deploymentId()).isEqualTo(deployment.id());

    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      ApiReply reply = RestApiClients.deployedStage(server, node, apiId, "test");
      assertThat(reply.succeeded()).as("%s", reply.error()).isTrue();
      JsonObject out = reply.output();
      assertThat(out.getString("Kind")).isEqualTo("REST");
      assertThat(out.getString("Account")).isEqualTo("000000000000");
      assertThat(out.getString("Region")).isEqualTo("us-east-1");
      assertThat(out.getJsonObject("RestApi").getString("id")).isEqualTo(apiId);
      assertThat(out.getJsonObject("Stage").getString("deploymentId")).isEqualTo(deployment.id());
      JsonArray resources = out.getJsonArray("Resources");
      assertThat(resources).hasSize(6);
      JsonObject record = resources.stream().map(JsonObject.class::cast)
          .filter(r -> r.getString("path").equals("/streams/{stream-name}/record")).findFirst().orElseThrow();
      JsonObject put = record.getJsonObject("resourceMethods").getJsonObject("PUT");
      assertThat(put.getString("authorizationType")).isEqualTo("NONE");
      JsonObject integration = put.getJsonObject("methodIntegration");
      assertThat(integration.getString("type")).isEqualTo("AWS");
      assertThat(integration.getString("httpMethod")).isEqualTo("POST");
      assertThat(integration.getString("uri")).isEqualTo(KINESIS + "PutRecord");
      assertThat(integration.getString("credentials")).isEqualTo(ROLE);
      assertThat(integration.getJsonObject("requestTemplates").getString("application/json")).isEqualTo(PUT_RECORD);
      assertThat(integration.getJsonObject("requestParameters").getString("integration.request.header.Content-Type"))
          .isEqualTo("'application/x-amz-json-1.1'");
      assertThat(integration.getString("passthroughBehavior")).isEqualTo("WHEN_NO_TEMPLATES");
      assertThat(integration.getJsonObject("integrationResponses").getJsonObject("200").getString("selectionPattern")).isEmpty();
      assertThat(put.getJsonObject("methodResponses").getJsonObject("200").getJsonObject("responseModels").getString("application/json"))
          .isEqualTo("Empty");
      assertThat(out.getJsonArray("Models")).hasSize(2);
      assertThat(out.getJsonArray("Authorizers")).isEmpty();
      assertThat(out.getJsonArray("RequestValidators")).isEmpty();
      assertThat(out.getJsonArray("UsagePlans")).isEmpty();
      assertThat(out.getJsonArray("ApiKeys")).isEmpty();
    }
  }

  @Test
  void aDeploymentIsASnapshotUntilTheStageMovesToANewOne() throws Exception {
    String apiId = kinesisProxy();
    String first = apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod")).id();
    String root = apigw.getRestApi(b -> b.restApiId(apiId)).rootResourceId();
    String extra = apigw.createResource(b -> b.restApiId(apiId).parentId(root).pathPart("extra")).id();
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(extra).httpMethod("GET").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(extra).httpMethod("GET").type(IntegrationType.MOCK));
    assertThat(RestApiClients.deployedStage(server, 0, apiId, "prod").output().getJsonArray("Resources")).hasSize(6);

    String second = apigw.createDeployment(b -> b.restApiId(apiId)).id();
    assertThat(RestApiClients.deployedStage(server, 0, apiId, "prod").output().getJsonArray("Resources")).hasSize(6);
    apigw.updateStage(b -> b.restApiId(apiId).stageName("prod").patchOperations(patch(Op.REPLACE, "/deploymentId", second)));
    assertThat(RestApiClients.deployedStage(server, 0, apiId, "prod").output().getJsonArray("Resources")).hasSize(7);

    assertThat(apigw.getDeployments(b -> b.restApiId(apiId)).items()).extracting(d -> d.id()).containsExactlyInAnyOrder(first, second);
    var summary = apigw.getDeployment(b -> b.restApiId(apiId).deploymentId(second).embed("apisummary")).apiSummary();
    assertThat(summary).containsKeys("/extra", "/streams/{stream-name}/record");
    assertThat(summary.get("/extra").get("GET").authorizationType()).isEqualTo("NONE");
    assertThat(summary.get("/extra").get("GET").apiKeyRequired()).isFalse();
    assertThat(apigw.getDeployment(b -> b.restApiId(apiId).deploymentId(first)).hasApiSummary()).isFalse();
    apigw.deleteDeployment(b -> b.restApiId(apiId).deploymentId(first));
    assertThatThrownBy(() -> apigw.deleteDeployment(b -> b.restApiId(apiId).deploymentId(second)))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("Active stages pointing to this deployment");
    assertThatThrownBy(() -> apigw.getDeployment(b -> b.restApiId(apiId).deploymentId(first))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void deploymentsNeedMethodsWithIntegrations() {
    var api = apigw.createRestApi(b -> b.name("empty"));
    assertThatThrownBy(() -> apigw.createDeployment(b -> b.restApiId(api.id()).stageName("dev")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("doesn't contain any methods");
    apigw.putMethod(b -> b.restApiId(api.id()).resourceId(api.rootResourceId()).httpMethod("GET").authorizationType("NONE"));
    assertThatThrownBy(() -> apigw.createDeployment(b -> b.restApiId(api.id()).stageName("dev")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("No integration defined for method");
  }

  @Test
  void stagesWithVariablesAndMethodSettings() throws Exception {
    String apiId = kinesisProxy();
    String deploymentId = apigw.createDeployment(b -> b.restApiId(apiId)).id();
    var created = apigw.createStage(b -> b.restApiId(apiId).stageName("v1").deploymentId(deploymentId).description("one")
        .variables(Map.of("stream", "orders")));
    assertThat(created.variables()).containsEntry("stream", "orders");
    assertThat(created.cacheClusterEnabled()).isFalse();
    assertThat(created.tracingEnabled()).isFalse();
    assertThat(created.methodSettings()).isEmpty();
    assertThatThrownBy(() -> apigw.createStage(b -> b.restApiId(apiId).stageName("v1").deploymentId(deploymentId)))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> apigw.createStage(b -> b.restApiId(apiId).stageName("v2").deploymentId("nosuch")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> apigw.createStage(b -> b.restApiId(apiId).stageName("bad-name").deploymentId(deploymentId)))
        .isInstanceOf(BadRequestException.class);

    var updated = apigw.updateStage(b -> b.restApiId(apiId).stageName("v1").patchOperations(
        patch(Op.REPLACE, "/*/*/throttling/rateLimit", "100"),
        patch(Op.REPLACE, "/*/*/throttling/burstLimit", "50"),
        patch(Op.REPLACE, "/~1streams~1{stream-name}~1record/PUT/metrics/enabled", "true"),
        patch(Op.REPLACE, "/streams/GET/logging/loglevel", "INFO"),
        patch(Op.REPLACE, "/variables/color", "blue"),
        patch(Op.REMOVE, "/variables/stream", null),
        patch(Op.REPLACE, "/description", "updated")));
    assertThat(updated.methodSettings().get("*/*").throttlingRateLimit()).isEqualTo(100.0);
    assertThat(updated.methodSettings().get("*/*").throttlingBurstLimit()).isEqualTo(50);
    assertThat(updated.methodSettings().get("*/*").loggingLevel()).isEqualTo("OFF");
    assertThat(updated.methodSettings().get("~1streams~1{stream-name}~1record/PUT").metricsEnabled()).isTrue();
    assertThat(updated.methodSettings().get("streams/GET").loggingLevel()).isEqualTo("INFO");
    assertThat(updated.variables()).containsExactly(Map.entry("color", "blue"));
    assertThat(updated.description()).isEqualTo("updated");
    assertThatThrownBy(() -> apigw.updateStage(b -> b.restApiId(apiId).stageName("v1").patchOperations(
        patch(Op.REPLACE, "/~1nowhere/GET/metrics/enabled", "true")))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.updateStage(b -> b.restApiId(apiId).stageName("v1").patchOperations(
        patch(Op.REPLACE, "/*/*/throttling/rateLimit", "fast")))).isInstanceOf(BadRequestException.class);

    JsonObject served = RestApiClients.deployedStage(server, 0, apiId, "v1").output().getJsonObject("Stage");
    assertThat(served.getJsonObject("methodSettings").getJsonObject("*/*").getDouble("throttlingRateLimit")).isEqualTo(100.0);
    assertThat(served.getJsonObject("variables").getString("color")).isEqualTo("blue");

    assertThat(apigw.getStages(b -> b.restApiId(apiId)).item()).extracting(Stage::stageName).containsExactly("v1");
    assertThat(apigw.getStages(b -> b.restApiId(apiId).deploymentId("other")).item()).isEmpty();
    apigw.deleteStage(b -> b.restApiId(apiId).stageName("v1"));
    assertThatThrownBy(() -> apigw.getStage(b -> b.restApiId(apiId).stageName("v1"))).isInstanceOf(NotFoundException.class);
    assertThat(RestApiClients.deployedStage(server, 0, apiId, "v1").error().code()).isEqualTo("NotFoundException");
  }
}
