package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType;
import software.amazon.awssdk.services.apigatewayv2.model.Cors;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * CORS on HTTP APIs' invoke URLs, as the guide's "Configure CORS for HTTP APIs" has it: preflights
 * answered by API Gateway (even without an OPTIONS route), the configured headers on answers to
 * allowed origins and none for others, OPTIONS routed like any method without a CorsConfiguration,
 * and the {@code $default} rule: a preflight only {@code $default} catches passes its authorization,
 * and an {@code OPTIONS /{proxy+}} route without one lets preflights through.
 */
class InvokeCorsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String APP = "https://app.example.com";
  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String functionArn;

  @BeforeEach
  void function() {
    functionArn = Functions.create(server.lambda(), "echo", "io.eventplane.examples.HttpEcho::handleRequest").functionArn();
  }

  @AfterEach
  void close() {
    v2.close();
  }

  /** An API with the echo function behind {@code routes}, on the auto-deployed $default stage. */
  private String api(Cors cors, String... routes) {
    String apiId = v2.createApi(b -> b.name("cors").protocolType(ProtocolType.HTTP).corsConfiguration(cors)).apiId();
    String integration = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(functionArn).payloadFormatVersion("2.0")).integrationId();
    for (String key : routes) v2.createRoute(b -> b.apiId(apiId).routeKey(key).target("integrations/" + integration));
    v2.createStage(b -> b.apiId(apiId).stageName("$default").autoDeploy(true));
    return apiId;
  }

  private static Cors app() {
    return Cors.builder().allowOrigins(APP).allowMethods("GET", "POST").allowHeaders("authorization", "content-type")
        .exposeHeaders("x-echoed").maxAge(300).allowCredentials(true).build();
  }

  @Test
  void preflightsAreAnsweredByTheGateway() throws Exception {
    String apiId = api(app(), "GET /items", "ANY /any");
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      for (String path : new String[] {"/items", "/any", "/no/such/route"}) {
        HttpResponse<byte[]> r = send(server.endpoint(node), apiId, "OPTIONS", path, null, "Origin", APP,
            "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
        assertThat(r.statusCode()).as(path).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(r.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST");
        assertThat(r.headers().firstValue("access-control-allow-headers")).hasValue("authorization,content-type");
        assertThat(r.headers().firstValue("access-control-max-age")).hasValue("300");
        assertThat(r.headers().firstValue("access-control-allow-credentials")).hasValue("true");
        assertThat(r.headers().firstValue("apigw-requestid")).isPresent();
      }
    }
  }

  @Test
  void answersToAllowedOriginsCarryTheConfiguredHeaders() throws Exception {
    String apiId = api(app(), "GET /items");
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "GET", "/items", null, "Origin", APP,
        "x-echo-mode", "proxy", "x-echo-status", "200");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(r.headers().firstValue("x-echoed")).hasValue("yes");
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(APP);
    assertThat(r.headers().firstValue("access-control-allow-credentials")).hasValue("true");
    assertThat(r.headers().firstValue("access-control-expose-headers")).hasValue("x-echoed");
    assertThat(r.headers().firstValue("access-control-allow-methods")).isEmpty();
    // The request without an Origin gets none.
    HttpResponse<byte[]> plain = send(server.endpoint(), apiId, "GET", "/items", null);
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("access-control-allow-origin")).isEmpty();
    // API Gateway's own answers get them too.
    HttpResponse<byte[]> missing = send(server.endpoint(), apiId, "GET", "/nothing", null, "Origin", APP);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("access-control-allow-origin")).hasValue(APP);
  }

  @Test
  void anOriginNotAllowedGetsNoCorsHeaders() throws Exception {
    String apiId = api(app(), "GET /items");
    HttpResponse<byte[]> preflight = send(server.endpoint(), apiId, "OPTIONS", "/items", null,
        "Origin", "https://evil.example.com", "Access-Control-Request-Method", "GET");
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "GET", "/items", null, "Origin", "https://evil.example.com");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
  }

  @Test
  void anyOriginIsAnsweredWithAStar() throws Exception {
    String apiId = api(Cors.builder().allowOrigins("*").allowMethods("*").build(), "GET /items");
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "GET", "/items", null, "Origin", "https://anyone.example");
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(r.headers().firstValue("access-control-allow-credentials")).isEmpty();
  }

  @Test
  void withoutCorsConfigurationOptionsIsRoutedLikeAnyMethod() throws Exception {
    String apiId = api(null, "ANY /items");
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "OPTIONS", "/items", null, "Origin", APP,
        "Access-Control-Request-Method", "GET");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(new JsonObject(text(r)).getString("routeKey")).isEqualTo("ANY /items");
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(send(server.endpoint(), apiId, "OPTIONS", "/other", null, "Origin", APP,
        "Access-Control-Request-Method", "GET").statusCode()).isEqualTo(404);
  }

  @Test
  void aPreflightCaughtByDefaultPassesItsAuthorizationFirst() throws Exception {
    String apiId = api(app());
    String integration = v2.getIntegrations(b -> b.apiId(apiId)).items().get(0).integrationId();
    v2.createRoute(b -> b.apiId(apiId).routeKey("$default").target("integrations/" + integration)
        .authorizationType(AuthorizationType.AWS_IAM));
    HttpResponse<byte[]> refused = send(server.endpoint(), apiId, "OPTIONS", "/items", null, "Origin", APP,
        "Access-Control-Request-Method", "GET");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(text(refused))).isEqualTo(new JsonObject().put("message", "Missing Authentication Token"));
    assertThat(refused.headers().firstValue("access-control-allow-origin")).hasValue(APP);

    // The guide's way out: an OPTIONS /{proxy+} route without authorization takes preflights first.
    v2.createRoute(b -> b.apiId(apiId).routeKey("OPTIONS /{proxy+}").target("integrations/" + integration));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<byte[]> r = send(server.endpoint(), apiId, "OPTIONS", "/items", null, "Origin", APP,
          "Access-Control-Request-Method", "GET");
      assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
      assertThat(new JsonObject(text(r)).getString("routeKey")).isEqualTo("OPTIONS /{proxy+}");
      assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(APP);
    });
  }
}
