package io.eventplane.gateway.apigateway.invoke.access;

import static io.eventplane.gateway.apigateway.invoke.access.Requests.await;
import static io.eventplane.gateway.apigateway.invoke.access.Requests.get;
import static io.eventplane.gateway.apigateway.invoke.access.Requests.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.eventplane.common.time.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JWT authorizers against an issuer served here (discovery document and JWK set on an ephemeral
 * port), with keys made by nimbus: each documented check refuses what it should with AWS's 401 or
 * 403, and a token that passes them all reaches the integration with its claims and scopes.
 */
class JwtAuthorizerTest {
  private static final String AUDIENCE = "my-client";
  private static Vertx vertx;
  private static HttpServer server;
  private static String issuer;
  private static final AtomicReference<String> jwks = new AtomicReference<>();
  private static final AtomicInteger keySetFetches = new AtomicInteger();
  private static RSAKey rsa;
  private static RSAKey rsaRotated;
  private static ECKey ec;

  private MutableClock clock;
  private JwksKeys keys;
  private JwtAuthorizer authorizer;

  @BeforeAll
  static void startIssuer() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    rsaRotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    vertx = Vertx.vertx();
    server = await(vertx.createHttpServer().requestHandler(request -> {
      switch (request.path()) {
        case "/.well-known/openid-configuration" -> request.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("issuer", issuer).put("jwks_uri", issuer + "/keys").encode());
        case "/keys" -> {
          keySetFetches.incrementAndGet();
          request.response().putHeader("content-type", "application/json").end(jwks.get());
        }
        default -> request.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1"));
    issuer = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterAll
  static void stopIssuer() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void setUp() {
    jwks.set(publicSet(rsa, ec));
    keySetFetches.set(0);
    clock = new MutableClock(1_700_000_000_000L);
    keys = new JwksKeys(vertx, clock);
    authorizer = JwtAuthorizer.of(authorizerJson(issuer), keys, clock);
  }

  @AfterEach
  void closeKeys() throws Exception {
    await(keys.close());
  }

  @Test
  void aValidTokenPassesWithItsClaimsAndScopes() throws Exception {
    String token = sign(rsa, JWSAlgorithm.RS256, claims().claim("scope", "pets/read pets/write")
        .claim("address", Map.of("city", "Oslo")).claim("verified", true).build());

    AccessDecision decision = await(authorizer.authorize(get("/pets", headers("Authorization", "Bearer " + token)),
        new JsonArray().add("pets/read")));

    assertThat(decision.allowed()).isTrue();
    JsonObject v2 = decision.requestContextAuthorizer("2.0");
    assertThat(v2.getJsonObject("jwt").getJsonArray("scopes")).containsExactly("pets/read", "pets/write");
    JsonObject claims = v2.getJsonObject("jwt").getJsonObject("claims");
    assertThat(claims.getString("sub")).isEqualTo("user-1");
    assertThat(claims.getString("iss")).isEqualTo(issuer);
    assertThat(claims.getValue("exp")).isEqualTo(Long.toString(clock.millis() / 1000 + 3600));
    assertThat(claims.getValue("groups")).isEqualTo("[admin staff]");
    assertThat(claims.getValue("address")).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(claims.getValue("verified")).isEqualTo("true");
    JsonObject v1 = decision.requestContextAuthorizer("1.0");
    assertThat(v1.getJsonObject("claims")).isEqualTo(claims);
    assertThat(v1.getJsonArray("scopes")).containsExactly("pets/read", "pets/write");
  }

  @Test
  void theTokenMayComeWithoutBearer() throws Exception {
    String token = sign(rsa, JWSAlgorithm.RS512, claims().build());

    AccessDecision decision = await(authorizer.authorize(get("/pets", headers("Authorization", token)), null));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.requestContextAuthorizer("2.0").getJsonObject("jwt").getValue("scopes")).isNull();
  }

  @Test
  void ecTokensAreRefusedAsOnAwsUnlessAdmitted() throws Exception {
    String token = sign(ec, JWSAlgorithm.ES256, claims().build());
    JwtAuthorizer withEc = JwtAuthorizer.of(authorizerJson(issuer), keys, clock, JwtAuthorizer.RSA_AND_EC);

    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", token)), null)),
        "signing method ES256 is invalid");
    assertThat(await(withEc.authorize(get("/pets", headers("Authorization", token)), null)).allowed()).isTrue();
  }

  @Test
  void aMissingTokenIsUnauthorized() throws Exception {
    AccessDecision decision = await(authorizer.authorize(get("/pets", headers()), null));

    assertUnauthorized(decision, "missing: token not provided");
    assertThat(decision.refusal().body()).isEqualTo("{\"message\":\"Unauthorized\"}");
  }

  @Test
  void anExpiredTokenIsUnauthorized() throws Exception {
    String token = sign(rsa, JWSAlgorithm.RS256, claims().expirationTime(new Date(clock.millis())).build());

    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", token)), null)),
        "the token has expired");
  }

  @Test
  void aTokenExpiresWhenTheClockPassesItsExp() throws Exception {
    String token = sign(rsa, JWSAlgorithm.RS256, claims().build());
    assertThat(await(authorizer.authorize(get("/pets", headers("Authorization", token)), null)).allowed()).isTrue();

    clock.advance(Duration.ofHours(1));

    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", token)), null)),
        "the token has expired");
  }

  @Test
  void aTokenNotYetValidOrIssuedInTheFutureIsUnauthorized() throws Exception {
    String early = sign(rsa, JWSAlgorithm.RS256, claims().notBeforeTime(new Date(clock.millis() + 60_000)).build());
    String future = sign(rsa, JWSAlgorithm.RS256, claims().issueTime(new Date(clock.millis() + 60_000)).build());

    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", early)), null)),
        "the token is not valid yet");
    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", future)), null)),
        "the token was issued in the future");
  }

  @Test
  void aTokenOfAnotherIssuerIsUnauthorized() throws Exception {
    String token = sign(rsa, JWSAlgorithm.RS256, claims().issuer("https://elsewhere.example.com").build());

    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", token)), null)),
        "issuer does not match");
  }

  @Test
  void aTokenForAnotherAudienceIsUnauthorizedAsAwsSays() throws Exception {
    String token = sign(rsa, JWSAlgorithm.RS256, claims().audience("someone-else").build());

    AccessDecision decision = await(authorizer.authorize(get("/pets", headers("Authorization", token)), null));

    assertThat(decision.refusal().headers()).containsEntry("www-authenticate",
        "Bearer scope=\"\" error=\"invalid_token\" error_description=\"the token does not have a valid audience\"");
  }

  @Test
  void clientIdCountsOnlyWithoutAud() throws Exception {
    String clientOnly = sign(rsa, JWSAlgorithm.RS256, claims().audience((String) null).claim("client_id", AUDIENCE).build());
    String both = sign(rsa, JWSAlgorithm.RS256, claims().audience("someone-else").claim("client_id", AUDIENCE).build());

    assertThat(await(authorizer.authorize(get("/pets", headers("Authorization", clientOnly)), null)).allowed()).isTrue();
    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", both)), null)),
        "the token does not have a valid audience");
  }

  @Test
  void aBadSignatureIsUnauthorized() throws Exception {
    RSAKey impostor = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    String token = sign(impostor, JWSAlgorithm.RS256, claims().build());
    String[] parts = sign(rsa, JWSAlgorithm.RS256, claims().build()).split("\\.");
    String tampered = parts[0] + "." + sign(rsa, JWSAlgorithm.RS256, claims().subject("admin").build()).split("\\.")[1]
        + "." + parts[2];

    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", token)), null)),
        "signature is invalid");
    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", tampered)), null)),
        "signature is invalid");
  }

  @Test
  void onlyRsaAndEcSignaturesAreAccepted() throws Exception {
    SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
    hmac.sign(new MACSigner(new byte[32]));
    String unsigned = new com.nimbusds.jwt.PlainJWT(claims().build()).serialize();

    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", hmac.serialize())), null)),
        "signing method HS256 is invalid");
    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", unsigned)), null)),
        "signing method none is invalid");
    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", "not.a-token")), null)),
        "token is malformed");
  }

  @Test
  void aKeyOfAnotherTypeThanTheAlgorithmIsRefused() throws Exception {
    JwtAuthorizer withEc = JwtAuthorizer.of(authorizerJson(issuer), keys, clock, JwtAuthorizer.RSA_AND_EC);
    ECKey posingAsRsa = new ECKeyGenerator(Curve.P_256).keyID("rsa-1").generate();
    SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1").build(), claims().build());
    token.sign(new ECDSASigner(posingAsRsa));
    String rsaTokenForEcKey = sign(rsa, JWSAlgorithm.RS256, claims().build()).replaceFirst("^[^.]+",
        com.nimbusds.jose.util.Base64URL.encode("{\"alg\":\"RS256\",\"kid\":\"ec-1\"}").toString());

    assertUnauthorized(await(withEc.authorize(get("/pets", headers("Authorization", token.serialize())), null)),
        "the key with kid rsa-1 is not for ES256");
    assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", rsaTokenForEcKey)), null)),
        "the key with kid ec-1 is not for RS256");
  }

  @Test
  void anUnknownKidIsLookedUpAgainOnceSoARotatedKeyIsFound() throws Exception {
    String first = sign(rsa, JWSAlgorithm.RS256, claims().build());
    assertThat(await(authorizer.authorize(get("/pets", headers("Authorization", first)), null)).allowed()).isTrue();
    assertThat(keySetFetches).hasValue(1);
    jwks.set(publicSet(rsa, rsaRotated, ec));
    clock.advance(JwksKeys.REFETCH_COOLDOWN);
    String rotated = sign(rsaRotated, JWSAlgorithm.RS256, claims().build());

    assertThat(await(authorizer.authorize(get("/pets", headers("Authorization", rotated)), null)).allowed()).isTrue();
    assertThat(keySetFetches).hasValue(2);
    assertThat(await(authorizer.authorize(get("/pets", headers("Authorization", rotated)), null)).allowed()).isTrue();
    assertThat(keySetFetches).hasValue(2);
  }

  @Test
  void madeUpKidsDoNotRefetchWithinTheCooldown() throws Exception {
    String first = sign(rsa, JWSAlgorithm.RS256, claims().build());
    await(authorizer.authorize(get("/pets", headers("Authorization", first)), null));
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("nobody").generate();
    String token = sign(stranger, JWSAlgorithm.RS256, claims().build());

    for (int i = 0; i < 3; i++) {
      assertUnauthorized(await(authorizer.authorize(get("/pets", headers("Authorization", token)), null)),
          "unable to find a key with kid nobody in the issuer's keys");
    }
    assertThat(keySetFetches).hasValue(1);
  }

  @Test
  void keysAreFetchedAgainAfterTheirTtl() throws Exception {
    String token = sign(rsa, JWSAlgorithm.RS256, claims().expirationTime(new Date(clock.millis() + 3 * 3600_000)).build());
    await(authorizer.authorize(get("/pets", headers("Authorization", token)), null));
    clock.advance(JwksKeys.TTL);

    assertThat(await(authorizer.authorize(get("/pets", headers("Authorization", token)), null)).allowed()).isTrue();
    assertThat(keySetFetches).hasValue(2);
  }

  @Test
  void anIssuerWithoutKeysLeavesEveryTokenUnauthorized() throws Exception {
    JwtAuthorizer nowhere = JwtAuthorizer.of(authorizerJson(issuer + "/no-such-tenant"), keys, clock);
    String token = sign(rsa, JWSAlgorithm.RS256, claims().issuer(issuer + "/no-such-tenant").build());

    assertUnauthorized(await(nowhere.authorize(get("/pets", headers("Authorization", token)), null)),
        "unable to fetch the issuer's keys");
  }

  @Test
  void anAuthorizerWithoutIssuerRefusesEveryToken() throws Exception {
    JsonObject json = authorizerJson(issuer);
    json.getJsonObject("JwtConfiguration").remove("Issuer");
    JwtAuthorizer noIssuer = JwtAuthorizer.of(json, keys, clock);
    String token = sign(rsa, JWSAlgorithm.RS256, claims().build());

    assertUnauthorized(await(noIssuer.authorize(get("/pets", headers("Authorization", token)), null)),
        "issuer does not match");
    assertThat(keySetFetches).hasValue(0);
  }

  @Test
  void missingScopesAreForbidden() throws Exception {
    String token = sign(rsa, JWSAlgorithm.RS256, claims().claim("scope", "pets/read").build());

    AccessDecision decision = await(authorizer.authorize(get("/pets", headers("Authorization", token)),
        new JsonArray().add("pets/write").add("admin")));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.refusal().status()).isEqualTo(403);
    assertThat(decision.refusal().body()).isEqualTo("{\"message\":\"Forbidden\"}");
    assertThat(decision.refusal().headers().get("www-authenticate"))
        .startsWith("Bearer scope=\"pets/write admin\" error=\"insufficient_scope\"");
  }

  @Test
  void scpClaimsCountAsScopes() throws Exception {
    String token = sign(rsa, JWSAlgorithm.RS256, claims().claim("scp", List.of("admin", "pets/read")).build());

    AccessDecision decision = await(authorizer.authorize(get("/pets", headers("Authorization", token)),
        new JsonArray().add("admin")));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.requestContextAuthorizer("2.0").getJsonObject("jwt").getJsonArray("scopes"))
        .containsExactly("admin", "pets/read");
  }

  @Test
  void theTokenMayComeFromTheQueryString() throws Exception {
    JsonObject json = authorizerJson(issuer).put("IdentitySource", new JsonArray().add("$request.querystring.token"));
    JwtAuthorizer byQuery = JwtAuthorizer.of(json, keys, clock);
    String token = sign(rsa, JWSAlgorithm.RS256, claims().build());

    AccessRequest request = Requests.request("GET", "GET /pets", "/pets", "token=" + token, headers());
    assertThat(await(byQuery.authorize(request, null)).allowed()).isTrue();
  }

  private static void assertUnauthorized(AccessDecision decision, String description) {
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.refusal().status()).isEqualTo(401);
    assertThat(decision.refusal().message()).isEqualTo("Unauthorized");
    assertThat(decision.refusal().headers()).containsEntry("www-authenticate",
        "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + description + "\"");
  }

  private JWTClaimsSet.Builder claims() {
    long now = clock.millis();
    return new JWTClaimsSet.Builder().issuer(issuer).audience(AUDIENCE).subject("user-1")
        .issueTime(new Date(now)).notBeforeTime(new Date(now)).expirationTime(new Date(now + 3600_000))
        .claim("groups", List.of("admin", "staff"));
  }

  private static JsonObject authorizerJson(String issuer) {
    return new JsonObject().put("AuthorizerId", "jwt1").put("AuthorizerType", "JWT").put("Name", "cognito")
        .put("IdentitySource", new JsonArray().add("$request.header.Authorization"))
        .put("JwtConfiguration", new JsonObject().put("Audience", new JsonArray().add(AUDIENCE)).put("Issuer", issuer));
  }

  private static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
    JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static String publicSet(JWK... keys) {
    return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
  }
}
