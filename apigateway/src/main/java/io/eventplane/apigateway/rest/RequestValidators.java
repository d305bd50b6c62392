package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.rest.RestAccess.VALIDATOR;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * CreateRequestValidator, GetRequestValidator, GetRequestValidators, UpdateRequestValidator and
 * DeleteRequestValidator: whether a method's request body (against its model) and required
 * parameters are checked before the integration is called. A validator a method uses is not deleted.
 * Used only on the lane's context.
 */
final class RequestValidators {
  private final RestAccess access;
  private final Patches patches = new Patches()
      .scalar("name", Patches.Kind.STRING, false)
      .scalar("validateRequestParameters", Patches.Kind.BOOL, false)
      .scalar("validateRequestBody", Patches.Kind.BOOL, false);

  RequestValidators(RestAccess access) {
    this.access = access;
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateRequestValidator" -> access.change(request, api -> {
        String id = access.id(6);
        JsonObject validator = new JsonObject().put("id", id);
        String name = RestInputs.string(in, "name");
        if (name != null) validator.put("name", name);
        validator.put("validateRequestBody", RestInputs.bool(in, "validateRequestBody", false))
            .put("validateRequestParameters", RestInputs.bool(in, "validateRequestParameters", false));
        return new RestAccess.Change(new Changes().putChild(api.key(), VALIDATOR, id, validator), validator.copy());
      });
      case "GetRequestValidator" -> Future.succeededFuture(find(access.find(request), in).copy());
      case "GetRequestValidators" -> Future.succeededFuture(RestPaging.page(in,
          List.copyOf(access.find(request).children(VALIDATOR).values()), "id"));
      case "UpdateRequestValidator" -> access.change(request, api -> {
        JsonObject updated = patches.apply(find(api, in), in);
        if (updated.containsKey("name") && updated.getString("name").isBlank()) {
          throw badRequest("Request Validator name cannot be blank");
        }
        return new RestAccess.Change(new Changes().putChild(api.key(), VALIDATOR, updated.getString("id"), updated), updated.copy());
      });
      case "DeleteRequestValidator" -> access.change(request, api -> {
        String id = find(api, in).getString("id");
        for (JsonObject r : api.children(RestAccess.RESOURCE).values()) {
          JsonObject methods = r.getJsonObject("resourceMethods", new JsonObject());
          for (String m : methods.fieldNames()) {
            if (id.equals(methods.getJsonObject(m).getString("requestValidatorId"))) {
              throw badRequest("Cannot delete request validator '" + id + "', is referenced in method: " + m + " " + r.getString("path"));
            }
          }
        }
        return new RestAccess.Change(new Changes().deleteChild(api.key(), VALIDATOR, id), new JsonObject());
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private static JsonObject find(Owner api, JsonObject in) {
    String id = RestInputs.string(in, "requestValidatorId");
    JsonObject validator = id == null ? null : api.child(VALIDATOR, id);
    if (validator == null) throw ApiGatewayErrors.notFound("Invalid Request Validator identifier specified");
    return validator;
  }
}
