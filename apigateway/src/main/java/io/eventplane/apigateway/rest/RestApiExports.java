package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.rest.RestAccess.SNAPSHOT;
import static io.eventplane.apigateway.rest.RestAccess.STAGE;

import io.eventplane.apigateway.api.OpenApiDocuments;
import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * GetExport: a stage's deployment as an OpenAPI 3.0 ({@code oas30}) or Swagger 2.0
 * ({@code swagger}) document, JSON or YAML by the {@code Accept} header, with API Gateway's
 * extensions as the {@code extensions} parameter asks ({@code integrations}, {@code authorizers},
 * {@code apigateway} for all of them), in the form the developer guide's exports show: resources as
 * paths, methods as operations (parameters, request bodies, responses with their headers and
 * models), models as schemas, authorizers, AWS_IAM and API keys as security schemes. What it exports,
 * ImportRestApi reads back into the same API. Used only on the lane's context.
 */
final class RestApiExports {
  private static final Set<String> TYPES = Set.of("oas30", "swagger");
  private static final String MODEL_URL = "https://apigateway.amazonaws.com/restapis/";

  private final RestAccess access;
  private final String hostSuffix;

  RestApiExports(RestAccess access, String hostSuffix) {
    this.access = access;
    this.hostSuffix = hostSuffix;
  }

  /** The document, written (YAML or JSON) on a worker: a large API's is heavy for the lane's event loop. */
  io.vertx.core.Future<JsonObject> export(ApiRequest request) {
    JsonObject in = request.input();
    Owner api = access.find(request);
    String type = RestInputs.string(in, "exportType");
    if (type == null || !TYPES.contains(type)) throw badRequest("No API exporter for type '" + type + "'");
    String stageName = RestInputs.string(in, "stageName");
    JsonObject stage = stageName == null ? null : api.child(STAGE, stageName);
    if (stage == null) throw ApiGatewayErrors.notFound("Invalid stage identifier specified");
    JsonObject snapshot = api.child(SNAPSHOT, stage.getString("deploymentId"));
    if (snapshot == null) throw ApiGatewayErrors.notFound("Invalid stage identifier specified");
    String accepts = in.getString("accepts", "application/json");
    boolean yaml = accepts.contains("yaml");
    if (!yaml && !accepts.contains("json") && !accepts.contains("*/*")) {
      throw badRequest("Unsupported Accept header: " + accepts + ". Supported types are application/json and application/yaml");
    }
    JsonObject parameters = in.getValue("parameters") instanceof JsonObject p ? p : new JsonObject();
    List<String> extensions = List.of(parameters.getString("extensions", "").toLowerCase(Locale.ROOT).split(","));
    boolean all = extensions.contains("apigateway");
    Writer writer = new Writer(snapshot, type.equals("swagger"), all || extensions.contains("integrations"),
        all || extensions.contains("authorizers"), all);
    JsonObject document = writer.document(api.record().getJsonObject("RestApi").getString("id"), stageName,
        api.record().getString("Region"), stage);
    String extension = yaml ? "yaml" : "json";
    return access.table.offLoop(() -> new JsonObject().put("body", OpenApiDocuments.write(document, yaml))
        .put("contentType", yaml ? "application/yaml" : "application/json")
        .put("contentDisposition", "attachment; filename=\"" + type + "_" + stageName + "." + extension + "\""));
  }

  /** One export: a deployment's snapshot as a document. */
  private final class Writer {
    private final JsonObject snapshot;
    private final boolean swagger;
    private final boolean integrations;
    private final boolean authorizers;
    private final boolean apigateway;
    private final JsonObject schemes = new JsonObject();

    Writer(JsonObject snapshot, boolean swagger, boolean integrations, boolean authorizers, boolean apigateway) {
      this.snapshot = snapshot;
      this.swagger = swagger;
      this.integrations = integrations;
      this.authorizers = authorizers;
      this.apigateway = apigateway;
    }

    JsonObject document(String apiId, String stageName, String region, JsonObject stage) {
      JsonObject restApi = snapshot.getJsonObject("RestApi");
      JsonObject doc = new JsonObject();
      if (swagger) doc.put("swagger", "2.0");
      else doc.put("openapi", "3.0.1");
      JsonObject info = new JsonObject();
      if (restApi.getString("description") != null) info.put("description", restApi.getString("description"));
      info.put("version", restApi.getString("version",
          Instant.ofEpochSecond(stage.getLong("createdDate", restApi.getLong("createdDate", 0L))).toString()));
      info.put("title", restApi.getString("name"));
      doc.put("info", info);
      String host = apiId + ".execute-api." + hostSuffix;
      if (swagger) {
        doc.put("host", host).put("basePath", "/" + stageName).put("schemes", new JsonArray().add("http"));
      } else {
        doc.put("servers", new JsonArray().add(new JsonObject().put("url", "http://" + host + "/{basePath}")
            .put("variables", new JsonObject().put("basePath", new JsonObject().put("default", stageName)))));
      }
      JsonObject paths = new JsonObject();
      TreeMap<String, JsonObject> byPath = new TreeMap<>();
      for (Object r : snapshot.getJsonArray("Resources")) byPath.put(((JsonObject) r).getString("path"), (JsonObject) r);
      for (JsonObject resource : byPath.values()) {
        JsonObject methods = resource.getJsonObject("resourceMethods", new JsonObject());
        if (methods.isEmpty()) continue;
        JsonObject item = new JsonObject();
        for (String m : new java.util.TreeSet<>(methods.fieldNames())) {
          String name = m.equals("ANY") ? "x-amazon-apigateway-any-method" : m.toLowerCase(Locale.ROOT);
          item.put(name, operation(methods.getJsonObject(m)));
        }
        paths.put(resource.getString("path"), item);
      }
      doc.put("paths", paths);
      JsonObject schemas = schemas(apiId);
      if (swagger) {
        if (!schemes.isEmpty()) doc.put("securityDefinitions", schemes);
        if (!schemas.isEmpty()) doc.put("definitions", schemas);
      } else {
        JsonObject components = new JsonObject();
        if (!schemas.isEmpty()) components.put("schemas", schemas);
        if (!schemes.isEmpty()) components.put("securitySchemes", schemes);
        if (!components.isEmpty()) doc.put("components", components);
      }
      if (apigateway) {
        JsonArray binary = restApi.getJsonArray("binaryMediaTypes");
        if (binary != null && !binary.isEmpty()) doc.put("x-amazon-apigateway-binary-media-types", binary.copy());
        if ("AUTHORIZER".equals(restApi.getString("apiKeySource"))) doc.put("x-amazon-apigateway-api-key-source", "AUTHORIZER");
        if (restApi.getInteger("minimumCompressionSize") != null) {
          doc.put("x-amazon-apigateway-minimum-compression-size", restApi.getInteger("minimumCompressionSize"));
        }
        if (restApi.getBoolean("disableExecuteApiEndpoint", false)) {
          doc.put("x-amazon-apigateway-endpoint-configuration", new JsonObject().put("disableExecuteApiEndpoint", true));
        }
        JsonObject validators = new JsonObject();
        for (Object v : snapshot.getJsonArray("RequestValidators", new JsonArray())) {
          JsonObject validator = (JsonObject) v;
          validators.put(validator.getString("name", validator.getString("id")), new JsonObject()
              .put("validateRequestParameters", validator.getBoolean("validateRequestParameters", false))
              .put("validateRequestBody", validator.getBoolean("validateRequestBody", false)));
        }
        if (!validators.isEmpty()) doc.put("x-amazon-apigateway-request-validators", validators);
      }
      return doc;
    }

    private JsonObject operation(JsonObject method) {
      JsonObject op = new JsonObject();
      if (method.getString("operationName") != null) op.put("operationId", method.getString("operationName"));
      JsonArray parameters = new JsonArray();
      JsonObject requestModels = method.getJsonObject("requestModels", new JsonObject());
      for (Map.Entry<String, Object> e : new TreeMap<>(method.getJsonObject("requestParameters", new JsonObject()).getMap()).entrySet()) {
        String[] parts = e.getKey().split("\\.", 4);
        if (parts.length < 4) continue;
        String where = switch (parts[2]) {
          case "path" -> "path";
          case "querystring", "multivaluequerystring" -> "query";
          default -> "header";
        };
        JsonObject p = new JsonObject().put("name", parts[3]).put("in", where);
        if (Boolean.TRUE.equals(e.getValue()) || where.equals("path")) p.put("required", true);
        if (swagger) p.put("type", "string");
        else p.put("schema", new JsonObject().put("type", "string"));
        parameters.add(p);
      }
      if (swagger && !requestModels.isEmpty()) {
        String model = requestModels.getString(requestModels.fieldNames().iterator().next());
        parameters.add(new JsonObject().put("in", "body").put("name", model).put("required", true)
            .put("schema", new JsonObject().put("$ref", "#/definitions/" + model)));
        op.put("consumes", new JsonArray(List.copyOf(requestModels.fieldNames())));
      }
      if (!parameters.isEmpty()) op.put("parameters", parameters);
      if (!swagger && !requestModels.isEmpty()) {
        JsonObject content = new JsonObject();
        for (String t : requestModels.fieldNames()) {
          content.put(t, new JsonObject().put("schema", new JsonObject().put("$ref", "#/components/schemas/" + requestModels.getString(t))));
        }
        op.put("requestBody", new JsonObject().put("content", content).put("required", true));
      }
      JsonObject responses = new JsonObject();
      JsonObject methodResponses = method.getJsonObject("methodResponses", new JsonObject());
      for (String status : new java.util.TreeSet<>(methodResponses.fieldNames())) {
        responses.put(status, response(status, methodResponses.getJsonObject(status)));
      }
      op.put("responses", responses);
      security(method, op);
      if (apigateway && method.getString("requestValidatorId") != null) {
        for (Object v : snapshot.getJsonArray("RequestValidators", new JsonArray())) {
          JsonObject validator = (JsonObject) v;
          if (validator.getString("id").equals(method.getString("requestValidatorId"))) {
            op.put("x-amazon-apigateway-request-validator", validator.getString("name", validator.getString("id")));
          }
        }
      }
      JsonObject integration = method.getJsonObject("methodIntegration");
      if (integrations && integration != null) op.put("x-amazon-apigateway-integration", integration(integration));
      return op;
    }

    private JsonObject response(String status, JsonObject response) {
      JsonObject out = new JsonObject().put("description", status + " response");
      JsonObject headers = new JsonObject();
      for (String p : response.getJsonObject("responseParameters", new JsonObject()).fieldNames()) {
        if (!p.startsWith("method.response.header.")) continue;
        String name = p.substring("method.response.header.".length());
        headers.put(name, swagger ? new JsonObject().put("type", "string")
            : new JsonObject().put("schema", new JsonObject().put("type", "string")));
      }
      if (!headers.isEmpty()) out.put("headers", headers);
      JsonObject models = response.getJsonObject("responseModels", new JsonObject());
      if (!models.isEmpty()) {
        if (swagger) {
          out.put("schema", new JsonObject().put("$ref", "#/definitions/" + models.getString(models.fieldNames().iterator().next())));
        } else {
          JsonObject content = new JsonObject();
          for (String t : models.fieldNames()) {
            content.put(t, new JsonObject().put("schema", new JsonObject().put("$ref", "#/components/schemas/" + models.getString(t))));
          }
          out.put("content", content);
        }
      }
      return out;
    }

    /** The method's authorization as a security requirement, its scheme declared once. */
    private void security(JsonObject method, JsonObject op) {
      JsonArray security = new JsonArray();
      String type = method.getString("authorizationType", "NONE");
      if (type.equals("CUSTOM") || type.equals("COGNITO_USER_POOLS")) {
        JsonObject authorizer = authorizer(method.getString("authorizerId"));
        if (authorizer != null) {
          String name = authorizer.getString("name");
          JsonArray scopes = method.getJsonArray("authorizationScopes", new JsonArray());
          security.add(new JsonObject().put(name, scopes.copy()));
          if (!schemes.containsKey(name)) schemes.put(name, scheme(authorizer));
        }
      } else if (type.equals("AWS_IAM")) {
        security.add(new JsonObject().put("sigv4", new JsonArray()));
        schemes.put("sigv4", new JsonObject().put("type", "apiKey").put("name", "Authorization").put("in", "header")
            .put("x-amazon-apigateway-authtype", "awsSigv4"));
      }
      if (method.getBoolean("apiKeyRequired", false)) {
        security.add(new JsonObject().put("api_key", new JsonArray()));
        schemes.put("api_key", new JsonObject().put("type", "apiKey").put("name", "x-api-key").put("in", "header"));
      }
      if (!security.isEmpty()) op.put("security", security);
    }

    private JsonObject authorizer(String id) {
      for (Object a : snapshot.getJsonArray("Authorizers", new JsonArray())) {
        if (((JsonObject) a).getString("id").equals(id)) return (JsonObject) a;
      }
      return null;
    }

    private JsonObject scheme(JsonObject authorizer) {
      String source = authorizer.getString("identitySource", "");
      String header = source.startsWith("method.request.header.") && !source.contains(",")
          ? source.substring("method.request.header.".length()) : "Unused";
      JsonObject scheme = new JsonObject().put("type", "apiKey").put("name", header).put("in", "header");
      boolean cognito = authorizer.getString("type").equals("COGNITO_USER_POOLS");
      scheme.put("x-amazon-apigateway-authtype", authorizer.getString("authType", cognito ? "cognito_user_pools" : "custom"));
      if (!authorizers) return scheme;
      JsonObject x = new JsonObject().put("type", authorizer.getString("type").toLowerCase(Locale.ROOT));
      for (String m : List.of("authorizerUri", "authorizerCredentials", "identityValidationExpression")) {
        if (authorizer.getString(m) != null) x.put(m, authorizer.getString(m));
      }
      if (authorizer.getJsonArray("providerARNs") != null) x.put("providerARNs", authorizer.getJsonArray("providerARNs").copy());
      if (!source.isEmpty()) x.put("identitySource", source);
      x.put("authorizerResultTtlInSeconds", authorizer.getInteger("authorizerResultTtlInSeconds", 300));
      return scheme.put("x-amazon-apigateway-authorizer", x);
    }

    private JsonObject integration(JsonObject i) {
      JsonObject x = new JsonObject().put("type", i.getString("type").toLowerCase(Locale.ROOT));
      if (i.getString("httpMethod") != null) x.put("httpMethod", i.getString("httpMethod"));
      if (i.getString("uri") != null) x.put("uri", i.getString("uri"));
      if (i.getString("credentials") != null) x.put("credentials", i.getString("credentials"));
      JsonObject responses = i.getJsonObject("integrationResponses", new JsonObject());
      if (!responses.isEmpty()) {
        JsonObject out = new JsonObject();
        for (String status : new java.util.TreeSet<>(responses.fieldNames())) {
          JsonObject r = responses.getJsonObject(status);
          JsonObject response = new JsonObject().put("statusCode", status);
          for (String m : List.of("responseParameters", "responseTemplates")) {
            if (r.getJsonObject(m) != null) response.put(m, r.getJsonObject(m).copy());
          }
          if (r.getString("contentHandling") != null) response.put("contentHandling", r.getString("contentHandling"));
          out.put(r.getString("selectionPattern", "default"), response);
        }
        x.put("responses", out);
      }
      for (String m : List.of("requestParameters", "requestTemplates")) if (i.getJsonObject(m) != null) x.put(m, i.getJsonObject(m).copy());
      if (i.getString("connectionType") != null && !"INTERNET".equals(i.getString("connectionType"))) {
        x.put("connectionType", i.getString("connectionType")).put("connectionId", i.getString("connectionId"));
      }
      x.put("passthroughBehavior", i.getString("passthroughBehavior", "WHEN_NO_MATCH").toLowerCase(Locale.ROOT));
      if (i.getString("contentHandling") != null) x.put("contentHandling", i.getString("contentHandling"));
      if (i.getInteger("timeoutInMillis", RestIntegrations.MAX_TIMEOUT) != RestIntegrations.MAX_TIMEOUT) {
        x.put("timeoutInMillis", i.getInteger("timeoutInMillis"));
      }
      JsonArray cacheKeys = i.getJsonArray("cacheKeyParameters", new JsonArray());
      if (!cacheKeys.isEmpty()) x.put("cacheKeyParameters", cacheKeys.copy());
      return x;
    }

    /** The deployment's models but the defaults a new API gets, their model URLs back to schema references. */
    private JsonObject schemas(String apiId) {
      JsonObject out = new JsonObject();
      String prefix = MODEL_URL + apiId + "/models/";
      for (Object m : snapshot.getJsonArray("Models", new JsonArray())) {
        JsonObject model = (JsonObject) m;
        String name = model.getString("name");
        if ((name.equals("Empty") || name.equals("Error")) && model.getString("schema", "").contains("\"title\" : \"" + name + " Schema\"")) {
          continue;
        }
        String schema = model.getString("schema", "{}").replace(prefix, swagger ? "#/definitions/" : "#/components/schemas/");
        try {
          out.put(name, new JsonObject(schema));
        } catch (io.vertx.core.json.DecodeException e) {
          out.put(name, new JsonObject());
        }
      }
      return out;
    }
  }
}
