package io.eventplane.gateway.apigateway.invoke;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;

/**
 * A node's cache of what HTTP API stages serve: the answer of {@code GetDeployedStage} (the stage's
 * snapshot, or NotFoundException) per API and stage, asked once however many requests miss at once,
 * and forgotten when the API's lane announces a change on {@code eventplane.apigateway.changed}
 * ({@code {"ApiId": id}}, or {@code {"All": true}} after a reset). Failures of the bus itself are not
 * kept, so the next request asks again. Shared by the node's gateway instances: each caller gets
 * its answer on its own context.
 */
public final class DeployedStages implements io.vertx.core.shareddata.Shareable {
  /** The node's local map holding its cache (it goes with the node's Vertx). */
  private static final String LOCAL_MAP = "eventplane.apigateway.invoke";
  /** How many answers a node keeps at most. */
  static final int MAX_ENTRIES = BusAnswers.MAX_ENTRIES;

  private final BusAnswers cache;

  DeployedStages(BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    this.cache = new BusAnswers(bus, "GetDeployedStage");
  }

  /**
   * The node's cache, made on first use with the first caller's way to the bus and listening for
   * changes from then on.
   */
  public static DeployedStages of(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    io.vertx.core.shareddata.LocalMap<String, DeployedStages> node = vertx.sharedData().getLocalMap(LOCAL_MAP);
    DeployedStages stages = node.get("stages");
    if (stages != null) return stages;
    DeployedStages made = new DeployedStages(bus);
    stages = node.putIfAbsent("stages", made);
    if (stages != null) return stages;
    vertx.eventBus().<JsonObject>consumer(Contracts.APIGATEWAY_CHANGED, m -> made.changed(m.body()));
    return made;
  }

  /** Drops what a change notice makes stale. */
  void changed(JsonObject notice) {
    if (notice == null || notice.getBoolean("All", false)) {
      cache.clear();
      return;
    }
    String prefix = notice.getString("ApiId") + "\n";
    cache.removeIf(key -> key.startsWith(prefix));
  }

  /** What the stage serves: the snapshot, or the service's error (NotFoundException for no such API or stage). */
  Future<ApiReply> get(String apiId, String stage, RequestContext context) {
    return cache.get(apiId + "\n" + stage, new JsonObject().put("ApiId", apiId).put("StageName", stage), context);
  }

  /** How many answers are kept (tests). */
  int size() {
    return cache.size();
  }
}
