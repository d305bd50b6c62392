package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizerType;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * JWT authorizers on HTTP APIs' invoke URLs: an issuer served by the test on an ephemeral port
 * (OpenID discovery document and JWK set), tokens signed with nimbus, checked by the gateway as
 * the guide's "Control access to HTTP APIs with JWT authorizers" lays out; the integration sees the
 * token's claims and scopes. Token times are relative to the server's clock.
 */
class InvokeJwtAuthorizerTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static HttpServer issuerServer;
  private static String issuer;
  private static RSAKey key;

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String apiId;

  @BeforeAll
  static void issuer() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("key-1").generate();
    issuerServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + issuerServer.getAddress().getPort();
    serve("/.well-known/openid-configuration", new JsonObject().put("issuer", issuer).put("jwks_uri", issuer + "/jwks.json").encode());
    serve("/jwks.json", new JWKSet(key.toPublicJWK()).toString());
    // An HTTP backend answering with the x-user header it got.
    issuerServer.createContext("/backend", exchange -> {
      String user = exchange.getRequestHeaders().getFirst("x-user");
      byte[] body = new JsonObject().put("user", user).encode().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    issuerServer.start();
  }

  private static void serve(String path, String json) {
    issuerServer.createContext(path, exchange -> {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
  }

  @AfterAll
  static void stopIssuer() {
    issuerServer.stop(0);
  }

  @BeforeEach
  void api() {
    String functionArn = Functions.create(server.lambda(), "echo", "io.eventplane.examples.HttpEcho::handleRequest").functionArn();
    apiId = v2.createApi(b -> b.name("jwt").protocolType(ProtocolType.HTTP)).apiId();
    String authorizerId = v2.createAuthorizer(b -> b.apiId(apiId).name("tokens").authorizerType(AuthorizerType.JWT)
        .identitySource("$request.header.Authorization")
        .jwtConfiguration(j -> j.issuer(issuer).audience("my-app"))).authorizerId();
    String v20 = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(functionArn).payloadFormatVersion("2.0")).integrationId();
    String v10 = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(functionArn).payloadFormatVersion("1.0")).integrationId();
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /me").target("integrations/" + v20)
        .authorizationType(AuthorizationType.JWT).authorizerId(authorizerId));
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /orders").target("integrations/" + v20)
        .authorizationType(AuthorizationType.JWT).authorizerId(authorizerId).authorizationScopes("orders:read"));
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /v1/me").target("integrations/" + v10)
        .authorizationType(AuthorizationType.JWT).authorizerId(authorizerId));
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /public").target("integrations/" + v20));
    String backend = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY)
        .integrationMethod("GET").integrationUri(issuer + "/backend").payloadFormatVersion("1.0")
        .requestParameters(java.util.Map.of("append:header.x-user", "$context.authorizer.claims.sub"))).integrationId();
    v2.createRoute(b -> b.apiId(apiId).routeKey("GET /proxied").target("integrations/" + backend)
        .authorizationType(AuthorizationType.JWT).authorizerId(authorizerId));
    v2.createStage(b -> b.apiId(apiId).stageName("prod").autoDeploy(true));
  }

  @AfterEach
  void close() {
    v2.close();
  }

  /** A token of the test's issuer for audience my-app, valid for an hour from the server's now, changed by {@code more}. */
  private static String token(Consumer<JWTClaimsSet.Builder> more) throws Exception {
    Date now = new Date(server.clock().millis());
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).audience("my-app").subject("alice")
        .issueTime(now).expirationTime(new Date(now.getTime() + 3_600_000)).claim("scope", "orders:read profile");
    more.accept(claims);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private HttpResponse<byte[]> get(int node, String path, String token) throws Exception {
    return token == null ? send(server.endpoint(node), apiId, "GET", path, null)
        : send(server.endpoint(node), apiId, "GET", path, null, "Authorization", "Bearer " + token);
  }

  @Test
  void aValidTokenReachesTheIntegrationWithItsClaims() throws Exception {
    String token = token(c -> { });
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      HttpResponse<byte[]> r = get(node, "/prod/me", token);
      assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
      JsonObject jwt = new JsonObject(text(r)).getJsonObject("requestContext").getJsonObject("authorizer").getJsonObject("jwt");
      assertThat(jwt.getJsonObject("claims").getString("sub")).isEqualTo("alice");
      assertThat(jwt.getJsonObject("claims").getString("iss")).isEqualTo(issuer);
      assertThat(jwt.getJsonObject("claims").getString("exp")).isEqualTo(Long.toString(server.clock().millis() / 1000 + 3600));
      assertThat(jwt.getJsonArray("scopes")).isEqualTo(new JsonArray().add("orders:read").add("profile"));
    }
    // Payload format 1.0 has the claims and scopes directly under authorizer.
    // (HttpEcho's proxy mode: format 1.0 needs a structured answer; the event is its body.)
    HttpResponse<byte[]> r1 = send(server.endpoint(), apiId, "GET", "/prod/v1/me", null, "Authorization", "Bearer " + token,
        "x-echo-mode", "proxy");
    assertThat(r1.statusCode()).as(text(r1)).isEqualTo(201);
    JsonObject v1 = new JsonObject(text(r1)).getJsonObject("requestContext").getJsonObject("authorizer");
    assertThat(v1.getJsonObject("claims").getString("sub")).isEqualTo("alice");
    assertThat(v1.getJsonArray("scopes")).isEqualTo(new JsonArray().add("orders:read").add("profile"));
    // A route with scopes the token has.
    assertThat(get(0, "/prod/orders", token).statusCode()).isEqualTo(200);
    // Parameter mapping reads the claims as $context.authorizer.claims.<name>.
    HttpResponse<byte[]> proxied = get(0, "/prod/proxied", token);
    assertThat(proxied.statusCode()).as(text(proxied)).isEqualTo(200);
    assertThat(new JsonObject(text(proxied)).getString("user")).isEqualTo("alice");
    // A route without authorization has no authorizer member.
    JsonObject open = new JsonObject(text(get(0, "/prod/public", null)));
    assertThat(open.getJsonObject("requestContext").containsKey("authorizer")).isFalse();
  }

  @Test
  void badTokensGet401WithAChallenge() throws Exception {
    HttpResponse<byte[]> none = get(0, "/prod/me", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(text(none))).isEqualTo(new JsonObject().put("message", "Unauthorized"));

    HttpResponse<byte[]> audience = get(0, "/prod/me", token(c -> c.audience("someone-else")));
    assertThat(audience.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(text(audience))).isEqualTo(new JsonObject().put("message", "Unauthorized"));
    assertThat(audience.headers().firstValue("www-authenticate")).hasValue(
        "Bearer scope=\"\" error=\"invalid_token\" error_description=\"the token does not have a valid audience\"");

    assertThat(get(0, "/prod/me", token(c -> c.issuer("https://other.example.com"))).statusCode()).isEqualTo(401);
    assertThat(get(0, "/prod/me", "not.a.token").statusCode()).isEqualTo(401);
    String tampered = token(c -> { });
    tampered = tampered.substring(0, tampered.length() - 4) + (tampered.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThat(get(0, "/prod/me", tampered).statusCode()).isEqualTo(401);
  }

  @Test
  void tokensExpireByTheServersClock() throws Exception {
    String token = token(c -> c.expirationTime(new Date(server.clock().millis() + 60_000)));
    assertThat(get(0, "/prod/me", token).statusCode()).isEqualTo(200);
    server.advance(Duration.ofSeconds(61));
    HttpResponse<byte[]> expired = get(0, "/prod/me", token);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.headers().firstValue("www-authenticate").orElseThrow()).contains("error=\"invalid_token\"");
  }

  @Test
  void aTokenWithoutTheRoutesScopesGets403() throws Exception {
    HttpResponse<byte[]> r = get(0, "/prod/orders", token(c -> c.claim("scope", "profile")));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(text(r))).isEqualTo(new JsonObject().put("message", "Forbidden"));
    assertThat(r.headers().firstValue("www-authenticate").orElseThrow())
        .startsWith("Bearer scope=\"orders:read\" error=\"insufficient_scope\"");
  }
}
