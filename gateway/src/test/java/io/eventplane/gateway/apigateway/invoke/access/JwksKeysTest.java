package io.eventplane.gateway.apigateway.invoke.access;

import static io.eventplane.gateway.apigateway.invoke.access.Requests.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.eventplane.common.time.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How issuers' keys are found and kept: discovery documents that lead nowhere, oversized and
 * unreadable documents, concurrent look-ups sharing one fetch, stale keys serving while the issuer
 * is down.
 */
class JwksKeysTest {
  private static Vertx vertx;
  private static HttpServer server;
  private static String base;
  private static RSAKey key;
  /** What each path answers: status and body. */
  private static final Map<String, Object[]> answers = new ConcurrentHashMap<>();
  private static final AtomicInteger requests = new AtomicInteger();
  /** When set, the key set's answer waits for this promise. */
  private static volatile Promise<Void> gate;

  private MutableClock clock;
  private JwksKeys keys;

  @BeforeAll
  static void start() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k").generate();
    vertx = Vertx.vertx();
    server = await(vertx.createHttpServer().requestHandler(request -> {
      requests.incrementAndGet();
      Object[] answer = answers.get(request.path());
      if (answer == null) {
        request.response().setStatusCode(404).end();
        return;
      }
      Promise<Void> wait = request.path().endsWith("/keys") ? gate : null;
      Future<Void> ready = wait == null ? Future.succeededFuture() : wait.future();
      ready.onComplete(x -> request.response().setStatusCode((Integer) answer[0]).end((String) answer[1]));
    }).listen(0, "127.0.0.1"));
    base = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void setUp() {
    answers.clear();
    requests.set(0);
    gate = null;
    clock = new MutableClock(1_700_000_000_000L);
    keys = new JwksKeys(vertx, clock);
  }

  private static void issuer(String name, String discovery, String keySet) {
    answers.put("/" + name + "/.well-known/openid-configuration", new Object[] {200, discovery});
    if (keySet != null) answers.put("/" + name + "/keys", new Object[] {200, keySet});
  }

  private static String discovery(String name) {
    return new JsonObject().put("issuer", base + "/" + name).put("jwks_uri", base + "/" + name + "/keys").encode();
  }

  private static String keySet() {
    return new JWKSet(List.of((JWK) key)).toPublicJWKSet().toString();
  }

  @Test
  void aTrailingSlashOnTheIssuerIsNotDoubled() throws Exception {
    issuer("a", discovery("a"), keySet());

    assertThat(await(keys.key(base + "/a/", "k")).getKeyID()).isEqualTo("k");
  }

  @Test
  void discoveryDocumentsThatLeadNowhereFail() {
    issuer("no-uri", new JsonObject().put("issuer", "x").encode(), null);
    issuer("not-json", "<html>", null);
    issuer("bad-set", discovery("bad-set"), "{\"keys\": 7}");
    issuer("uri-number", new JsonObject().put("jwks_uri", 7).encode(), null);

    for (String name : List.of("no-uri", "not-json", "bad-set", "uri-number", "absent")) {
      assertThatThrownBy(() -> await(keys.key(base + "/" + name, "k"))).as(name).rootCause().hasMessageStartingWith(
          switch (name) {
            case "no-uri", "uri-number" -> "the discovery document of " + base + "/" + name + " has no jwks_uri";
            case "not-json" -> "the discovery document of " + base + "/not-json is not a JSON object";
            case "absent" -> "GET " + base + "/absent/.well-known/openid-configuration answered 404";
            default -> "the key set of " + base + "/bad-set is not a JWK set: ";
          });
    }
  }

  @Test
  void anOversizedKeySetIsRefused() {
    issuer("big", discovery("big"), "{\"keys\":[], \"pad\":\"" + "x".repeat(JwksKeys.MAX_DOCUMENT_BYTES) + "\"}");

    assertThatThrownBy(() -> await(keys.key(base + "/big", "k")))
        .hasRootCauseMessage("GET " + base + "/big/keys: document over " + JwksKeys.MAX_DOCUMENT_BYTES + " bytes");
  }

  @Test
  void concurrentLookUpsShareOneFetch() throws Exception {
    issuer("slow", discovery("slow"), keySet());
    gate = Promise.promise();

    Future<JWK> first = keys.key(base + "/slow", "k");
    Future<JWK> second = keys.key(base + "/slow", "k");
    Future<JWK> other = keys.key(base + "/slow", "unknown");
    gate.complete();

    assertThat(await(first).getKeyID()).isEqualTo("k");
    assertThat(await(second).getKeyID()).isEqualTo("k");
    assertThat(await(other)).isNull();
    assertThat(requests).hasValue(2);
  }

  @Test
  void heldKeysServeWhileTheIssuerIsDown() throws Exception {
    issuer("flaky", discovery("flaky"), keySet());
    assertThat(await(keys.key(base + "/flaky", "k"))).isNotNull();
    answers.clear();
    clock.advance(JwksKeys.TTL.plus(Duration.ofSeconds(1)));

    assertThat(await(keys.key(base + "/flaky", "k")).getKeyID()).isEqualTo("k");
    assertThat(requests).hasValue(3);
    // the failed refetch counts for the cooldown: unknown kids do not hammer a down issuer
    assertThat(await(keys.key(base + "/flaky", "other"))).isNull();
    assertThat(requests).hasValue(3);
    keys.clear();
    assertThatThrownBy(() -> await(keys.key(base + "/flaky", "k"))).hasRootCauseMessage(
        "GET " + base + "/flaky/.well-known/openid-configuration answered 404");
  }
}
