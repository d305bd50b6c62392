package io.eventplane.eventbridge.delivery;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * OAuth client-credentials tokens of connections, fetched from the connection's authorization
 * endpoint and cached (per lane, on its context) until they expire by the service's clock, or
 * until the API destination answers 401. The request carries the client id and secret as HTTP
 * Basic authorization (RFC 6749 2.3.1) and the connection's OAuthHttpParameters: headers, query
 * string parameters, and body parameters form-encoded (users give {@code grant_type} there).
 */
public final class OAuthTokens {
  /** A token and when it expires (service clock, millis; Long.MAX_VALUE when the endpoint gave no expires_in). */
  public record Token(String value, long expiresAt) {}

  private final HttpCalls http;
  private final Clock clock;
  private final Map<String, Token> cache = new HashMap<>();

  public OAuthTokens(HttpCalls http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  /** The cached token of {@code key} (a connection as of one modification), or a new one. */
  public Future<String> token(String key, JsonObject oauth) {
    Token t = cache.get(key);
    if (t != null && t.expiresAt() > clock.millis()) return Future.succeededFuture(t.value());
    return fetch(http, oauth, clock.millis()).map(fresh -> {
      cache.put(key, fresh);
      return fresh.value();
    });
  }

  /** Forgets a token the endpoint refused (401), so the next call fetches another. */
  public void forget(String key) {
    cache.remove(key);
  }

  /** One token request; fails with a message fit for a connection's StateReason. */
  public static Future<Token> fetch(HttpCalls http, JsonObject oauth, long now) {
    JsonObject client = oauth.getJsonObject("ClientParameters", new JsonObject());
    JsonObject params = oauth.getJsonObject("OAuthHttpParameters", new JsonObject());
    String method = oauth.getString("HttpMethod", "POST");
    String url = withQuery(oauth.getString("AuthorizationEndpoint"), params.getJsonArray("QueryStringParameters"));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (Object o : params.getJsonArray("HeaderParameters", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      headers.set(p.getString("Key", ""), p.getString("Value", ""));
    }
    String credentials = client.getString("ClientID", "") + ":" + client.getString("ClientSecret", "");
    headers.set("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    headers.set("User-Agent", HttpCalls.USER_AGENT);
    Buffer body = null;
    if (!method.equals("GET")) {
      headers.set("Content-Type", "application/x-www-form-urlencoded");
      body = Buffer.buffer(form(params.getJsonArray("BodyParameters")));
    }
    return http.send(method, url, headers, body).recover(e -> Future.failedFuture(new IllegalStateException(
        "Unable to reach the authorization endpoint: " + e.getMessage(), e))).compose(r -> {
      if (r.status() / 100 != 2) {
        return Future.failedFuture(new IllegalStateException("The authorization endpoint answered status " + r.status() + "."));
      }
      try {
        JsonObject answer = r.body().toJsonObject();
        String token = answer.getString("access_token");
        if (token == null || token.isEmpty()) throw new IllegalStateException("no access_token");
        Object expires = answer.getValue("expires_in");
        long expiresAt = expires instanceof Number n ? now + n.longValue() * 1000
            : expires instanceof String s && s.matches("\\d+") ? now + Long.parseLong(s) * 1000 : Long.MAX_VALUE;
        return Future.succeededFuture(new Token(token, expiresAt));
      } catch (RuntimeException e) {
        return Future.failedFuture(new IllegalStateException("The authorization endpoint's answer has no access_token."));
      }
    });
  }

  static String withQuery(String url, JsonArray params) {
    if (params == null || params.isEmpty()) return url;
    StringBuilder b = new StringBuilder(url).append(url.contains("?") ? '&' : '?');
    boolean first = true;
    for (Object o : params) {
      JsonObject p = (JsonObject) o;
      if (!first) b.append('&');
      first = false;
      b.append(encode(p.getString("Key", ""))).append('=').append(encode(p.getString("Value", "")));
    }
    return b.toString();
  }

  private static String form(JsonArray params) {
    if (params == null) return "";
    StringBuilder b = new StringBuilder();
    for (Object o : params) {
      JsonObject p = (JsonObject) o;
      if (b.length() > 0) b.append('&');
      b.append(encode(p.getString("Key", ""))).append('=').append(encode(p.getString("Value", "")));
    }
    return b.toString();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
