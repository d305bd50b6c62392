package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.api.HttpApiAccess.AUTHORIZER;
import static io.eventplane.apigateway.api.HttpApiAccess.ROUTE;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An HTTP API's authorizers: JWT (an issuer and audiences, the token from one identity source) and
 * REQUEST (a Lambda function, payload format 1.0 or 2.0, simple responses with 2.0 only, its answers
 * cached up to an hour by the identity sources). Create, Get, GetAuthorizers, Update and Delete
 * (not while a route uses it).
 */
public final class Authorizers {
  /** Authorizers per HTTP API (AWS's quota). */
  static final int MAX_AUTHORIZERS = 10;
  private static final Pattern AUTHORIZER_URI = Pattern.compile(
      "arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}"
          + ":function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?/invocations");
  private static final Pattern JWT_SOURCE = Pattern.compile("\\$request\\.(header|querystring)\\.[^\\s]+");
  private static final Pattern REQUEST_SOURCE = Pattern.compile(
      "\\$(request\\.(header|querystring)|context|stageVariables)\\.[^\\s]+");

  private final HttpApiAccess access;

  Authorizers(HttpApiAccess access) {
    this.access = access;
  }

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateAuthorizer" -> access.change(request, api -> {
        Inputs.required(in, "Name");
        Inputs.required(in, "AuthorizerType");
        if (api.children(AUTHORIZER).size() >= MAX_AUTHORIZERS) {
          throw ApiGatewayErrors.limitExceeded("Maximum number of authorizers (" + MAX_AUTHORIZERS + ") for this API reached");
        }
        String id = access.ids.childId();
        JsonObject authorizer = check(merge(new JsonObject().put("AuthorizerId", id), in));
        return new HttpApiAccess.Change(new Changes().putChild(api.key(), AUTHORIZER, id, authorizer), authorizer, true);
      });
      case "GetAuthorizer" -> Future.succeededFuture(find(access.find(request), request).copy());
      case "GetAuthorizers" -> Future.succeededFuture(Paging.page(in, List.copyOf(access.find(request).children(AUTHORIZER)
          .values()), "AuthorizerId"));
      case "UpdateAuthorizer" -> access.change(request, api -> {
        JsonObject old = find(api, request);
        if (in.containsKey("AuthorizerType") && !old.getString("AuthorizerType").equals(Inputs.string(in, "AuthorizerType"))) {
          boolean used = api.children(ROUTE).values().stream().anyMatch(r -> old.getString("AuthorizerId").equals(r.getString("AuthorizerId")));
          if (used) throw badRequest("Cannot change the type of an authorizer that routes use");
        }
        JsonObject authorizer = check(merge(old.copy(), in));
        return new HttpApiAccess.Change(new Changes().putChild(api.key(), AUTHORIZER, old.getString("AuthorizerId"), authorizer),
            authorizer, true);
      });
      case "DeleteAuthorizer" -> access.change(request, api -> {
        JsonObject old = find(api, request);
        String id = old.getString("AuthorizerId");
        for (JsonObject route : api.children(ROUTE).values()) {
          if (id.equals(route.getString("AuthorizerId"))) {
            throw ApiGatewayErrors.conflict("Cannot delete authorizer " + id + " because it is still used by route "
                + route.getString("RouteId"));
          }
        }
        return new HttpApiAccess.Change(new Changes().deleteChild(api.key(), AUTHORIZER, id), new JsonObject(), true);
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private JsonObject find(Owner api, ApiRequest request) {
    String id = Inputs.string(request.input(), "AuthorizerId");
    JsonObject authorizer = id == null ? null : api.child(AUTHORIZER, id);
    if (authorizer == null) throw ApiGatewayErrors.childNotFound("Authorizer", request.context().accountId(), id);
    return authorizer;
  }

  private static JsonObject merge(JsonObject a, JsonObject in) {
    for (String m : List.of("Name", "AuthorizerType", "AuthorizerUri", "AuthorizerCredentialsArn",
        "AuthorizerPayloadFormatVersion", "IdentityValidationExpression")) {
      String v = Inputs.string(in, m);
      if (v != null) a.put(m, v);
    }
    JsonArray sources = Inputs.stringList(in, "IdentitySource");
    if (sources != null) a.put("IdentitySource", sources);
    JsonObject jwt = Inputs.object(in, "JwtConfiguration");
    if (jwt != null) {
      JsonObject c = new JsonObject();
      JsonArray audience = Inputs.stringList(jwt, "Audience");
      if (audience != null) c.put("Audience", audience);
      String issuer = Inputs.string(jwt, "Issuer");
      if (issuer != null) c.put("Issuer", issuer);
      a.put("JwtConfiguration", c);
    }
    Boolean simple = Inputs.bool(in, "EnableSimpleResponses");
    if (simple != null) a.put("EnableSimpleResponses", simple);
    Integer ttl = Inputs.integer(in, "AuthorizerResultTtlInSeconds");
    if (ttl != null) a.put("AuthorizerResultTtlInSeconds", ttl);
    return a;
  }

  /** Checks an authorizer as it would be and fills AWS's defaults. */
  static JsonObject check(JsonObject a) {
    String name = a.getString("Name");
    if (name.isEmpty() || name.length() > 128) throw badRequest("Authorizer name must be between 1 and 128 characters");
    String type = Inputs.oneOf(a.getString("AuthorizerType"), "AuthorizerType", List.of("REQUEST", "JWT"));
    JsonArray sources = a.getJsonArray("IdentitySource");
    if (type.equals("JWT")) {
      if (sources == null || sources.size() != 1 || !JWT_SOURCE.matcher(sources.getString(0)).matches()) {
        throw badRequest("A JWT authorizer requires exactly one identity source, $request.header.<name> or"
            + " $request.querystring.<name>");
      }
      JsonObject jwt = a.getJsonObject("JwtConfiguration");
      if (jwt == null || jwt.getString("Issuer") == null) {
        throw badRequest("JwtConfiguration with an issuer is required for authorizers of type JWT");
      }
      checkIssuer(jwt.getString("Issuer"));
      JsonArray audience = jwt.getJsonArray("Audience");
      if (audience == null || audience.isEmpty()) throw badRequest("JwtConfiguration requires at least one audience");
      for (String m : List.of("AuthorizerUri", "AuthorizerPayloadFormatVersion", "AuthorizerCredentialsArn")) {
        if (a.containsKey(m)) throw badRequest(Inputs.wire(m) + " is not supported for authorizers of type JWT");
      }
      if (a.containsKey("EnableSimpleResponses") || a.containsKey("AuthorizerResultTtlInSeconds")) {
        throw badRequest("enableSimpleResponses and authorizerResultTtlInSeconds are supported only for REQUEST authorizers");
      }
      return a;
    }
    String uri = a.getString("AuthorizerUri");
    if (uri == null) throw badRequest("AuthorizerUri is required for authorizers of type REQUEST");
    if (!AUTHORIZER_URI.matcher(uri).matches()) {
      throw badRequest("Invalid authorizer URI specified: " + uri
          + ". Must be arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations");
    }
    String format = a.getString("AuthorizerPayloadFormatVersion");
    if (format == null) throw badRequest("AuthorizerPayloadFormatVersion is required for authorizers of type REQUEST");
    if (!format.equals("1.0") && !format.equals("2.0")) {
      throw badRequest("Invalid authorizer payload format version specified: " + format + ". Supported values are 1.0 and 2.0");
    }
    if (a.getBoolean("EnableSimpleResponses", false) && !format.equals("2.0")) {
      throw badRequest("Simple responses are supported only for authorizer payload format version 2.0");
    }
    if (format.equals("2.0") && !a.containsKey("EnableSimpleResponses")) a.put("EnableSimpleResponses", false);
    if (a.containsKey("JwtConfiguration")) throw badRequest("jwtConfiguration is supported only for authorizers of type JWT");
    int ttl = a.getInteger("AuthorizerResultTtlInSeconds", 0);
    if (ttl < 0 || ttl > 3600) throw badRequest("authorizerResultTtlInSeconds must be between 0 and 3600");
    a.put("AuthorizerResultTtlInSeconds", ttl);
    if (ttl > 0 && (sources == null || sources.isEmpty())) {
      throw badRequest("Identity source is required when authorizer caching is enabled (authorizerResultTtlInSeconds > 0)");
    }
    if (sources != null) {
      for (Object s : sources) {
        if (!REQUEST_SOURCE.matcher((String) s).matches()) throw badRequest("Invalid identity source specified: " + s);
      }
    }
    return a;
  }

  private static void checkIssuer(String issuer) {
    try {
      URI u = new URI(issuer);
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
        throw badRequest("Invalid issuer specified: " + issuer + ". Must be a URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw badRequest("Invalid issuer specified: " + issuer + ". Must be a URL");
    }
  }
}
