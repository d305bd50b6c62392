package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.conflict;
import static io.eventplane.apigateway.rest.RestAccess.AUTHORIZER;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * CreateAuthorizer, GetAuthorizer, GetAuthorizers, UpdateAuthorizer and DeleteAuthorizer of a REST
 * API: Lambda authorizers (TOKEN with an {@code identitySource} header, REQUEST) with their
 * {@code authorizerUri} and result TTL (default 300 s, at most 3600), and Cognito user pool ones.
 * Stored for the invoke plane, which runs them. Used only on the lane's context.
 */
final class RestAuthorizers {
  static final int MAX_TTL = 3600;
  private static final List<String> TYPES = List.of("TOKEN", "REQUEST", "COGNITO_USER_POOLS");

  private final RestAccess access;
  private final Patches patches = new Patches()
      .scalar("name", Patches.Kind.STRING, false)
      .scalar("type", Patches.Kind.STRING, false)
      .scalar("authorizerUri", Patches.Kind.STRING, true)
      .scalar("authorizerCredentials", Patches.Kind.STRING, true)
      .scalar("identitySource", Patches.Kind.STRING, true)
      .scalar("identityValidationExpression", Patches.Kind.STRING, true)
      .scalar("authorizerResultTtlInSeconds", Patches.Kind.INT, false)
      .scalar("authType", Patches.Kind.STRING, true)
      .set("providerARNs");

  RestAuthorizers(RestAccess access) {
    this.access = access;
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateAuthorizer" -> access.change(request, api -> {
        JsonObject authorizer = new JsonObject().put("id", access.id(6)).put("name", RestInputs.required(in, "name"))
            .put("type", RestInputs.required(in, "type"));
        JsonArray providers = RestInputs.stringList(in, "providerARNs");
        if (providers != null && !providers.isEmpty()) authorizer.put("providerARNs", providers);
        for (String m : List.of("authType", "authorizerUri", "authorizerCredentials", "identitySource", "identityValidationExpression")) {
          String v = RestInputs.string(in, m);
          if (v != null) authorizer.put(m, v);
        }
        Integer ttl = RestInputs.integer(in, "authorizerResultTtlInSeconds");
        authorizer.put("authorizerResultTtlInSeconds", ttl == null ? 300 : ttl);
        check(authorizer);
        if (api.children(AUTHORIZER).values().stream().anyMatch(a -> a.getString("name").equals(authorizer.getString("name")))) {
          throw conflict("Authorizer name already exists for this REST API");
        }
        return new RestAccess.Change(new Changes().putChild(api.key(), AUTHORIZER, authorizer.getString("id"), authorizer),
            authorizer.copy());
      });
      case "GetAuthorizer" -> Future.succeededFuture(find(access.find(request), in).copy());
      case "GetAuthorizers" -> Future.succeededFuture(RestPaging.page(in,
          List.copyOf(access.find(request).children(AUTHORIZER).values()), "id"));
      case "UpdateAuthorizer" -> access.change(request, api -> {
        JsonObject updated = patches.apply(find(api, in), in);
        check(updated);
        return new RestAccess.Change(new Changes().putChild(api.key(), AUTHORIZER, updated.getString("id"), updated), updated.copy());
      });
      case "DeleteAuthorizer" -> access.change(request, api -> {
        String id = find(api, in).getString("id");
        for (JsonObject r : api.children(RestAccess.RESOURCE).values()) {
          JsonObject methods = r.getJsonObject("resourceMethods", new JsonObject());
          for (String m : methods.fieldNames()) {
            if (id.equals(methods.getJsonObject(m).getString("authorizerId"))) {
              throw conflict("Cannot delete authorizer '" + id + "', is referenced in method: " + m + " " + r.getString("path"));
            }
          }
        }
        return new RestAccess.Change(new Changes().deleteChild(api.key(), AUTHORIZER, id), new JsonObject());
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private static JsonObject find(Owner api, JsonObject in) {
    String id = RestInputs.string(in, "authorizerId");
    JsonObject authorizer = id == null ? null : api.child(AUTHORIZER, id);
    if (authorizer == null) throw ApiGatewayErrors.notFound("Invalid Authorizer identifier specified");
    return authorizer;
  }

  static void check(JsonObject authorizer) {
    String type = authorizer.getString("type");
    RestInputs.enumValue(type, "createAuthorizerInput.type", TYPES);
    int ttl = authorizer.getInteger("authorizerResultTtlInSeconds");
    if (ttl < 0 || ttl > MAX_TTL) throw badRequest("Invalid TTL specified: must be between 0 and " + MAX_TTL + " seconds");
    if (type.equals("COGNITO_USER_POOLS")) {
      if (authorizer.getJsonArray("providerARNs", new JsonArray()).isEmpty()) {
        throw badRequest("ProviderARNs need to be specified for authorizer of type COGNITO_USER_POOLS");
      }
    } else if (authorizer.getString("authorizerUri") == null) {
      throw badRequest("Authorizer URI must be specified for authorizer of type " + type);
    }
    if (type.equals("TOKEN") && (authorizer.getString("identitySource") == null
        || !authorizer.getString("identitySource").startsWith("method.request.header."))) {
      throw badRequest("Invalid identity source specified for authorizer of type TOKEN: it must be method.request.header.<name>");
    }
    if (type.equals("REQUEST") && authorizer.getInteger("authorizerResultTtlInSeconds") > 0
        && authorizer.getString("identitySource") == null) {
      throw badRequest("Identity source must be specified when caching is enabled for authorizer of type REQUEST");
    }
  }
}
