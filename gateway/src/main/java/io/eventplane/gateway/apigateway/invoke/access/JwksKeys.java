package io.eventplane.gateway.apigateway.invoke.access;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The signing keys of JWT issuers, as API Gateway finds them: the issuer's OpenID discovery
 * document ({@code <issuer>/.well-known/openid-configuration}) names its {@code jwks_uri}, whose
 * JWK set holds the keys. One per gateway node, shared by every JWT authorizer.
 *
 * <p>Keys are cached per issuer for {@link #TTL} (the HTTP API guide: "API Gateway can cache the
 * public key for two hours"). A token signed with a key id the cached set lacks makes one new
 * fetch, so a rotated key is found at once, but not more often than once per
 * {@link #REFETCH_COOLDOWN} per issuer: a stream of tokens with made-up key ids does not turn into
 * a stream of fetches. Concurrent fetches for one issuer share one request. When a refetch fails,
 * the keys already held keep serving (past their TTL too), and the cooldown counts from the failed
 * attempt, so an issuer that is down is not asked again on every request.
 *
 * <p>Fetches use Vert.x's HTTP client (never blocking the caller's event loop), time out after
 * {@link #FETCH_TIMEOUT}, and refuse documents over {@link #MAX_DOCUMENT_BYTES}. Thread-safe.
 */
public final class JwksKeys {
  public static final Duration TTL = Duration.ofHours(2);
  public static final Duration REFETCH_COOLDOWN = Duration.ofSeconds(10);
  public static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
  public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

  private record Held(JWKSet keys, long fetchedAt) {}

  private final HttpClient http;
  private final Clock clock;
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Future<Held>> fetching = new ConcurrentHashMap<>();
  /** When each issuer's keys were last asked for, answered or not: the cooldown counts from it. */
  private final ConcurrentHashMap<String, Long> attempts = new ConcurrentHashMap<>();

  public JwksKeys(Vertx vertx, Clock clock) {
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) FETCH_TIMEOUT.toMillis())
        .setIdleTimeout((int) FETCH_TIMEOUT.toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS));
    this.clock = clock;
  }

  /**
   * The issuer's key with this key id; null when the issuer publishes none. Fails when the keys
   * cannot be fetched (no discovery document, no {@code jwks_uri}, an unreadable set) and none are
   * held.
   */
  public Future<JWK> key(String issuer, String kid) {
    long now = clock.millis();
    Held current = held.get(issuer);
    if (current != null) {
      JWK key = current.keys().getKeyByKeyId(kid);
      boolean fresh = now - current.fetchedAt() < TTL.toMillis();
      Long attempted = attempts.get(issuer);
      long last = Math.max(current.fetchedAt(), attempted == null ? Long.MIN_VALUE : attempted);
      if (fresh && key != null || now - last < REFETCH_COOLDOWN.toMillis()) return Future.succeededFuture(key);
    }
    return fetch(issuer)
        .recover(failure -> current != null ? Future.succeededFuture(current) : Future.failedFuture(failure))
        .map(keys -> keys.keys().getKeyByKeyId(kid));
  }

  /** Forgets every issuer's keys (a reset). */
  public void clear() {
    held.clear();
    attempts.clear();
  }

  public Future<Void> close() {
    return http.close();
  }

  private Future<Held> fetch(String issuer) {
    Promise<Held> promise = Promise.promise();
    Future<Held> running = fetching.putIfAbsent(issuer, promise.future());
    if (running != null) return running;
    attempts.put(issuer, clock.millis());
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    get(base + "/.well-known/openid-configuration")
        .compose(discovery -> {
          Object jwksUri;
          try {
            jwksUri = new JsonObject(discovery).getValue("jwks_uri");
          } catch (RuntimeException e) {
            return Future.failedFuture("the discovery document of " + issuer + " is not a JSON object");
          }
          if (!(jwksUri instanceof String uri) || uri.isEmpty()) {
            return Future.failedFuture("the discovery document of " + issuer + " has no jwks_uri");
          }
          return get(uri);
        })
        .compose(set -> {
          try {
            return Future.succeededFuture(new Held(JWKSet.parse(set.toString()), clock.millis()));
          } catch (ParseException e) {
            return Future.failedFuture("the key set of " + issuer + " is not a JWK set: " + e.getMessage());
          }
        })
        .onComplete(done -> {
          if (done.succeeded()) held.put(issuer, done.result());
          fetching.remove(issuer, promise.future());
          promise.handle(done);
        });
    return promise.future();
  }

  private Future<Buffer> get(String uri) {
    RequestOptions options;
    try {
      options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri).putHeader("accept", "application/json");
    } catch (RuntimeException e) {
      return Future.failedFuture("not a URL: " + uri);
    }
    // The body is asked for in the same callback that gets the response: a later turn (another
    // future's listener, maybe on another context) could come after the body went by.
    return http.request(options)
        .compose(request -> request.send().compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture("GET " + uri + " answered " + response.statusCode());
          }
          String length = response.getHeader("content-length");
          if (length != null && length.length() < 19 && Long.parseLong(length.trim()) > MAX_DOCUMENT_BYTES) {
            return Future.failedFuture("GET " + uri + ": document over " + MAX_DOCUMENT_BYTES + " bytes");
          }
          return response.body();
        }))
        .compose(body -> body.length() > MAX_DOCUMENT_BYTES
            ? Future.failedFuture("GET " + uri + ": document over " + MAX_DOCUMENT_BYTES + " bytes")
            : Future.succeededFuture(body))
        .timeout(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
