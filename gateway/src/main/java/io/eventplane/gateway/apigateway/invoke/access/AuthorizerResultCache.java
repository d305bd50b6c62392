package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answers of Lambda authorizers kept for AuthorizerResultTtlInSeconds, keyed by API,
 * authorizer and the values of the authorizer's identity sources, as API Gateway caches them. The
 * answer is kept, not the verdict: a cached IAM policy is judged again against each request's
 * route ARN. One per gateway node; thread-safe.
 *
 * <p>Bounded to {@link #MAX_ENTRIES}: when full, expired answers are dropped, and if that is not
 * enough, all of them (the next requests call their authorizers again).
 */
public final class AuthorizerResultCache {
  public static final int MAX_ENTRIES = 10_000;

  private record Entry(JsonObject answer, long expiresAt) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;

  public AuthorizerResultCache(Clock clock) {
    this.clock = clock;
  }

  JsonObject get(String key) {
    Entry entry = entries.get(key);
    if (entry == null) return null;
    if (clock.millis() >= entry.expiresAt()) {
      entries.remove(key, entry);
      return null;
    }
    return entry.answer();
  }

  void put(String key, JsonObject answer, long ttlSeconds) {
    if (entries.size() >= MAX_ENTRIES) {
      long now = clock.millis();
      entries.values().removeIf(e -> now >= e.expiresAt());
      if (entries.size() >= MAX_ENTRIES) entries.clear();
    }
    entries.put(key, new Entry(answer, clock.millis() + ttlSeconds * 1000));
  }

  /** Forgets the answers for one API (after a change to it: its authorizers may have changed). */
  public void dropApi(String apiId) {
    String prefix = apiId + "\n";
    entries.keySet().removeIf(key -> key.startsWith(prefix));
  }

  /** Forgets every answer (a reset). */
  public void clear() {
    entries.clear();
  }

  int size() {
    return entries.size();
  }
}
