package io.eventplane.gateway.apigateway.invoke.limits;

import io.eventplane.common.config.ApiGatewayThrottle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request throttling of HTTP APIs, as the developer guide's "Protect your HTTP APIs with
 * throttling" sets it: every request of an account in a region draws on the account's bucket
 * ({@link #ACCOUNT_RATE} requests a second, {@link #ACCOUNT_BURST} burst, AWS's default quota, or what
 * {@code --apigateway-throttle} configures, or no account bucket when it says {@code off}), and
 * on its route's bucket when the stage limits routes: the route's entry in the stage's
 * RouteSettings (keyed by RouteKey) or else the stage's DefaultRouteSettings, each of
 * ThrottlingRateLimit and ThrottlingBurstLimit taken from the first that has it. Each route has a
 * bucket of its own; DefaultRouteSettings is a per-route default, not a budget the routes share.
 * A request refused gets 429 {@code {"message":"Too Many Requests"}} ({@link #TOO_MANY_REQUESTS}).
 *
 * <p><b>Per node.</b> Buckets live in each gateway node's memory and are not shared: a cluster of N
 * nodes admits up to N times every limit. Buckets outlive stage snapshots (a redeployment keeps
 * what they hold, with the new limits).
 *
 * <p>One per gateway node. Per deployed stage snapshot, once: {@link #forStage}; per request:
 * <pre>{@code
 * StageThrottle throttle = throttles.forStage(account, region, apiId, stage, routes); // snapshot's Stage, Routes
 * ...
 * if (!throttle.tryAcquire(route.getString("RouteKey"))) {
 *   respond(Throttles.TOO_MANY_REQUESTS_STATUS, Throttles.TOO_MANY_REQUESTS);
 * }
 * }</pre>
 * The request path is a map lookup and a few arithmetic operations under the bucket's lock: no
 * allocation. Thread-safe.
 */
public final class Throttles {
  /** The account-level steady-state rate AWS documents, requests per second per Region. */
  public static final double ACCOUNT_RATE = 10_000;
  /** The account-level burst AWS documents. */
  public static final int ACCOUNT_BURST = 5_000;
  public static final int TOO_MANY_REQUESTS_STATUS = 429;
  public static final String TOO_MANY_REQUESTS = "{\"message\":\"Too Many Requests\"}";

  private final Clock clock;
  private final double accountRate;
  private final int accountBurst;
  /** Whether requests draw on their account's bucket at all (a configured {@code --apigateway-throttle off}: no). */
  private final boolean accountLimited;
  private final ConcurrentHashMap<String, TokenBucket> accounts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, TokenBucket> routes = new ConcurrentHashMap<>();

  public Throttles(Clock clock) {
    this(clock, ACCOUNT_RATE, ACCOUNT_BURST);
  }

  /** With other account-level limits (a test's, or a configured quota). */
  public Throttles(Clock clock, double accountRate, int accountBurst) {
    this(clock, new ApiGatewayThrottle(true, accountRate, accountBurst));
  }

  /** With the node's configured account-level throttle (or none: {@link ApiGatewayThrottle#OFF}). */
  public Throttles(Clock clock, ApiGatewayThrottle account) {
    this.clock = clock;
    this.accountRate = account.rate();
    this.accountBurst = account.burst();
    this.accountLimited = account.enabled();
  }

  /**
   * The throttle of one deployed stage, from the snapshot's Stage (a GetStage output) and Routes
   * (GetRoute outputs; only their RouteKey is read).
   */
  public StageThrottle forStage(String account, String region, String apiId, JsonObject stage, JsonArray stageRoutes) {
    long now = clock.millis();
    TokenBucket account1 = !accountLimited ? null : accounts.computeIfAbsent(account + "/" + region,
        k -> new TokenBucket(accountRate, accountBurst, now));
    JsonObject defaults = stage.getJsonObject("DefaultRouteSettings", new JsonObject());
    JsonObject settings = stage.getJsonObject("RouteSettings", new JsonObject());
    String stageName = stage.getString("StageName", "");
    Map<String, TokenBucket> byRoute = new HashMap<>();
    if (stageRoutes != null) {
      for (Object item : stageRoutes) {
        if (!(item instanceof JsonObject route) || route.getString("RouteKey") == null) continue;
        String routeKey = route.getString("RouteKey");
        JsonObject own = settings.getJsonObject(routeKey, new JsonObject());
        Number rate = number(own, defaults, "ThrottlingRateLimit");
        Number burst = number(own, defaults, "ThrottlingBurstLimit");
        String key = apiId + "/" + stageName + "/" + routeKey;
        if (rate == null && burst == null) {
          routes.remove(key);
          continue;
        }
        double r = rate == null ? accountRate : rate.doubleValue();
        int b = burst == null ? accountBurst : burst.intValue();
        TokenBucket bucket = routes.compute(key, (k, old) -> {
          if (old == null) return new TokenBucket(r, b, now);
          if (!old.sameLimits(r, b)) old.reconfigure(r, b);
          return old;
        });
        byRoute.put(routeKey, bucket);
      }
    }
    return new StageThrottle(clock, account1, Map.copyOf(byRoute));
  }

  /** Forgets the route buckets of an API (deleted; or reset). */
  public void dropApi(String apiId) {
    String prefix = apiId + "/";
    routes.keySet().removeIf(key -> key.startsWith(prefix));
  }

  /** Forgets every bucket (a reset). */
  public void clear() {
    routes.clear();
    accounts.clear();
  }

  private static Number number(JsonObject own, JsonObject defaults, String member) {
    Object value = own.getValue(member);
    if (!(value instanceof Number)) value = defaults.getValue(member);
    return value instanceof Number n ? n : null;
  }
}
