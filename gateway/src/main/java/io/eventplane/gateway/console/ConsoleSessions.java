package io.eventplane.gateway.console;

import io.eventplane.gateway.auth.CredentialSource;
import io.eventplane.gateway.auth.KeyLookup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * Console sign-in with {@code --auth sigv4}: an access key id and its secret, checked against the
 * node's {@link CredentialSource} (the admin key, IAM users' keys; not temporary credentials, whose
 * session token the form does not take), open a session of this node named by a random cookie
 * ({@code HttpOnly}, {@code SameSite=Strict}, path the console's) with its own CSRF token. Sessions
 * live in the node's Vert.x local map (shared by its gateway instances, gone at restart; another node
 * asks for a sign-in of its own); they end after {@link #IDLE_MILLIS} unused, {@link #MAX_MILLIS} after
 * sign-in, at sign-out, or when the key stops answering as it did (deleted, deactivated, rotated).
 */
final class ConsoleSessions {
  static final String COOKIE = "eventplane-console";
  static final long IDLE_MILLIS = 30 * 60_000L;
  static final long MAX_MILLIS = 8 * 60 * 60_000L;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A signed-in identity: who the console's calls are made as. */
  record Session(String id, String accessKeyId, String account, String principalArn, String userId, String csrf) {}

  private final LocalMap<String, JsonObject> sessions;
  private final CredentialSource credentials;
  private final Clock clock;

  ConsoleSessions(Vertx vertx, CredentialSource credentials, Clock clock) {
    this.sessions = vertx.sharedData().getLocalMap("eventplane.console.sessions");
    this.credentials = credentials;
    this.clock = clock;
  }

  /** A new session for the key when the secret is its own; a failed future otherwise (one message for every cause). */
  Future<Session> signIn(String accessKeyId, String secret) {
    if (accessKeyId == null || secret == null || accessKeyId.isBlank() || secret.isEmpty() || accessKeyId.length() > 128) {
      return Future.failedFuture("The access key id or the secret key is not right.");
    }
    long now = clock.millis();
    return credentials.find(accessKeyId.trim(), null, now / 1000).compose(answer -> {
      if (!(answer instanceof KeyLookup.Found found) || !MessageDigest.isEqual(
          found.secretAccessKey().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
        return Future.failedFuture("The access key id or the secret key is not right.");
      }
      String id = random();
      JsonObject stored = new JsonObject().put("key", accessKeyId.trim()).put("secretId", found.secretId())
          .put("account", found.account()).put("principal", found.principalArn()).put("userId", found.userId())
          .put("csrf", random()).put("created", now).put("seen", now);
      sessions.put(id, stored);
      return Future.succeededFuture(session(id, stored));
    });
  }

  /** The request's live session, or null (none, unknown, expired, or its key changed). */
  Future<Session> current(HttpServerRequest request) {
    String id = cookie(request.getHeader("Cookie"));
    JsonObject stored = id == null ? null : sessions.get(id);
    long now = clock.millis();
    if (stored == null) return Future.succeededFuture();
    if (now - stored.getLong("seen") > IDLE_MILLIS || now - stored.getLong("created") > MAX_MILLIS) {
      sessions.remove(id);
      return Future.succeededFuture();
    }
    return credentials.find(stored.getString("key"), null, now / 1000).map(answer -> {
      if (!(answer instanceof KeyLookup.Found found) || !found.secretId().equals(stored.getString("secretId"))) {
        sessions.remove(id);
        return null;
      }
      sessions.put(id, stored.copy().put("seen", now));
      return session(id, stored);
    }).otherwise((Session) null);
  }

  void signOut(Session session) {
    sessions.remove(session.id());
  }

  static String setCookie(Session session) {
    return COOKIE + "=" + session.id() + "; Path=" + ConsoleRoute.PREFIX + "; HttpOnly; SameSite=Strict; Max-Age="
        + MAX_MILLIS / 1000;
  }

  static String clearCookie() {
    return COOKIE + "=; Path=" + ConsoleRoute.PREFIX + "; HttpOnly; SameSite=Strict; Max-Age=0";
  }

  /** Whether a form's token is the session's (constant time). */
  static boolean csrfMatches(Session session, String token) {
    return token != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }

  private static Session session(String id, JsonObject s) {
    return new Session(id, s.getString("key"), s.getString("account"), s.getString("principal"), s.getString("userId"),
        s.getString("csrf"));
  }

  private static String cookie(String header) {
    if (header == null) return null;
    for (String part : header.split(";")) {
      String p = part.trim();
      if (p.startsWith(COOKIE + "=")) {
        String value = p.substring(COOKIE.length() + 1);
        return value.matches("[A-Za-z0-9_-]{43}") ? value : null;
      }
    }
    return null;
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
