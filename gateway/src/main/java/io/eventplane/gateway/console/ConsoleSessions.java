package io.eventplane.gateway.console;

import io.eventplane.gateway.auth.CredentialSource;
import io.eventplane.gateway.auth.KeyLookup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.eventplane.common.secret.SecretBox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * Console sign-in with {@code --auth sigv4} or {@code iam}: an access key id and its secret, checked
 * against the node's {@link CredentialSource} (the admin key, IAM users' keys; not temporary
 * credentials, whose session token the form does not take), open a session whose state travels in its
 * cookie ({@code HttpOnly}, {@code SameSite=Strict}, path the console's), sealed with the cluster's
 * credentials key ({@link SecretBox}, AES-256-GCM): every node opens it, so a browser may move
 * between nodes (a load balancer) and across restarts, and nobody can forge or read it. The session
 * carries its own CSRF token. It ends after {@link #IDLE_MILLIS} unused (the cookie is sealed again
 * with a new last-seen time at most every {@link #REFRESH_MILLIS}), {@link #MAX_MILLIS} after
 * sign-in, at sign-out, or when the key stops answering as it did (deleted, deactivated, rotated).
 * A sign-out is published to every node, which refuse the session's id until its maximum age; a node
 * that starts later does not know of it (the browser has dropped the cookie; the key check still holds).
 */
final class ConsoleSessions {
  static final String COOKIE = "eventplane-console";
  static final long IDLE_MILLIS = 30 * 60_000L;
  static final long MAX_MILLIS = 8 * 60 * 60_000L;
  static final long REFRESH_MILLIS = 60_000L;
  /** Where a sign-out is published to every node's gateway. */
  static final String SIGNED_OUT_ADDRESS = "eventplane.console.signed-out";
  private static final byte[] SEAL_CONTEXT = "eventplane console session".getBytes(StandardCharsets.UTF_8);
  private static final int MAX_COOKIE_CHARS = 3000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A signed-in identity: who the console's calls are made as. {@code cookie}: the session's cookie
   * value sealed again with a new last-seen time when the request should set it, else null.
   */
  record Session(String id, String accessKeyId, String account, String principalArn, String userId, String csrf,
      String cookie) {}

  private final LocalMap<String, Long> signedOut;
  private final CredentialSource credentials;
  private final Clock clock;
  private final SecretBox box;
  private final io.vertx.core.eventbus.EventBus bus;

  ConsoleSessions(Vertx vertx, CredentialSource credentials, Clock clock, byte[] credentialsKey) {
    this.signedOut = vertx.sharedData().getLocalMap("eventplane.console.signed-out");
    this.credentials = credentials;
    this.clock = clock;
    this.box = new SecretBox(credentialsKey);
    this.bus = vertx.eventBus();
    bus.<String>consumer(SIGNED_OUT_ADDRESS, m -> forget(m.body()));
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
      JsonObject state = new JsonObject().put("id", random()).put("key", accessKeyId.trim()).put("secretId", found.secretId())
          .put("account", found.account()).put("principal", found.principalArn()).put("userId", found.userId())
          .put("csrf", random()).put("created", now).put("seen", now);
      return Future.succeededFuture(session(state, seal(state)));
    });
  }

  /** The live session of a request's {@code Cookie} header, or null (none, forged, expired, signed out, or its key changed). */
  Future<Session> current(String cookieHeader) {
    JsonObject state = open(cookie(cookieHeader));
    long now = clock.millis();
    if (state == null || signedOut.containsKey(state.getString("id"))) return Future.succeededFuture();
    if (now - state.getLong("seen") > IDLE_MILLIS || now - state.getLong("created") > MAX_MILLIS) {
      return Future.succeededFuture();
    }
    return credentials.find(state.getString("key"), null, now / 1000).map(answer -> {
      if (!(answer instanceof KeyLookup.Found found) || !found.secretId().equals(state.getString("secretId"))) return null;
      String refreshed = now - state.getLong("seen") >= REFRESH_MILLIS ? seal(state.copy().put("seen", now)) : null;
      return session(state, refreshed);
    }).otherwise((Session) null);
  }

  /** Ends the session on every node: refused until its maximum age. */
  void signOut(Session session) {
    forget(session.id());
    bus.publish(SIGNED_OUT_ADDRESS, session.id());
  }

  private void forget(String id) {
    if (id == null) return;
    long now = clock.millis();
    signedOut.put(id, now + MAX_MILLIS);
    for (String old : signedOut.keySet()) {
      Long until = signedOut.get(old);
      if (until != null && until < now) signedOut.remove(old);
    }
  }

  static String setCookie(String value) {
    return COOKIE + "=" + value + "; Path=" + ConsoleRoute.PREFIX + "; HttpOnly; SameSite=Strict; Max-Age="
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

  private String seal(JsonObject state) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(box.seal(state.toBuffer().getBytes(), SEAL_CONTEXT));
  }

  /** The session's state, or null when the value is not a cookie this cluster sealed. */
  private JsonObject open(String value) {
    if (value == null) return null;
    byte[] sealed;
    try {
      sealed = Base64.getUrlDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return box.open(sealed, SEAL_CONTEXT).map(plain -> {
      try {
        JsonObject state = new JsonObject(io.vertx.core.buffer.Buffer.buffer(plain));
        return state.getString("id") != null && state.getValue("seen") instanceof Number
            && state.getValue("created") instanceof Number ? state : null;
      } catch (RuntimeException e) {
        return null;
      }
    }).orElse(null);
  }

  private static Session session(JsonObject s, String cookie) {
    return new Session(s.getString("id"), s.getString("key"), s.getString("account"), s.getString("principal"),
        s.getString("userId"), s.getString("csrf"), cookie);
  }

  private static String cookie(String header) {
    if (header == null) return null;
    for (String part : header.split(";")) {
      String p = part.trim();
      if (p.startsWith(COOKIE + "=")) {
        String value = p.substring(COOKIE.length() + 1);
        return value.length() <= MAX_COOKIE_CHARS && value.matches("[A-Za-z0-9_-]+") ? value : null;
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
