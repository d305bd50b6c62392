package io.eventplane.gateway.apigateway.invoke.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JWT authorizer of an HTTP API (AuthorizerType JWT), validating the token as the developer
 * guide's "Control access to HTTP APIs with JWT authorizers" lays out:
 * <ol>
 *   <li>the token from the IdentitySource (by default {@code $request.header.Authorization}), alone
 *       or after {@code Bearer };</li>
 *   <li>decoded; its algorithm RSA-based ({@code RS256/384/512}, {@code PS256/384/512}: "Currently,
 *       only RSA-based algorithms are supported", so an {@code ES256} token gets 401 as on AWS;
 *       {@link #of(JsonObject, JwksKeys, Clock, Set)} can admit EC ({@link #RSA_AND_EC}) for a user
 *       who wants it) and its signature checked with the key its {@code kid} names in the issuer's
 *       {@code jwks_uri} ({@link JwksKeys});</li>
 *   <li>{@code iss} equal to JwtConfiguration.Issuer; {@code aud}, or {@code client_id} when there
 *       is no {@code aud}, one of JwtConfiguration.Audience; {@code exp} after now; {@code nbf} and
 *       {@code iat}, when present, not after now (with {@link #CLOCK_SKEW});</li>
 *   <li>when the route has AuthorizationScopes, at least one of them in the token's {@code scope}
 *       (space-separated) or {@code scp} (string or array) claim.</li>
 * </ol>
 * A failed step gets 401 {@code {"message":"Unauthorized"}} with a {@code www-authenticate} header
 * in the form the guide's troubleshooting page shows ({@code Bearer scope="" error="invalid_token"
 * error_description="the token does not have a valid audience"}); missing scopes get 403
 * {@code {"message":"Forbidden"}} with {@code error="insufficient_scope"}. The integration then sees
 * the token's claims (every value as a string, as API Gateway passes them) and scopes.
 *
 * <p>Use, once per deployed stage and authorizer, then per request:
 * <pre>{@code
 * JwtAuthorizer jwt = JwtAuthorizer.of(snapshotAuthorizer, jwksKeys, clock); // GetAuthorizer output
 * jwt.authorize(accessRequest, route.getJsonArray("AuthorizationScopes"))
 *     .onSuccess(decision -> {
 *       if (!decision.allowed()) { write(decision.refusal()); return; }
 *       event.getJsonObject("requestContext").put("authorizer", decision.requestContextAuthorizer("2.0"));
 *     });
 * }</pre>
 * The future always succeeds. Immutable and thread-safe.
 */
public final class JwtAuthorizer {
  /**
   * How far the token's times may be off. The HTTP API guide states the checks as "after / before
   * the current time" with no allowance, and none is documented, so none is given.
   */
  public static final Duration CLOCK_SKEW = Duration.ZERO;
  private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
  private static final Set<JWSAlgorithm> EC = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  /** What AWS's HTTP API JWT authorizers accept: RSA-based algorithms only. */
  public static final Set<JWSAlgorithm> AWS_ALGORITHMS = RSA;
  /** RSA and EC: more than AWS accepts, for deployments that want ES256 tokens. */
  public static final Set<JWSAlgorithm> RSA_AND_EC =
      Set.copyOf(java.util.stream.Stream.concat(RSA.stream(), EC.stream()).toList());

  private final IdentitySources identitySource;
  private final String issuer;
  private final List<String> audience;
  private final JwksKeys keys;
  private final Clock clock;
  private final Set<JWSAlgorithm> algorithms;

  private JwtAuthorizer(IdentitySources identitySource, String issuer, List<String> audience, JwksKeys keys,
      Clock clock, Set<JWSAlgorithm> algorithms) {
    this.algorithms = algorithms;
    this.identitySource = identitySource;
    this.issuer = issuer;
    this.audience = audience;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * From an authorizer of the deployed stage snapshot (a GetAuthorizer output with AuthorizerType
   * JWT). With no IdentitySource the token is read from {@code $request.header.Authorization}; one
   * without JwtConfiguration.Issuer (which the management API does not let through) refuses every
   * token.
   */
  public static JwtAuthorizer of(JsonObject authorizer, JwksKeys keys, Clock clock) {
    return of(authorizer, keys, clock, AWS_ALGORITHMS);
  }

  /** As {@link #of(JsonObject, JwksKeys, Clock)}, accepting these algorithms (of {@link #RSA_AND_EC}). */
  public static JwtAuthorizer of(JsonObject authorizer, JwksKeys keys, Clock clock, Set<JWSAlgorithm> algorithms) {
    JsonObject configuration = authorizer.getJsonObject("JwtConfiguration", new JsonObject());
    Object issuer = configuration.getValue("Issuer");
    List<String> audience = new ArrayList<>();
    for (Object item : configuration.getJsonArray("Audience", new JsonArray())) {
      if (item instanceof String value) audience.add(value);
    }
    JsonArray source = authorizer.getJsonArray("IdentitySource");
    if (source == null || source.isEmpty()) source = new JsonArray().add("$request.header.Authorization");
    return new JwtAuthorizer(IdentitySources.of(source), issuer instanceof String text ? text : "",
        List.copyOf(audience), keys, clock, Set.copyOf(algorithms));
  }

  /**
   * Validates the request's token for a route with these AuthorizationScopes (null or empty: no
   * scope needed).
   */
  public Future<AccessDecision> authorize(AccessRequest request, JsonArray routeScopes) {
    List<String> required = strings(routeScopes);
    List<String> values = identitySource.values(request);
    if (values == null) return Future.succeededFuture(unauthorized(required, "missing: token not provided"));
    String token = values.get(0).trim();
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) token = token.substring(7).trim();
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      return Future.succeededFuture(unauthorized(required, "token is malformed"));
    }
    if (!(parsed instanceof SignedJWT signed)) {
      String alg = parsed.getHeader() == null ? "none" : parsed.getHeader().getAlgorithm().getName();
      return Future.succeededFuture(unauthorized(required, "signing method " + alg + " is invalid"));
    }
    JWSAlgorithm alg = signed.getHeader().getAlgorithm();
    if (!algorithms.contains(alg)) {
      return Future.succeededFuture(unauthorized(required, "signing method " + alg.getName() + " is invalid"));
    }
    if (issuer.isEmpty()) return Future.succeededFuture(unauthorized(required, "issuer does not match"));
    String kid = signed.getHeader().getKeyID();
    if (kid == null || kid.isEmpty()) return Future.succeededFuture(unauthorized(required, "token has no kid"));
    return keys.key(issuer, kid)
        .map(key -> key == null
            ? unauthorized(required, "unable to find a key with kid " + kid + " in the issuer's keys")
            : check(signed, alg, key, required))
        .otherwise(failure -> unauthorized(required, "unable to fetch the issuer's keys"));
  }

  private AccessDecision check(SignedJWT token, JWSAlgorithm alg, JWK key, List<String> required) {
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())
        || key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
      return unauthorized(required, "the key with kid " + key.getKeyID() + " is not for " + alg.getName());
    }
    try {
      JWSVerifier verifier;
      if (RSA.contains(alg) && key instanceof RSAKey rsa) {
        verifier = new RSASSAVerifier(rsa);
      } else if (EC.contains(alg) && key instanceof ECKey ec) {
        verifier = new ECDSAVerifier(ec);
      } else {
        return unauthorized(required, "the key with kid " + key.getKeyID() + " is not for " + alg.getName());
      }
      if (!token.verify(verifier)) return unauthorized(required, "signature is invalid");
    } catch (JOSEException e) {
      return unauthorized(required, "signature is invalid");
    }
    JWTClaimsSet claims;
    try {
      claims = token.getJWTClaimsSet();
    } catch (ParseException e) {
      return unauthorized(required, "token is malformed");
    }
    if (!issuer.equals(claims.getIssuer())) return unauthorized(required, "issuer does not match");
    if (!audienceMatches(claims)) return unauthorized(required, "the token does not have a valid audience");
    long now = clock.millis();
    long skew = CLOCK_SKEW.toMillis();
    Date exp = claims.getExpirationTime();
    if (exp == null || now >= exp.getTime() + skew) return unauthorized(required, "the token has expired");
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.getTime() > now + skew) return unauthorized(required, "the token is not valid yet");
    Date iat = claims.getIssueTime();
    if (iat != null && iat.getTime() > now + skew) return unauthorized(required, "the token was issued in the future");
    List<String> scopes = scopes(claims);
    if (!required.isEmpty() && scopes.stream().noneMatch(required::contains)) {
      return AccessDecision.refuse(new Refusal(403, "Forbidden", Map.of("www-authenticate",
          challenge(required, "insufficient_scope", "expected scopes: [" + String.join(" ", required) + "]"))));
    }
    JsonObject claimStrings = claimStrings(claims);
    Object scopeList = scopes.isEmpty() ? null : new JsonArray(new ArrayList<>(scopes));
    return AccessDecision.allow(
        new JsonObject().put("jwt", new JsonObject().put("claims", claimStrings).put("scopes", scopeList)),
        new JsonObject().put("claims", claimStrings.copy()).put("scopes", scopeList));
  }

  private boolean audienceMatches(JWTClaimsSet claims) {
    List<String> aud = claims.getAudience();
    if (aud != null && !aud.isEmpty()) return aud.stream().anyMatch(audience::contains);
    Object clientId = claims.getClaim("client_id");
    return clientId instanceof String id && audience.contains(id);
  }

  /** The token's scopes: the {@code scope} claim split on spaces, else the {@code scp} claim. */
  static List<String> scopes(JWTClaimsSet claims) {
    List<String> out = new ArrayList<>();
    Object scope = claims.getClaim("scope");
    if (scope == null) scope = claims.getClaim("scp");
    if (scope instanceof String text) {
      for (String s : text.split(" ")) if (!s.isEmpty()) out.add(s);
    } else if (scope instanceof Collection<?> list) {
      for (Object s : list) if (s instanceof String text && !text.isEmpty()) out.add(text);
    }
    return out;
  }

  /**
   * The claims as API Gateway hands them to integrations: every value a string (numbers in
   * decimal, arrays as {@code [a b]}, objects as JSON).
   */
  private static JsonObject claimStrings(JWTClaimsSet claims) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> claim : claims.toJSONObject().entrySet()) {
      out.put(claim.getKey(), stringOf(claim.getValue()));
    }
    return out;
  }

  private static String stringOf(Object value) {
    if (value == null) return "";
    if (value instanceof Collection<?> list) {
      List<String> items = new ArrayList<>();
      for (Object item : list) items.add(stringOf(item));
      return "[" + String.join(" ", items) + "]";
    }
    if (value instanceof Map<?, ?> map) return new JsonObject(castMap(map)).encode();
    if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return Long.toString(d.longValue());
    return value.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static AccessDecision unauthorized(List<String> required, String description) {
    return AccessDecision.refuse(new Refusal(401, "Unauthorized",
        Map.of("www-authenticate", challenge(required, "invalid_token", description))));
  }

  private static String challenge(List<String> required, String error, String description) {
    return "Bearer scope=\"" + String.join(" ", required) + "\" error=\"" + error + "\" error_description=\""
        + description.replace("\"", "'") + "\"";
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) for (Object item : array) if (item instanceof String s) out.add(s);
    return out;
  }
}
