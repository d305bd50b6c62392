package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.api.OpenApiDocuments;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A REST API as an OpenAPI 3.0 or Swagger 2.0 document (JSON or YAML) describes it, for
 * ImportRestApi and PutRestApi: each path a resource (with the resources above it), each operation a
 * method ({@code x-amazon-apigateway-any-method} is ANY) with its parameters, request models and
 * method responses, its {@code x-amazon-apigateway-integration} the integration (with its
 * responses by selection pattern), its {@code security} a CUSTOM or COGNITO_USER_POOLS authorizer
 * (a security scheme with {@code x-amazon-apigateway-authorizer}), AWS_IAM
 * ({@code x-amazon-apigateway-authtype: awsSigv4}) or an API key ({@code api_key} in the header
 * {@code x-api-key}); {@code components.schemas} (or {@code definitions}) the models;
 * {@code x-amazon-apigateway-request-validators} the validators; the API's binary media types and API
 * key source from their extensions. Records come out in the shapes the REST API handlers store.
 */
final class RestApiDefinitions {
  static final String INVALID = "Invalid OpenAPI input.";
  private static final List<String> OPERATIONS = List.of("get", "put", "post", "delete", "options", "head", "patch",
      "x-amazon-apigateway-any-method");
  private static final String SCHEMA_REF_OAS3 = "#/components/schemas/";
  private static final String SCHEMA_REF_SWAGGER = "#/definitions/";

  /** What the definition holds. Resources carry their methods embedded (root's path {@code /}). */
  record Definition(JsonObject api, List<JsonObject> resources, List<JsonObject> authorizers, List<JsonObject> validators,
      List<JsonObject> models, List<String> warnings) {}

  /**
   * Ids the API already has (PutRestApi keeps them): resources by path, authorizers and validators
   * by name; {@code fresh} makes new ones.
   */
  record Known(Map<String, String> resources, Map<String, String> authorizers, Map<String, String> validators,
      Supplier<String> fresh) {}

  private final JsonObject doc;
  private final boolean swagger;
  private final Known known;
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, JsonObject> resources = new LinkedHashMap<>();
  private final Map<String, JsonObject> authorizers = new LinkedHashMap<>();
  private final Map<String, JsonObject> validators = new LinkedHashMap<>();

  private RestApiDefinitions(JsonObject doc, Known known) {
    this.doc = doc;
    this.swagger = doc.containsKey("swagger");
    this.known = known;
  }

  /** The document's text as one object (JSON or YAML); heavy for a large one: read it off the event loop. */
  static JsonObject read(String body) {
    return OpenApiDocuments.read(body, INVALID, false);
  }

  /** What the document {@code doc} defines; {@code basepath} is the import's parameter (ignore, prepend or split). */
  static Definition parse(JsonObject doc, String basepath, Known known) {
    Object version = doc.getValue(doc.containsKey("swagger") ? "swagger" : "openapi");
    if (version == null || !(String.valueOf(version).startsWith("2.") || String.valueOf(version).startsWith("3."))) {
      throw badRequest(INVALID);
    }
    try {
      return new RestApiDefinitions(doc, known).define(basepath == null ? "ignore" : basepath);
    } catch (ClassCastException e) {
      throw badRequest(INVALID);
    }
  }

  private Definition define(String basepath) {
    JsonObject info = doc.getJsonObject("info", new JsonObject());
    JsonObject api = new JsonObject();
    if (info.getValue("title") != null) api.put("name", String.valueOf(info.getValue("title")));
    if (info.getValue("description") != null) api.put("description", String.valueOf(info.getValue("description")));
    if (info.getValue("version") != null) api.put("version", String.valueOf(info.getValue("version")));
    JsonArray binary = doc.getJsonArray("x-amazon-apigateway-binary-media-types");
    if (binary != null && !binary.isEmpty()) api.put("binaryMediaTypes", strings(binary));
    String keySource = doc.getString("x-amazon-apigateway-api-key-source");
    if (keySource != null) {
      keySource = keySource.toUpperCase(Locale.ROOT);
      if (!keySource.equals("HEADER") && !keySource.equals("AUTHORIZER")) {
        throw badRequest("Invalid API Key source specified: " + keySource + ". Valid options are HEADER,AUTHORIZER");
      }
      api.put("apiKeySource", keySource);
    }
    Object compression = doc.getValue("x-amazon-apigateway-minimum-compression-size");
    if (compression != null) {
      if (!(compression instanceof Number n) || n.intValue() < 0 || n.intValue() > RestApis.MAX_COMPRESSION) {
        throw badRequest("Invalid minimum compression size, must be between 0 and " + RestApis.MAX_COMPRESSION);
      }
      api.put("minimumCompressionSize", n.intValue());
    }
    JsonObject endpoint = doc.getJsonObject("x-amazon-apigateway-endpoint-configuration");
    if (endpoint != null && endpoint.getValue("disableExecuteApiEndpoint") instanceof Boolean disabled) {
      api.put("disableExecuteApiEndpoint", disabled);
    }
    JsonObject declared = doc.getJsonObject("x-amazon-apigateway-request-validators", new JsonObject());
    for (String name : declared.fieldNames()) {
      JsonObject v = declared.getJsonObject(name);
      validators.put(name, new JsonObject().put("id", known.validators().getOrDefault(name, known.fresh().get())).put("name", name)
          .put("validateRequestBody", v.getBoolean("validateRequestBody", false))
          .put("validateRequestParameters", v.getBoolean("validateRequestParameters", false)));
    }
    String defaultValidator = doc.getString("x-amazon-apigateway-request-validator");
    if (defaultValidator != null && !validators.containsKey(defaultValidator)) {
      throw badRequest("Invalid request validator name specified: " + defaultValidator);
    }
    resource("/");
    String prefix = prefix(basepath);
    JsonObject paths = doc.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      String full = (prefix + (path.startsWith("/") ? path : "/" + path)).replaceAll("/+$", "");
      JsonObject resource = resource(full.isEmpty() ? "/" : full);
      JsonArray shared = item.getJsonArray("parameters", new JsonArray());
      for (String name : item.fieldNames()) {
        if (!OPERATIONS.contains(name)) continue;
        String httpMethod = name.startsWith("x-") ? "ANY" : name.toUpperCase(Locale.ROOT);
        JsonObject method = method(httpMethod, item.getJsonObject(name), shared, defaultValidator, resource.getString("path"));
        resource.getJsonObject("resourceMethods").put(httpMethod, method);
      }
    }
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject r : resources.values()) {
      if (r.getJsonObject("resourceMethods").isEmpty()) r.remove("resourceMethods");
      out.add(r);
    }
    if (out.size() > Resources.RESOURCES_PER_API) {
      throw io.eventplane.apigateway.domain.ApiGatewayErrors.limitExceeded(
          "Maximum number of Resources for this API has been reached: " + Resources.RESOURCES_PER_API);
    }
    return new Definition(api, out, List.copyOf(authorizers.values()), List.copyOf(validators.values()), models(), warnings);
  }

  /** The path every resource's path starts with, from the import's {@code basepath} parameter. */
  private String prefix(String basepath) {
    String base = basePath();
    return switch (basepath) {
      case "ignore" -> "";
      case "prepend" -> base;
      case "split" -> {
        int second = base.indexOf('/', 1);
        yield second < 0 ? "" : base.substring(second);
      }
      default -> throw badRequest("Invalid basepath parameter: " + basepath + ". Valid options are ignore,prepend,split");
    };
  }

  /** Swagger's {@code basePath}, or the path of OpenAPI 3's first server URL (its {@code basePath} variable's default). */
  private String basePath() {
    String base = "";
    if (swagger) {
      base = doc.getString("basePath", "");
    } else {
      JsonArray servers = doc.getJsonArray("servers", new JsonArray());
      if (!servers.isEmpty()) {
        JsonObject server = servers.getJsonObject(0);
        String url = server.getString("url", "");
        JsonObject variable = server.getJsonObject("variables", new JsonObject()).getJsonObject("basePath");
        if (variable != null && variable.getValue("default") != null) {
          url = url.replace("{basePath}", String.valueOf(variable.getValue("default")));
        }
        try {
          String path = URI.create(url.replaceAll("\\{[^}]*}", "x")).getPath();
          base = path == null ? "" : path;
        } catch (IllegalArgumentException e) {
          base = "";
        }
      }
    }
    base = base.replaceAll("/+$", "");
    return base.isEmpty() || base.startsWith("/") ? base : "/" + base;
  }

  /** The resource of {@code path}, made (with those above it) when new. */
  private JsonObject resource(String path) {
    JsonObject existing = resources.get(path);
    if (existing != null) return existing;
    JsonObject resource = new JsonObject().put("id", known.resources().getOrDefault(path, known.fresh().get()));
    if (!path.equals("/")) {
      int slash = path.lastIndexOf('/');
      String part = path.substring(slash + 1);
      if (!Resources.PATH_PART.matcher(part).matches()) {
        throw badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an "
            + "optional plus sign before the closing brace. Path: " + path);
      }
      String parentPath = slash == 0 ? "/" : path.substring(0, slash);
      JsonObject parent = resource(parentPath);
      if (parent.getString("pathPart", "").endsWith("+}")) {
        throw badRequest("Cannot create a child of a resource with a greedy path variable: " + parent.getString("pathPart"));
      }
      if (part.startsWith("{")) checkVariableSiblings(parentPath, part);
      resource.put("parentId", parent.getString("id")).put("pathPart", part);
    }
    resource.put("path", path).put("resourceMethods", new JsonObject());
    resources.put(path, resource);
    return resource;
  }

  /** One variable path part under a parent, in the document and (merging) in the API alike, as CreateResource checks. */
  private void checkVariableSiblings(String parentPath, String part) {
    String prefix = parentPath.equals("/") ? "/" : parentPath + "/";
    java.util.Set<String> paths = new java.util.HashSet<>(resources.keySet());
    paths.addAll(known.resources().keySet());
    for (String other : paths) {
      if (!other.startsWith(prefix) || other.length() <= prefix.length()) continue;
      String sibling = other.substring(prefix.length());
      if (sibling.contains("/") || sibling.equals(part)) continue;
      if (sibling.startsWith("{")) {
        throw badRequest("A sibling (" + sibling + ") of this resource already has a variable path part -- only one is allowed");
      }
    }
  }

  private JsonObject method(String httpMethod, JsonObject operation, JsonArray shared, String defaultValidator, String path) {
    String attribute = "paths.'" + path + "'(" + httpMethod.toLowerCase(Locale.ROOT) + ")";
    JsonObject method = new JsonObject().put("httpMethod", httpMethod).put("authorizationType", "NONE").put("apiKeyRequired", false);
    if (operation.getString("operationId") != null) method.put("operationName", operation.getString("operationId"));
    JsonObject parameters = new JsonObject();
    JsonObject models = new JsonObject();
    List<Object> all = new ArrayList<>(shared.getList());
    all.addAll(operation.getJsonArray("parameters", new JsonArray()).getList());
    for (Object p : all) {
      JsonObject parameter = p instanceof Map<?, ?> m ? new JsonObject(castMap(m)) : (JsonObject) p;
      String in = parameter.getString("in");
      String name = parameter.getString("name");
      if (in == null || name == null) continue;
      switch (in) {
        case "path" -> parameters.put("method.request.path." + name, true);
        case "query" -> parameters.put("method.request.querystring." + name, parameter.getBoolean("required", false));
        case "header" -> parameters.put("method.request.header." + name, parameter.getBoolean("required", false));
        case "body" -> {
          String model = modelOf(parameter.getJsonObject("schema"), attribute + ".parameters." + name + ".schema");
          if (model != null) {
            JsonArray consumes = operation.getJsonArray("consumes", doc.getJsonArray("consumes", new JsonArray().add("application/json")));
            for (Object type : consumes) models.put(String.valueOf(type), model);
          }
        }
        default -> { }
      }
    }
    JsonObject requestBody = operation.getJsonObject("requestBody");
    if (requestBody != null) {
      JsonObject content = requestBody.getJsonObject("content", new JsonObject());
      for (String type : content.fieldNames()) {
        String model = modelOf(content.getJsonObject(type).getJsonObject("schema"), attribute + ".requestBody.content.schema");
        if (model != null) models.put(type, model);
      }
    }
    if (!parameters.isEmpty()) method.put("requestParameters", parameters);
    if (!models.isEmpty()) method.put("requestModels", models);
    String validator = operation.getString("x-amazon-apigateway-request-validator", defaultValidator);
    if (validator != null) {
      JsonObject v = validators.get(validator);
      if (v == null) throw badRequest("Invalid request validator name specified: " + validator);
      method.put("requestValidatorId", v.getString("id"));
    }
    JsonArray security = operation.getJsonArray("security", doc.getJsonArray("security"));
    if (security != null) for (Object requirement : security) secure(method, (JsonObject) requirement);
    JsonObject responses = operation.getJsonObject("responses", new JsonObject());
    JsonObject methodResponses = new JsonObject();
    for (String status : responses.fieldNames()) {
      if (!status.matches("[1-5]\\d\\d")) continue;
      methodResponses.put(status, methodResponse(status, responses.getJsonObject(status), attribute + ".responses." + status));
    }
    if (!methodResponses.isEmpty()) method.put("methodResponses", methodResponses);
    JsonObject x = operation.getJsonObject("x-amazon-apigateway-integration");
    if (x != null) {
      method.put("methodIntegration", integration(x, method));
    } else {
      warnings.add("No integration defined for method " + httpMethod + " " + path);
    }
    return method;
  }

  private JsonObject methodResponse(String status, JsonObject response, String attribute) {
    JsonObject out = new JsonObject().put("statusCode", status);
    JsonObject headers = response.getJsonObject("headers", new JsonObject());
    if (!headers.isEmpty()) {
      JsonObject parameters = new JsonObject();
      for (String h : headers.fieldNames()) parameters.put("method.response.header." + h, false);
      out.put("responseParameters", parameters);
    }
    JsonObject models = new JsonObject();
    if (swagger) {
      String model = modelOf(response.getJsonObject("schema"), attribute + ".schema");
      if (model != null) for (Object type : doc.getJsonArray("produces", new JsonArray().add("application/json"))) models.put(String.valueOf(type), model);
    } else {
      JsonObject content = response.getJsonObject("content", new JsonObject());
      for (String type : content.fieldNames()) {
        String model = modelOf(content.getJsonObject(type).getJsonObject("schema"), attribute + ".content.schema");
        if (model != null) models.put(type, model);
      }
    }
    if (!models.isEmpty()) out.put("responseModels", models);
    return out;
  }

  /**
   * The model a schema names by {@code $ref}; a reference to no schema of the document is a warning
   * worded as AWS's ("Parse issue: attribute paths.'/p'(get).responses.200.content.schema.#/... is
   * missing"), and no model.
   */
  private String modelOf(JsonObject schema, String attribute) {
    if (schema == null || schema.getString("$ref") == null) return null;
    String ref = schema.getString("$ref");
    String prefix = ref.startsWith(SCHEMA_REF_OAS3) ? SCHEMA_REF_OAS3 : ref.startsWith(SCHEMA_REF_SWAGGER) ? SCHEMA_REF_SWAGGER : null;
    String name = prefix == null ? null : ref.substring(prefix.length());
    if (name == null || !schemas().containsKey(name)) {
      warnings.add("Parse issue: attribute " + attribute + "." + ref + " is missing");
      return null;
    }
    return name;
  }

  private JsonObject schemas() {
    return swagger ? doc.getJsonObject("definitions", new JsonObject())
        : doc.getJsonObject("components", new JsonObject()).getJsonObject("schemas", new JsonObject());
  }

  /** One security requirement: an authorizer, AWS_IAM or an API key. */
  private void secure(JsonObject method, JsonObject requirement) {
    JsonObject schemes = swagger ? doc.getJsonObject("securityDefinitions", new JsonObject())
        : doc.getJsonObject("components", new JsonObject()).getJsonObject("securitySchemes", new JsonObject());
    for (String name : requirement.fieldNames()) {
      JsonObject scheme = schemes.getJsonObject(name);
      if (scheme == null) throw badRequest("Invalid security definition: " + name + " is not defined");
      JsonObject x = scheme.getJsonObject("x-amazon-apigateway-authorizer");
      String authType = scheme.getString("x-amazon-apigateway-authtype", "");
      if (x != null) {
        JsonObject authorizer = authorizers.computeIfAbsent(name, n -> authorizer(n, scheme, x));
        String type = authorizer.getString("type");
        method.put("authorizationType", type.equals("COGNITO_USER_POOLS") ? "COGNITO_USER_POOLS" : "CUSTOM")
            .put("authorizerId", authorizer.getString("id"));
        JsonArray scopes = requirement.getJsonArray(name);
        if (type.equals("COGNITO_USER_POOLS") && scopes != null && !scopes.isEmpty()) method.put("authorizationScopes", scopes.copy());
      } else if (authType.equalsIgnoreCase("awsSigv4")) {
        method.put("authorizationType", "AWS_IAM");
      } else if ("apiKey".equals(scheme.getString("type")) && "x-api-key".equalsIgnoreCase(scheme.getString("name"))) {
        method.put("apiKeyRequired", true);
      } else {
        warnings.add("Unsupported security definition " + name + ": it is not an API Gateway authorizer, AWS_IAM or an API key");
      }
    }
  }

  private JsonObject authorizer(String name, JsonObject scheme, JsonObject x) {
    JsonObject a = new JsonObject().put("id", known.authorizers().getOrDefault(name, known.fresh().get())).put("name", name);
    String type = x.getString("type");
    if (type == null) throw badRequest("Invalid authorizer definition: " + name + " has no type");
    a.put("type", type.toUpperCase(Locale.ROOT));
    JsonArray providers = x.getJsonArray("providerARNs");
    if (providers != null && !providers.isEmpty()) a.put("providerARNs", strings(providers));
    String authType = scheme.getString("x-amazon-apigateway-authtype");
    if (authType != null) a.put("authType", authType);
    for (String m : List.of("authorizerUri", "authorizerCredentials", "identityValidationExpression")) {
      if (x.getValue(m) != null) a.put(m, String.valueOf(x.getValue(m)));
    }
    String source = x.getString("identitySource");
    if (source == null && "header".equals(scheme.getString("in")) && scheme.getString("name") != null) {
      source = "method.request.header." + scheme.getString("name");
    }
    if (source != null) a.put("identitySource", source);
    Object ttl = x.getValue("authorizerResultTtlInSeconds");
    a.put("authorizerResultTtlInSeconds", ttl instanceof Number n ? n.intValue() : 300);
    RestAuthorizers.check(a);
    return a;
  }

  /** An {@code x-amazon-apigateway-integration} as PutIntegration (and PutIntegrationResponse) store it. */
  private JsonObject integration(JsonObject x, JsonObject method) {
    String type = x.getString("type");
    if (type == null) throw badRequest("Invalid integration definition: an x-amazon-apigateway-integration has no type");
    JsonObject i = new JsonObject().put("type", type.toUpperCase(Locale.ROOT));
    if (x.getValue("httpMethod") != null) i.put("httpMethod", String.valueOf(x.getValue("httpMethod")).toUpperCase(Locale.ROOT));
    if (x.getValue("uri") != null) i.put("uri", String.valueOf(x.getValue("uri")));
    String connectionType = x.getString("connectionType");
    if (connectionType != null || !i.getString("type").equals("MOCK")) {
      i.put("connectionType", connectionType == null ? "INTERNET" : connectionType.toUpperCase(Locale.ROOT));
    }
    for (String m : List.of("connectionId", "credentials", "cacheNamespace")) if (x.getValue(m) != null) i.put(m, String.valueOf(x.getValue(m)));
    if (x.getValue("requestParameters") != null) i.put("requestParameters", stringMap(x.getJsonObject("requestParameters")));
    if (x.getValue("requestTemplates") != null) i.put("requestTemplates", stringMap(x.getJsonObject("requestTemplates")));
    i.put("passthroughBehavior", x.getString("passthroughBehavior", "when_no_match").toUpperCase(Locale.ROOT));
    if (x.getString("contentHandling") != null) i.put("contentHandling", x.getString("contentHandling").toUpperCase(Locale.ROOT));
    Object timeout = x.getValue("timeoutInMillis");
    i.put("timeoutInMillis", timeout instanceof Number n ? n.intValue() : RestIntegrations.MAX_TIMEOUT);
    i.put("cacheKeyParameters", x.getJsonArray("cacheKeyParameters", new JsonArray()).copy());
    if (x.getJsonObject("tlsConfig") != null) i.put("tlsConfig", x.getJsonObject("tlsConfig").copy());
    try {
      RestIntegrations.check(i);
    } catch (ServiceException e) {
      throw badRequest("Errors found during import:\n\t" + e.error().message());
    }
    JsonObject responses = x.getJsonObject("responses", new JsonObject());
    JsonObject integrationResponses = new JsonObject();
    for (String pattern : responses.fieldNames()) {
      JsonObject r = responses.getJsonObject(pattern);
      Object status = r.getValue("statusCode");
      if (status == null) throw badRequest("Invalid integration response: the response for '" + pattern + "' has no statusCode");
      JsonObject out = new JsonObject().put("statusCode", String.valueOf(status));
      if (!pattern.equals("default")) out.put("selectionPattern", pattern);
      if (r.getValue("responseParameters") != null) out.put("responseParameters", stringMap(r.getJsonObject("responseParameters")));
      if (r.getValue("responseTemplates") != null) out.put("responseTemplates", stringMap(r.getJsonObject("responseTemplates")));
      if (r.getString("contentHandling") != null) out.put("contentHandling", r.getString("contentHandling").toUpperCase(Locale.ROOT));
      integrationResponses.put(out.getString("statusCode"), out);
      // AWS adds the method response an integration response names when the document leaves it out.
      JsonObject methodResponses = method.getJsonObject("methodResponses", new JsonObject());
      if (!methodResponses.containsKey(out.getString("statusCode"))) {
        method.put("methodResponses", methodResponses.put(out.getString("statusCode"),
            new JsonObject().put("statusCode", out.getString("statusCode"))));
      }
    }
    if (!integrationResponses.isEmpty()) i.put("integrationResponses", integrationResponses);
    return i;
  }

  /** The document's schemas as models, their {@code $ref}s to each other as API Gateway's model URLs. */
  private List<JsonObject> models() {
    List<JsonObject> out = new ArrayList<>();
    JsonObject schemas = schemas();
    for (String name : schemas.fieldNames()) {
      if (!name.matches("[a-zA-Z0-9]{1,128}")) throw badRequest("Model name must be alphanumeric: " + name);
      Object schema = schemas.getValue(name);
      if (!(schema instanceof JsonObject s)) throw badRequest(INVALID);
      out.add(new JsonObject().put("id", known.fresh().get()).put("name", name).put("contentType", "application/json")
          .put("schema", s.encode()));
    }
    return out;
  }

  private static JsonArray strings(JsonArray values) {
    JsonArray out = new JsonArray();
    for (Object v : values) out.add(String.valueOf(v));
    return out;
  }

  private static JsonObject stringMap(JsonObject map) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : map) out.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue()));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
