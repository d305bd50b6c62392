package io.eventplane.gateway.apigateway.invoke;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * A node's answers to one API Gateway bus operation, by key, for the invoke plane's caches
 * ({@link DeployedStages}, {@link CustomDomains}): each key asked once however many requests miss at
 * once; answers kept, NotFoundException included (a made-up id or a host that is no domain costs one
 * bus call, not one per request), failures of the bus itself not (the next request asks again);
 * bounded (past {@link #MAX_ENTRIES} it starts over, so made-up keys cannot grow it without end).
 * Each caller gets its answer on its own context. Thread-safe.
 */
final class BusAnswers {
  /** How many answers a cache keeps at most. */
  static final int MAX_ENTRIES = 10_000;

  private final BiFunction<String, ApiRequest, Future<ApiReply>> bus;
  private final String operation;
  private final Map<String, Future<ApiReply>> cache = new ConcurrentHashMap<>();

  /** @param operation the operation asked at {@link Contracts#APIGATEWAY} */
  BusAnswers(BiFunction<String, ApiRequest, Future<ApiReply>> bus, String operation) {
    this.bus = bus;
    this.operation = operation;
  }

  /** The answer for {@code key}: asked with {@code input} when not kept. */
  Future<ApiReply> get(String key, JsonObject input, RequestContext context) {
    Future<ApiReply> shared = cache.get(key);
    if (shared == null) {
      if (cache.size() >= MAX_ENTRIES) cache.clear();
      Promise<ApiReply> mine = Promise.promise();
      shared = cache.putIfAbsent(key, mine.future());
      if (shared == null) {
        shared = mine.future();
        Future<ApiReply> asked = mine.future();
        bus.apply(Contracts.APIGATEWAY, new ApiRequest(operation, input, context)).onComplete(ar -> {
          ApiReply reply = ar.succeeded() ? ar.result()
              : ApiReply.failed(ServiceError.internal(operation + " failed: " + ar.cause()));
          if (!reply.succeeded() && !"NotFoundException".equals(reply.error().code())) cache.remove(key, asked);
          mine.complete(reply);
        });
      }
    }
    Context here = Vertx.currentContext();
    if (here == null || shared.isComplete()) return shared;
    Promise<ApiReply> local = Promise.promise();
    shared.onComplete(ar -> here.runOnContext(v -> local.handle(ar)));
    return local.future();
  }

  void clear() {
    cache.clear();
  }

  void remove(String key) {
    cache.remove(key);
  }

  void removeIf(Predicate<String> key) {
    cache.keySet().removeIf(key);
  }

  int size() {
    return cache.size();
  }
}
