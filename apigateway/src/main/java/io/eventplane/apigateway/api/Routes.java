package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.api.HttpApiAccess.AUTHORIZER;
import static io.eventplane.apigateway.api.HttpApiAccess.INTEGRATION;
import static io.eventplane.apigateway.api.HttpApiAccess.ROUTE;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An HTTP API's routes: a {@link RouteKeys route key} unique in the API, a target
 * ({@code integrations/<id>} of the API), and who may call it (NONE, AWS_IAM, JWT with scopes, or
 * CUSTOM: a Lambda authorizer). Create, Get, GetRoutes, Update and Delete.
 */
public final class Routes {
  /** Routes per HTTP API (AWS's quota). */
  static final int MAX_ROUTES = 300;
  static final List<String> AUTHORIZATION_TYPES = List.of("NONE", "AWS_IAM", "CUSTOM", "JWT");

  private final HttpApiAccess access;

  Routes(HttpApiAccess access) {
    this.access = access;
  }

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateRoute" -> access.change(request, api -> {
        String id = access.ids.childId();
        JsonObject route = new JsonObject().put("ApiKeyRequired", false).put("AuthorizationType", "NONE").put("RouteId", id);
        Inputs.required(in, "RouteKey");
        if (api.children(ROUTE).size() >= MAX_ROUTES) {
          throw ApiGatewayErrors.limitExceeded("Maximum number of routes (" + MAX_ROUTES + ") for this API reached");
        }
        route = check(api, merge(route, in), null, in);
        return new HttpApiAccess.Change(new Changes().putChild(api.key(), ROUTE, id, route), route, true);
      });
      case "GetRoute" -> Future.succeededFuture(find(access.find(request), request).copy());
      case "GetRoutes" -> Future.succeededFuture(Paging.page(in, List.copyOf(access.find(request).children(ROUTE).values()),
          "RouteId"));
      case "UpdateRoute" -> access.change(request, api -> {
        JsonObject old = find(api, request);
        JsonObject route = check(api, merge(old.copy(), in), old.getString("RouteId"), in);
        return new HttpApiAccess.Change(new Changes().putChild(api.key(), ROUTE, old.getString("RouteId"), route), route, true);
      });
      case "DeleteRoute" -> access.change(request, api -> {
        JsonObject old = find(api, request);
        return new HttpApiAccess.Change(new Changes().deleteChild(api.key(), ROUTE, old.getString("RouteId")), new JsonObject(),
            true);
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private JsonObject find(Owner api, ApiRequest request) {
    String id = Inputs.string(request.input(), "RouteId");
    JsonObject route = id == null ? null : api.child(ROUTE, id);
    if (route == null) throw ApiGatewayErrors.childNotFound("Route", request.context().accountId(), id);
    return route;
  }

  private static JsonObject merge(JsonObject route, JsonObject in) {
    for (String m : List.of("RouteKey", "Target", "AuthorizationType", "AuthorizerId", "OperationName",
        "ModelSelectionExpression", "RouteResponseSelectionExpression")) {
      String v = Inputs.string(in, m);
      if (v != null) route.put(m, v);
    }
    Boolean apiKey = Inputs.bool(in, "ApiKeyRequired");
    if (apiKey != null) route.put("ApiKeyRequired", apiKey);
    JsonArray scopes = Inputs.stringList(in, "AuthorizationScopes");
    if (scopes != null) route.put("AuthorizationScopes", scopes);
    JsonObject parameters = Inputs.object(in, "RequestParameters");
    if (parameters != null) route.put("RequestParameters", parameters);
    if (Inputs.object(in, "RequestModels") != null) throw badRequest("Request models are not supported for HTTP APIs");
    return route;
  }

  /** Checks a route as it would be in the API ({@code self}: its id when it is an update). */
  private static JsonObject check(Owner api, JsonObject route, String self, JsonObject in) {
    String key = RouteKeys.check(route.getString("RouteKey"));
    for (JsonObject other : api.children(ROUTE).values()) {
      if (key.equals(other.getString("RouteKey")) && !other.getString("RouteId").equals(self)) {
        throw ApiGatewayErrors.conflict("Unable to create route " + key + ". A route with this key already exists");
      }
    }
    String target = route.getString("Target");
    if (target != null) {
      if (!target.startsWith("integrations/") || api.child(INTEGRATION, target.substring("integrations/".length())) == null) {
        throw badRequest("Invalid target specified: " + target + ". Must be integrations/<id> of an integration of this API");
      }
    }
    String type = route.getString("AuthorizationType");
    Inputs.oneOf(type, "AuthorizationType", AUTHORIZATION_TYPES);
    String authorizerId = route.getString("AuthorizerId");
    if (type.equals("JWT") || type.equals("CUSTOM")) {
      if (authorizerId == null) throw badRequest("AuthorizerId is required for authorization type " + type);
      JsonObject authorizer = api.child(AUTHORIZER, authorizerId);
      if (authorizer == null) throw badRequest("Invalid authorizer ID specified: " + authorizerId);
      String expected = type.equals("JWT") ? "JWT" : "REQUEST";
      if (!expected.equals(authorizer.getString("AuthorizerType"))) {
        throw badRequest("Authorization type " + type + " requires an authorizer of type " + expected);
      }
    } else {
      if (in.containsKey("AuthorizerId") && !type.equals("NONE")) {
        throw badRequest("AuthorizerId is supported only for authorization types JWT and CUSTOM");
      }
      // A route that no longer uses an authorizer forgets it.
      route.remove("AuthorizerId");
    }
    if (!type.equals("JWT")) {
      JsonArray asked = in.getJsonArray("AuthorizationScopes");
      if (asked != null && !asked.isEmpty()) throw badRequest("Authorization scopes are supported only for JWT authorizers");
      route.remove("AuthorizationScopes");
    }
    if (Boolean.TRUE.equals(route.getBoolean("ApiKeyRequired"))) throw badRequest("API keys are not supported for HTTP APIs");
    return route;
  }
}
