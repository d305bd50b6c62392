package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.api.HttpApiAccess.INTEGRATION;
import static io.eventplane.apigateway.api.HttpApiAccess.ROUTE;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An HTTP API's integrations: AWS_PROXY to a Lambda function (payload format 1.0 or 2.0, which
 * must be given), AWS_PROXY with an {@link IntegrationSubtypes integration subtype} (a call of
 * SQS, Kinesis, EventBridge or Step Functions from the request parameters; format 1.0), and
 * HTTP_PROXY to a URL (format 1.0). Create, Get, GetIntegrations, Update and Delete.
 */
public final class Integrations {
  /** Integrations per HTTP API (AWS's quota). */
  static final int MAX_INTEGRATIONS = 300;
  static final List<String> TYPES = List.of("AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK");
  private static final Pattern LAMBDA_ARN = Pattern.compile(
      "arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?");
  private static final Pattern INVOKE_URI = Pattern.compile(
      "arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/(arn:[^/]+)/invocations");
  private static final List<String> MEMBERS = List.of("ConnectionId", "ConnectionType", "CredentialsArn", "Description",
      "IntegrationMethod", "IntegrationSubtype", "IntegrationType", "IntegrationUri", "PassthroughBehavior",
      "PayloadFormatVersion", "RequestParameters", "RequestTemplates", "ResponseParameters", "TemplateSelectionExpression",
      "TimeoutInMillis", "TlsConfig");

  private final HttpApiAccess access;

  Integrations(HttpApiAccess access) {
    this.access = access;
  }

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateIntegration" -> access.change(request, api -> {
        if (api.children(INTEGRATION).size() >= MAX_INTEGRATIONS) {
          throw ApiGatewayErrors.limitExceeded("Maximum number of integrations (" + MAX_INTEGRATIONS + ") for this API reached");
        }
        String id = access.ids.childId();
        JsonObject integration = check(merge(new JsonObject(), in).put("IntegrationId", id), true);
        return new HttpApiAccess.Change(new Changes().putChild(api.key(), INTEGRATION, id, integration), integration, true);
      });
      case "GetIntegration" -> Future.succeededFuture(find(access.find(request), request).copy());
      case "GetIntegrations" -> Future.succeededFuture(Paging.page(in,
          List.copyOf(access.find(request).children(INTEGRATION).values()), "IntegrationId"));
      case "UpdateIntegration" -> access.change(request, api -> {
        JsonObject old = find(api, request);
        JsonObject integration = check(merge(old.copy(), in), false);
        return new HttpApiAccess.Change(new Changes().putChild(api.key(), INTEGRATION, old.getString("IntegrationId"),
            integration), integration, true);
      });
      case "DeleteIntegration" -> access.change(request, api -> {
        JsonObject old = find(api, request);
        String target = "integrations/" + old.getString("IntegrationId");
        for (JsonObject route : api.children(ROUTE).values()) {
          if (target.equals(route.getString("Target"))) {
            throw ApiGatewayErrors.conflict("Cannot delete integration " + old.getString("IntegrationId")
                + " because it is still referenced by route " + route.getString("RouteId"));
          }
        }
        return new HttpApiAccess.Change(new Changes().deleteChild(api.key(), INTEGRATION, old.getString("IntegrationId")),
            new JsonObject(), true);
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private JsonObject find(Owner api, ApiRequest request) {
    String id = Inputs.string(request.input(), "IntegrationId");
    JsonObject integration = id == null ? null : api.child(INTEGRATION, id);
    if (integration == null) {
      throw ApiGatewayErrors.childNotFound("Integration", request.context().accountId(), id);
    }
    return integration;
  }

  /** The input's integration members over {@code base}, type-checked. */
  private static JsonObject merge(JsonObject base, JsonObject in) {
    for (String m : MEMBERS) {
      if (!in.containsKey(m)) continue;
      switch (m) {
        case "TimeoutInMillis" -> base.put(m, Inputs.integer(in, m));
        case "RequestParameters", "RequestTemplates" -> base.put(m, Inputs.stringMap(in, m));
        case "ResponseParameters", "TlsConfig" -> base.put(m, Inputs.object(in, m));
        default -> base.put(m, Inputs.string(in, m));
      }
    }
    return base;
  }

  /** Checks an integration as it would be and fills AWS's defaults. */
  static JsonObject check(JsonObject i, boolean create) {
    String type = i.getString("IntegrationType");
    if (type == null) throw badRequest("Invalid input: 'integrationType' is a required parameter");
    Inputs.oneOf(type, "IntegrationType", TYPES);
    if (!type.equals("AWS_PROXY") && !type.equals("HTTP_PROXY")) {
      throw badRequest("Integration type " + type + " is not supported for HTTP APIs. Supported types: [AWS_PROXY, HTTP_PROXY]");
    }
    String subtype = i.getString("IntegrationSubtype");
    String uri = i.getString("IntegrationUri");
    String format = i.getString("PayloadFormatVersion");
    if (format != null && !format.equals("1.0") && !format.equals("2.0")) {
      throw badRequest("Invalid payload format version specified: " + format + ". Supported values are 1.0 and 2.0");
    }
    if (type.equals("AWS_PROXY") && subtype != null) {
      if (uri != null) throw badRequest("IntegrationUri is not supported for integrations with an integration subtype");
      if (format != null && !format.equals("1.0")) {
        throw badRequest("Payload format version " + format + " is not supported for AWS service integrations: only 1.0");
      }
      IntegrationSubtypes.check(subtype, i.getJsonObject("RequestParameters"));
      if (i.getString("CredentialsArn") == null) {
        throw badRequest("CredentialsArn is required for integrations with an integration subtype");
      }
      i.put("PayloadFormatVersion", "1.0");
    } else if (type.equals("AWS_PROXY")) {
      if (uri == null) throw badRequest("IntegrationUri is required for AWS_PROXY integrations without an integration subtype");
      if (!LAMBDA_ARN.matcher(uri).matches() && !INVOKE_URI.matcher(uri).matches()) {
        throw badRequest("Invalid integration URI specified: " + uri + ". Must be the ARN of a Lambda function");
      }
      if (format == null) throw badRequest("PayloadFormatVersion is required for Lambda proxy integrations of HTTP APIs");
      i.put("IntegrationMethod", "POST");
    } else {
      if (subtype != null) throw badRequest("IntegrationSubtype is only supported for AWS_PROXY integrations");
      if (uri == null) throw badRequest("IntegrationUri is required for HTTP_PROXY integrations");
      checkUrl(uri, i.getString("ConnectionType"));
      if (format != null && !format.equals("1.0")) {
        throw badRequest("Payload format version " + format + " is not supported for HTTP_PROXY integrations: only 1.0");
      }
      i.put("PayloadFormatVersion", "1.0");
      String method = i.getString("IntegrationMethod");
      if (method == null) throw badRequest("IntegrationMethod is required for HTTP_PROXY integrations");
      if (!RouteKeys.METHODS.contains(method)) throw badRequest("Invalid HTTP method specified: " + method);
    }
    String connection = i.getString("ConnectionType", "INTERNET");
    Inputs.oneOf(connection, "ConnectionType", List.of("INTERNET", "VPC_LINK"));
    if (connection.equals("VPC_LINK") && i.getString("ConnectionId") == null) {
      throw badRequest("ConnectionId is required for VPC_LINK integrations");
    }
    i.put("ConnectionType", connection);
    int timeout = i.getInteger("TimeoutInMillis", 30000);
    if (timeout < 50 || timeout > 30000) {
      throw badRequest("Invalid timeout specified: timeoutInMillis must be between 50 and 30000 for HTTP APIs");
    }
    i.put("TimeoutInMillis", timeout);
    if (i.getString("PassthroughBehavior") != null || i.getValue("RequestTemplates") != null
        || i.getString("TemplateSelectionExpression") != null) {
      throw badRequest("Request templates and passthrough behavior are not supported for HTTP APIs");
    }
    checkResponseParameters(i.getJsonObject("ResponseParameters"));
    return i;
  }

  private static void checkUrl(String uri, String connection) {
    if ("VPC_LINK".equals(connection)) return;
    try {
      // Path parameters ({proxy}) and stage variables (${stageVariables.host}) are filled per request.
      URI u = new URI(uri.replaceAll("\\$?\\{[^}]*}", "x"));
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw badRequest("Invalid integration URI specified: " + uri + ". Must be an HTTP or HTTPS URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw badRequest("Invalid integration URI specified: " + uri);
    }
  }

  /** ResponseParameters: by status code (200-599), a map of strings. */
  private static void checkResponseParameters(JsonObject p) {
    if (p == null) return;
    for (String status : p.fieldNames()) {
      int code;
      try {
        code = Integer.parseInt(status);
      } catch (NumberFormatException e) {
        code = -1;
      }
      if (code < 200 || code > 599) throw badRequest("Invalid response status code specified in responseParameters: " + status);
      if (!(p.getValue(status) instanceof JsonObject m) || m.stream().anyMatch(e -> !(e.getValue() instanceof String))) {
        throw badRequest("Invalid responseParameters for status code " + status + ": expected a map of strings");
      }
    }
  }

  /** The integration quick create makes for a target: a Lambda function (format 2.0) or a URL (HTTP_PROXY, ANY). */
  static JsonObject quickCreate(String target, String credentials, String id) {
    JsonObject i = new JsonObject().put("ApiGatewayManaged", true).put("IntegrationId", id);
    if (credentials != null) i.put("CredentialsArn", credentials);
    if (target.startsWith("arn:")) {
      i.put("IntegrationType", "AWS_PROXY").put("IntegrationUri", target).put("PayloadFormatVersion", "2.0");
    } else {
      i.put("IntegrationType", "HTTP_PROXY").put("IntegrationUri", target).put("IntegrationMethod", "ANY");
    }
    return check(i, true);
  }
}
