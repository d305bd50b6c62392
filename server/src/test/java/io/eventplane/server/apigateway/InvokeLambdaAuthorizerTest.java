package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizerType;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * Lambda REQUEST authorizers on HTTP APIs' invoke URLs, with the examples' {@code HttpAuthorizer}
 * (its verdict picked by the Authorization header) in front of {@code HttpEcho}: simple responses
 * and IAM policies, what the integration sees of the authorizer's context, 401 without the identity
 * source, 500 for a failing or nonsensical authorizer, and the result cache: an answer reused for
 * AuthorizerResultTtlInSeconds by the server's clock (each call's context has a new nonce, so equal
 * nonces mean one call), a cached policy judged again for another route.
 */
class InvokeLambdaAuthorizerTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String apiId;
  private String echo20;
  private String echo10;
  private String authorizerUri;

  @BeforeEach
  void api() {
    String echo = Functions.create(server.lambda(), "echo", "io.eventplane.examples.HttpEcho::handleRequest").functionArn();
    String auth = Functions.create(server.lambda(), "auth", "io.eventplane.examples.HttpAuthorizer::handleRequest").functionArn();
    authorizerUri = Invocations.lambdaUri(auth);
    apiId = v2.createApi(b -> b.name("lambda-auth").protocolType(ProtocolType.HTTP)).apiId();
    echo20 = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(echo).payloadFormatVersion("2.0")).integrationId();
    echo10 = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(echo).payloadFormatVersion("1.0")).integrationId();
  }

  @AfterEach
  void close() {
    v2.close();
  }

  private String authorizer(boolean simple, int ttl) {
    return v2.createAuthorizer(b -> b.apiId(apiId).name("auth" + simple + ttl).authorizerType(AuthorizerType.REQUEST)
        .authorizerUri(authorizerUri).authorizerPayloadFormatVersion("2.0").enableSimpleResponses(simple)
        .identitySource("$request.header.Authorization").authorizerResultTtlInSeconds(ttl)).authorizerId();
  }

  private void route(String key, String integration, String authorizerId) {
    v2.createRoute(b -> b.apiId(apiId).routeKey(key).target("integrations/" + integration)
        .authorizationType(AuthorizationType.CUSTOM).authorizerId(authorizerId));
  }

  private void deploy() {
    v2.createStage(b -> b.apiId(apiId).stageName("prod").autoDeploy(true));
  }

  private HttpResponse<byte[]> get(int node, String path, String authorization) throws Exception {
    return authorization == null ? send(server.endpoint(node), apiId, "GET", path, null)
        : send(server.endpoint(node), apiId, "GET", path, null, "Authorization", authorization);
  }

  /** A request to a payload 1.0 route: HttpEcho answers in proxy mode (201, the event as the body). */
  private HttpResponse<byte[]> get10(String path, String authorization) throws Exception {
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "GET", path, null, "Authorization", authorization,
        "x-echo-mode", "proxy");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    return r;
  }

  private static JsonObject authorizerOf(HttpResponse<byte[]> r) {
    return new JsonObject(text(r)).getJsonObject("requestContext").getJsonObject("authorizer");
  }

  @Test
  void simpleResponsesAllowOrDeny() throws Exception {
    String simple = authorizer(true, 0);
    route("GET /a", echo20, simple);
    route("GET /v1", echo10, simple);
    deploy();
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      HttpResponse<byte[]> allowed = get(node, "/prod/a", "allow");
      assertThat(allowed.statusCode()).as(text(allowed)).isEqualTo(200);
      assertThat(authorizerOf(allowed).getJsonObject("lambda").getString("user")).isEqualTo("alice");
      HttpResponse<byte[]> denied = get(node, "/prod/a", "deny");
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(new JsonObject(text(denied))).isEqualTo(new JsonObject().put("message", "Forbidden"));
    }
    // Payload 1.0 integrations see the context's members directly.
    assertThat(authorizerOf(get10("/prod/v1", "allow")).getString("user")).isEqualTo("alice");
    // No identity source: 401 without calling the function.
    HttpResponse<byte[]> none = get(0, "/prod/a", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(text(none))).isEqualTo(new JsonObject().put("message", "Unauthorized"));
    // A failing function, or an answer that is none: 500.
    HttpResponse<byte[]> failed = get(0, "/prod/a", "fail");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(text(failed))).isEqualTo(new JsonObject().put("message", "Internal Server Error"));
    assertThat(get(0, "/prod/a", "nonsense").statusCode()).isEqualTo(500);
  }

  @Test
  void iamPolicyResponsesAreJudgedAgainstTheRouteArn() throws Exception {
    String policy = authorizer(false, 0);
    route("GET /a", echo20, policy);
    route("GET /v1", echo10, policy);
    deploy();
    HttpResponse<byte[]> allowed = get(0, "/prod/a", "policy-allow");
    assertThat(allowed.statusCode()).as(text(allowed)).isEqualTo(200);
    assertThat(authorizerOf(allowed).getJsonObject("lambda").getString("user")).isEqualTo("alice");
    assertThat(get(0, "/prod/a", "policy-deny").statusCode()).isEqualTo(403);
    JsonObject v1 = authorizerOf(get10("/prod/v1", "policy-allow"));
    assertThat(v1.getString("principalId")).isEqualTo("alice");
    assertThat(v1.getString("user")).isEqualTo("alice");
  }

  @Test
  void answersAreCachedForTheirTtlByTheServersClock() throws Exception {
    String cached = authorizer(true, 300);
    route("GET /a", echo20, cached);
    route("GET /b", echo20, cached);
    deploy();
    String first = authorizerOf(get(0, "/prod/a", "allow")).getJsonObject("lambda").getString("nonce");
    // One call answers the same identity on every route until the TTL passes (on this node).
    assertThat(authorizerOf(get(0, "/prod/a", "allow")).getJsonObject("lambda").getString("nonce")).isEqualTo(first);
    assertThat(authorizerOf(get(0, "/prod/b", "allow")).getJsonObject("lambda").getString("nonce")).isEqualTo(first);
    server.advance(Duration.ofSeconds(299));
    assertThat(authorizerOf(get(0, "/prod/a", "allow")).getJsonObject("lambda").getString("nonce")).isEqualTo(first);
    server.advance(Duration.ofSeconds(1));
    String second = authorizerOf(get(0, "/prod/a", "allow")).getJsonObject("lambda").getString("nonce");
    assertThat(second).isNotEqualTo(first);
    // Another identity is another call.
    assertThat(get(0, "/prod/a", "deny").statusCode()).isEqualTo(403);
    assertThat(authorizerOf(get(0, "/prod/a", "allow")).getJsonObject("lambda").getString("nonce")).isEqualTo(second);
    // ResetAuthorizersCache flushes it (on every node, by the change notice).
    v2.resetAuthorizersCache(b -> b.apiId(apiId).stageName("prod"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(authorizerOf(get(0, "/prod/a", "allow")).getJsonObject("lambda").getString("nonce")).isNotEqualTo(second));
  }

  @Test
  void aCachedPolicyIsJudgedAgainForAnotherRoute() throws Exception {
    String cached = authorizer(false, 300);
    route("GET /a", echo20, cached);
    route("GET /b", echo20, cached);
    deploy();
    // The policy allows exactly the first request's route ARN: cached, it does not allow /b.
    assertThat(get(0, "/prod/a", "policy-allow").statusCode()).isEqualTo(200);
    assertThat(get(0, "/prod/b", "policy-allow").statusCode()).isEqualTo(403);
    assertThat(get(0, "/prod/a", "policy-allow").statusCode()).isEqualTo(200);
    // With caching off, each request is judged by a new call.
    String uncached = authorizer(false, 0);
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /c").target("integrations/" + echo20)
        .authorizationType(AuthorizationType.CUSTOM).authorizerId(uncached));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get(0, "/prod/c", "policy-allow").statusCode()).isEqualTo(200));
    String one = authorizerOf(get(0, "/prod/c", "policy-allow")).getJsonObject("lambda").getString("nonce");
    String two = authorizerOf(get(0, "/prod/c", "policy-allow")).getJsonObject("lambda").getString("nonce");
    assertThat(one).isNotEqualTo(two);
  }

  @Test
  void payloadFormat10AuthorizersAndMissingFunctions() throws Exception {
    String v10 = v2.createAuthorizer(b -> b.apiId(apiId).name("v10").authorizerType(AuthorizerType.REQUEST)
        .authorizerUri(authorizerUri).authorizerPayloadFormatVersion("1.0")
        .identitySource("$request.header.Authorization").authorizerResultTtlInSeconds(0)).authorizerId();
    String gone = v2.createAuthorizer(b -> b.apiId(apiId).name("gone").authorizerType(AuthorizerType.REQUEST)
        .authorizerUri(authorizerUri.replace(":function:auth/", ":function:no-such-function/"))
        .authorizerPayloadFormatVersion("2.0").enableSimpleResponses(true)
        .identitySource("$request.header.Authorization").authorizerResultTtlInSeconds(0)).authorizerId();
    route("GET /a", echo20, v10);
    route("GET /gone", echo20, gone);
    deploy();
    // A 1.0 authorizer is asked with methodArn and answers with a policy.
    HttpResponse<byte[]> allowed = get(0, "/prod/a", "policy-allow");
    assertThat(allowed.statusCode()).as(text(allowed)).isEqualTo(200);
    assertThat(authorizerOf(allowed).getJsonObject("lambda").getString("user")).isEqualTo("alice");
    assertThat(get(0, "/prod/a", "policy-deny").statusCode()).isEqualTo(403);
    // Simple responses are for 2.0 only: a 1.0 authorizer answering one gives no policy, which is an error.
    assertThat(get(0, "/prod/a", "allow").statusCode()).isEqualTo(500);
    // An authorizer whose function does not exist: 500.
    HttpResponse<byte[]> missing = get(0, "/prod/gone", "allow");
    assertThat(missing.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(text(missing))).isEqualTo(new JsonObject().put("message", "Internal Server Error"));
  }
}
