package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;

/**
 * REST APIs in front of a Lambda function (the examples' {@code HttpEcho}): the Lambda proxy integration
 * (AWS_PROXY) with the REST API proxy event and its answer mapped back, and the non-proxy Lambda
 * integration (AWS) whose request template makes the function's input and whose integration responses are
 * chosen by the function error's errorMessage against their selection patterns.
 */
class RestInvokeLambdaTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayClient apigw = RestApiClients.v1(server);
  private String functionArn;
  private String apiId;
  private String root;

  @BeforeEach
  void setUp() {
    functionArn = Functions.create(server.lambda(), "echo", "io.eventplane.examples.HttpEcho::handleRequest").functionArn();
    var api = apigw.createRestApi(b -> b.name("lambda"));
    apiId = api.id();
    root = api.rootResourceId();
  }

  @AfterEach
  void close() {
    apigw.close();
  }

  private String invocationUri() {
    return Invocations.lambdaUri(functionArn);
  }

  @Test
  void theProxyEventAndTheFunctionsAnswer() throws Exception {
    String items = apigw.createResource(b -> b.restApiId(apiId).parentId(root).pathPart("items")).id();
    String proxy = apigw.createResource(b -> b.restApiId(apiId).parentId(items).pathPart("{proxy+}")).id();
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(proxy).httpMethod("ANY").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(proxy).httpMethod("ANY").type(IntegrationType.AWS_PROXY)
        .integrationHttpMethod("POST").uri(invocationUri()));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod").variables(Map.of("color", "blue")));

    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      HttpResponse<byte[]> answer = send(server.endpoint(node), apiId, "POST", "/prod/items/a/b%20c?x=1&x=2&y=3",
          "{\"n\": 1}", "Content-Type", "application/json", "X-Echo-Mode", "proxy", "X-Echo-Status", "202");
      assertThat(answer.statusCode()).as(text(answer)).isEqualTo(202);
      assertThat(answer.headers().firstValue("x-echoed")).hasValue("yes");
      assertThat(answer.headers().allValues("x-multi")).containsExactly("a", "b");
      JsonObject event = new JsonObject(text(answer));
      assertThat(event.getString("resource")).isEqualTo("/items/{proxy+}");
      assertThat(event.getString("path")).isEqualTo("/items/a/b%20c");
      assertThat(event.getString("httpMethod")).isEqualTo("POST");
      assertThat(event.getJsonObject("pathParameters")).isEqualTo(new JsonObject().put("proxy", "a/b c"));
      assertThat(event.getJsonObject("queryStringParameters")).isEqualTo(new JsonObject().put("x", "2").put("y", "3"));
      assertThat(event.getJsonObject("multiValueQueryStringParameters").getJsonArray("x")).isEqualTo(new JsonArray().add("1").add("2"));
      assertThat(event.getJsonObject("stageVariables")).isEqualTo(new JsonObject().put("color", "blue"));
      assertThat(event.getString("body")).isEqualTo("{\"n\": 1}");
      assertThat(event.getBoolean("isBase64Encoded")).isFalse();
      JsonObject context = event.getJsonObject("requestContext");
      assertThat(context.getString("resourceId")).isEqualTo(proxy);
      assertThat(context.getString("resourcePath")).isEqualTo("/items/{proxy+}");
      assertThat(context.getString("stage")).isEqualTo("prod");
      assertThat(context.getString("path")).isEqualTo("/prod/items/a/b%20c");
      assertThat(context.getString("accountId")).isEqualTo("000000000000");
      assertThat(context.getString("apiId")).isEqualTo(apiId);
      assertThat(context.getString("requestId")).isEqualTo(answer.headers().firstValue("apigw-requestid").orElseThrow());
      assertThat(context.getJsonObject("identity").getString("sourceIp")).isNotEmpty();
    }

    HttpResponse<byte[]> failed = send(server.endpoint(), apiId, "GET", "/prod/items/x", null, "X-Echo-Mode", "fail");
    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(text(failed))).isEqualTo(new JsonObject().put("message", "Internal server error"));
    // A plain JSON answer is no proxy response: REST APIs, unlike HTTP APIs, refuse it.
    HttpResponse<byte[]> plain = send(server.endpoint(), apiId, "GET", "/prod/items/x", null);
    assertThat(plain.statusCode()).isEqualTo(502);
    // /items itself has no method: the greedy resource needs at least one segment.
    assertThat(send(server.endpoint(), apiId, "GET", "/prod/items", null).statusCode()).isEqualTo(403);
  }

  @Test
  void nonProxyTemplatesAndSelectionPatterns() throws Exception {
    String greet = apigw.createResource(b -> b.restApiId(apiId).parentId(root).pathPart("greet")).id();
    String name = apigw.createResource(b -> b.restApiId(apiId).parentId(greet).pathPart("{name}")).id();
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(name).httpMethod("GET").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(name).httpMethod("GET").type(IntegrationType.AWS)
        .integrationHttpMethod("POST").uri(invocationUri())
        .requestTemplates(Map.of("application/json", """
            {"headers": {"x-echo-mode": "$input.params('mode')"}, "name": "$input.params('name')", "stage": "$context.stage"}""")));
    for (String status : new String[] {"200", "400"}) {
      apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(name).httpMethod("GET").statusCode(status)
          .responseParameters(Map.of("method.response.header.X-Name", false)));
    }
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(name).httpMethod("GET").statusCode("200")
        .responseParameters(Map.of("method.response.header.X-Name", "integration.response.body.name"))
        .responseTemplates(Map.of("application/json", "{\"hello\": \"$input.path('$.name')\", \"at\": \"$input.path('$.stage')\"}")));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(name).httpMethod("GET").statusCode("400")
        .selectionPattern(".*fail.*")
        .responseTemplates(Map.of("application/json", "{\"error\": \"$input.path('$.errorMessage')\"}")));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("v1"));

    HttpResponse<byte[]> hello = send(server.endpoint(), apiId, "GET", "/v1/greet/ada", null);
    assertThat(hello.statusCode()).as(text(hello)).isEqualTo(200);
    assertThat(new JsonObject(text(hello))).isEqualTo(new JsonObject().put("hello", "ada").put("at", "v1"));
    assertThat(hello.headers().firstValue("X-Name")).hasValue("ada");

    HttpResponse<byte[]> failed = send(server.endpoint(), apiId, "GET", "/v1/greet/ada?mode=fail", null);
    assertThat(failed.statusCode()).as(text(failed)).isEqualTo(400);
    assertThat(new JsonObject(text(failed))).isEqualTo(new JsonObject().put("error", "asked to fail"));
  }

  @Test
  void aFunctionSlowerThanTheIntegrationsTimeoutIsEndpointRequestTimedOut() throws Exception {
    String slow = apigw.createResource(b -> b.restApiId(apiId).parentId(root).pathPart("slow")).id();
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(slow).httpMethod("GET").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(slow).httpMethod("GET").type(IntegrationType.AWS_PROXY)
        .integrationHttpMethod("POST").uri(invocationUri()).timeoutInMillis(500));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));
    HttpResponse<byte[]> timedOut = send(server.endpoint(), apiId, "GET", "/prod/slow", null,
        "X-Echo-Mode", "sleep", "X-Echo-Sleep", "3000");
    assertThat(timedOut.statusCode()).isEqualTo(504);
    assertThat(new JsonObject(text(timedOut))).isEqualTo(new JsonObject().put("message", "Endpoint request timed out"));
  }

  private static HttpResponse<byte[]> sendBytes(String apiId, String path, byte[] body, String... headers) throws Exception {
    var b = java.net.http.HttpRequest.newBuilder(Invocations.url(server.endpoint(), apiId, path))
        .timeout(java.time.Duration.ofSeconds(60)).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return Invocations.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void binaryMediaTypesAndContentHandling() throws Exception {
    var api = apigw.createRestApi(b -> b.name("binary").binaryMediaTypes("image/*"));
    String binApi = api.id();
    String proxied = apigw.createResource(b -> b.restApiId(binApi).parentId(api.rootResourceId()).pathPart("proxied")).id();
    apigw.putMethod(b -> b.restApiId(binApi).resourceId(proxied).httpMethod("POST").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(binApi).resourceId(proxied).httpMethod("POST").type(IntegrationType.AWS_PROXY)
        .integrationHttpMethod("POST").uri(invocationUri()));
    // A non-proxy Lambda integration: the image reaches the template as base64 text (CONVERT_TO_TEXT), the
    // function's base64 answer reaches the client as bytes (CONVERT_TO_BINARY on the integration response).
    String mapped = apigw.createResource(b -> b.restApiId(binApi).parentId(api.rootResourceId()).pathPart("mapped")).id();
    apigw.putMethod(b -> b.restApiId(binApi).resourceId(mapped).httpMethod("POST").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(binApi).resourceId(mapped).httpMethod("POST").type(IntegrationType.AWS)
        .integrationHttpMethod("POST").uri(invocationUri()).contentHandling("CONVERT_TO_TEXT")
        .requestTemplates(Map.of("image/png", "{\"data\": \"$input.body\"}")));
    apigw.putMethodResponse(b -> b.restApiId(binApi).resourceId(mapped).httpMethod("POST").statusCode("200"));
    apigw.putIntegrationResponse(b -> b.restApiId(binApi).resourceId(mapped).httpMethod("POST").statusCode("200")
        .contentHandling("CONVERT_TO_BINARY").responseTemplates(Map.of("application/json", "$input.path('$.data')")));
    apigw.createDeployment(b -> b.restApiId(binApi).stageName("prod"));
    byte[] image = {0, 1, 2, (byte) 0xff};

    // The request's Content-Type is a binary media type: the proxy event's body is base64.
    HttpResponse<byte[]> binaryIn = sendBytes(binApi, "/prod/proxied", image, "Content-Type", "image/png", "X-Echo-Mode", "proxy");
    assertThat(binaryIn.statusCode()).as(text(binaryIn)).isEqualTo(201);
    JsonObject event = new JsonObject(text(binaryIn));
    assertThat(event.getString("body")).isEqualTo("AAEC/w==");
    assertThat(event.getBoolean("isBase64Encoded")).isTrue();
    // Not one (application/octet-stream is not image/*): the body's text, not base64.
    HttpResponse<byte[]> textIn = sendBytes(binApi, "/prod/proxied", "plain".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "Content-Type", "application/octet-stream", "X-Echo-Mode", "proxy");
    JsonObject textEvent = new JsonObject(text(textIn));
    assertThat(textEvent.getString("body")).isEqualTo("plain");
    assertThat(textEvent.getBoolean("isBase64Encoded")).isFalse();
    // isBase64Encoded answers are decoded only for a binary Accept (or answer Content-Type).
    HttpResponse<byte[]> base64Out = sendBytes(binApi, "/prod/proxied", new byte[0], "X-Echo-Mode", "base64");
    assertThat(base64Out.statusCode()).isEqualTo(200);
    assertThat(text(base64Out)).isEqualTo("AAEC");
    HttpResponse<byte[]> binaryOut = sendBytes(binApi, "/prod/proxied", new byte[0], "X-Echo-Mode", "base64",
        "Accept", "image/png, */*");
    assertThat(binaryOut.body()).containsExactly(0, 1, 2);

    HttpResponse<byte[]> converted = sendBytes(binApi, "/prod/mapped", image, "Content-Type", "image/png",
        "Accept", "application/json");
    assertThat(converted.statusCode()).as(text(converted)).isEqualTo(200);
    assertThat(converted.body()).containsExactly(image);
  }
}
