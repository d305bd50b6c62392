package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.conflict;
import static io.eventplane.apigateway.rest.RestAccess.MODEL;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CreateModel, GetModel, GetModels, UpdateModel ({@code /schema}, {@code /description}) and
 * DeleteModel of a REST API: a named JSON schema (draft 4) for a content type, stored by name. Every
 * API starts with API Gateway's {@code Empty} and {@code Error} models; a model a method or method
 * response uses is not deleted. Used only on the lane's context.
 */
final class Models {
  static final String EMPTY_SCHEMA = "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Empty Schema\",\n"
      + "  \"type\" : \"object\"\n}";
  static final String ERROR_SCHEMA = "{\n  \"$schema\" : \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Error Schema\",\n"
      + "  \"type\" : \"object\",\n  \"properties\" : {\n    \"message\" : { \"type\" : \"string\" }\n  }\n}";
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9]{1,128}");

  private final RestAccess access;
  private final Patches patches = new Patches()
      .scalar("description", Patches.Kind.STRING, true)
      .scalar("schema", Patches.Kind.STRING, false);

  Models(RestAccess access) {
    this.access = access;
  }

  /** The models a new API starts with. */
  static List<JsonObject> defaults(RestAccess access) {
    return List.of(
        new JsonObject().put("id", access.id(6)).put("name", "Empty").put("description", "This is a default empty schema model")
            .put("schema", EMPTY_SCHEMA).put("contentType", "application/json"),
        new JsonObject().put("id", access.id(6)).put("name", "Error").put("description", "This is a default error schema model")
            .put("schema", ERROR_SCHEMA).put("contentType", "application/json"));
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateModel" -> access.change(request, api -> {
        String name = RestInputs.string(in, "name");
        if (name == null || name.isEmpty()) throw badRequest("Model name must be non-empty");
        if (!NAME.matcher(name).matches()) throw badRequest("Model name must be alphanumeric: " + name);
        if (api.child(MODEL, name) != null) throw conflict("Model name already exists for this REST API");
        JsonObject model = new JsonObject().put("id", access.id(6)).put("name", name);
        String description = RestInputs.string(in, "description");
        if (description != null) model.put("description", description);
        model.put("schema", checkSchema(RestInputs.string(in, "schema")));
        model.put("contentType", RestInputs.required(in, "contentType"));
        return new RestAccess.Change(new Changes().putChild(api.key(), MODEL, name, model), model.copy());
      });
      case "GetModel" -> Future.succeededFuture(find(access.find(request), in).copy());
      case "GetModels" -> Future.succeededFuture(RestPaging.page(in, List.copyOf(access.find(request).children(MODEL).values()), "name"));
      case "UpdateModel" -> access.change(request, api -> {
        JsonObject updated = patches.apply(find(api, in), in);
        if (updated.containsKey("schema")) checkSchema(updated.getString("schema"));
        return new RestAccess.Change(new Changes().putChild(api.key(), MODEL, updated.getString("name"), updated), updated.copy());
      });
      case "DeleteModel" -> access.change(request, api -> {
        String name = find(api, in).getString("name");
        for (JsonObject r : api.children(RestAccess.RESOURCE).values()) {
          JsonObject methods = r.getJsonObject("resourceMethods", new JsonObject());
          for (String m : methods.fieldNames()) {
            JsonObject method = methods.getJsonObject(m);
            boolean used = method.getJsonObject("requestModels", new JsonObject()).getMap().containsValue(name);
            for (Map.Entry<String, Object> e : method.getJsonObject("methodResponses", new JsonObject())) {
              used |= ((JsonObject) e.getValue()).getJsonObject("responseModels", new JsonObject()).getMap().containsValue(name);
            }
            if (used) throw conflict("Cannot delete model '" + name + "', is referenced in method request: " + r.getString("path") + "/" + m);
          }
        }
        return new RestAccess.Change(new Changes().deleteChild(api.key(), MODEL, name), new JsonObject());
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private static JsonObject find(Owner api, JsonObject in) {
    String name = RestInputs.string(in, "modelName");
    JsonObject model = name == null ? null : api.child(MODEL, name);
    if (model == null) throw ApiGatewayErrors.notFound("Invalid model name specified: " + name);
    return model;
  }

  /** A model's schema: a JSON object with something in it (AWS refuses none, and {@code {}}). */
  private static String checkSchema(String schema) {
    JsonObject parsed;
    try {
      parsed = schema == null || schema.isBlank() ? new JsonObject() : new JsonObject(schema);
    } catch (DecodeException | ClassCastException e) {
      throw badRequest("Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]");
    }
    if (parsed.isEmpty()) throw badRequest("Model schema must have at least 1 property or array items defined");
    return schema;
  }
}
