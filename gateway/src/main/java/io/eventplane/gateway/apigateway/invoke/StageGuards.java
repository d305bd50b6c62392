package io.eventplane.gateway.apigateway.invoke;

import io.eventplane.gateway.apigateway.invoke.access.AccessDecision;
import io.eventplane.gateway.apigateway.invoke.access.AccessRequest;
import io.eventplane.gateway.apigateway.invoke.access.AuthorizerResultCache;
import io.eventplane.gateway.apigateway.invoke.access.IamCaller;
import io.eventplane.gateway.apigateway.invoke.access.JwksKeys;
import io.eventplane.gateway.apigateway.invoke.access.JwtAuthorizer;
import io.eventplane.gateway.apigateway.invoke.access.LambdaAuthorizer;
import io.eventplane.gateway.apigateway.invoke.access.Refusal;
import io.eventplane.gateway.apigateway.invoke.limits.CorsPolicy;
import io.eventplane.gateway.apigateway.invoke.limits.StageThrottle;
import io.eventplane.gateway.apigateway.invoke.limits.Throttles;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What guards one deployed HTTP API stage, built once from its snapshot ({@code GetDeployedStage}'s
 * Api, Stage, Routes and Authorizers): the API's CorsConfiguration, the stage's throttle (route
 * limits from RouteSettings over DefaultRouteSettings) and its authorizers (JWT and Lambda REQUEST),
 * by AuthorizerId. {@link #authorize} applies a route's AuthorizationType. Immutable; made and kept
 * by {@link InvokeGuards}.
 */
final class StageGuards {
  /** The function-calling the gateway does for Lambda authorizers: function ARN or name, event; the function's JSON answer. */
  interface LambdaCall extends BiFunction<String, JsonObject, Future<JsonObject>> {}

  private final JsonObject snapshot;
  private final CorsPolicy cors;
  private final StageThrottle throttle;
  private final Map<String, JwtAuthorizer> jwt = new HashMap<>();
  private final Map<String, LambdaAuthorizer> lambda = new HashMap<>();

  StageGuards(JsonObject snapshot, String apiId, Throttles throttles, JwksKeys keys, AuthorizerResultCache results,
      Clock clock) {
    this.snapshot = snapshot;
    JsonObject api = snapshot.getJsonObject("Api", new JsonObject());
    this.cors = CorsPolicy.of(api.getJsonObject("CorsConfiguration"));
    this.throttle = throttles.forStage(snapshot.getString("Account", ""), snapshot.getString("Region", ""), apiId,
        snapshot.getJsonObject("Stage", new JsonObject()), snapshot.getJsonArray("Routes"));
    JsonArray authorizers = snapshot.getJsonArray("Authorizers", new JsonArray());
    for (Object item : authorizers) {
      if (!(item instanceof JsonObject authorizer) || authorizer.getString("AuthorizerId") == null) continue;
      String id = authorizer.getString("AuthorizerId");
      switch (authorizer.getString("AuthorizerType", "")) {
        case "JWT" -> jwt.put(id, JwtAuthorizer.of(authorizer, keys, clock));
        case "REQUEST" -> lambda.put(id, LambdaAuthorizer.of(authorizer, results));
        default -> { }
      }
    }
  }

  /** The snapshot these guards were built from (the same object while the cache keeps it). */
  JsonObject snapshot() {
    return snapshot;
  }

  CorsPolicy cors() {
    return cors;
  }

  StageThrottle throttle() {
    return throttle;
  }

  /**
   * The verdict of the route's AuthorizationType on a request: NONE lets it through; JWT and
   * CUSTOM ask the route's authorizer (one the stage lacks answers 500); AWS_IAM wants a SigV4
   * signature ({@link IamCaller}).
   *
   * @param defaultAccount the configured account (the caller's for access keys that name none)
   */
  Future<AccessDecision> authorize(JsonObject route, AccessRequest request, String defaultAccount, LambdaCall call) {
    String type = route.getString("AuthorizationType", "NONE");
    String authorizerId = route.getString("AuthorizerId");
    switch (type) {
      case "JWT": {
        JwtAuthorizer authorizer = authorizerId == null ? null : jwt.get(authorizerId);
        if (authorizer == null) return Future.succeededFuture(AccessDecision.refuse(Refusal.INTERNAL_ERROR));
        return authorizer.authorize(request, route.getJsonArray("AuthorizationScopes"));
      }
      case "CUSTOM": {
        LambdaAuthorizer authorizer = authorizerId == null ? null : lambda.get(authorizerId);
        if (authorizer == null) return Future.succeededFuture(AccessDecision.refuse(Refusal.INTERNAL_ERROR));
        return authorizer.authorize(request, event -> call.apply(authorizer.functionArn(), event));
      }
      case "AWS_IAM":
        return Future.succeededFuture(IamCaller.authorize(request, defaultAccount));
      default:
        return Future.succeededFuture(AccessDecision.NONE);
    }
  }
}
