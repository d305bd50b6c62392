package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;

/**
 * REST APIs' MOCK integrations (the request template names the status), request validators (required
 * parameters, the body against its model), HTTP_PROXY and HTTP integrations to a backend on an ephemeral
 * port, and the gateway's own answers: 403 Missing Authentication Token, 400 validation failures, 500.
 */
class RestInvokeMockAndHttpTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayClient apigw = RestApiClients.v1(server);
  private HttpServer backend;
  private String apiId;
  private String root;

  @BeforeEach
  void setUp() throws Exception {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      JsonObject seen = new JsonObject().put("method", exchange.getRequestMethod())
          .put("uri", exchange.getRequestURI().toString()).put("body", body)
          .put("tenant", exchange.getRequestHeaders().getFirst("X-Tenant"));
      byte[] out = seen.encode().getBytes(StandardCharsets.UTF_8);
      int status = exchange.getRequestURI().getPath().endsWith("/missing") ? 404 : 200;
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("X-Backend", "yes");
      exchange.sendResponseHeaders(status, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    backend.start();
    var api = apigw.createRestApi(b -> b.name("mock-and-http"));
    apiId = api.id();
    root = api.rootResourceId();
  }

  @AfterEach
  void close() {
    backend.stop(0);
    apigw.close();
  }

  private String backendUrl() {
    return "http://127.0.0.1:" + backend.getAddress().getPort();
  }

  private String resource(String parent, String part) {
    return apigw.createResource(b -> b.restApiId(apiId).parentId(parent).pathPart(part)).id();
  }

  @Test
  void mockIntegrationsAnswerTheStatusTheirTemplateNames() throws Exception {
    String health = resource(root, "health");
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(health).httpMethod("GET").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(health).httpMethod("GET").type(IntegrationType.MOCK)
        .requestTemplates(Map.of("application/json",
            "#if($input.params('fail') == 'yes'){\"statusCode\": 503}#else{\"statusCode\": 200}#end")));
    for (String status : new String[] {"200", "503"}) {
      apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(health).httpMethod("GET").statusCode(status)
          .responseParameters(Map.of("method.response.header.X-Stage", false)));
    }
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(health).httpMethod("GET").statusCode("200")
        .responseParameters(Map.of("method.response.header.X-Stage", "stageVariables.name"))
        .responseTemplates(Map.of("application/json", "{\"status\": \"ok\", \"stage\": \"$context.stage\"}")));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(health).httpMethod("GET").statusCode("503")
        .selectionPattern("5\\d{2}").responseTemplates(Map.of("application/json", "{\"status\": \"down\"}")));
    // A method without an integration response for the status it gets is API Gateway's 500.
    String bare = resource(root, "bare");
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(bare).httpMethod("GET").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(bare).httpMethod("GET").type(IntegrationType.MOCK)
        .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("dev").variables(Map.of("name", "development")));

    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      HttpResponse<byte[]> ok = send(server.endpoint(node), apiId, "GET", "/dev/health", null);
      assertThat(ok.statusCode()).as(text(ok)).isEqualTo(200);
      assertThat(new JsonObject(text(ok))).isEqualTo(new JsonObject().put("status", "ok").put("stage", "dev"));
      assertThat(ok.headers().firstValue("X-Stage")).hasValue("development");
      assertThat(ok.headers().firstValue("content-type")).hasValue("application/json");
    }
    HttpResponse<byte[]> down = send(server.endpoint(), apiId, "GET", "/dev/health?fail=yes", null);
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(text(down)).isEqualTo("{\"status\": \"down\"}");
    HttpResponse<byte[]> none = send(server.endpoint(), apiId, "GET", "/dev/bare", null);
    assertThat(none.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(text(none))).isEqualTo(new JsonObject().put("message", "Internal server error"));
    HttpResponse<byte[]> unknown = send(server.endpoint(), apiId, "GET", "/dev/health/deeper", null);
    assertThat(unknown.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(text(unknown)).getString("message")).isEqualTo("Missing Authentication Token");
  }

  @Test
  void requestValidatorsCheckParametersThenTheBody() throws Exception {
    apigw.createModel(b -> b.restApiId(apiId).name("Pet").contentType("application/json").schema("""
        {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["name"],
         "properties": {"name": {"type": "string"}, "price": {"type": "number", "minimum": 0}}}"""));
    String validator = apigw.createRequestValidator(b -> b.restApiId(apiId).name("all").validateRequestBody(true)
        .validateRequestParameters(true)).id();
    String pets = resource(root, "pets");
    Map<String, Boolean> required = new java.util.LinkedHashMap<>();
    required.put("method.request.querystring.owner", true);
    required.put("method.request.header.X-Tenant", true);
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(pets).httpMethod("POST").authorizationType("NONE")
        .requestValidatorId(validator).requestModels(Map.of("application/json", "Pet"))
        .requestParameters(required));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(pets).httpMethod("POST").type(IntegrationType.MOCK)
        .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
    apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(pets).httpMethod("POST").statusCode("200"));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(pets).httpMethod("POST").statusCode("200")
        .responseTemplates(Map.of("application/json", "{\"created\": $input.json('$')}")));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("dev"));

    HttpResponse<byte[]> missing = send(server.endpoint(), apiId, "POST", "/dev/pets", "{\"name\": \"rex\"}",
        "Content-Type", "application/json");
    assertThat(missing.statusCode()).isEqualTo(400);
    // In the order the method declares them.
    assertThat(new JsonObject(text(missing)).getString("message")).isEqualTo("Missing required request parameters: [owner, X-Tenant]");
    assertThat(missing.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
    HttpResponse<byte[]> invalid = send(server.endpoint(), apiId, "POST", "/dev/pets?owner=ann", "{\"price\": -1}",
        "Content-Type", "application/json", "X-Tenant", "t1");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(text(invalid)).getString("message")).isEqualTo("Invalid request body");
    HttpResponse<byte[]> good = send(server.endpoint(), apiId, "POST", "/dev/pets?owner=ann", "{\"name\": \"rex\", \"price\": 3}",
        "Content-Type", "application/json", "X-Tenant", "t1");
    assertThat(good.statusCode()).as(text(good)).isEqualTo(200);
  }

  @Test
  void httpProxyPassesTheRequestAndHttpMapsIt() throws Exception {
    String api = resource(root, "api");
    String proxy = resource(api, "{proxy+}");
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(proxy).httpMethod("ANY").authorizationType("NONE")
        .requestParameters(Map.of("method.request.path.proxy", true)));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(proxy).httpMethod("ANY").type(IntegrationType.HTTP_PROXY)
        .integrationHttpMethod("ANY").uri(backendUrl() + "/backend/{proxy}")
        .requestParameters(Map.of("integration.request.path.proxy", "method.request.path.proxy")));
    String orders = resource(root, "orders");
    String order = resource(orders, "{id}");
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(order).httpMethod("POST").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(order).httpMethod("POST").type(IntegrationType.HTTP)
        .integrationHttpMethod("PUT").uri(backendUrl() + "/store/{id}")
        .requestParameters(Map.of("integration.request.path.id", "method.request.path.id",
            "integration.request.header.X-Tenant", "'acme'", "integration.request.querystring.src", "'api'"))
        .requestTemplates(Map.of("application/json", "{\"item\": $input.json('$.item')}")));
    for (String status : new String[] {"200", "404"}) {
      apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(order).httpMethod("POST").statusCode(status)
          .responseParameters(Map.of("method.response.header.X-Backend", false)));
    }
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(order).httpMethod("POST").statusCode("200")
        .responseParameters(Map.of("method.response.header.X-Backend", "integration.response.header.X-Backend"))
        .responseTemplates(Map.of("application/json", "{\"stored\": $input.json('$.body'), \"at\": \"$input.path('$.uri')\","
            + " \"as\": \"$input.path('$.method')\", \"tenant\": \"$input.path('$.tenant')\"}")));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(order).httpMethod("POST").statusCode("404")
        .selectionPattern("404").responseTemplates(Map.of("application/json", "{\"found\": false}")));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("dev"));

    HttpResponse<byte[]> proxied = send(server.endpoint(), apiId, "PATCH", "/dev/api/a/b?q=1", "raw", "Content-Type", "text/plain",
        "X-Tenant", "t9");
    assertThat(proxied.statusCode()).as(text(proxied)).isEqualTo(200);
    assertThat(proxied.headers().firstValue("X-Backend")).hasValue("yes");
    assertThat(new JsonObject(text(proxied))).isEqualTo(new JsonObject().put("method", "PATCH").put("uri", "/backend/a/b?q=1")
        .put("body", "raw").put("tenant", "t9"));

    HttpResponse<byte[]> mapped = send(server.endpoint(), apiId, "POST", "/dev/orders/42", "{\"item\": \"book\"}",
        "Content-Type", "application/json");
    assertThat(mapped.statusCode()).as(text(mapped)).isEqualTo(200);
    assertThat(mapped.headers().firstValue("X-Backend")).hasValue("yes");
    assertThat(new JsonObject(text(mapped))).isEqualTo(new JsonObject().put("stored", "{\"item\": \"book\"}")
        .put("at", "/store/42?src=api").put("as", "PUT").put("tenant", "acme"));
    HttpResponse<byte[]> notThere = send(server.endpoint(), apiId, "POST", "/dev/orders/missing", "{}", "Content-Type", "application/json");
    assertThat(notThere.statusCode()).isEqualTo(404);
    assertThat(text(notThere)).isEqualTo("{\"found\": false}");
  }

  @Test
  void anUnknownStageIsForbiddenForRestApisAndNotFoundForHttpApis() throws Exception {
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(root).httpMethod("GET").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(root).httpMethod("GET").type(IntegrationType.MOCK)
        .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
    apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(root).httpMethod("GET").statusCode("200"));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(root).httpMethod("GET").statusCode("200")
        .responseTemplates(Map.of("application/json", "{\"root\": true}")));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("dev"));

    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      // The stage alone is the root resource.
      for (String path : new String[] {"/dev", "/dev/"}) {
        HttpResponse<byte[]> rootAnswer = send(server.endpoint(node), apiId, "GET", path, null);
        assertThat(rootAnswer.statusCode()).as(path + " " + text(rootAnswer)).isEqualTo(200);
        assertThat(text(rootAnswer)).isEqualTo("{\"root\": true}");
      }
      // A stage the API does not have, no stage at all, or $default (HTTP APIs' only): 403 Forbidden.
      for (String path : new String[] {"/prod/x", "/prod", "/", "/$default/x", "/DEV"}) {
        HttpResponse<byte[]> forbidden = send(server.endpoint(node), apiId, "GET", path, null);
        assertThat(forbidden.statusCode()).as(path).isEqualTo(403);
        assertThat(new JsonObject(text(forbidden))).isEqualTo(new JsonObject().put("message", "Forbidden"));
        assertThat(forbidden.headers().firstValue("x-amzn-ErrorType")).hasValue("ForbiddenException");
        assertThat(forbidden.headers().firstValue("apigw-requestid")).isPresent();
      }
    }

    var v2 = ApiGatewayClients.v2(server);
    try {
      String httpApi = v2.createApi(b -> b.name("no-default").protocolType("HTTP")).apiId();
      v2.createStage(b -> b.apiId(httpApi).stageName("live").autoDeploy(true));
      for (String path : new String[] {"/prod/x", "/", "/live/missing"}) {
        HttpResponse<byte[]> notFound = send(server.endpoint(), httpApi, "GET", path, null);
        assertThat(notFound.statusCode()).as(path).isEqualTo(404);
        assertThat(new JsonObject(text(notFound))).isEqualTo(new JsonObject().put("message", "Not Found"));
        assertThat(notFound.headers().firstValue("x-amzn-ErrorType")).isEmpty();
      }
    } finally {
      v2.close();
    }
  }
}
