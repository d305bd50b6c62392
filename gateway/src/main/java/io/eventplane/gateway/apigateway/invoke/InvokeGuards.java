package io.eventplane.gateway.apigateway.invoke;

import io.eventplane.common.bus.Contracts;
import io.eventplane.common.config.ApiGatewayThrottle;
import io.eventplane.gateway.apigateway.invoke.access.AuthorizerResultCache;
import io.eventplane.gateway.apigateway.invoke.access.JwksKeys;
import io.eventplane.gateway.apigateway.invoke.limits.Throttles;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A gateway node's access state for HTTP API invoke URLs: the request throttles (token buckets),
 * the Lambda authorizers' cached answers, the JWT issuers' keys, and the {@link StageGuards} built
 * from each deployed stage snapshot. One per node (kept in the node's Vert.x local map, shared by
 * its gateway instances). On {@code eventplane.apigateway.changed} it forgets an API's guards and
 * its authorizers' cached answers ({@code {"ApiId"}}; API Gateway drops an authorizer's cache when
 * the API is redeployed or the authorizer changes), or everything, buckets and keys included
 * ({@code {"All": true}}, a reset). Throttle buckets otherwise outlive snapshots: a redeployment
 * keeps what they hold, with the new limits.
 */
final class InvokeGuards implements Shareable {
  private static final String LOCAL_MAP = "eventplane.apigateway.invoke.guards";
  /** How many stages' guards a node keeps at most (as {@link DeployedStages}: past it, it starts over). */
  static final int MAX_STAGES = DeployedStages.MAX_ENTRIES;

  private final Clock clock;
  private final Throttles throttles;
  private final AuthorizerResultCache results;
  private final JwksKeys keys;
  private final ConcurrentHashMap<String, StageGuards> stages = new ConcurrentHashMap<>();

  InvokeGuards(Vertx vertx, Clock clock) {
    this(vertx, clock, ApiGatewayThrottle.AWS_DEFAULT);
  }

  InvokeGuards(Vertx vertx, Clock clock, ApiGatewayThrottle accountThrottle) {
    this.clock = clock;
    this.throttles = new Throttles(clock, accountThrottle);
    this.results = new AuthorizerResultCache(clock);
    this.keys = new JwksKeys(vertx, clock);
  }

  /** The node's guards, made on first use with the first caller's clock and listening for changes from then on. */
  static InvokeGuards of(Vertx vertx, Clock clock) {
    return of(vertx, clock, ApiGatewayThrottle.AWS_DEFAULT);
  }

  /** As {@link #of(Vertx, Clock)}, with the node's configured account-level throttle. */
  static InvokeGuards of(Vertx vertx, Clock clock, ApiGatewayThrottle accountThrottle) {
    LocalMap<String, InvokeGuards> node = vertx.sharedData().getLocalMap(LOCAL_MAP);
    InvokeGuards guards = node.get("guards");
    if (guards != null) return guards;
    InvokeGuards made = new InvokeGuards(vertx, clock, accountThrottle);
    guards = node.putIfAbsent("guards", made);
    if (guards != null) return guards;
    vertx.eventBus().<JsonObject>consumer(Contracts.APIGATEWAY_CHANGED, m -> made.changed(m.body()));
    return made;
  }

  /** The node's cache of Lambda authorizers' answers (REST APIs' authorizers keep theirs here too). */
  AuthorizerResultCache results() {
    return results;
  }

  /** The guards of a stage as this snapshot has it (built once per snapshot). */
  StageGuards forStage(String apiId, String stage, JsonObject snapshot) {
    String key = apiId + "\n" + stage;
    StageGuards current = stages.get(key);
    if (current != null && current.snapshot() == snapshot) return current;
    if (stages.size() >= MAX_STAGES) stages.clear();
    StageGuards made = new StageGuards(snapshot, apiId, throttles, keys, results, clock);
    stages.put(key, made);
    return made;
  }

  /** Drops what a change notice makes stale. */
  void changed(JsonObject notice) {
    if (notice == null || notice.getBoolean("All", false)) {
      stages.clear();
      results.clear();
      throttles.clear();
      keys.clear();
      return;
    }
    String apiId = notice.getString("ApiId");
    if (apiId == null) return;
    String prefix = apiId + "\n";
    stages.keySet().removeIf(k -> k.startsWith(prefix));
    results.dropApi(apiId);
  }
}
