package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.api.HttpApiAccess.SNAPSHOT;
import static io.eventplane.apigateway.api.HttpApiAccess.STAGE;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ExportApi: an HTTP API as an OpenAPI 3.0 document (YAML or JSON), as the developer guide's
 * "Exporting an HTTP API" shows: each route an operation of its path ({@code $default} is
 * {@code /$default}'s {@code x-amazon-apigateway-any-method}), with its integration as
 * {@code x-amazon-apigateway-integration}, its authorizer as a security requirement whose scheme
 * carries {@code x-amazon-apigateway-authorizer} (AWS_IAM: {@code x-amazon-apigateway-authtype:
 * awsSigv4}), the API's CORS as {@code x-amazon-apigateway-cors}. {@code StageName} exports what
 * that stage serves, else the API as it is now; {@code IncludeExtensions=false} leaves the
 * extensions out. ImportApi and ReimportApi ({@link OpenApiDefinitions}) read it back into the same API.
 */
final class HttpApiExports {
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}+]+)\\+?}");

  private final HttpApiAccess access;

  HttpApiExports(HttpApiAccess access) {
    this.access = access;
  }

  /** The document, written (YAML or JSON) on a worker: a large API's is heavy for the lane's event loop. */
  io.vertx.core.Future<JsonObject> export(ApiRequest request) {
    JsonObject in = request.input();
    Owner owner = access.find(request);
    String specification = Inputs.string(in, "Specification");
    if (!"OAS30".equals(specification)) throw badRequest("Invalid specification: " + specification + ". Valid options are OAS30");
    String outputType = Inputs.string(in, "OutputType");
    if (outputType == null) throw badRequest("OutputType is a required parameter");
    if (!outputType.equals("YAML") && !outputType.equals("JSON")) {
      throw badRequest("Invalid outputType: " + outputType + ". Valid options are YAML,JSON");
    }
    String version = Inputs.string(in, "ExportVersion");
    if (version != null && !version.equals("1.0")) throw badRequest("Invalid exportVersion: " + version + ". Valid options are 1.0");
    boolean extensions = !"false".equals(String.valueOf(in.getValue("IncludeExtensions")));
    JsonObject definition = definition(owner, Inputs.string(in, "StageName"));
    JsonObject document = document(definition, extensions);
    boolean yaml = outputType.equals("YAML");
    return access.table.offLoop(() -> new JsonObject().put("Body", OpenApiDocuments.write(document, yaml))
        .put("ContentType", yaml ? "application/yaml" : "application/json"));
  }

  /** What the stage serves ({@code {Api, Routes, Integrations, Authorizers}}), or the API as it is. */
  private static JsonObject definition(Owner api, String stageName) {
    if (stageName == null) return HttpApiAccess.snapshot(api);
    JsonObject stage = api.child(STAGE, stageName);
    if (stage == null) throw ApiGatewayErrors.notFound("Invalid stage identifier specified");
    if (stage.getBoolean("AutoDeploy", false)) return HttpApiAccess.snapshot(api);
    String deployment = stage.getString("DeploymentId");
    JsonObject snapshot = deployment == null ? null : api.child(SNAPSHOT, deployment);
    if (snapshot == null) throw badRequest("Stage " + stageName + " has no deployment to export");
    return snapshot;
  }

  private static JsonObject document(JsonObject definition, boolean extensions) {
    JsonObject api = definition.getJsonObject("Api");
    JsonObject info = new JsonObject().put("title", api.getString("Name"));
    if (api.getString("Description") != null) info.put("description", api.getString("Description"));
    info.put("version", api.getString("Version", api.getString("CreatedDate", "")));
    JsonObject doc = new JsonObject().put("openapi", "3.0.1").put("info", info);
    Map<String, JsonObject> integrations = new TreeMap<>();
    for (Object i : definition.getJsonArray("Integrations")) integrations.put(((JsonObject) i).getString("IntegrationId"), (JsonObject) i);
    Map<String, JsonObject> authorizers = new TreeMap<>();
    for (Object a : definition.getJsonArray("Authorizers")) authorizers.put(((JsonObject) a).getString("AuthorizerId"), (JsonObject) a);
    JsonObject schemes = new JsonObject();
    TreeMap<String, JsonObject> paths = new TreeMap<>();
    List<JsonObject> routes = definition.getJsonArray("Routes").stream().map(r -> (JsonObject) r)
        .sorted(Comparator.comparing(r -> r.getString("RouteKey"))).toList();
    for (JsonObject route : routes) {
      String key = route.getString("RouteKey");
      String path;
      String method;
      if (key.equals("$default")) {
        path = "/$default";
        method = "ANY";
      } else {
        int space = key.indexOf(' ');
        method = key.substring(0, space);
        path = key.substring(space + 1);
      }
      JsonObject operation = new JsonObject();
      if (route.getString("OperationName") != null) operation.put("operationId", route.getString("OperationName"));
      JsonArray parameters = new JsonArray();
      Matcher m = PATH_PARAMETER.matcher(path);
      while (m.find()) {
        parameters.add(new JsonObject().put("name", m.group(1)).put("in", "path").put("required", true)
            .put("schema", new JsonObject().put("type", "string")));
      }
      if (!parameters.isEmpty()) operation.put("parameters", parameters);
      operation.put("responses", new JsonObject().put("default", new JsonObject().put("description",
          "Default response for " + key)));
      security(route, authorizers, schemes, operation, extensions);
      String target = route.getString("Target");
      JsonObject integration = target == null ? null : integrations.get(target.substring(target.indexOf('/') + 1));
      if (extensions && integration != null) operation.put("x-amazon-apigateway-integration", integration(integration));
      if (key.equals("$default")) operation.put("isDefaultRoute", true);
      String name = method.equals("ANY") ? "x-amazon-apigateway-any-method" : method.toLowerCase(Locale.ROOT);
      paths.computeIfAbsent(path, p -> new JsonObject()).put(name, operation);
    }
    doc.put("paths", new JsonObject(new java.util.LinkedHashMap<>(paths)));
    if (!schemes.isEmpty()) doc.put("components", new JsonObject().put("securitySchemes", schemes));
    JsonObject cors = api.getJsonObject("CorsConfiguration");
    if (extensions && cors != null && !cors.isEmpty()) {
      JsonObject x = new JsonObject();
      for (Map.Entry<String, Object> e : cors) {
        x.put(Character.toLowerCase(e.getKey().charAt(0)) + e.getKey().substring(1), e.getValue());
      }
      doc.put("x-amazon-apigateway-cors", x);
    }
    if (extensions) doc.put("x-amazon-apigateway-importexport-version", "1.0");
    return doc;
  }

  private static void security(JsonObject route, Map<String, JsonObject> authorizers, JsonObject schemes, JsonObject operation,
      boolean extensions) {
    String type = route.getString("AuthorizationType", "NONE");
    if (type.equals("AWS_IAM")) {
      operation.put("security", new JsonArray().add(new JsonObject().put("sigv4", new JsonArray())));
      schemes.put("sigv4", new JsonObject().put("type", "apiKey").put("name", "Authorization").put("in", "header")
          .put("x-amazon-apigateway-authtype", "awsSigv4"));
      return;
    }
    JsonObject authorizer = route.getString("AuthorizerId") == null ? null : authorizers.get(route.getString("AuthorizerId"));
    if (authorizer == null || type.equals("NONE")) return;
    String name = authorizer.getString("Name");
    JsonArray scopes = route.getJsonArray("AuthorizationScopes", new JsonArray()).copy();
    operation.put("security", new JsonArray().add(new JsonObject().put(name, scopes)));
    if (schemes.containsKey(name)) return;
    boolean jwt = authorizer.getString("AuthorizerType").equals("JWT");
    JsonObject scheme = jwt ? new JsonObject().put("type", "oauth2").put("flows", new JsonObject())
        : new JsonObject().put("type", "apiKey").put("name", "Unused").put("in", "header");
    if (extensions) {
      JsonObject x = new JsonObject().put("type", authorizer.getString("AuthorizerType").toLowerCase(Locale.ROOT));
      JsonArray sources = authorizer.getJsonArray("IdentitySource");
      if (sources != null && !sources.isEmpty()) x.put("identitySource", String.join(", ", sources.stream().map(String::valueOf).toList()));
      JsonObject config = authorizer.getJsonObject("JwtConfiguration");
      if (config != null) {
        JsonObject c = new JsonObject();
        if (config.getJsonArray("Audience") != null) c.put("audience", config.getJsonArray("Audience").copy());
        if (config.getString("Issuer") != null) c.put("issuer", config.getString("Issuer"));
        x.put("jwtConfiguration", c);
      }
      copy(authorizer, "AuthorizerUri", x, "authorizerUri");
      copy(authorizer, "AuthorizerPayloadFormatVersion", x, "authorizerPayloadFormatVersion");
      copy(authorizer, "AuthorizerCredentialsArn", x, "authorizerCredentials");
      copy(authorizer, "EnableSimpleResponses", x, "enableSimpleResponses");
      copy(authorizer, "AuthorizerResultTtlInSeconds", x, "authorizerResultTtlInSeconds");
      scheme.put("x-amazon-apigateway-authorizer", x);
    }
    schemes.put(name, scheme);
  }

  private static JsonObject integration(JsonObject i) {
    JsonObject x = new JsonObject();
    copy(i, "PayloadFormatVersion", x, "payloadFormatVersion");
    x.put("type", i.getString("IntegrationType").toLowerCase(Locale.ROOT));
    copy(i, "IntegrationSubtype", x, "integrationSubtype");
    copy(i, "IntegrationMethod", x, "httpMethod");
    copy(i, "IntegrationUri", x, "uri");
    copy(i, "CredentialsArn", x, "credentials");
    copy(i, "ConnectionType", x, "connectionType");
    copy(i, "ConnectionId", x, "connectionId");
    copy(i, "Description", x, "description");
    copy(i, "TimeoutInMillis", x, "timeoutInMillis");
    copy(i, "RequestParameters", x, "requestParameters");
    copy(i, "ResponseParameters", x, "responseParameters");
    JsonObject tls = i.getJsonObject("TlsConfig");
    if (tls != null && tls.getString("ServerNameToVerify") != null) {
      x.put("tlsConfig", new JsonObject().put("serverNameToVerify", tls.getString("ServerNameToVerify")));
    }
    return x;
  }

  private static void copy(JsonObject from, String member, JsonObject to, String name) {
    Object v = from.getValue(member);
    if (v instanceof JsonObject o) to.put(name, o.copy());
    else if (v instanceof JsonArray a) to.put(name, a.copy());
    else if (v != null) to.put(name, v);
  }
}
