package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.rest.RestAccess.AUTHORIZER;
import static io.eventplane.apigateway.rest.RestAccess.MODEL;
import static io.eventplane.apigateway.rest.RestAccess.RESOURCE;
import static io.eventplane.apigateway.rest.RestAccess.VALIDATOR;

import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ImportRestApi (a new REST API from an OpenAPI or Swagger document) and PutRestApi (an API's
 * definition overwritten by a document, or merged with it), as the developer guide's "Configuring a
 * REST API using OpenAPI" describes: {@code failonwarnings} refuses a document with warnings,
 * the {@code endpointConfigurationTypes} parameter sets a new API's endpoint, {@code basepath}
 * (ignore, prepend, split) how a base path reaches the resources' paths. Merge keeps the API's
 * resources, adding the document's and replacing the methods it defines; overwrite replaces the
 * resources, authorizers, validators and models (but the default Empty and Error) and takes the
 * document's title, description, version, binary media types and API key source.
 * Used only on the lane's context.
 */
final class RestApiImports {
  private static final List<String> MODES = List.of("merge", "overwrite");
  private static final List<String> DEFAULT_MODELS = List.of("Empty", "Error");

  private final RestAccess access;
  private final RestApis apis;

  RestApiImports(RestAccess access, RestApis apis) {
    this.access = access;
    this.apis = apis;
  }

  Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case "ImportRestApi" -> importApi(request);
      case "PutRestApi" -> put(request);
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private Future<JsonObject> importApi(ApiRequest request) {
    return access.table.offLoop(() -> RestApiDefinitions.read(request.input().getString("body")))
        .compose(doc -> importApi(request, doc));
  }

  private Future<JsonObject> importApi(ApiRequest request, JsonObject doc) {
    JsonObject in = request.input();
    JsonObject parameters = parameters(in);
    // Parsed once first, so that a bad document is refused before an id is taken.
    RestApiDefinitions.Definition checked = parse(doc, in, parameters, Map.of());
    String name = checked.api().getString("name");
    if (name == null || name.isBlank()) throw badRequest(RestApiDefinitions.INVALID);
    JsonObject create = checked.api().copy();
    String types = parameters.getString("endpointConfigurationTypes");
    if (types != null) {
      create.put("endpointConfiguration", new JsonObject().put("types", new JsonArray().add(types.toUpperCase(Locale.ROOT))));
    }
    return apis.create(request, create, rootId -> parse(doc, in, parameters, Map.of("/", rootId)));
  }

  private Future<JsonObject> put(ApiRequest request) {
    return access.table.offLoop(() -> RestApiDefinitions.read(request.input().getString("body")))
        .compose(doc -> put(request, doc));
  }

  private Future<JsonObject> put(ApiRequest request, JsonObject doc) {
    JsonObject in = request.input();
    String mode = in.getString("mode", "merge");
    if (!MODES.contains(mode)) throw badRequest("Invalid mode specified: " + mode + ". Valid options are merge,overwrite");
    JsonObject parameters = parameters(in);
    return access.change(request, api -> {
      Map<String, String> paths = new HashMap<>();
      for (JsonObject r : api.children(RESOURCE).values()) paths.put(r.getString("path"), r.getString("id"));
      RestApiDefinitions.Definition d = parse(doc, in, parameters, mode.equals("merge") ? paths : Map.of("/", paths.get("/")),
          byName(api, AUTHORIZER), byName(api, VALIDATOR));
      Changes changes = new Changes();
      JsonObject restApi = api.record().getJsonObject("RestApi").copy();
      if (mode.equals("overwrite")) {
        for (String id : api.children(RESOURCE).keySet()) changes.deleteChild(api.key(), RESOURCE, id);
        for (String id : api.children(AUTHORIZER).keySet()) changes.deleteChild(api.key(), AUTHORIZER, id);
        for (String id : api.children(VALIDATOR).keySet()) changes.deleteChild(api.key(), VALIDATOR, id);
        for (String model : api.children(MODEL).keySet()) {
          if (!DEFAULT_MODELS.contains(model)) changes.deleteChild(api.key(), MODEL, model);
        }
        JsonObject from = d.api();
        if (from.getString("name") != null && !from.getString("name").isBlank()) restApi.put("name", from.getString("name"));
        for (String m : List.of("description", "version", "binaryMediaTypes", "minimumCompressionSize")) {
          if (from.getValue(m) != null) restApi.put(m, from.getValue(m));
          else restApi.remove(m);
        }
        restApi.put("apiKeySource", from.getString("apiKeySource", "HEADER"));
        restApi.put("disableExecuteApiEndpoint", from.getBoolean("disableExecuteApiEndpoint", false));
        children(api.key(), d, changes);
      } else {
        JsonObject from = d.api();
        if (from.getValue("binaryMediaTypes") != null) {
          JsonArray merged = restApi.getJsonArray("binaryMediaTypes", new JsonArray()).copy();
          for (Object t : from.getJsonArray("binaryMediaTypes")) if (!merged.contains(t)) merged.add(t);
          restApi.put("binaryMediaTypes", merged);
        }
        for (String m : List.of("apiKeySource", "minimumCompressionSize", "disableExecuteApiEndpoint")) {
          if (from.getValue(m) != null) restApi.put(m, from.getValue(m));
        }
        merge(api, d, changes);
      }
      changes.putOwner(api.key(), api.record().copy().put("RestApi", restApi));
      JsonObject output = restApi.copy();
      if (!d.warnings().isEmpty()) output.put("warnings", new JsonArray(d.warnings()));
      return new RestAccess.Change(changes, output);
    });
  }

  /** Merge: the document's resources added, its methods replacing those of the same resource and verb. */
  private static void merge(Owner api, RestApiDefinitions.Definition d, Changes changes) {
    for (JsonObject resource : d.resources()) {
      JsonObject existing = api.child(RESOURCE, resource.getString("id"));
      JsonObject merged = existing == null ? resource.copy() : existing.copy();
      JsonObject methods = merged.getJsonObject("resourceMethods", new JsonObject()).copy();
      JsonObject given = resource.getJsonObject("resourceMethods", new JsonObject());
      for (String m : given.fieldNames()) methods.put(m, given.getJsonObject(m).copy());
      if (!methods.isEmpty()) merged.put("resourceMethods", methods);
      if (existing != null && given.isEmpty()) continue;
      changes.putChild(api.key(), RESOURCE, merged.getString("id"), merged);
    }
    for (JsonObject a : d.authorizers()) changes.putChild(api.key(), AUTHORIZER, a.getString("id"), a);
    for (JsonObject v : d.validators()) changes.putChild(api.key(), VALIDATOR, v.getString("id"), v);
    for (JsonObject m : d.models()) {
      JsonObject existing = api.child(MODEL, m.getString("name"));
      changes.putChild(api.key(), MODEL, m.getString("name"), existing == null ? m : m.copy().put("id", existing.getString("id")));
    }
  }

  /** A new or overwritten API's children from the definition. */
  static void children(String owner, RestApiDefinitions.Definition d, Changes changes) {
    for (JsonObject r : d.resources()) changes.putChild(owner, RESOURCE, r.getString("id"), r);
    for (JsonObject a : d.authorizers()) changes.putChild(owner, AUTHORIZER, a.getString("id"), a);
    for (JsonObject v : d.validators()) changes.putChild(owner, VALIDATOR, v.getString("id"), v);
    for (JsonObject m : d.models()) changes.putChild(owner, MODEL, m.getString("name"), m);
  }

  private RestApiDefinitions.Definition parse(JsonObject doc, JsonObject in, JsonObject parameters, Map<String, String> resources) {
    return parse(doc, in, parameters, resources, Map.of(), Map.of());
  }

  private RestApiDefinitions.Definition parse(JsonObject doc, JsonObject in, JsonObject parameters, Map<String, String> resources,
      Map<String, String> authorizers, Map<String, String> validators) {
    RestApiDefinitions.Definition d = RestApiDefinitions.parse(doc, parameters.getString("basepath"),
        new RestApiDefinitions.Known(resources, authorizers, validators, () -> access.id(6)));
    if ("true".equalsIgnoreCase(String.valueOf(in.getValue("failOnWarnings"))) && !d.warnings().isEmpty()) {
      throw badRequest("Warnings found during import:\n\t" + String.join("\n\t", d.warnings()));
    }
    return d;
  }

  private static JsonObject parameters(JsonObject in) {
    Object p = in.getValue("parameters");
    return p instanceof JsonObject o ? o : new JsonObject();
  }

  private static Map<String, String> byName(Owner api, String kind) {
    Map<String, String> out = new HashMap<>();
    for (JsonObject c : api.children(kind).values()) if (c.getString("name") != null) out.put(c.getString("name"), c.getString("id"));
    return out;
  }
}
