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
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * HTTP APIs' Lambda proxy integrations end to end, with the examples' {@code HttpEcho} function
 * behind the routes and a plain HTTP client on the invoke URL: the event of payload formats 2.0
 * and 1.0 as the function receives it, the mapping of its answers (structured, the 2.0 shortcut,
 * base64, errors, a timeout), route selection and API Gateway's own 404s. In the three-node run
 * every node serves the API.
 */
class InvokeLambdaProxyTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String ACCOUNT = "000000000000";
  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String apiId;
  private String functionArn;
  private String lambda20;

  @BeforeEach
  void api() {
    functionArn = Functions.create(server.lambda(), "echo", "io.eventplane.examples.HttpEcho::handleRequest").functionArn();
    apiId = v2.createApi(b -> b.name("echo").protocolType(ProtocolType.HTTP)).apiId();
    String v20 = integration("2.0", 30_000);
    lambda20 = v20;
    String v10 = integration("1.0", 30_000);
    route("GET /items/{id}", v20);
    route("ANY /items/{proxy+}", v20);
    route("POST /items", v20);
    route("ANY /v1/{proxy+}", v10);
    route("GET /slow", integration("2.0", 50));
    v2.createStage(b -> b.apiId(apiId).stageName("prod").autoDeploy(true).stageVariables(Map.of("color", "blue")));
  }

  @AfterEach
  void close() {
    v2.close();
  }

  private String integration(String version, int timeout) {
    return v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(functionArn)
        .payloadFormatVersion(version).timeoutInMillis(timeout)).integrationId();
  }

  private void route(String key, String integrationId) {
    v2.createRoute(b -> b.apiId(apiId).routeKey(key).target("integrations/" + integrationId));
  }

  @Test
  void theFunctionGetsTheFormat20Event() throws Exception {
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      HttpResponse<byte[]> r = send(server.endpoint(node), apiId, "GET", "/prod/items/42?a=1&a=2&b=x%20y", null,
          "X-Repeat", "one", "X-Repeat", "two", "Cookie", "c1=1; c2=2", "User-Agent", "invoke-test");
      assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      JsonObject event = new JsonObject(text(r));
      assertThat(event.getString("version")).isEqualTo("2.0");
      assertThat(event.getString("routeKey")).isEqualTo("GET /items/{id}");
      assertThat(event.getString("rawPath")).isEqualTo("/prod/items/42");
      assertThat(event.getString("rawQueryString")).isEqualTo("a=1&a=2&b=x%20y");
      assertThat(event.getJsonArray("cookies")).isEqualTo(new JsonArray().add("c1=1").add("c2=2"));
      assertThat(event.getJsonObject("headers").getString("x-repeat")).isEqualTo("one,two");
      assertThat(event.getJsonObject("headers").containsKey("cookie")).isFalse();
      assertThat(event.getJsonObject("headers").getString("x-forwarded-for")).isEqualTo("127.0.0.1");
      assertThat(event.getJsonObject("headers").getString("x-forwarded-proto")).isEqualTo("http");
      assertThat(event.getJsonObject("headers").getString("x-forwarded-port")).isEqualTo(String.valueOf(server.endpoint(node).getPort()));
      assertThat(event.getJsonObject("queryStringParameters")).isEqualTo(new JsonObject().put("a", "1,2").put("b", "x y"));
      assertThat(event.getJsonObject("pathParameters")).isEqualTo(new JsonObject().put("id", "42"));
      assertThat(event.getJsonObject("stageVariables")).isEqualTo(new JsonObject().put("color", "blue"));
      assertThat(event.getBoolean("isBase64Encoded")).isFalse();
      assertThat(event.containsKey("body")).isFalse();
      JsonObject context = event.getJsonObject("requestContext");
      assertThat(context.getString("accountId")).isEqualTo(ACCOUNT);
      assertThat(context.getString("apiId")).isEqualTo(apiId);
      assertThat(context.getString("stage")).isEqualTo("prod");
      assertThat(context.getString("routeKey")).isEqualTo("GET /items/{id}");
      assertThat(context.getString("requestId")).isEqualTo(r.headers().firstValue("apigw-requestid").orElseThrow());
      assertThat(context.getJsonObject("http").getString("method")).isEqualTo("GET");
      assertThat(context.getJsonObject("http").getString("path")).isEqualTo("/prod/items/42");
      assertThat(context.getJsonObject("http").getString("protocol")).isEqualTo("HTTP/1.1");
      assertThat(context.getJsonObject("http").getString("sourceIp")).isEqualTo("127.0.0.1");
      assertThat(context.getJsonObject("http").getString("userAgent")).isEqualTo("invoke-test");
      assertThat(context.getString("time")).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
      assertThat(context.getLong("timeEpoch")).isEqualTo(server.clock().millis());
      assertThat(context.getString("time")).isEqualTo(java.time.format.DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
          java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC).format(server.clock().instant()));
    }
  }

  @Test
  void bodiesArriveAsTextOrBase64() throws Exception {
    JsonObject json = new JsonObject(text(send(server.endpoint(), apiId, "POST", "/prod/items", "{\"n\":1}",
        "Content-Type", "application/json")));
    assertThat(json.getString("routeKey")).isEqualTo("POST /items");
    assertThat(json.getString("body")).isEqualTo("{\"n\":1}");
    assertThat(json.getBoolean("isBase64Encoded")).isFalse();
    JsonObject form = new JsonObject(text(send(server.endpoint(), apiId, "POST", "/prod/items", "a=1",
        "Content-Type", "application/x-www-form-urlencoded")));
    assertThat(form.getString("body")).isEqualTo("YT0x");
    assertThat(form.getBoolean("isBase64Encoded")).isTrue();
    // Invoke URLs are never SigV4: a request signed (badly) for S3 still reaches the route, Authorization as a header.
    String signed = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=bad";
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "POST", "/prod/items", "x", "Authorization", signed,
        "Content-Type", "text/plain");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(new JsonObject(text(r)).getJsonObject("headers").getString("authorization")).isEqualTo(signed);
  }

  @Test
  void structuredAnswersAndTheirShortcuts() throws Exception {
    HttpResponse<byte[]> proxy = send(server.endpoint(), apiId, "GET", "/prod/items/a/b", null, "x-echo-mode", "proxy",
        "x-echo-status", "202");
    assertThat(proxy.statusCode()).isEqualTo(202);
    assertThat(proxy.headers().firstValue("x-echoed")).hasValue("yes");
    assertThat(proxy.headers().allValues("set-cookie")).containsExactlyInAnyOrder("a=1; Path=/", "b=2");
    // Format 2.0 has no multiValueHeaders.
    assertThat(proxy.headers().firstValue("x-multi")).isEmpty();
    JsonObject event = new JsonObject(text(proxy));
    assertThat(event.getString("routeKey")).isEqualTo("ANY /items/{proxy+}");
    assertThat(event.getJsonObject("pathParameters")).isEqualTo(new JsonObject().put("proxy", "a/b"));

    HttpResponse<byte[]> string = send(server.endpoint(), apiId, "GET", "/prod/items/1", null, "x-echo-mode", "string");
    assertThat(string.statusCode()).isEqualTo(200);
    assertThat(string.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(text(string)).isEqualTo("Hello from Lambda!");

    HttpResponse<byte[]> binary = send(server.endpoint(), apiId, "GET", "/prod/items/1", null, "x-echo-mode", "base64");
    assertThat(binary.headers().firstValue("content-type")).hasValue("application/octet-stream");
    assertThat(binary.body()).containsExactly(0, 1, 2);
  }

  @Test
  void format10() throws Exception {
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "PUT", "/prod/v1/x?a=1&a=2", "hi", "x-echo-mode", "proxy",
        "Content-Type", "text/plain", "X-Repeat", "one", "X-Repeat", "two");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().allValues("x-multi")).containsExactly("a", "b");
    JsonObject event = new JsonObject(text(r));
    assertThat(event.getString("version")).isEqualTo("1.0");
    assertThat(event.getString("resource")).isEqualTo("/v1/{proxy+}");
    assertThat(event.getString("path")).isEqualTo("/prod/v1/x");
    assertThat(event.getString("httpMethod")).isEqualTo("PUT");
    assertThat(event.getJsonObject("headers").getString("x-repeat")).isEqualTo("two");
    assertThat(event.getJsonObject("multiValueHeaders").getJsonArray("x-repeat")).isEqualTo(new JsonArray().add("one").add("two"));
    assertThat(event.getJsonObject("queryStringParameters")).isEqualTo(new JsonObject().put("a", "2"));
    assertThat(event.getJsonObject("multiValueQueryStringParameters").getJsonArray("a")).isEqualTo(new JsonArray().add("1").add("2"));
    assertThat(event.getJsonObject("pathParameters")).isEqualTo(new JsonObject().put("proxy", "x"));
    assertThat(event.getString("body")).isEqualTo("hi");
    assertThat(event.getJsonObject("requestContext").getJsonObject("identity").getString("sourceIp")).isEqualTo("127.0.0.1");
    // Format 1.0 needs a statusCode: the event itself is no answer.
    HttpResponse<byte[]> plain = send(server.endpoint(), apiId, "GET", "/prod/v1/x", null);
    assertThat(plain.statusCode()).isEqualTo(500);
    assertThat(text(plain)).isEqualTo("{\"message\":\"Internal Server Error\"}");
  }

  @Test
  void failuresAndTimeouts() throws Exception {
    HttpResponse<byte[]> failed = send(server.endpoint(), apiId, "GET", "/prod/items/1", null, "x-echo-mode", "fail");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(text(failed)).isEqualTo("{\"message\":\"Internal Server Error\"}");
    HttpResponse<byte[]> slow = send(server.endpoint(), apiId, "GET", "/prod/slow", null, "x-echo-mode", "sleep",
        "x-echo-sleep", "1500");
    assertThat(slow.statusCode()).isEqualTo(503);
    assertThat(text(slow)).isEqualTo("{\"message\":\"Service Unavailable\"}");
    server.lambda().deleteFunction(b -> b.functionName("echo"));
    HttpResponse<byte[]> gone = send(server.endpoint(), apiId, "GET", "/prod/items/1", null);
    assertThat(gone.statusCode()).isEqualTo(500);
  }

  @Test
  void unknownApisStagesAndRoutesAreNotFound() throws Exception {
    for (String[] call : new String[][] {{"0000000000", "/prod/items/1"}, {apiId, "/dev/items/1"}, {apiId, "/prod/nothing"},
        {apiId, "/prod/item/1"}, {"x", "/prod"}}) {
      HttpResponse<byte[]> r = send(server.endpoint(), call[0], "GET", call[1], null);
      assertThat(r.statusCode()).as(String.join(" ", call)).isEqualTo(404);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(text(r)).isEqualTo("{\"message\":\"Not Found\"}");
    }
    assertThat(send(server.endpoint(), apiId, "DELETE", "/prod/items", null).statusCode()).isEqualTo(404);
  }

  @Test
  void theDefaultStageServesPathsWithoutAStage() throws Exception {
    String integrationId = integration("2.0", 30_000);
    route("$default", integrationId);
    v2.createStage(b -> b.apiId(apiId).stageName("$default").autoDeploy(true));
    JsonObject event = new JsonObject(text(send(server.endpoint(), apiId, "GET", "/items/7", null)));
    assertThat(event.getJsonObject("requestContext").getString("stage")).isEqualTo("$default");
    assertThat(event.getString("rawPath")).isEqualTo("/items/7");
    assertThat(event.getString("routeKey")).isEqualTo("GET /items/{id}");
    JsonObject fallback = new JsonObject(text(send(server.endpoint(), apiId, "GET", "/anything/else", null)));
    assertThat(fallback.getString("routeKey")).isEqualTo("$default");
    // A named stage still answers under its name.
    assertThat(new JsonObject(text(send(server.endpoint(), apiId, "GET", "/prod/items/7", null)))
        .getJsonObject("requestContext").getString("stage")).isEqualTo("prod");
  }

  @Test
  void bodiesOverTenMegabytesAreRefused() throws Exception {
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "POST", "/prod/items", "x".repeat(10 * 1024 * 1024 + 1),
        "Content-Type", "text/plain");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(text(r)).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
  }

  @Test
  void theHostFormServesToo() throws Exception {
    io.vertx.core.http.HttpClient client = server.vertx(0).createHttpClient();
    try {
      int port = server.endpoint().getPort();
      Map.Entry<Integer, String> answer = client.request(new io.vertx.core.http.RequestOptions()
              .setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(port, "127.0.0.1"))
              .setHost(apiId + ".execute-api.localhost").setPort(port).setURI("/prod/items/5?q=1"))
          .compose(request -> request.send().compose(response -> response.body().map(b -> Map.entry(response.statusCode(), b.toString()))))
          .toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answer.getKey()).as(answer.getValue()).isEqualTo(200);
      JsonObject event = new JsonObject(answer.getValue());
      assertThat(event.getJsonObject("pathParameters")).isEqualTo(new JsonObject().put("id", "5"));
      assertThat(event.getString("rawQueryString")).isEqualTo("q=1");
      assertThat(event.getJsonObject("requestContext").getString("domainName")).isEqualTo(apiId + ".execute-api.localhost");
      assertThat(event.getJsonObject("requestContext").getString("domainPrefix")).isEqualTo(apiId);
    } finally {
      client.close();
    }
  }

  @Test
  void aDisabledDefaultEndpointIsForbidden() throws Exception {
    v2.updateApi(b -> b.apiId(apiId).disableExecuteApiEndpoint(true));
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "GET", "/prod/items/1", null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(text(r)).isEqualTo("{\"message\":\"Forbidden\"}");
  }

  @Test
  void changesReachTheCacheOfEveryNode() throws Exception {
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      assertThat(send(server.endpoint(node), apiId, "GET", "/prod/fresh", null).statusCode()).isEqualTo(404);
    }
    route("GET /fresh", lambda20);
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      java.net.URI endpoint = server.endpoint(node);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> send(endpoint, apiId, "GET", "/prod/fresh", null).statusCode() == 200);
    }
  }
}
