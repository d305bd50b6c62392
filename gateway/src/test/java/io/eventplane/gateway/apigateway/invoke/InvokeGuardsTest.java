package io.eventplane.gateway.apigateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.time.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node's guards: built once per stage snapshot, rebuilt for a new one; a change notice for an
 * API forgets its guards but keeps what its throttle buckets hold; a reset forgets everything.
 */
class InvokeGuardsTest {
  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = new MutableClock(1_700_000_000_000L);
  private final InvokeGuards guards = new InvokeGuards(vertx, clock);

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static JsonObject snapshot(int burst) {
    return new JsonObject().put("Kind", "HTTP").put("Account", "123456789012").put("Region", "us-east-1")
        .put("Api", new JsonObject().put("CorsConfiguration", new JsonObject().put("AllowOrigins", new JsonArray().add("*"))))
        .put("Stage", new JsonObject().put("StageName", "prod")
            .put("DefaultRouteSettings", new JsonObject().put("ThrottlingBurstLimit", burst).put("ThrottlingRateLimit", 1.0)))
        .put("Routes", new JsonArray().add(new JsonObject().put("RouteKey", "GET /a")))
        .put("Authorizers", new JsonArray());
  }

  @Test
  void builtOncePerSnapshot() {
    JsonObject first = snapshot(1);
    StageGuards built = guards.forStage("abcdefghij", "prod", first);
    assertThat(guards.forStage("abcdefghij", "prod", first)).isSameAs(built);
    assertThat(built.cors().enabled()).isTrue();
    StageGuards rebuilt = guards.forStage("abcdefghij", "prod", snapshot(1));
    assertThat(rebuilt).isNotSameAs(built);
  }

  @Test
  void anApiChangeKeepsItsBucketsAResetDoesNot() {
    JsonObject first = snapshot(1);
    assertThat(guards.forStage("abcdefghij", "prod", first).throttle().tryAcquire("GET /a")).isTrue();
    assertThat(guards.forStage("abcdefghij", "prod", first).throttle().tryAcquire("GET /a")).isFalse();
    guards.changed(new JsonObject().put("ApiId", "abcdefghij"));
    StageGuards again = guards.forStage("abcdefghij", "prod", first);
    assertThat(again.throttle().tryAcquire("GET /a")).as("the bucket is still empty").isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(again.throttle().tryAcquire("GET /a")).isTrue();
    assertThat(again.throttle().tryAcquire("GET /a")).isFalse();
    guards.changed(new JsonObject().put("All", true));
    assertThat(guards.forStage("abcdefghij", "prod", first).throttle().tryAcquire("GET /a")).as("a new, full bucket").isTrue();
  }
}
