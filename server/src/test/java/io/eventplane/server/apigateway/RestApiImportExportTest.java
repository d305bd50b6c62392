package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.EndpointType;
import software.amazon.awssdk.services.apigateway.model.Method;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.PutMode;
import software.amazon.awssdk.services.apigateway.model.Resource;

/**
 * ImportRestApi, PutRestApi (merge and overwrite) and GetExport with the SDK's {@code apigateway}
 * client: an OpenAPI document with MOCK and Lambda proxy integrations becomes a REST API that deploys
 * and answers on its invoke URL; its export (OpenAPI 3.0 and Swagger 2.0, JSON and YAML) imports back
 * into the same API; bad documents are refused with BadRequestException and leave nothing behind.
 */
class RestApiImportExportTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayClient apigw = RestApiClients.v1(server);
  private String functionArn;

  @BeforeEach
  void setUp() {
    functionArn = Functions.create(server.lambda(), "echo", "io.eventplane.examples.HttpEcho::handleRequest").functionArn();
  }

  @AfterEach
  void close() {
    apigw.close();
  }

  private String document() {
    return """
        openapi: "3.0.1"
        info:
          title: pets
          description: Pets and items
          version: "1.2"
        x-amazon-apigateway-binary-media-types: ["image/png"]
        x-amazon-apigateway-minimum-compression-size: 1024
        x-amazon-apigateway-api-key-source: AUTHORIZER
        x-amazon-apigateway-request-validators:
          all:
            validateRequestBody: true
            validateRequestParameters: true
        paths:
          /pets:
            get:
              operationId: listPets
              parameters:
                - name: type
                  in: query
                  required: true
                  schema: {type: string}
              x-amazon-apigateway-request-validator: all
              responses:
                "200":
                  description: the pets
                  headers:
                    X-Stage: {schema: {type: string}}
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Pets"}
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates:
                  application/json: '#if($input.params(''type'') == ''gone''){"statusCode": 404}#else{"statusCode": 200}#end'
                passthroughBehavior: when_no_templates
                responses:
                  default:
                    statusCode: "200"
                    responseParameters:
                      method.response.header.X-Stage: "'imported'"
                    responseTemplates:
                      application/json: '{"pets": ["$input.params(''type'')"], "stage": "$context.stage"}'
                  "4\\\\d{2}":
                    statusCode: "404"
                    responseTemplates:
                      application/json: '{"message": "no such pets"}'
            post:
              requestBody:
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/Pet"}
              security:
                - api_key: []
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates:
                  application/json: '{"statusCode": 201}'
                responses:
                  default:
                    statusCode: "201"
          /items/{proxy+}:
            x-amazon-apigateway-any-method:
              parameters:
                - name: proxy
                  in: path
                  required: true
                  schema: {type: string}
              security:
                - tokens: []
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/%s/invocations
        components:
          schemas:
            Pet:
              type: object
              required: [name]
              properties:
                name: {type: string}
            Pets:
              type: array
              items: {$ref: "#/components/schemas/Pet"}
          securitySchemes:
            api_key:
              type: apiKey
              name: x-api-key
              in: header
            tokens:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authtype: custom
              x-amazon-apigateway-authorizer:
                type: token
                authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/%s/invocations
                authorizerResultTtlInSeconds: 60
        """.formatted(functionArn, functionArn);
  }

  /** The same document without the authorizer, so that every method can be invoked here. */
  private String invocable() {
    String doc = document();
    String without = doc.replace("      security:\n        - tokens: []\n", "");
    assertThat(without).isNotEqualTo(doc);
    return without;
  }

  private static SdkBytes bytes(String text) {
    return SdkBytes.fromUtf8String(text);
  }

  private Map<String, Resource> resources(String apiId) {
    return apigw.getResources(b -> b.restApiId(apiId).embed("methods").limit(500)).items().stream()
        .collect(Collectors.toMap(Resource::path, r -> r, (a, b) -> a, TreeMap::new));
  }

  @Test
  void anImportedApiHasTheDocumentsResourcesMethodsAndIntegrations() {
    var imported = apigw.importRestApi(b -> b.body(bytes(document())).parameters(Map.of("endpointConfigurationTypes", "REGIONAL")));
    assertThat(imported.name()).isEqualTo("pets");
    assertThat(imported.description()).isEqualTo("Pets and items");
    assertThat(imported.version()).isEqualTo("1.2");
    assertThat(imported.binaryMediaTypes()).containsExactly("image/png");
    assertThat(imported.endpointConfiguration().types()).containsExactly(EndpointType.REGIONAL);
    assertThat(imported.minimumCompressionSize()).isEqualTo(1024);
    assertThat(imported.apiKeySourceAsString()).isEqualTo("AUTHORIZER");
    assertThat(imported.warnings()).isEmpty();
    String id = imported.id();
    assertThat(apigw.getRestApi(b -> b.restApiId(id)).name()).isEqualTo("pets");

    Map<String, Resource> resources = resources(id);
    assertThat(resources).containsOnlyKeys("/", "/pets", "/items", "/items/{proxy+}");
    assertThat(resources.get("/").id()).isEqualTo(imported.rootResourceId());
    assertThat(resources.get("/items/{proxy+}").parentId()).isEqualTo(resources.get("/items").id());
    Method list = resources.get("/pets").resourceMethods().get("GET");
    assertThat(list.operationName()).isEqualTo("listPets");
    assertThat(list.requestParameters()).containsEntry("method.request.querystring.type", true);
    assertThat(list.methodResponses().get("200").responseModels()).containsEntry("application/json", "Pets");
    assertThat(list.methodResponses().get("200").responseParameters()).containsEntry("method.response.header.X-Stage", false);
    assertThat(list.methodIntegration().typeAsString()).isEqualTo("MOCK");
    assertThat(list.methodIntegration().passthroughBehavior()).isEqualTo("WHEN_NO_TEMPLATES");
    assertThat(list.methodIntegration().integrationResponses().get("404").selectionPattern()).isEqualTo("4\\d{2}");
    assertThat(list.methodIntegration().integrationResponses().get("200").selectionPattern()).isNull();
    var validator = apigw.getRequestValidator(b -> b.restApiId(id).requestValidatorId(list.requestValidatorId()));
    assertThat(validator.name()).isEqualTo("all");
    assertThat(validator.validateRequestBody()).isTrue();
    Method create = resources.get("/pets").resourceMethods().get("POST");
    assertThat(create.apiKeyRequired()).isTrue();
    assertThat(create.requestModels()).containsEntry("application/json", "Pet");
    Method any = resources.get("/items/{proxy+}").resourceMethods().get("ANY");
    assertThat(any.authorizationType()).isEqualTo("CUSTOM");
    var authorizer = apigw.getAuthorizer(b -> b.restApiId(id).authorizerId(any.authorizerId()));
    assertThat(authorizer.name()).isEqualTo("tokens");
    assertThat(authorizer.typeAsString()).isEqualTo("TOKEN");
    assertThat(authorizer.identitySource()).isEqualTo("method.request.header.Authorization");
    assertThat(authorizer.authorizerResultTtlInSeconds()).isEqualTo(60);
    assertThat(any.methodIntegration().typeAsString()).isEqualTo("AWS_PROXY");
    assertThat(any.methodIntegration().httpMethod()).isEqualTo("POST");
    assertThat(apigw.getModel(b -> b.restApiId(id).modelName("Pet")).schema()).contains("\"required\":[\"name\"]");
    assertThat(apigw.getModels(b -> b.restApiId(id)).items()).extracting("name")
        .containsExactlyInAnyOrder("Empty", "Error", "Pet", "Pets");
  }

  @Test
  void anImportedApiDeploysAndAnswersOnItsInvokeUrl() throws Exception {
    String id = apigw.importRestApi(b -> b.body(bytes(invocable()))).id();
    apigw.createDeployment(b -> b.restApiId(id).stageName("prod"));

    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      HttpResponse<byte[]> pets = send(server.endpoint(node), id, "GET", "/prod/pets?type=cats", null);
      assertThat(pets.statusCode()).as(text(pets)).isEqualTo(200);
      assertThat(new JsonObject(text(pets))).isEqualTo(new JsonObject("{\"pets\": [\"cats\"], \"stage\": \"prod\"}"));
      assertThat(pets.headers().firstValue("X-Stage")).hasValue("imported");
    }
    HttpResponse<byte[]> gone = send(server.endpoint(), id, "GET", "/prod/pets?type=gone", null);
    assertThat(gone.statusCode()).as(text(gone)).isEqualTo(404);
    assertThat(new JsonObject(text(gone)).getString("message")).isEqualTo("no such pets");
    // The imported validator checks the required query parameter.
    assertThat(send(server.endpoint(), id, "GET", "/prod/pets", null).statusCode()).isEqualTo(400);
    // The imported api_key security requirement: no key, no entry.
    assertThat(send(server.endpoint(), id, "POST", "/prod/pets", "{\"name\": \"rex\"}", "Content-Type", "application/json")
        .statusCode()).isEqualTo(403);

    HttpResponse<byte[]> proxied = send(server.endpoint(), id, "POST", "/prod/items/a/b", "{\"n\": 1}",
        "Content-Type", "application/json", "X-Echo-Mode", "proxy", "X-Echo-Status", "202");
    assertThat(proxied.statusCode()).as(text(proxied)).isEqualTo(202);
    JsonObject event = new JsonObject(text(proxied));
    assertThat(event.getString("resource")).isEqualTo("/items/{proxy+}");
    assertThat(event.getJsonObject("pathParameters")).isEqualTo(new JsonObject().put("proxy", "a/b"));
  }

  @Test
  void theExportImportsBackIntoTheSameApi() {
    String id = apigw.importRestApi(b -> b.body(bytes(document()))).id();
    apigw.createDeployment(b -> b.restApiId(id).stageName("prod"));

    var json = apigw.getExport(b -> b.restApiId(id).stageName("prod").exportType("oas30").accepts("application/json")
        .parameters(Map.of("extensions", "apigateway")));
    assertThat(json.contentType()).isEqualTo("application/json");
    assertThat(json.contentDisposition()).contains("attachment");
    JsonObject exported = new JsonObject(json.body().asUtf8String());
    assertThat(exported.getString("openapi")).isEqualTo("3.0.1");
    assertThat(exported.getJsonObject("info").getString("title")).isEqualTo("pets");
    assertThat(exported.getJsonObject("paths").fieldNames()).containsExactlyInAnyOrder("/pets", "/items/{proxy+}");
    JsonObject anyMethod = exported.getJsonObject("paths").getJsonObject("/items/{proxy+}").getJsonObject("x-amazon-apigateway-any-method");
    assertThat(anyMethod.getJsonObject("x-amazon-apigateway-integration").getString("type")).isEqualTo("aws_proxy");
    assertThat(exported.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("tokens")
        .getJsonObject("x-amazon-apigateway-authorizer").getString("type")).isEqualTo("token");
    assertThat(exported.getJsonObject("components").getJsonObject("schemas").fieldNames()).containsExactlyInAnyOrder("Pet", "Pets");

    assertThat(exported.getInteger("x-amazon-apigateway-minimum-compression-size")).isEqualTo(1024);
    assertThat(exported.getJsonArray("x-amazon-apigateway-binary-media-types").getList()).containsExactly("image/png");
    assertThat(exported.getJsonObject("x-amazon-apigateway-request-validators").fieldNames()).containsExactly("all");
    var again = apigw.importRestApi(b -> b.body(json.body()));
    assertThat(same(again.id())).isEqualTo(same(id));
    assertThat(again.minimumCompressionSize()).isEqualTo(1024);
    assertThat(again.apiKeySourceAsString()).isEqualTo("AUTHORIZER");
    assertThat(again.binaryMediaTypes()).containsExactly("image/png");

    var yaml = apigw.getExport(b -> b.restApiId(id).stageName("prod").exportType("oas30").accepts("application/yaml")
        .parameters(Map.of("extensions", "integrations,authorizers")));
    assertThat(yaml.contentType()).isEqualTo("application/yaml");
    Map<String, Object> parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml.body().asUtf8String());
    assertThat(parsed).containsEntry("openapi", "3.0.1").containsKey("paths");
    String fromYaml = apigw.importRestApi(b -> b.body(yaml.body())).id();
    assertThat(same(fromYaml)).isEqualTo(same(id));

    var swagger = apigw.getExport(b -> b.restApiId(id).stageName("prod").exportType("swagger")
        .parameters(Map.of("extensions", "apigateway")));
    JsonObject two = new JsonObject(swagger.body().asUtf8String());
    assertThat(two.getString("swagger")).isEqualTo("2.0");
    assertThat(two.getString("basePath")).isEqualTo("/prod");
    assertThat(two.getJsonObject("definitions").fieldNames()).containsExactlyInAnyOrder("Pet", "Pets");
    String fromSwagger = apigw.importRestApi(b -> b.body(swagger.body())).id();
    assertThat(same(fromSwagger)).isEqualTo(same(id));

    // Without extensions the document has no integrations.
    var plain = apigw.getExport(b -> b.restApiId(id).stageName("prod").exportType("oas30"));
    assertThat(plain.body().asUtf8String()).doesNotContain("x-amazon-apigateway-integration");
  }

  /** What an API defines, without its ids: resources' methods with their integrations, as comparable text. */
  private Map<String, String> same(String apiId) {
    Map<String, String> out = new TreeMap<>();
    resources(apiId).forEach((path, r) -> r.resourceMethods().forEach((verb, m) -> out.put(path + " " + verb,
        m.authorizationType() + " key=" + m.apiKeyRequired() + " params=" + new TreeMap<>(m.requestParameters())
            + " models=" + m.requestModels() + " responses=" + new TreeMap<>(m.methodResponses()).keySet()
            + " integration=" + (m.methodIntegration() == null ? null : m.methodIntegration().toBuilder()
                .cacheNamespace(null).build().toString()))));
    return out;
  }

  @Test
  void putRestApiMergesOrOverwrites() {
    String id = apigw.createRestApi(b -> b.name("manual")).id();
    String root = apigw.getResources(b -> b.restApiId(id)).items().get(0).id();
    String old = apigw.createResource(b -> b.restApiId(id).parentId(root).pathPart("old")).id();
    apigw.putMethod(b -> b.restApiId(id).resourceId(old).httpMethod("GET").authorizationType("NONE"));

    var merged = apigw.putRestApi(b -> b.restApiId(id).mode(PutMode.MERGE).body(bytes(invocable())));
    assertThat(merged.name()).isEqualTo("manual");
    assertThat(resources(id)).containsOnlyKeys("/", "/old", "/pets", "/items", "/items/{proxy+}");
    assertThat(resources(id).get("/").id()).isEqualTo(root);
    assertThat(resources(id).get("/old").id()).isEqualTo(old);

    var overwritten = apigw.putRestApi(b -> b.restApiId(id).mode(PutMode.OVERWRITE).body(bytes("""
        {"openapi": "3.0.1", "info": {"title": "replaced", "version": "2"},
         "paths": {"/health": {"get": {"x-amazon-apigateway-integration": {"type": "mock",
           "requestTemplates": {"application/json": "{\\"statusCode\\": 200}"},
           "responses": {"default": {"statusCode": "200"}}}}}}}
        """)));
    assertThat(overwritten.name()).isEqualTo("replaced");
    assertThat(overwritten.version()).isEqualTo("2");
    assertThat(overwritten.binaryMediaTypes()).isEmpty();
    assertThat(resources(id)).containsOnlyKeys("/", "/health");
    assertThat(resources(id).get("/").id()).isEqualTo(root);
    assertThat(apigw.getRequestValidators(b -> b.restApiId(id)).items()).isEmpty();
    assertThat(apigw.getModels(b -> b.restApiId(id)).items()).extracting("name").containsExactlyInAnyOrder("Empty", "Error");
    assertThatThrownBy(() -> apigw.putRestApi(b -> b.restApiId("nosuchapi0").body(bytes(invocable()))))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void badDocumentsAreRefused() {
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes("not: [valid"))))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Invalid OpenAPI input."));
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes("{\"info\": {\"title\": \"x\"}, \"paths\": {}}"))))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Invalid OpenAPI input."));
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes("{\"openapi\": \"3.0.1\", \"paths\": []}"))))
        .isInstanceOf(BadRequestException.class);
    String noIntegration = """
        {"openapi": "3.0.1", "info": {"title": "x"}, "paths": {"/a": {"get": {}}}}
        """;
    assertThat(apigw.importRestApi(b -> b.body(bytes(noIntegration))).warnings())
        .containsExactly("No integration defined for method GET /a");
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes(noIntegration)).failOnWarnings(true)))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .contains("No integration defined for method GET /a"));
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes(invocable().replace("type: mock\n", "type: aws_proxy\n")))))
        .isInstanceOf(BadRequestException.class);
    String cat = invocable().replace("#/components/schemas/Pet\"}", "#/components/schemas/Cat\"}");
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes(cat)).failOnWarnings(true)))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
            "Warnings found during import:\n\tParse issue: attribute paths.'/pets'(post).requestBody.content.schema."
                + "#/components/schemas/Cat is missing"));
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes(invocable().replace("request-validator: all", "request-validator: none")))))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes(invocable())).parameters(Map.of("basepath", "sideways"))))
        .isInstanceOf(BadRequestException.class);
    String twoVariables = """
        {"openapi": "3.0.1", "info": {"title": "x"}, "paths": {"/a/{b}": {}, "/a/{c}": {}}}
        """;
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes(twoVariables))))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .contains("only one is allowed"));
    String underGreedy = """
        {"openapi": "3.0.1", "info": {"title": "x"}, "paths": {"/a/{b+}/c": {}}}
        """;
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes(underGreedy)))).isInstanceOf(BadRequestException.class);
    // Only the document with a warning made an API.
    assertThat(apigw.getRestApis(b -> {}).items()).extracting("name").containsExactly("x");

    String id = apigw.importRestApi(b -> b.body(bytes(invocable()))).id();
    assertThatThrownBy(() -> apigw.getExport(b -> b.restApiId(id).stageName("prod").exportType("oas30")))
        .isInstanceOf(NotFoundException.class);
    apigw.createDeployment(b -> b.restApiId(id).stageName("prod"));
    assertThatThrownBy(() -> apigw.getExport(b -> b.restApiId(id).stageName("prod").exportType("raml")))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void aLargeDocumentImportsUpToTheResourceLimit() {
    StringBuilder paths = new StringBuilder();
    // The root and 299 more: the limit of 300 resources per API.
    for (int i = 0; i < 299; i++) {
      if (i > 0) paths.append(", ");
      paths.append("\"/r").append(i).append("\": {\"get\": {\"description\": \"").append("x".repeat(2000)).append("\", ")
          .append("\"x-amazon-apigateway-integration\": {\"type\": \"mock\", \"requestTemplates\": ")
          .append("{\"application/json\": \"{\\\"statusCode\\\": 200}\"}}}}");
    }
    String doc = "{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"big\"}, \"paths\": {" + paths + "}}";
    String id = apigw.importRestApi(b -> b.body(bytes(doc))).id();
    assertThat(resources(id)).hasSize(300);
    String tooMany = doc.replace("\"paths\": {", "\"paths\": {\"/one-more\": {}, ");
    assertThatThrownBy(() -> apigw.importRestApi(b -> b.body(bytes(tooMany))))
        .isInstanceOf(software.amazon.awssdk.services.apigateway.model.LimitExceededException.class);
    apigw.createDeployment(b -> b.restApiId(id).stageName("prod"));
    String yaml = apigw.getExport(b -> b.restApiId(id).stageName("prod").exportType("oas30").accepts("application/yaml")
        .parameters(Map.of("extensions", "integrations"))).body().asUtf8String();
    assertThat(resources(apigw.importRestApi(b -> b.body(bytes(yaml))).id())).hasSize(300);
  }

  @Test
  void basePathsArePrependedOrIgnored() {
    String doc = """
        swagger: "2.0"
        info: {title: based}
        basePath: /v1
        paths:
          /things:
            get:
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                responses: {default: {statusCode: "200"}}
        """;
    assertThat(resources(apigw.importRestApi(b -> b.body(bytes(doc))).id())).containsOnlyKeys("/", "/things");
    assertThat(resources(apigw.importRestApi(b -> b.body(bytes(doc)).parameters(Map.of("basepath", "prepend"))).id()))
        .containsOnlyKeys("/", "/v1", "/v1/things");
  }
}
