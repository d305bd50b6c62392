package io.eventplane.gateway.apigateway.invoke.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.time.MutableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Throttling on a hand-moved clock: route limits from RouteSettings over DefaultRouteSettings, each
 * route with its own bucket, the account's limit over all APIs of an account and region, refills
 * at the rate, 0 blocking, and buckets kept across redeployments.
 */
class ThrottlesTest {
  private MutableClock clock;
  private Throttles throttles;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(1_700_000_000_000L);
    throttles = new Throttles(clock);
  }

  private static JsonArray routes(String... keys) {
    JsonArray routes = new JsonArray();
    for (String key : keys) routes.add(new JsonObject().put("RouteKey", key).put("RouteId", "r" + routes.size()));
    return routes;
  }

  private static JsonObject stage(JsonObject defaults, JsonObject routeSettings) {
    JsonObject stage = new JsonObject().put("StageName", "prod");
    if (defaults != null) stage.put("DefaultRouteSettings", defaults);
    if (routeSettings != null) stage.put("RouteSettings", routeSettings);
    return stage;
  }

  private static JsonObject limits(double rate, int burst) {
    return new JsonObject().put("ThrottlingRateLimit", rate).put("ThrottlingBurstLimit", burst)
        .put("DetailedMetricsEnabled", false);
  }

  private static int admitted(StageThrottle throttle, String routeKey, int tries) {
    int admitted = 0;
    for (int i = 0; i < tries; i++) if (throttle.tryAcquire(routeKey)) admitted++;
    return admitted;
  }

  @Test
  void anAccountThrottleSetOffLeavesOnlyTheRoutesLimits() {
    Throttles unlimited = new Throttles(clock, io.eventplane.common.config.ApiGatewayThrottle.OFF);
    StageThrottle open = unlimited.forStage("111111111111", "us-east-1", "api0000001", stage(null, null), routes("GET /pets"));
    assertThat(admitted(open, "GET /pets", 20_000)).isEqualTo(20_000);
    StageThrottle limited = unlimited.forStage("111111111111", "us-east-1", "api0000002", stage(limits(10, 5), null),
        routes("GET /pets"));
    assertThat(admitted(limited, "GET /pets", 8)).isEqualTo(5);

    StageThrottle aws = throttles.forStage("111111111111", "us-east-1", "api0000003", stage(null, null), routes("GET /pets"));
    assertThat(admitted(aws, "GET /pets", 20_000)).isEqualTo(Throttles.ACCOUNT_BURST);
  }

  @Test
  void theBurstIsAdmittedThenTheRate() {
    StageThrottle throttle = throttles.forStage("111111111111", "us-east-1", "api0000001", stage(limits(10, 5), null),
        routes("GET /pets"));

    assertThat(admitted(throttle, "GET /pets", 8)).isEqualTo(5);
    clock.advance(Duration.ofMillis(300));
    assertThat(admitted(throttle, "GET /pets", 8)).isEqualTo(3);
    clock.advance(Duration.ofSeconds(10));
    assertThat(admitted(throttle, "GET /pets", 8)).isEqualTo(5);
  }

  @Test
  void routeSettingsOverrideTheDefaultsAndEachRouteHasItsOwnBucket() {
    JsonObject routeSettings = new JsonObject().put("POST /pets", new JsonObject().put("ThrottlingBurstLimit", 1));
    StageThrottle throttle = throttles.forStage("111111111111", "us-east-1", "api0000001",
        stage(limits(100, 3), routeSettings), routes("GET /pets", "POST /pets", "$default"));

    assertThat(admitted(throttle, "POST /pets", 5)).isEqualTo(1);
    assertThat(admitted(throttle, "GET /pets", 5)).isEqualTo(3);
    assertThat(admitted(throttle, "$default", 5)).isEqualTo(3);
    clock.advance(Duration.ofMillis(10));
    assertThat(admitted(throttle, "POST /pets", 5)).isEqualTo(1);
  }

  @Test
  void withoutStageLimitsOnlyTheAccountLimitApplies() {
    Throttles small = new Throttles(clock, 2, 4);
    StageThrottle one = small.forStage("111111111111", "us-east-1", "api0000001", stage(null, null), routes("GET /"));
    StageThrottle other = small.forStage("111111111111", "us-east-1", "api0000002",
        stage(new JsonObject().put("DetailedMetricsEnabled", false), null), routes("GET /"));
    StageThrottle elsewhere = small.forStage("111111111111", "eu-west-1", "api0000003", stage(null, null), routes("GET /"));

    assertThat(admitted(one, "GET /", 3)).isEqualTo(3);
    assertThat(admitted(other, "GET /", 3)).isEqualTo(1);
    assertThat(admitted(elsewhere, "GET /", 3)).isEqualTo(3);
    clock.advance(Duration.ofSeconds(1));
    assertThat(admitted(other, "GET /", 3)).isEqualTo(2);
  }

  @Test
  void theDocumentedAccountDefaultsHold() {
    StageThrottle throttle = throttles.forStage("111111111111", "us-east-1", "api0000001", stage(null, null),
        routes("GET /"));

    assertThat(admitted(throttle, "GET /", 6_000)).isEqualTo(5_000);
    clock.advance(Duration.ofMillis(100));
    assertThat(admitted(throttle, "GET /", 2_000)).isEqualTo(1_000);
  }

  @Test
  void aRouteRefusedByTheAccountKeepsItsToken() {
    Throttles small = new Throttles(clock, 1, 1);
    StageThrottle throttle = small.forStage("111111111111", "us-east-1", "api0000001", stage(limits(0, 2), null),
        routes("GET /"));

    assertThat(throttle.tryAcquire("GET /")).isTrue();
    assertThat(throttle.tryAcquire("GET /")).isFalse();
    clock.advance(Duration.ofSeconds(1));
    // the route's second token was given back when the account refused; the route never refills
    assertThat(throttle.tryAcquire("GET /")).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(throttle.tryAcquire("GET /")).isFalse();
  }

  @Test
  void zeroLimitsBlockTheRoute() {
    StageThrottle throttle = throttles.forStage("111111111111", "us-east-1", "api0000001",
        stage(null, new JsonObject().put("GET /closed", limits(0, 0))), routes("GET /closed", "GET /open"));

    assertThat(admitted(throttle, "GET /closed", 3)).isZero();
    assertThat(admitted(throttle, "GET /open", 3)).isEqualTo(3);
  }

  @Test
  void aRedeploymentKeepsTheBucketWithItsNewLimits() {
    StageThrottle before = throttles.forStage("111111111111", "us-east-1", "api0000001", stage(limits(1, 5), null),
        routes("GET /"));
    assertThat(admitted(before, "GET /", 4)).isEqualTo(4);

    StageThrottle same = throttles.forStage("111111111111", "us-east-1", "api0000001", stage(limits(1, 5), null),
        routes("GET /"));
    assertThat(admitted(same, "GET /", 4)).isEqualTo(1);

    StageThrottle raised = throttles.forStage("111111111111", "us-east-1", "api0000001", stage(limits(1, 50), null),
        routes("GET /"));
    clock.advance(Duration.ofSeconds(2));
    assertThat(admitted(raised, "GET /", 4)).isEqualTo(2);

    throttles.dropApi("api0000001");
    StageThrottle fresh = throttles.forStage("111111111111", "us-east-1", "api0000001", stage(limits(1, 5), null),
        routes("GET /"));
    assertThat(admitted(fresh, "GET /", 8)).isEqualTo(5);
  }

  @Test
  void theRequestPathAllocatesNothing() {
    StageThrottle throttle = new Throttles(clock, 1e9, 1_000_000).forStage("111111111111", "us-east-1", "api0000001",
        stage(limits(1e9, 1_000_000), null), routes("GET /pets", "POST /pets"));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < 200_000; i++) throttle.tryAcquire(i % 2 == 0 ? "GET /pets" : "POST /pets");

    long before = threads.getThreadAllocatedBytes(thread);
    int admitted = 0;
    for (int i = 0; i < 100_000; i++) if (throttle.tryAcquire(i % 2 == 0 ? "GET /pets" : "POST /pets")) admitted++;
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertThat(admitted).isEqualTo(100_000);
    assertThat(allocated).as("bytes allocated by 100,000 requests").isLessThan(10_000);
  }

  @Test
  void theRefusalIsAwsS() {
    assertThat(Throttles.TOO_MANY_REQUESTS_STATUS).isEqualTo(429);
    assertThat(new JsonObject(Throttles.TOO_MANY_REQUESTS)).isEqualTo(new JsonObject().put("message", "Too Many Requests"));
  }
}
