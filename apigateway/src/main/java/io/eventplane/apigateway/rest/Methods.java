package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.conflict;
import static io.eventplane.apigateway.rest.RestAccess.AUTHORIZER;
import static io.eventplane.apigateway.rest.RestAccess.MODEL;
import static io.eventplane.apigateway.rest.RestAccess.RESOURCE;
import static io.eventplane.apigateway.rest.RestAccess.VALIDATOR;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A resource's methods and their method responses: PutMethod, GetMethod, UpdateMethod, DeleteMethod,
 * PutMethodResponse, GetMethodResponse, UpdateMethodResponse and DeleteMethodResponse. A method lives
 * in its resource's {@code resourceMethods} by HTTP method, in GetMethod's output shape (its
 * {@code methodResponses} by status code, its {@code methodIntegration} when it has one).
 * Used only on the lane's context.
 */
final class Methods {
  static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");
  private static final List<String> AUTHORIZATION_TYPES = List.of("NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS");
  private static final Pattern STATUS = Pattern.compile("[1-5]\\d\\d");
  private static final Pattern METHOD_REQUEST = Pattern.compile("method\\.request\\.(header|querystring|path|multivaluequerystring|multivalueheader)\\.[^\\s]+");
  private static final Pattern METHOD_RESPONSE = Pattern.compile("method\\.response\\.header\\.[^\\s]+");

  private final RestAccess access;
  private final Patches methodPatches;
  private final Patches responsePatches;

  Methods(RestAccess access) {
    this.access = access;
    this.methodPatches = new Patches()
        .scalar("authorizationType", Patches.Kind.STRING, false)
        .scalar("authorizerId", Patches.Kind.STRING, true)
        .scalar("apiKeyRequired", Patches.Kind.BOOL, false)
        .scalar("requestValidatorId", Patches.Kind.STRING, true)
        .scalar("operationName", Patches.Kind.STRING, true)
        .map("requestParameters", Patches.Kind.BOOL)
        .map("requestModels", Patches.Kind.STRING)
        .set("authorizationScopes")
        .shortErrors();
    this.responsePatches = new Patches()
        .map("responseParameters", Patches.Kind.BOOL, "Invalid parameter name specified")
        .map("responseModels", Patches.Kind.STRING, "Content-Type specified was not found")
        .shortErrors();
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "PutMethod" -> access.change(request, api -> put(api, in));
      case "GetMethod" -> Future.succeededFuture(find(access.find(request), in).copy());
      case "UpdateMethod" -> access.change(request, api -> {
        JsonObject updated = methodPatches.apply(find(api, in), in);
        check(api, updated);
        return save(api, in, updated);
      });
      case "DeleteMethod" -> access.change(request, api -> {
        find(api, in);
        JsonObject resource = Resources.find(api, in).copy();
        JsonObject methods = resource.getJsonObject("resourceMethods").copy();
        methods.remove(in.getString("httpMethod"));
        resource.put("resourceMethods", methods);
        return new RestAccess.Change(new Changes().putChild(api.key(), RESOURCE, resource.getString("id"), resource), new JsonObject());
      });
      case "PutMethodResponse" -> access.change(request, api -> {
        JsonObject method = find(api, in);
        String status = status(in);
        // AWS answers both maps, empty when not given.
        JsonObject response = new JsonObject().put("statusCode", status);
        JsonObject parameters = RestInputs.boolMap(in, "responseParameters");
        response.put("responseParameters", parameters == null ? new JsonObject() : parameters);
        JsonObject models = RestInputs.stringMap(in, "responseModels");
        response.put("responseModels", models == null ? new JsonObject() : models);
        checkResponse(api, response);
        return saveResponse(api, in, method, status, response);
      });
      case "GetMethodResponse" -> Future.succeededFuture(findResponse(find(access.find(request), in), in).copy());
      case "UpdateMethodResponse" -> access.change(request, api -> {
        JsonObject method = find(api, in);
        JsonObject updated = responsePatches.apply(findResponse(method, in), in);
        checkResponse(api, updated);
        return saveResponse(api, in, method, updated.getString("statusCode"), updated);
      });
      case "DeleteMethodResponse" -> access.change(request, api -> {
        JsonObject method = find(api, in);
        findResponse(method, in);
        JsonObject responses = method.getJsonObject("methodResponses").copy();
        responses.remove(in.getString("statusCode"));
        RestAccess.Change c = save(api, in, method.copy().put("methodResponses", responses));
        return new RestAccess.Change(c.changes(), new JsonObject());
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  /** The method the call names ({@code resourceId}, {@code httpMethod}); else NotFoundException. */
  static JsonObject find(Owner api, JsonObject in) {
    JsonObject resource = Resources.find(api, in);
    String httpMethod = RestInputs.string(in, "httpMethod");
    JsonObject method = httpMethod == null ? null : resource.getJsonObject("resourceMethods", new JsonObject()).getJsonObject(httpMethod);
    if (method == null) throw ApiGatewayErrors.notFound("Invalid Method identifier specified");
    return method;
  }

  /** Stores {@code method} as the call's resource's method; answers it. */
  static RestAccess.Change save(Owner api, JsonObject in, JsonObject method) {
    JsonObject resource = Resources.find(api, in).copy();
    JsonObject methods = resource.getJsonObject("resourceMethods", new JsonObject()).copy();
    methods.put(method.getString("httpMethod"), method);
    resource.put("resourceMethods", methods);
    return new RestAccess.Change(new Changes().putChild(api.key(), RESOURCE, resource.getString("id"), resource), method.copy());
  }

  /** Changes the call's method with {@code change}; answers {@code output} of the changed method. */
  static RestAccess.Change update(Owner api, JsonObject in, UnaryOperator<JsonObject> change, UnaryOperator<JsonObject> output) {
    JsonObject changed = change.apply(find(api, in).copy());
    RestAccess.Change c = save(api, in, changed);
    return new RestAccess.Change(c.changes(), output.apply(changed));
  }

  private RestAccess.Change put(Owner api, JsonObject in) {
    JsonObject resource = Resources.find(api, in);
    String httpMethod = RestInputs.required(in, "httpMethod");
    if (!HTTP_METHODS.contains(httpMethod)) {
      throw badRequest("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY");
    }
    if (resource.getJsonObject("resourceMethods", new JsonObject()).containsKey(httpMethod)) {
      throw conflict("Method already exists for this resource");
    }
    JsonObject method = new JsonObject().put("httpMethod", httpMethod)
        .put("authorizationType", RestInputs.required(in, "authorizationType"));
    String authorizerId = RestInputs.string(in, "authorizerId");
    if (authorizerId != null) method.put("authorizerId", authorizerId);
    method.put("apiKeyRequired", RestInputs.bool(in, "apiKeyRequired", false));
    String validator = RestInputs.string(in, "requestValidatorId");
    if (validator != null) method.put("requestValidatorId", validator);
    String operationName = RestInputs.string(in, "operationName");
    if (operationName != null) method.put("operationName", operationName);
    JsonObject parameters = RestInputs.boolMap(in, "requestParameters");
    if (parameters != null && !parameters.isEmpty()) method.put("requestParameters", parameters);
    JsonObject models = RestInputs.stringMap(in, "requestModels");
    if (models != null && !models.isEmpty()) method.put("requestModels", models);
    var scopes = RestInputs.stringList(in, "authorizationScopes");
    if (scopes != null && !scopes.isEmpty()) method.put("authorizationScopes", scopes);
    check(api, method);
    return save(api, in, method);
  }

  private static void check(Owner api, JsonObject method) {
    String type = method.getString("authorizationType");
    if (!AUTHORIZATION_TYPES.contains(type)) {
      throw badRequest("Invalid authorization type specified. Valid options are " + String.join(",", AUTHORIZATION_TYPES));
    }
    String authorizerId = method.getString("authorizerId");
    if (type.equals("CUSTOM") || type.equals("COGNITO_USER_POOLS")) {
      JsonObject authorizer = authorizerId == null ? null : api.child(AUTHORIZER, authorizerId);
      if (authorizer == null) {
        throw badRequest("Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS "
            + "requires a valid authorizer.");
      }
      boolean cognito = authorizer.getString("type").equals("COGNITO_USER_POOLS");
      if (cognito != type.equals("COGNITO_USER_POOLS")) {
        throw badRequest("Authorizer type " + authorizer.getString("type") + " does not match the authorization type " + type);
      }
    } else if (authorizerId != null && api.child(AUTHORIZER, authorizerId) == null) {
      throw badRequest("Invalid authorizer ID specified");
    }
    String validator = method.getString("requestValidatorId");
    if (validator != null && api.child(VALIDATOR, validator) == null) {
      throw badRequest("Invalid Request Validator identifier specified");
    }
    for (String name : method.getJsonObject("requestParameters", new JsonObject()).fieldNames()) {
      if (!METHOD_REQUEST.matcher(name).matches()) {
        throw badRequest("Invalid method parameter specified: " + name);
      }
    }
    checkModels(api, method.getJsonObject("requestModels"));
  }

  static void checkModels(Owner api, JsonObject models) {
    if (models == null) return;
    for (Map.Entry<String, Object> e : models) {
      if (api.child(MODEL, (String) e.getValue()) == null) throw badRequest("Invalid model identifier specified: " + e.getValue());
    }
  }

  private static String status(JsonObject in) {
    String status = RestInputs.required(in, "statusCode");
    if (!STATUS.matcher(status).matches()) throw badRequest("Invalid response status code specified");
    return status;
  }

  private static JsonObject findResponse(JsonObject method, JsonObject in) {
    String status = RestInputs.string(in, "statusCode");
    JsonObject response = status == null ? null : method.getJsonObject("methodResponses", new JsonObject()).getJsonObject(status);
    if (response == null) throw ApiGatewayErrors.notFound("Invalid Response status code specified");
    return response;
  }

  private static void checkResponse(Owner api, JsonObject response) {
    for (String name : response.getJsonObject("responseParameters", new JsonObject()).fieldNames()) {
      if (!METHOD_RESPONSE.matcher(name).matches()) throw badRequest("Invalid response parameter specified: " + name);
    }
    checkModels(api, response.getJsonObject("responseModels"));
  }

  private static RestAccess.Change saveResponse(Owner api, JsonObject in, JsonObject method, String status, JsonObject response) {
    JsonObject responses = method.getJsonObject("methodResponses", new JsonObject()).copy().put(status, response);
    RestAccess.Change c = save(api, in, method.copy().put("methodResponses", responses));
    return new RestAccess.Change(c.changes(), response.copy());
  }
}
