package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.BadRequestException;
import software.amazon.awssdk.services.apigatewayv2.model.NotFoundException;

/**
 * ExportApi of HTTP APIs (OpenAPI 3.0, YAML and JSON): routes, integrations, authorizers and CORS in
 * API Gateway's extensions, and the round trip: the export imported (ImportApi) or reimported
 * (ReimportApi) gives the same API.
 */
class ExportApiTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);

  @AfterEach
  void close() {
    v2.close();
  }

  /** The API's definition without ids: routes with their authorization and integration, authorizers, CORS. */
  private Map<String, String> definition(String apiId) {
    Map<String, String> out = new TreeMap<>();
    var integrations = new TreeMap<String, String>();
    v2.getIntegrations(b -> b.apiId(apiId)).items().forEach(i -> integrations.put(i.integrationId(),
        i.toBuilder().integrationId(null).build().toString()));
    var authorizers = new TreeMap<String, String>();
    v2.getAuthorizers(b -> b.apiId(apiId)).items().forEach(a -> authorizers.put(a.authorizerId(),
        a.toBuilder().authorizerId(null).build().toString()));
    v2.getRoutes(b -> b.apiId(apiId)).items().forEach(r -> out.put(r.routeKey(), r.toBuilder().routeId(null).authorizerId(null)
        .target(null).build() + " integration=" + (r.target() == null ? null : integrations.get(r.target().substring("integrations/".length())))
        + " authorizer=" + (r.authorizerId() == null ? null : authorizers.get(r.authorizerId()))));
    var api = v2.getApi(b -> b.apiId(apiId));
    out.put("api", api.name() + " " + api.description() + " " + api.version() + " " + api.corsConfiguration());
    return out;
  }

  @Test
  void theExportImportsBackIntoTheSameApi() {
    String id = v2.importApi(b -> b.body(ImportApiTest.YAML)).apiId();
    v2.createRoute(b -> b.apiId(id).routeKey("$default"));

    var yaml = v2.exportApi(b -> b.apiId(id).specification("OAS30").outputType("YAML"));
    String text = yaml.body().asUtf8String();
    Map<String, Object> parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    assertThat(parsed).containsEntry("openapi", "3.0.1").containsKeys("paths", "components", "x-amazon-apigateway-cors");
    assertThat(text).contains("x-amazon-apigateway-integration", "x-amazon-apigateway-authorizer", "awsSigv4");

    var json = v2.exportApi(b -> b.apiId(id).specification("OAS30").outputType("JSON"));
    JsonObject doc = new JsonObject(json.body().asUtf8String());
    assertThat(doc.getJsonObject("info").getString("title")).isEqualTo("orders-api");
    JsonObject paths = doc.getJsonObject("paths");
    assertThat(paths.fieldNames()).containsExactlyInAnyOrder("/orders", "/orders/{id}", "/health", "/$default");
    JsonObject get = paths.getJsonObject("/orders").getJsonObject("get");
    assertThat(get.getJsonArray("security").getJsonObject(0).getJsonArray("orders-jwt").getList()).containsExactly("orders/read");
    assertThat(get.getJsonObject("x-amazon-apigateway-integration").getString("type")).isEqualTo("aws_proxy");
    assertThat(get.getJsonObject("x-amazon-apigateway-integration").getString("payloadFormatVersion")).isEqualTo("2.0");
    assertThat(paths.getJsonObject("/orders/{id}").getJsonObject("x-amazon-apigateway-any-method").getJsonArray("parameters")
        .getJsonObject(0).getString("name")).isEqualTo("id");
    assertThat(doc.getJsonObject("x-amazon-apigateway-cors").getInteger("maxAge")).isEqualTo(600);

    String fromYaml = v2.importApi(b -> b.body(text)).apiId();
    assertThat(definition(fromYaml)).isEqualTo(definition(id));
    String fromJson = v2.importApi(b -> b.body(json.body().asUtf8String())).apiId();
    assertThat(definition(fromJson)).isEqualTo(definition(id));

    String other = v2.createApi(b -> b.name("other").protocolType("HTTP")).apiId();
    v2.reimportApi(b -> b.apiId(other).body(text));
    assertThat(definition(other)).isEqualTo(definition(id));

    String bare = v2.exportApi(b -> b.apiId(id).specification("OAS30").outputType("JSON").includeExtensions(false))
        .body().asUtf8String();
    assertThat(bare).doesNotContain("x-amazon-apigateway-integration", "x-amazon-apigateway-authorizer", "x-amazon-apigateway-cors");
  }

  @Test
  void aStageExportsWhatItServes() {
    String id = v2.importApi(b -> b.body(ImportApiTest.YAML)).apiId();
    String deployment = v2.createDeployment(b -> b.apiId(id)).deploymentId();
    v2.createStage(b -> b.apiId(id).stageName("prod").deploymentId(deployment));
    v2.createRoute(b -> b.apiId(id).routeKey("GET /later"));

    JsonObject staged = new JsonObject(v2.exportApi(b -> b.apiId(id).specification("OAS30").outputType("JSON").stageName("prod"))
        .body().asUtf8String());
    assertThat(staged.getJsonObject("paths").fieldNames()).doesNotContain("/later");
    JsonObject now = new JsonObject(v2.exportApi(b -> b.apiId(id).specification("OAS30").outputType("JSON"))
        .body().asUtf8String());
    assertThat(now.getJsonObject("paths").fieldNames()).contains("/later");
  }

  @Test
  void badExportsAreRefused() {
    String id = v2.importApi(b -> b.body(ImportApiTest.YAML)).apiId();
    assertThatThrownBy(() -> v2.exportApi(b -> b.apiId(id).specification("OAS30").outputType("XML")))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.exportApi(b -> b.apiId(id).specification("RAML").outputType("YAML")))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.exportApi(b -> b.apiId(id).specification("OAS30").outputType("YAML").stageName("nope")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> v2.exportApi(b -> b.apiId("abcdefghij").specification("OAS30").outputType("YAML")))
        .isInstanceOf(NotFoundException.class);
  }
}
