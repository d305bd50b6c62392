package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A method's integration and its integration responses: PutIntegration, GetIntegration,
 * UpdateIntegration, DeleteIntegration, PutIntegrationResponse, GetIntegrationResponse,
 * UpdateIntegrationResponse and DeleteIntegrationResponse. The integration lives in its method's
 * {@code methodIntegration}, its responses in its {@code integrationResponses} by status code. An AWS
 * or AWS_PROXY integration's URI is an API Gateway service ARN
 * ({@code arn:aws:apigateway:<region>:kinesis:action/PutRecord},
 * {@code arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations},
 * {@code arn:aws:apigateway:<region>:sqs:path/<account>/<queue>}); an HTTP one's an http(s) URL.
 * Used only on the lane's context.
 */
final class RestIntegrations {
  /** In the order of AWS's validation message. */
  static final List<String> TYPES = List.of("HTTP", "MOCK", "AWS_PROXY", "HTTP_PROXY", "AWS");
  static final int MIN_TIMEOUT = 50;
  static final int MAX_TIMEOUT = 29_000;
  private static final List<String> PASSTHROUGH = List.of("WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER");
  private static final List<String> CONTENT_HANDLING = List.of("CONVERT_TO_BINARY", "CONVERT_TO_TEXT");
  private static final Pattern SERVICE_ARN = Pattern.compile("arn:aws[a-z-]*:apigateway:[a-z0-9-]+:[a-zA-Z0-9.-]+:(path|action)/.+");
  private static final Pattern LAMBDA_ARN = Pattern.compile(
      "arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[^/]+/invocations");
  private static final Pattern INTEGRATION_REQUEST = Pattern.compile("integration\\.request\\.(header|querystring|path|multivaluequerystring|multivalueheader)\\.[^\\s]+");
  private static final Pattern STATUS = Pattern.compile("[1-5]\\d\\d");

  private final RestAccess access;
  private final Patches integrationPatches;
  private final Patches responsePatches;

  RestIntegrations(RestAccess access) {
    this.access = access;
    this.integrationPatches = new Patches()
        .scalar("uri", Patches.Kind.STRING, false)
        .scalar("httpMethod", Patches.Kind.STRING, false)
        .scalar("credentials", Patches.Kind.STRING, true)
        .scalar("passthroughBehavior", Patches.Kind.STRING, false)
        .scalar("contentHandling", Patches.Kind.STRING, true)
        .scalar("timeoutInMillis", Patches.Kind.INT, false)
        .scalar("cacheNamespace", Patches.Kind.STRING, false)
        .scalar("connectionType", Patches.Kind.STRING, false)
        .scalar("connectionId", Patches.Kind.STRING, true)
        .map("requestParameters", Patches.Kind.STRING)
        .map("requestTemplates", Patches.Kind.STRING)
        .set("cacheKeyParameters");
    this.responsePatches = new Patches()
        .scalar("selectionPattern", Patches.Kind.STRING, true)
        .scalar("contentHandling", Patches.Kind.STRING, true)
        .map("responseParameters", Patches.Kind.STRING)
        .map("responseTemplates", Patches.Kind.STRING);
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "PutIntegration" -> access.change(request, api -> {
        JsonObject method = Methods.find(api, in);
        JsonObject integration = put(in);
        JsonObject old = method.getJsonObject("methodIntegration");
        if (old != null && old.containsKey("integrationResponses")) {
          integration.put("integrationResponses", old.getJsonObject("integrationResponses"));
        }
        return Methods.update(api, in, m -> m.put("methodIntegration", integration), m -> integration.copy());
      });
      case "GetIntegration" -> Future.succeededFuture(find(access.find(request), in).copy());
      case "UpdateIntegration" -> access.change(request, api -> {
        JsonObject updated = integrationPatches.apply(find(api, in), in);
        check(updated);
        return Methods.update(api, in, m -> m.put("methodIntegration", updated), m -> updated.copy());
      });
      case "DeleteIntegration" -> access.change(request, api -> {
        find(api, in);
        return Methods.update(api, in, m -> {
          m.remove("methodIntegration");
          return m;
        }, m -> new JsonObject());
      });
      case "PutIntegrationResponse" -> access.change(request, api -> {
        JsonObject integration = find(api, in);
        String status = RestInputs.required(in, "statusCode");
        if (!STATUS.matcher(status).matches()) throw badRequest("Invalid response status code specified");
        if (!Methods.find(api, in).getJsonObject("methodResponses", new JsonObject()).containsKey(status)) {
          throw ApiGatewayErrors.notFound("Invalid Response status code specified");
        }
        JsonObject response = new JsonObject().put("statusCode", status);
        String pattern = RestInputs.string(in, "selectionPattern");
        if (pattern != null) response.put("selectionPattern", pattern);
        JsonObject parameters = RestInputs.stringMap(in, "responseParameters");
        if (parameters != null && !parameters.isEmpty()) response.put("responseParameters", parameters);
        JsonObject templates = RestInputs.stringMap(in, "responseTemplates");
        if (templates != null && !templates.isEmpty()) response.put("responseTemplates", templates);
        String handling = RestInputs.oneOf(RestInputs.string(in, "contentHandling"), "contentHandling", CONTENT_HANDLING);
        if (handling != null) response.put("contentHandling", handling);
        checkResponse(response);
        return saveResponse(api, in, integration, response);
      });
      case "GetIntegrationResponse" -> Future.succeededFuture(findResponse(find(access.find(request), in), in).copy());
      case "UpdateIntegrationResponse" -> access.change(request, api -> {
        JsonObject integration = find(api, in);
        JsonObject updated = responsePatches.apply(findResponse(integration, in), in);
        checkResponse(updated);
        return saveResponse(api, in, integration, updated);
      });
      case "DeleteIntegrationResponse" -> access.change(request, api -> {
        JsonObject integration = findForResponse(api, in);
        findResponse(integration, in);
        JsonObject responses = integration.getJsonObject("integrationResponses").copy();
        responses.remove(in.getString("statusCode"));
        JsonObject changed = integration.copy().put("integrationResponses", responses);
        return Methods.update(api, in, m -> m.put("methodIntegration", changed), m -> new JsonObject());
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  /** The integration of the call's method; else NotFoundException. */
  static JsonObject find(Owner api, JsonObject in) {
    JsonObject integration = Methods.find(api, in).getJsonObject("methodIntegration");
    if (integration == null) throw ApiGatewayErrors.notFound("Invalid Integration identifier specified");
    return integration;
  }

  /** The integration of the call's method for DeleteIntegrationResponse: a method that is not there has no integration either. */
  static JsonObject findForResponse(Owner api, JsonObject in) {
    String httpMethod = RestInputs.string(in, "httpMethod");
    JsonObject method = httpMethod == null ? null
        : Resources.find(api, in).getJsonObject("resourceMethods", new JsonObject()).getJsonObject(httpMethod);
    JsonObject integration = method == null ? null : method.getJsonObject("methodIntegration");
    if (integration == null) throw ApiGatewayErrors.notFound("Invalid Integration identifier specified");
    return integration;
  }

  private JsonObject put(JsonObject in) {
    JsonObject integration = new JsonObject().put("type", RestInputs.required(in, "type"));
    String httpMethod = RestInputs.string(in, "integrationHttpMethod");
    if (httpMethod != null) integration.put("httpMethod", httpMethod);
    String uri = RestInputs.string(in, "uri");
    if (uri != null) integration.put("uri", uri);
    String connectionType = RestInputs.string(in, "connectionType");
    if (connectionType != null || !"MOCK".equals(integration.getString("type"))) {
      integration.put("connectionType", connectionType == null ? "INTERNET" : connectionType);
    }
    String connectionId = RestInputs.string(in, "connectionId");
    if (connectionId != null) integration.put("connectionId", connectionId);
    String credentials = RestInputs.string(in, "credentials");
    if (credentials != null) integration.put("credentials", credentials);
    JsonObject parameters = RestInputs.stringMap(in, "requestParameters");
    if (parameters != null && !parameters.isEmpty()) integration.put("requestParameters", parameters);
    JsonObject templates = RestInputs.stringMap(in, "requestTemplates");
    if (templates != null && !templates.isEmpty()) integration.put("requestTemplates", templates);
    String passthrough = RestInputs.string(in, "passthroughBehavior");
    integration.put("passthroughBehavior", passthrough == null ? "WHEN_NO_MATCH" : passthrough);
    String handling = RestInputs.string(in, "contentHandling");
    if (handling != null) integration.put("contentHandling", handling);
    Integer timeout = RestInputs.integer(in, "timeoutInMillis");
    integration.put("timeoutInMillis", timeout == null ? MAX_TIMEOUT : timeout);
    String namespace = RestInputs.string(in, "cacheNamespace");
    integration.put("cacheNamespace", namespace == null ? RestInputs.string(in, "resourceId") : namespace);
    JsonArray cacheKeys = RestInputs.stringList(in, "cacheKeyParameters");
    integration.put("cacheKeyParameters", cacheKeys == null ? new JsonArray() : cacheKeys);
    JsonObject tls = RestInputs.object(in, "tlsConfig");
    if (tls != null) integration.put("tlsConfig", tls.copy());
    check(integration);
    return integration;
  }

  static void check(JsonObject integration) {
    String type = integration.getString("type");
    RestInputs.enumValue(type, "putIntegrationInput.type", TYPES);
    RestInputs.oneOf(integration.getString("passthroughBehavior"), "passthroughBehavior", PASSTHROUGH);
    RestInputs.oneOf(integration.getString("contentHandling"), "contentHandling", CONTENT_HANDLING);
    RestInputs.oneOf(integration.getString("connectionType"), "connectionType", List.of("INTERNET", "VPC_LINK"));
    int timeout = integration.getInteger("timeoutInMillis");
    if (timeout < MIN_TIMEOUT || timeout > MAX_TIMEOUT) {
      throw badRequest("Timeout should be between " + MIN_TIMEOUT + " ms and " + MAX_TIMEOUT + " ms");
    }
    if (!type.equals("MOCK")) {
      String httpMethod = integration.getString("httpMethod");
      if (httpMethod == null || httpMethod.isEmpty()) throw badRequest("Enumeration value for HttpMethod must be non-empty");
      if (!Methods.HTTP_METHODS.contains(httpMethod)) {
        throw badRequest("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY");
      }
      String uri = integration.getString("uri");
      if (uri == null || uri.isEmpty()) throw badRequest("Invalid integration URI specified");
      if (type.startsWith("AWS")) {
        if (!SERVICE_ARN.matcher(uri).matches()) throw badRequest("AWS ARN for integration must contain path or action");
        if (type.equals("AWS_PROXY") && !LAMBDA_ARN.matcher(uri).matches()) {
          throw badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
        }
      } else if (!uri.startsWith("http://") && !uri.startsWith("https://")) {
        throw badRequest("Invalid HTTP endpoint specified for URI");
      }
    }
    for (String name : integration.getJsonObject("requestParameters", new JsonObject()).fieldNames()) {
      if (!INTEGRATION_REQUEST.matcher(name).matches()) {
        throw badRequest("Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping "
            + "expression specified: " + name + "]");
      }
    }
  }

  private static void checkResponse(JsonObject response) {
    for (String name : response.getJsonObject("responseParameters", new JsonObject()).fieldNames()) {
      if (!name.startsWith("method.response.header.")) {
        throw badRequest("Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping "
            + "expression specified: " + name + "]");
      }
    }
    RestInputs.oneOf(response.getString("contentHandling"), "contentHandling", CONTENT_HANDLING);
  }

  private static JsonObject findResponse(JsonObject integration, JsonObject in) {
    String status = RestInputs.string(in, "statusCode");
    JsonObject response = status == null ? null
        : integration.getJsonObject("integrationResponses", new JsonObject()).getJsonObject(status);
    if (response == null) throw ApiGatewayErrors.notFound("Invalid Response status code specified");
    return response;
  }

  private static RestAccess.Change saveResponse(Owner api, JsonObject in, JsonObject integration, JsonObject response) {
    JsonObject responses = integration.getJsonObject("integrationResponses", new JsonObject()).copy()
        .put(response.getString("statusCode"), response);
    JsonObject changed = integration.copy().put("integrationResponses", responses);
    return Methods.update(api, in, m -> m.put("methodIntegration", changed), m -> response.copy());
  }
}
