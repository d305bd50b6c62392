package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Invoke requests as the invoke route would describe them, for the authorizer tests. */
final class Requests {
  static final String ACCOUNT = "123456789012";
  static final String REGION = "us-east-1";
  static final String API = "0a1b2c3d4e";

  private Requests() {}

  static AccessRequest get(String path, MultiMap headers) {
    return request("GET", "GET " + path, path, "", headers);
  }

  static AccessRequest request(String method, String routeKey, String rawPath, String query, MultiMap headers) {
    return new AccessRequest(ACCOUNT, REGION, API, "prod", routeKey, method, rawPath, query, headers, Map.of(),
        Map.of(), "203.0.113.7", "req-1", 1_700_000_000_123L, API + ".execute-api.localhost:4566", "HTTP/1.1");
  }

  static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) headers.add(namesAndValues[i], namesAndValues[i + 1]);
    return headers;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
