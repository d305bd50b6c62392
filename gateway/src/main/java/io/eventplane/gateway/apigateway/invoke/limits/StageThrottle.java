package io.eventplane.gateway.apigateway.invoke.limits;

import java.time.Clock;
import java.util.Map;

/**
 * The buckets one deployed stage's requests draw on: its routes' and its account's (see
 * {@link Throttles}). Made by {@link Throttles#forStage} once per snapshot; immutable, thread-safe.
 */
public final class StageThrottle {
  private final Clock clock;
  /** The account's bucket; null when the node sets no account-level limit. */
  private final TokenBucket account;
  private final Map<String, TokenBucket> routes;

  StageThrottle(Clock clock, TokenBucket account, Map<String, TokenBucket> routes) {
    this.clock = clock;
    this.account = account;
    this.routes = routes;
  }

  /**
   * Takes a token for a request to this route (by RouteKey, e.g. {@code GET /pets} or
   * {@code $default}); false when a limit is reached and the request gets 429. A request refused
   * by the account's limit gives its route's token back.
   */
  public boolean tryAcquire(String routeKey) {
    long now = clock.millis();
    TokenBucket route = routes.get(routeKey);
    if (route != null && !route.tryAcquire(now)) return false;
    if (account == null || account.tryAcquire(now)) return true;
    if (route != null) route.release();
    return false;
  }
}
