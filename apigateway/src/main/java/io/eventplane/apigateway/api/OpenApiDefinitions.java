package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.ApiIds;
import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP API as an OpenAPI definition (3.0, or 2.0; JSON or YAML) describes it, for ImportApi and
 * ReimportApi: {@code info} gives the name, description and version, each operation of
 * {@code paths} a route ({@code x-amazon-apigateway-any-method} is ANY, {@code /$default} with it the
 * {@code $default} route) with the integration of its {@code x-amazon-apigateway-integration}, its
 * {@code security} the route's authorizer (a security scheme with
 * {@code x-amazon-apigateway-authorizer}, JWT or REQUEST) or AWS_IAM
 * ({@code x-amazon-apigateway-authtype: awsSigv4}), and {@code x-amazon-apigateway-cors} the API's CORS.
 * Everything is checked as the Create* calls check it.
 */
final class OpenApiDefinitions {
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch");
  private static final String ANY = "x-amazon-apigateway-any-method";

  /** What a definition holds, in the v2 output shapes (ids given). */
  record Imported(JsonObject api, List<JsonObject> routes, List<JsonObject> integrations, List<JsonObject> authorizers,
      List<String> warnings) {}

  private OpenApiDefinitions() {}

  /** The definition's text as one object (JSON or YAML); heavy for a large one: read it off the event loop. */
  static JsonObject read(String body) {
    return document(body);
  }

  static Imported parse(JsonObject doc, ApiIds ids) {
    if (!doc.containsKey("openapi") && !doc.containsKey("swagger")) {
      throw badRequest("Unable to parse the definition: it has no 'openapi' (3.0) or 'swagger' (2.0) version");
    }
    JsonObject info = object(doc, "info");
    JsonObject api = new JsonObject();
    String title = info.getString("title");
    if (title == null || title.isBlank()) throw badRequest("The definition's info.title is required: it names the API");
    api.put("Name", HttpApis.checkName(title));
    if (info.getString("description") != null) api.put("Description", HttpApis.checkDescription(info.getString("description")));
    if (info.getValue("version") != null) api.put("Version", String.valueOf(info.getValue("version")));
    JsonObject cors = doc.getJsonObject("x-amazon-apigateway-cors");
    if (cors != null) api.put("CorsConfiguration", Cors.check(members(cors)));

    List<String> warnings = new ArrayList<>();
    List<JsonObject> routes = new ArrayList<>();
    List<JsonObject> integrations = new ArrayList<>();
    Map<String, JsonObject> authorizers = new LinkedHashMap<>();
    JsonObject schemes = doc.getJsonObject("components", new JsonObject()).getJsonObject("securitySchemes",
        doc.getJsonObject("securityDefinitions", new JsonObject()));
    JsonArray defaultSecurity = doc.getJsonArray("security");
    JsonObject paths = object(doc, "paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String m : item.fieldNames()) {
        String method = m.equals(ANY) ? "ANY" : METHODS.contains(m) ? m.toUpperCase(Locale.ROOT) : null;
        if (method == null) continue;
        String key = path.equals("/$default") && method.equals("ANY") ? "$default" : RouteKeys.check(method + " " + path);
        JsonObject operation = item.getJsonObject(m);
        JsonObject route = new JsonObject().put("ApiKeyRequired", false).put("AuthorizationType", "NONE")
            .put("RouteId", ids.childId()).put("RouteKey", key);
        if (operation.getString("operationId") != null) route.put("OperationName", operation.getString("operationId"));
        JsonObject x = operation.getJsonObject("x-amazon-apigateway-integration");
        if (x != null) {
          JsonObject integration = Integrations.check(integration(x).put("IntegrationId", ids.childId()), true);
          integrations.add(integration);
          route.put("Target", "integrations/" + integration.getString("IntegrationId"));
        } else {
          warnings.add("No integration defined for method " + key);
        }
        JsonArray security = operation.getJsonArray("security", defaultSecurity);
        if (security != null && !security.isEmpty()) secure(route, security.getJsonObject(0), schemes, authorizers, ids);
        routes.add(route);
      }
    }
    if (routes.size() > Routes.MAX_ROUTES) {
      throw ApiGatewayErrors.limitExceeded("Maximum number of routes (" + Routes.MAX_ROUTES + ") for this API reached");
    }
    return new Imported(api, routes, integrations, List.copyOf(authorizers.values()), warnings);
  }

  /** The definition's JSON or YAML as one object. */
  private static JsonObject document(String body) {
    if (body == null || body.isBlank()) throw badRequest("Invalid input: 'body' is a required parameter");
    return OpenApiDocuments.read(body, "Unable to parse the definition", true);
  }

  private static JsonObject object(JsonObject o, String member) {
    Object v = o.getValue(member);
    if (!(v instanceof JsonObject j)) throw badRequest("Unable to parse the definition: '" + member + "' must be an object");
    return j;
  }

  /** An extension's lower-camel-case members as the API reference names them. */
  private static JsonObject members(JsonObject extension) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : extension) {
      String k = e.getKey();
      out.put(Character.toUpperCase(k.charAt(0)) + k.substring(1), e.getValue());
    }
    return out;
  }

  private static JsonObject integration(JsonObject x) {
    JsonObject i = new JsonObject();
    String type = x.getString("type");
    if (type == null) throw badRequest("x-amazon-apigateway-integration requires a type");
    i.put("IntegrationType", type.toUpperCase(Locale.ROOT));
    copy(x, "uri", i, "IntegrationUri");
    copy(x, "integrationSubtype", i, "IntegrationSubtype");
    copy(x, "httpMethod", i, "IntegrationMethod");
    copy(x, "payloadFormatVersion", i, "PayloadFormatVersion");
    copy(x, "connectionType", i, "ConnectionType");
    copy(x, "connectionId", i, "ConnectionId");
    copy(x, "credentials", i, "CredentialsArn");
    copy(x, "description", i, "Description");
    if (x.getValue("timeoutInMillis") != null) i.put("TimeoutInMillis", Inputs.integer(x, "timeoutInMillis"));
    if (x.getValue("requestParameters") != null) i.put("RequestParameters", Inputs.stringMap(x, "requestParameters"));
    if (x.getValue("responseParameters") != null) i.put("ResponseParameters", Inputs.object(x, "responseParameters"));
    if (x.getJsonObject("tlsConfig") != null) i.put("TlsConfig", members(x.getJsonObject("tlsConfig")));
    if (i.getValue("PayloadFormatVersion") != null) i.put("PayloadFormatVersion", String.valueOf(i.getValue("PayloadFormatVersion")));
    return i;
  }

  private static void copy(JsonObject from, String name, JsonObject to, String member) {
    Object v = from.getValue(name);
    if (v != null) to.put(member, String.valueOf(v));
  }

  /** The route's authorization from its first security requirement. */
  private static void secure(JsonObject route, JsonObject requirement, JsonObject schemes, Map<String, JsonObject> authorizers,
      ApiIds ids) {
    if (requirement.isEmpty()) return;
    String name = requirement.fieldNames().iterator().next();
    JsonObject scheme = schemes.getJsonObject(name);
    if (scheme == null) throw badRequest("Security scheme " + name + " is not defined in the definition");
    if ("awsSigv4".equals(scheme.getString("x-amazon-apigateway-authtype"))
        && scheme.getJsonObject("x-amazon-apigateway-authorizer") == null) {
      route.put("AuthorizationType", "AWS_IAM");
      return;
    }
    JsonObject x = scheme.getJsonObject("x-amazon-apigateway-authorizer");
    if (x == null) throw badRequest("Security scheme " + name + " has no x-amazon-apigateway-authorizer");
    JsonObject authorizer = authorizers.computeIfAbsent(name, n -> Authorizers.check(authorizer(n, x).put("AuthorizerId",
        ids.childId())));
    boolean jwt = authorizer.getString("AuthorizerType").equals("JWT");
    route.put("AuthorizationType", jwt ? "JWT" : "CUSTOM").put("AuthorizerId", authorizer.getString("AuthorizerId"));
    JsonArray scopes = requirement.getJsonArray(name);
    if (jwt && scopes != null && !scopes.isEmpty()) route.put("AuthorizationScopes", scopes.copy());
  }

  private static JsonObject authorizer(String name, JsonObject x) {
    JsonObject a = new JsonObject().put("Name", name);
    String type = x.getString("type");
    if (type == null) throw badRequest("x-amazon-apigateway-authorizer requires a type");
    a.put("AuthorizerType", type.toUpperCase(Locale.ROOT));
    Object sources = x.getValue("identitySource");
    if (sources instanceof String s) {
      JsonArray list = new JsonArray();
      for (String part : s.split(",")) if (!part.isBlank()) list.add(part.strip());
      a.put("IdentitySource", list);
    } else if (sources instanceof JsonArray list) {
      a.put("IdentitySource", list.copy());
    }
    JsonObject jwt = x.getJsonObject("jwtConfiguration");
    if (jwt != null) {
      JsonObject c = new JsonObject();
      if (jwt.getValue("issuer") != null) c.put("Issuer", String.valueOf(jwt.getValue("issuer")));
      Object audience = jwt.getValue("audience");
      if (audience instanceof JsonArray list) c.put("Audience", list.copy());
      else if (audience != null) c.put("Audience", new JsonArray().add(String.valueOf(audience)));
      a.put("JwtConfiguration", c);
    }
    copy(x, "authorizerUri", a, "AuthorizerUri");
    copy(x, "authorizerPayloadFormatVersion", a, "AuthorizerPayloadFormatVersion");
    copy(x, "authorizerCredentials", a, "AuthorizerCredentialsArn");
    if (x.getValue("enableSimpleResponses") instanceof Boolean b) a.put("EnableSimpleResponses", b);
    if (x.getValue("authorizerResultTtlInSeconds") != null) {
      a.put("AuthorizerResultTtlInSeconds", Inputs.integer(x, "authorizerResultTtlInSeconds"));
    }
    return a;
  }
}
